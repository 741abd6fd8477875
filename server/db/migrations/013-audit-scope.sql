-- The audit log viewer (issue 16, decision 059): who, what, when and which retiree, scoped to the
-- office's region, newest first, on a log of millions of rows. The subject column is free text in
-- several formats ('retiree:<id>', 'retiree:<ID number>' for sign-in tries and the CLI,
-- 'user:<username>', 'region:<code>', 'community:<name>', none), so what each entry is about is
-- derived once, when it is written, into columns an index can serve:
--   retiree_id       the retiree it is about (either retiree format; a retiree's own sign-in)
--   subject_user_id  the account it is about ('user:<username>'), when that account exists
--   region_id        the region it belongs to: the retiree's, else the region named, else the
--                    account's it is about, else the region of whoever did it (an office
--                    account's region; a worker's first community; a family member's first
--                    linked retiree); NULL when none is known (seen by offices without a region)
ALTER TABLE audit_log ADD COLUMN retiree_id INTEGER;
ALTER TABLE audit_log ADD COLUMN subject_user_id INTEGER;
ALTER TABLE audit_log ADD COLUMN region_id INTEGER;

-- The region an account belongs to, as the office console's People screen scopes accounts.
CREATE VIEW user_regions AS
SELECT u.id AS user_id, COALESCE(
    u.region_id,
    (SELECT c.region_id FROM worker_assignments w JOIN communities c ON c.id = w.community_id
      WHERE w.user_id = u.id ORDER BY w.created_at, w.community_id LIMIT 1),
    (SELECT c.region_id FROM family_links f JOIN retirees x ON x.id = f.retiree_id JOIN communities c ON c.id = x.community_id
      WHERE f.user_id = u.id ORDER BY f.created_at, f.retiree_id LIMIT 1),
    (SELECT c.region_id FROM retirees x JOIN communities c ON c.id = x.community_id WHERE x.id = u.retiree_id)
  ) AS region_id
FROM users u;

-- One definition of what an entry is about, used by the trigger and the backfill below.
CREATE VIEW audit_about AS
SELECT a.id,
  CASE
    WHEN a.subject GLOB 'retiree:[0-9]*' AND length(a.subject) = 26 THEN (SELECT id FROM retirees WHERE id_number = upper(substr(a.subject, 9)))
    WHEN a.subject GLOB 'retiree:[0-9]*' THEN (SELECT id FROM retirees WHERE id = CAST(substr(a.subject, 9) AS INTEGER))
    WHEN a.subject IS NULL THEN (SELECT retiree_id FROM users WHERE id = a.user_id)
  END AS retiree_id,
  CASE WHEN substr(a.subject, 1, 5) = 'user:' THEN (SELECT id FROM users WHERE username = substr(a.subject, 6)) END AS subject_user_id
FROM audit_log a;

-- Reads the columns above once they are set.
CREATE VIEW audit_region AS
SELECT a.id, COALESCE(
    (SELECT c.region_id FROM retirees x JOIN communities c ON c.id = x.community_id WHERE x.id = a.retiree_id),
    CASE WHEN substr(a.subject, 1, 7) = 'region:' THEN (SELECT id FROM regions WHERE code = substr(a.subject, 8)) END,
    (SELECT region_id FROM user_regions WHERE user_id = a.subject_user_id),
    (SELECT region_id FROM user_regions WHERE user_id = a.user_id)
  ) AS region_id
FROM audit_log a;

-- A writer that knows better (audit()'s `about`) sets the columns itself; the rest are derived.
CREATE TRIGGER audit_log_about AFTER INSERT ON audit_log
BEGIN
  UPDATE audit_log SET
      retiree_id = COALESCE(NEW.retiree_id, (SELECT retiree_id FROM audit_about WHERE id = NEW.id)),
      subject_user_id = COALESCE(NEW.subject_user_id, (SELECT subject_user_id FROM audit_about WHERE id = NEW.id))
    WHERE id = NEW.id;
  UPDATE audit_log SET region_id = (SELECT region_id FROM audit_region WHERE id = NEW.id) WHERE id = NEW.id AND region_id IS NULL;
END;

-- Backfill, as of today's links (an entry about an account that was since deleted stays NULL).
UPDATE audit_log SET
    retiree_id = (SELECT retiree_id FROM audit_about v WHERE v.id = audit_log.id),
    subject_user_id = (SELECT subject_user_id FROM audit_about v WHERE v.id = audit_log.id);
UPDATE audit_log SET region_id = (SELECT region_id FROM audit_region v WHERE v.id = audit_log.id);

-- The viewer's filters, newest first (the rowid breaks ties on `at`). A region's office reads
-- region_id first; per account and per retiree there are few entries, so those indexes lead and the
-- region is checked on their rows. The last sign-in of an account is one look-up in by_user.
CREATE INDEX audit_log_by_at ON audit_log (at);
CREATE INDEX audit_log_by_region ON audit_log (region_id, at);
CREATE INDEX audit_log_by_region_event ON audit_log (region_id, event, at);
CREATE INDEX audit_log_by_user ON audit_log (user_id, event, at);
CREATE INDEX audit_log_by_subject_user ON audit_log (subject_user_id, at);
CREATE INDEX audit_log_by_retiree ON audit_log (retiree_id, at);
