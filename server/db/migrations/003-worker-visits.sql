-- Community worker door-to-door mode (issue 6): what a worker records at a door when no face check
-- passes (not at home, cannot do the check → home-visit attestation, deceased, moved away), the
-- office's review of those reports, and incremental roster changes. See docs/decisions/040-049.

-- One row per visit outcome a phone sent. The id is the phone's UUIDv7 (the same idempotency key as
-- attempts: a retry can never become a second row); the sequence number is the same per-device
-- counter the attempts use (one outbox on the phone).
CREATE TABLE visit_outcomes (
  id              TEXT PRIMARY KEY,
  retiree_id      INTEGER NOT NULL REFERENCES retirees(id),
  user_id         INTEGER NOT NULL REFERENCES users(id),
  device_id       TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('not_home', 'cannot_check', 'deceased', 'moved')),
  -- cannot_check only: why the face check cannot be done.
  reason          TEXT CHECK (reason IN ('bedridden', 'blind', 'dementia')),
  note            TEXT NOT NULL DEFAULT '',
  -- deceased: date of death if known, and who said so; moved: the new address if known.
  deceased_on     TEXT,
  info_source     TEXT,
  new_address     TEXT,
  -- Only when the worker allowed location on the phone.
  latitude        REAL,
  longitude       REAL,
  accuracy_m      REAL,
  located_at      INTEGER,
  -- cannot_check only: the worker's password, re-entered as a signature, checked at ingest
  -- (decision 041). The password itself is never stored.
  signature       TEXT CHECK (signature IN ('verified', 'invalid')),
  -- The period the report counts for and the local date it reached the server (server clock).
  period_id       INTEGER REFERENCES certification_periods(id),
  received_on     TEXT NOT NULL,
  -- What the push answered (a VisitResult as JSON): a retry gets the same answer.
  answer          TEXT NOT NULL,
  -- NULL: nothing for the office to decide (not at home). Otherwise the office's review.
  review          TEXT CHECK (review IN ('pending', 'approved', 'rejected')),
  decided_by      INTEGER REFERENCES users(id),
  decided_at      INTEGER,
  decision_reason TEXT,
  -- The phone's clock when the worker recorded it: shown, never used for a rule.
  device_time     INTEGER NOT NULL,
  received_at     INTEGER NOT NULL,
  -- cannot_check: one photo of the retiree (JPEG ≤ 20 KB), like the attempts' key frames (decision 010).
  photo_type      TEXT,
  photo_sha256    TEXT,
  photo_bytes     INTEGER,
  photo_width     INTEGER,
  photo_height    INTEGER,
  photo           BLOB,
  CHECK ((kind = 'cannot_check') = (reason IS NOT NULL)),
  CHECK (kind = 'cannot_check' OR signature IS NULL)
) WITHOUT ROWID;
CREATE INDEX visit_outcomes_by_retiree ON visit_outcomes (retiree_id, received_at);
CREATE INDEX visit_outcomes_by_user ON visit_outcomes (user_id, received_at);
CREATE INDEX visit_outcomes_for_review ON visit_outcomes (review, received_at) WHERE review = 'pending';

-- Same bookkeeping as attempts (002-sync.sql): the device's sequence moves in the same statement.
CREATE TRIGGER visit_outcomes_sequence AFTER INSERT ON visit_outcomes BEGIN
  INSERT INTO sync_clients (device_id, user_id, last_seq, gaps, updated_at) VALUES (NEW.device_id, NEW.user_id, NEW.seq, 0, NEW.received_at)
  ON CONFLICT (device_id, user_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at;
END;

-- A signed home-visit attestation makes the retiree "certified by home visit, awaiting office
-- approval": a pending_review certification (status under_review in the rules). The office's
-- decision later turns it into approved or rejected.
CREATE TRIGGER visit_outcomes_attest AFTER INSERT ON visit_outcomes
  WHEN NEW.kind = 'cannot_check' AND NEW.signature = 'verified' AND NEW.review = 'pending' AND NEW.period_id IS NOT NULL BEGIN
  INSERT INTO certifications (retiree_id, period_id, status, method, certified_on, certified_at, evidence_ref, recorded_by, created_at)
  VALUES (NEW.retiree_id, NEW.period_id, 'pending_review', 'home_visit', NEW.received_on, NEW.received_at, NEW.id, NEW.user_id, NEW.received_at);
END;

-- Rosters show each retiree's last visit: a new outcome or a decision changes the entry.
CREATE TRIGGER sync_visit_outcomes_ins AFTER INSERT ON visit_outcomes BEGIN
  INSERT INTO sync_changes (retiree_id) VALUES (NEW.retiree_id);
END;
CREATE TRIGGER sync_visit_outcomes_upd AFTER UPDATE OF review ON visit_outcomes BEGIN
  INSERT INTO sync_changes (retiree_id) VALUES (NEW.retiree_id);
END;

-- Incremental roster membership (decision 042). A change row may now also name a community:
--   (user_id, community_id): that worker was assigned a community: its retirees are added;
--   (retiree_id, community_id): that retiree changed; community_id is the community it was in
--     before the change, so a worker of that community learns it left (`removed`).
-- A worker leaving a community, and family link changes, still force a full pull (user_id alone).
ALTER TABLE sync_changes ADD COLUMN community_id INTEGER;

DROP TRIGGER sync_worker_assignments_ins;
CREATE TRIGGER sync_worker_assignments_ins AFTER INSERT ON worker_assignments BEGIN
  INSERT INTO sync_changes (user_id, community_id) VALUES (NEW.user_id, NEW.community_id);
END;

DROP TRIGGER sync_retirees_ins;
CREATE TRIGGER sync_retirees_ins AFTER INSERT ON retirees BEGIN
  INSERT INTO sync_changes (retiree_id, community_id) VALUES (NEW.id, NEW.community_id);
END;

DROP TRIGGER sync_retirees_upd;
CREATE TRIGGER sync_retirees_upd AFTER UPDATE ON retirees BEGIN
  INSERT INTO sync_changes (retiree_id, community_id) VALUES (NEW.id, OLD.community_id);
END;
