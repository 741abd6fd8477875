-- What the office counts most, kept on the retiree's row (issue 16, decision 074): the newest
-- approved certification (its period, method and day) and the day of the last one of any period.
--
-- Before, the overview, the lists' counts and a state filter over a county built the set of the
-- current period's approved certifications for every statement (≈150,000 ids, most of a 0.4 s
-- overview). Read from these columns, inside the covering indexes, the same count is one pass over
-- an index. Triggers on certifications keep the columns; the rare case they cannot answer alone (a
-- certification of a period later than the one asked about) is looked up per retiree by the query
-- (server/store/retiree-facts.ts), so the facts stay exact whatever the day.
--   approved_period_id, approved_method, approved_on
--                      the approved certification of the retiree's newest period (by year, then id)
--   last_certified_on  the latest day of any approved certification ("last certified")
--   has_pin            the retiree's account has a PIN (1) or they never signed in (0, decision 056)
ALTER TABLE retirees ADD COLUMN approved_period_id INTEGER;
ALTER TABLE retirees ADD COLUMN approved_method TEXT;
ALTER TABLE retirees ADD COLUMN approved_on TEXT;
ALTER TABLE retirees ADD COLUMN last_certified_on TEXT;
ALTER TABLE retirees ADD COLUMN has_pin INTEGER NOT NULL DEFAULT 0;

-- One definition of the columns' values, used by the triggers and the backfill below.
CREATE VIEW retiree_certified AS
SELECT r.id AS retiree_id, ce.period_id, ce.method, ce.certified_on,
       (SELECT max(x.certified_on) FROM certifications x WHERE x.retiree_id = r.id AND x.status = 'approved') AS last_certified_on
  FROM retirees r LEFT JOIN certifications ce ON ce.id = (
       SELECT n.id FROM certifications n JOIN certification_periods p ON p.id = n.period_id
        WHERE n.retiree_id = r.id AND n.status = 'approved'
        ORDER BY p.year DESC, n.period_id DESC LIMIT 1);

UPDATE retirees SET (approved_period_id, approved_method, approved_on, last_certified_on) =
  (SELECT period_id, method, certified_on, last_certified_on FROM retiree_certified v WHERE v.retiree_id = retirees.id);

CREATE TRIGGER retiree_certified_ins AFTER INSERT ON certifications WHEN NEW.status = 'approved' BEGIN
  UPDATE retirees SET (approved_period_id, approved_method, approved_on, last_certified_on) =
    (SELECT period_id, method, certified_on, last_certified_on FROM retiree_certified v WHERE v.retiree_id = retirees.id)
   WHERE id = NEW.retiree_id;
END;
CREATE TRIGGER retiree_certified_upd AFTER UPDATE OF retiree_id, period_id, status, method, certified_on ON certifications
  WHEN OLD.status = 'approved' OR NEW.status = 'approved' BEGIN
  UPDATE retirees SET (approved_period_id, approved_method, approved_on, last_certified_on) =
    (SELECT period_id, method, certified_on, last_certified_on FROM retiree_certified v WHERE v.retiree_id = retirees.id)
   WHERE id IN (OLD.retiree_id, NEW.retiree_id);
END;
CREATE TRIGGER retiree_certified_del AFTER DELETE ON certifications WHEN OLD.status = 'approved' BEGIN
  UPDATE retirees SET (approved_period_id, approved_method, approved_on, last_certified_on) =
    (SELECT period_id, method, certified_on, last_certified_on FROM retiree_certified v WHERE v.retiree_id = retirees.id)
   WHERE id = OLD.retiree_id;
END;
-- A period's year orders a retiree's certifications: a changed year can change which is newest.
CREATE TRIGGER retiree_certified_period_year AFTER UPDATE OF year ON certification_periods BEGIN
  UPDATE retirees SET (approved_period_id, approved_method, approved_on, last_certified_on) =
    (SELECT period_id, method, certified_on, last_certified_on FROM retiree_certified v WHERE v.retiree_id = retirees.id)
   WHERE id IN (SELECT retiree_id FROM certifications WHERE period_id = NEW.id AND status = 'approved');
END;

UPDATE retirees SET has_pin = 1 WHERE id IN (SELECT retiree_id FROM users WHERE retiree_id IS NOT NULL AND password_hash IS NOT NULL);
CREATE TRIGGER retiree_pin_ins AFTER INSERT ON users WHEN NEW.retiree_id IS NOT NULL AND NEW.password_hash IS NOT NULL BEGIN
  UPDATE retirees SET has_pin = 1 WHERE id = NEW.retiree_id;
END;
CREATE TRIGGER retiree_pin_upd AFTER UPDATE OF retiree_id, password_hash ON users BEGIN
  UPDATE retirees SET has_pin = EXISTS (SELECT 1 FROM users u WHERE u.retiree_id = retirees.id AND u.password_hash IS NOT NULL)
   WHERE id IN (OLD.retiree_id, NEW.retiree_id);
END;
CREATE TRIGGER retiree_pin_del AFTER DELETE ON users WHEN OLD.retiree_id IS NOT NULL BEGIN
  UPDATE retirees SET has_pin = EXISTS (SELECT 1 FROM users u WHERE u.retiree_id = retirees.id AND u.password_hash IS NOT NULL)
   WHERE id = OLD.retiree_id;
END;

-- The new columns are derived: changing them is not a change of the retiree a worker's phone must
-- pull. Every other column still is (a column added to retirees later must be added to this list).
DROP TRIGGER sync_retirees_upd;
CREATE TRIGGER sync_retirees_upd AFTER UPDATE OF id_number, name, pension_category, community_id, address, phone, enrolment, enrolled_on, notes, created_at, updated_at ON retirees BEGIN
  INSERT INTO sync_changes (retiree_id, community_id) VALUES (NEW.id, OLD.community_id);
END;

-- The list's covering indexes (migration 010) carry the facts too, so a count or a filtered page
-- by state reads no other table for them.
DROP INDEX retirees_list_by_community;
CREATE INDEX retirees_list_by_community ON retirees (community_id, name, id, enrolment, enrolled_on, pension_category, id_number,
  approved_period_id, approved_method, approved_on, last_certified_on, has_pin);
DROP INDEX retirees_list_by_name;
CREATE INDEX retirees_list_by_name ON retirees (name, id, community_id, enrolment, enrolled_on, pension_category, id_number,
  approved_period_id, approved_method, approved_on, last_certified_on, has_pin);
