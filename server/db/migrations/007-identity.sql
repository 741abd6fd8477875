-- migrate: foreign keys off
-- Identity (issue 14, docs/identity.md, decisions 049 and 050): the retiree's reference faces, the
-- durable queue of face matches, and what each match decided.
--
-- A passed check no longer certifies when it is stored: it is stored as `verifying` and the face
-- match decides later, on its own threads, so the push stays as fast as before. `attempts` is
-- rebuilt because its CHECK on `outcome` must take 'verifying' (ALTER TABLE cannot change a CHECK).
-- Only `attempts` is rebuilt (its rows are small); the blobs keep their table.

CREATE TABLE attempts_new (
  id               TEXT NOT NULL UNIQUE,
  retiree_id       INTEGER NOT NULL REFERENCES retirees(id),
  user_id          INTEGER NOT NULL REFERENCES users(id),
  device_id        TEXT NOT NULL,
  seq              INTEGER NOT NULL,
  method           TEXT NOT NULL CHECK (method IN ('self', 'family', 'worker')),
  verdict          TEXT NOT NULL CHECK (verdict IN ('passed', 'failed', 'abandoned', 'timed_out')),
  outcome          TEXT NOT NULL CHECK (outcome IN ('verifying', 'certified', 'already_certified', 'not_passed', 'review')),
  review_reason    TEXT,
  -- For `verifying`: the period the check counts for and the local day it reached the server, so a
  -- check made on the deadline counts on time however long the match takes.
  period_id        INTEGER REFERENCES certification_periods(id),
  certified_on     TEXT,
  challenge_id     TEXT,
  token_issued_at  INTEGER,
  -- The phone's clock: recorded, never used for any rule.
  device_time      INTEGER NOT NULL,
  received_at      INTEGER NOT NULL,
  -- The LivenessResult as JSON (numbers and ids only; no images).
  result           TEXT NOT NULL,
  blob_bytes       INTEGER NOT NULL DEFAULT 0,
  -- A worker's in-person enrolment (the ID card checked, signed with the worker's password as an
  -- attestation is, decision 041): whether the signature verified. NULL for every other check.
  enrolment        TEXT CHECK (enrolment IN ('verified', 'invalid')),
  -- The face match: its decision, the closest distance between a key frame and a reference face,
  -- the reference it was closest to, and when it ran.
  match_decision   TEXT CHECK (match_decision IN ('match', 'uncertain', 'mismatch', 'no_reference', 'no_face')),
  match_distance   REAL,
  match_reference  INTEGER,
  matched_at       INTEGER,
  -- The office's decision on an attempt that went to review (outcome 'review'); NULL while pending.
  decision         TEXT CHECK (decision IN ('approved', 'rejected')),
  decided_by       INTEGER REFERENCES users(id),
  decided_at       INTEGER,
  decision_reason  TEXT
);
INSERT INTO attempts_new (id, retiree_id, user_id, device_id, seq, method, verdict, outcome, review_reason, period_id, certified_on,
                          challenge_id, token_issued_at, device_time, received_at, result, blob_bytes)
  SELECT id, retiree_id, user_id, device_id, seq, method, verdict, outcome, review_reason, period_id, certified_on,
         challenge_id, token_issued_at, device_time, received_at, result, blob_bytes
    FROM attempts ORDER BY rowid;
DROP TABLE attempts;
ALTER TABLE attempts_new RENAME TO attempts;
CREATE INDEX attempts_by_retiree ON attempts (retiree_id, received_at);
CREATE INDEX attempts_for_review ON attempts (outcome, received_at) WHERE outcome = 'review';

CREATE TRIGGER attempts_claim_token AFTER INSERT ON attempts WHEN NEW.challenge_id IS NOT NULL BEGIN
  INSERT OR IGNORE INTO challenge_uses (challenge_id, attempt_id, used_at) VALUES (NEW.challenge_id, NEW.id, NEW.received_at);
END;
CREATE TRIGGER attempts_certify AFTER INSERT ON attempts WHEN NEW.outcome = 'certified' BEGIN
  INSERT INTO certifications (retiree_id, period_id, status, method, certified_on, certified_at, evidence_ref, recorded_by, created_at)
  VALUES (NEW.retiree_id, NEW.period_id, 'approved', NEW.method, NEW.certified_on, NEW.received_at, NEW.id, NEW.user_id, NEW.received_at);
END;
CREATE TRIGGER attempts_sequence AFTER INSERT ON attempts BEGIN
  INSERT INTO sync_clients (device_id, user_id, last_seq, gaps, updated_at) VALUES (NEW.device_id, NEW.user_id, NEW.seq, 0, NEW.received_at)
  ON CONFLICT (device_id, user_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at;
END;

-- The match queue: one row per attempt waiting for its face match, written by the same INSERT that
-- stores the attempt (so an acknowledged attempt always has its job), deleted by the transaction
-- that records the decision (so a job is decided exactly once). A worker leases a job; a lease that
-- runs out (a crash mid-match) makes the job free again.
CREATE TABLE match_jobs (
  attempt_id    TEXT PRIMARY KEY,
  created_at    INTEGER NOT NULL,
  -- Not before this time (a retry after an error waits a little).
  not_before    INTEGER NOT NULL DEFAULT 0,
  leased_until  INTEGER,
  tries         INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT
) WITHOUT ROWID;

-- The retiree's status becomes `verifying` on every phone that shows it: a change for the pulls too.
CREATE TRIGGER attempts_match_job AFTER INSERT ON attempts WHEN NEW.outcome = 'verifying' BEGIN
  INSERT INTO match_jobs (attempt_id, created_at) VALUES (NEW.id, NEW.received_at);
  INSERT INTO sync_changes (retiree_id) VALUES (NEW.retiree_id);
END;

-- A retiree's reference faces. Biometric data: kept only here, shown only to the office, deleted
-- with the retiree's record.
--   office_photo: the photo the office holds (ID card, social-security card record), imported;
--   enrolment:    the key frame of a worker's in-person enrolment (ID card checked, signed);
--                 `pending` until the office confirms it, as an attestation is;
--   first_check:  a key frame of a first check made before any reference existed; `pending` until
--                 the office has compared it with what it holds (or a worker has visited);
--   certified_check: the best key frame of a certified check whose match was strong, so a face
--                 that changes slowly over the years keeps matching (the newest few are kept).
CREATE TABLE reference_faces (
  id              INTEGER PRIMARY KEY,
  retiree_id      INTEGER NOT NULL REFERENCES retirees(id) ON DELETE CASCADE,
  source          TEXT NOT NULL CHECK (source IN ('office_photo', 'enrolment', 'first_check', 'certified_check')),
  status          TEXT NOT NULL CHECK (status IN ('active', 'pending', 'removed')),
  -- 128 little-endian float32: the face descriptor of the photo's largest face.
  descriptor      BLOB NOT NULL CHECK (length(descriptor) = 512),
  photo           BLOB NOT NULL,
  photo_type      TEXT NOT NULL,
  sha256          TEXT NOT NULL,
  width           INTEGER NOT NULL,
  height          INTEGER NOT NULL,
  -- The attempt whose key frame it is (first_check, certified_check).
  attempt_id      TEXT,
  -- Who added it (the office clerk, or the user whose check it came from) and when.
  added_by        INTEGER REFERENCES users(id),
  created_at      INTEGER NOT NULL,
  -- The day the photo was taken, when known (an imported photo may be years old).
  taken_on        TEXT,
  decided_by      INTEGER REFERENCES users(id),
  decided_at      INTEGER,
  removed_reason  TEXT,
  UNIQUE (retiree_id, sha256)
);
CREATE INDEX reference_faces_by_retiree ON reference_faces (retiree_id, status);
