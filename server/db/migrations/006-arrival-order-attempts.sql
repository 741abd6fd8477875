-- migrate: foreign keys off
-- Attempts and their blobs become rowid tables: rows are appended in the order they reach the
-- server, and only a small unique index takes the phones' ids (decision 048).
--
-- Phones make their UUIDv7 ids offline, days before a push, so the ids reach the server in no
-- particular order. Keyed by those ids (WITHOUT ROWID), every stored attempt landed in a different
-- leaf page of a b-tree whose rows are hundreds of bytes (and whose blob rows are kilobytes): a
-- group commit of 30 attempts rewrote some 30 scattered pages and split many of them. Appended by
-- rowid, the same rows fill a few fresh pages at the end of the table.
--
-- The rebuild follows SQLite's "12 steps": foreign keys are off (DROP TABLE attempts would
-- otherwise cascade to attempt_blobs), and migrate.ts runs foreign_key_check before it commits.

CREATE TABLE attempts_new (
  id               TEXT NOT NULL UNIQUE,
  retiree_id       INTEGER NOT NULL REFERENCES retirees(id),
  user_id          INTEGER NOT NULL REFERENCES users(id),
  device_id        TEXT NOT NULL,
  seq              INTEGER NOT NULL,
  method           TEXT NOT NULL CHECK (method IN ('self', 'family', 'worker')),
  verdict          TEXT NOT NULL CHECK (verdict IN ('passed', 'failed', 'abandoned', 'timed_out')),
  outcome          TEXT NOT NULL CHECK (outcome IN ('certified', 'already_certified', 'not_passed', 'review')),
  review_reason    TEXT,
  period_id        INTEGER REFERENCES certification_periods(id),
  certified_on     TEXT,
  challenge_id     TEXT,
  token_issued_at  INTEGER,
  -- The phone's clock: recorded, never used for any rule.
  device_time      INTEGER NOT NULL,
  received_at      INTEGER NOT NULL,
  -- The LivenessResult as JSON (numbers and ids only; no images).
  result           TEXT NOT NULL,
  blob_bytes       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO attempts_new (id, retiree_id, user_id, device_id, seq, method, verdict, outcome, review_reason, period_id, certified_on,
                          challenge_id, token_issued_at, device_time, received_at, result, blob_bytes)
  SELECT id, retiree_id, user_id, device_id, seq, method, verdict, outcome, review_reason, period_id, certified_on,
         challenge_id, token_issued_at, device_time, received_at, result, blob_bytes
    FROM attempts ORDER BY received_at, id;
-- Takes the old table's indexes and triggers with it; they are made again below, unchanged.
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

-- Key frames and audio (decision 010): kilobytes per row, so a b-tree keyed by the attempt's id
-- wasted about a fifth of every page it split (26 KB of file per attempt with two 10 KB frames).
CREATE TABLE attempt_blobs_new (
  attempt_id   TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
  idx          INTEGER NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('frame', 'audio')),
  type         TEXT NOT NULL,
  sha256       TEXT NOT NULL,
  bytes        INTEGER NOT NULL,
  width        INTEGER,
  height       INTEGER,
  duration_ms  INTEGER,
  data         BLOB NOT NULL,
  UNIQUE (attempt_id, idx)
);
INSERT INTO attempt_blobs_new (attempt_id, idx, kind, type, sha256, bytes, width, height, duration_ms, data)
  SELECT b.attempt_id, b.idx, b.kind, b.type, b.sha256, b.bytes, b.width, b.height, b.duration_ms, b.data
    FROM attempt_blobs b LEFT JOIN attempts a ON a.id = b.attempt_id ORDER BY a.rowid, b.idx;
DROP TABLE attempt_blobs;
ALTER TABLE attempt_blobs_new RENAME TO attempt_blobs;
