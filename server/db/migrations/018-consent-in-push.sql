-- Consent travels in the push (issue 21, decision 085): a choice the phone put in its one outbox
-- arrives with the device's id and its place in the device's sequence, and moves that sequence
-- like every other pushed item (the trigger), so the phone's later items are not counted as gaps.
-- Rows written by the older POST /api/consents (installed apps until they update) have neither.
ALTER TABLE consents ADD COLUMN device_id TEXT;
ALTER TABLE consents ADD COLUMN seq INTEGER;

CREATE TRIGGER consents_sequence AFTER INSERT ON consents WHEN NEW.device_id IS NOT NULL BEGIN
  INSERT INTO sync_clients (device_id, user_id, last_seq, gaps, updated_at) VALUES (NEW.device_id, NEW.user_id, NEW.seq, 0, NEW.received_at)
  ON CONFLICT (device_id, user_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at;
END;
