-- Link decisions sent through the push (issue 19, decision 071): a retiree approving or declining a
-- family member's request on their phone, or ending a link, and a community worker approving at the
-- door, offline. Like attempts and visit outcomes, the id is the phone's UUIDv7 and the device's
-- sequence moves in the same statement, so a retry is answered from here and never applied twice.
CREATE TABLE link_decisions (
  id              TEXT PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id       TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  retiree_id      INTEGER NOT NULL,
  action          TEXT NOT NULL CHECK (action IN ('approve', 'decline', 'end')),
  request_id      INTEGER,
  family_user_id  INTEGER,
  -- The LinkResult answered (shared/sync.ts), JSON.
  answer          TEXT NOT NULL,
  device_time     INTEGER NOT NULL,
  received_at     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER link_decisions_sequence AFTER INSERT ON link_decisions BEGIN
  INSERT INTO sync_clients (device_id, user_id, last_seq, gaps, updated_at) VALUES (NEW.device_id, NEW.user_id, NEW.seq, 0, NEW.received_at)
  ON CONFLICT (device_id, user_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at;
END;
