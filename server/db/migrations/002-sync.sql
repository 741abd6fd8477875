-- Offline sync: attempts pushed by phones, their evidence blobs, single-use challenge tokens, the
-- per-device sequence, and a change log that makes pulls incremental. See docs/sync.md and
-- docs/decisions/010-019.

-- One row per (device, user): a worker's phone may be shared, and each person on it has their own
-- sequence. last_seq moves in the same transaction as the attempts it covers (Replicache-style).
CREATE TABLE sync_clients (
  device_id   TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  last_seq    INTEGER NOT NULL,
  -- Sequence numbers skipped by this phone: a sign that attempts were lost on the phone.
  gaps        INTEGER NOT NULL DEFAULT 0,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (device_id, user_id)
);

-- Every liveness attempt a phone sent, passed or not. The id is the phone's UUIDv7, so a retry of
-- the same attempt can never become a second row.
CREATE TABLE attempts (
  id               TEXT PRIMARY KEY,
  retiree_id       INTEGER NOT NULL REFERENCES retirees(id),
  user_id          INTEGER NOT NULL REFERENCES users(id),
  device_id        TEXT NOT NULL,
  seq              INTEGER NOT NULL,
  method           TEXT NOT NULL CHECK (method IN ('self', 'family', 'worker')),
  verdict          TEXT NOT NULL CHECK (verdict IN ('passed', 'failed', 'abandoned', 'timed_out')),
  -- certified | already_certified | not_passed | review
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
) WITHOUT ROWID;
CREATE INDEX attempts_by_retiree ON attempts (retiree_id, received_at);
CREATE INDEX attempts_for_review ON attempts (outcome, received_at) WHERE outcome = 'review';

-- Key frames and audio, stored in SQLite next to their attempt (decision 010).
CREATE TABLE attempt_blobs (
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
  PRIMARY KEY (attempt_id, idx)
) WITHOUT ROWID;

-- A challenge token is single-use: the first attempt that presents it claims it.
CREATE TABLE challenge_uses (
  challenge_id  TEXT PRIMARY KEY,
  attempt_id    TEXT NOT NULL,
  used_at       INTEGER NOT NULL
) WITHOUT ROWID;

-- Items the server refused to store, so that the same id again gets the same answer.
CREATE TABLE sync_rejections (
  id           TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL,
  device_id    TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  detail       TEXT,
  received_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- What an attempt implies, written by the database itself in the same statement: the challenge
-- token it claims, the certification it earns, and the device's last applied sequence (the ingest
-- code adds skipped sequence numbers to `gaps` itself, in the rare case there are any).
-- One INSERT per group commit then does all the writing (decision 012), and the rows cannot drift
-- apart. The ingest code decides outcome and claims; these triggers only record them.
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
CREATE TRIGGER rejections_sequence AFTER INSERT ON sync_rejections BEGIN
  INSERT INTO sync_clients (device_id, user_id, last_seq, gaps, updated_at) VALUES (NEW.device_id, NEW.user_id, NEW.seq, 0, NEW.received_at)
  ON CONFLICT (device_id, user_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at;
END;

-- Nothing is ever counted twice: at most one approved certification per retiree and period.
CREATE UNIQUE INDEX certifications_one_approved ON certifications (retiree_id, period_id) WHERE status = 'approved';

-- Change log for incremental pulls. A row names a retiree whose status may have changed, a user
-- whose roster changed (forces a full pull for them), or neither (everyone pulls in full).
CREATE TABLE sync_changes (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  retiree_id  INTEGER,
  user_id     INTEGER
);

CREATE TRIGGER sync_certifications_ins AFTER INSERT ON certifications BEGIN
  INSERT INTO sync_changes (retiree_id) VALUES (NEW.retiree_id);
END;
CREATE TRIGGER sync_certifications_upd AFTER UPDATE ON certifications BEGIN
  INSERT INTO sync_changes (retiree_id) VALUES (NEW.retiree_id);
END;
CREATE TRIGGER sync_certifications_del AFTER DELETE ON certifications BEGIN
  INSERT INTO sync_changes (retiree_id) VALUES (OLD.retiree_id);
END;
CREATE TRIGGER sync_retirees_ins AFTER INSERT ON retirees BEGIN
  INSERT INTO sync_changes (user_id) SELECT user_id FROM worker_assignments WHERE community_id = NEW.community_id;
END;
CREATE TRIGGER sync_retirees_upd AFTER UPDATE ON retirees BEGIN
  INSERT INTO sync_changes (retiree_id) VALUES (NEW.id);
  INSERT INTO sync_changes (user_id)
    SELECT user_id FROM worker_assignments WHERE OLD.community_id <> NEW.community_id AND community_id IN (OLD.community_id, NEW.community_id);
END;
CREATE TRIGGER sync_worker_assignments_ins AFTER INSERT ON worker_assignments BEGIN
  INSERT INTO sync_changes (user_id) VALUES (NEW.user_id);
END;
CREATE TRIGGER sync_worker_assignments_del AFTER DELETE ON worker_assignments BEGIN
  INSERT INTO sync_changes (user_id) VALUES (OLD.user_id);
END;
CREATE TRIGGER sync_family_links_ins AFTER INSERT ON family_links BEGIN
  INSERT INTO sync_changes (user_id) VALUES (NEW.user_id);
END;
CREATE TRIGGER sync_family_links_del AFTER DELETE ON family_links BEGIN
  INSERT INTO sync_changes (user_id) VALUES (OLD.user_id);
END;
CREATE TRIGGER sync_periods_ins AFTER INSERT ON certification_periods BEGIN
  INSERT INTO sync_changes (retiree_id, user_id) VALUES (NULL, NULL);
END;
CREATE TRIGGER sync_periods_upd AFTER UPDATE ON certification_periods BEGIN
  INSERT INTO sync_changes (retiree_id, user_id) VALUES (NULL, NULL);
END;
CREATE TRIGGER sync_periods_del AFTER DELETE ON certification_periods BEGIN
  INSERT INTO sync_changes (retiree_id, user_id) VALUES (NULL, NULL);
END;
CREATE TRIGGER sync_communities_upd AFTER UPDATE ON communities BEGIN
  INSERT INTO sync_changes (retiree_id, user_id) VALUES (NULL, NULL);
END;
CREATE TRIGGER sync_regions_upd AFTER UPDATE ON regions BEGIN
  INSERT INTO sync_changes (retiree_id, user_id) VALUES (NULL, NULL);
END;
