-- Home-visit requests (issue 17, decision 078): after a failed check the retiree (or a linked family
-- member) asks the community worker to come. Every item the push carried is a row here, like
-- link_decisions (016): the id is the phone's UUIDv7 and the device's sequence moves in the same
-- statement, so a retry is answered from its row and never stored twice. A row that opened a
-- request is 'open' until a worker records a visit outcome or a check for the retiree, or the
-- request is withdrawn ('closed'); other rows (a withdrawal, a request while one was open) are
-- 'answered'. At most one open request per retiree (the partial unique index).
CREATE TABLE visit_requests (
  id            TEXT PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id     TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  retiree_id    INTEGER NOT NULL REFERENCES retirees(id),
  action        TEXT NOT NULL CHECK (action IN ('request', 'withdraw')),
  state         TEXT NOT NULL CHECK (state IN ('open', 'closed', 'answered')),
  -- The VisitRequestResult answered (shared/sync.ts), JSON.
  answer        TEXT NOT NULL,
  device_time   INTEGER NOT NULL,
  received_at   INTEGER NOT NULL,
  -- Closed: when, and why ('visit' outcome, a worker's 'check', 'withdrawn'), with the record that closed it.
  closed_at     INTEGER,
  closed_by     TEXT CHECK (closed_by IN ('visit', 'check', 'withdrawn')),
  closed_ref    TEXT,
  CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
CREATE UNIQUE INDEX visit_requests_open ON visit_requests (retiree_id) WHERE state = 'open';
CREATE INDEX visit_requests_by_retiree ON visit_requests (retiree_id, received_at);

CREATE TRIGGER visit_requests_sequence AFTER INSERT ON visit_requests BEGIN
  INSERT INTO sync_clients (device_id, user_id, last_seq, gaps, updated_at) VALUES (NEW.device_id, NEW.user_id, NEW.seq, 0, NEW.received_at)
  ON CONFLICT (device_id, user_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_at = excluded.updated_at;
END;
-- A request opening or closing changes the worker's roster (the pull's incremental changes).
CREATE TRIGGER sync_visit_requests_ins AFTER INSERT ON visit_requests WHEN NEW.state = 'open' BEGIN
  INSERT INTO sync_changes (retiree_id) VALUES (NEW.retiree_id);
END;
CREATE TRIGGER sync_visit_requests_close AFTER UPDATE OF state ON visit_requests WHEN NEW.state = 'closed' BEGIN
  INSERT INTO sync_changes (retiree_id) VALUES (NEW.retiree_id);
END;
