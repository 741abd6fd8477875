-- PostgreSQL counterpart of 017-visit-requests.sql (home-visit requests): the same table and
-- indexes; the triggers as functions (decision 081).
CREATE TABLE visit_requests (
  id            TEXT PRIMARY KEY,
  user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id     TEXT NOT NULL,
  seq           BIGINT NOT NULL,
  retiree_id    BIGINT NOT NULL REFERENCES retirees(id),
  action        TEXT NOT NULL CHECK (action IN ('request', 'withdraw')),
  state         TEXT NOT NULL CHECK (state IN ('open', 'closed', 'answered')),
  answer        TEXT NOT NULL,
  device_time   BIGINT NOT NULL,
  received_at   BIGINT NOT NULL,
  closed_at     BIGINT,
  closed_by     TEXT CHECK (closed_by IN ('visit', 'check', 'withdrawn')),
  closed_ref    TEXT,
  CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
CREATE UNIQUE INDEX visit_requests_open ON visit_requests (retiree_id) WHERE state = 'open';
CREATE INDEX visit_requests_by_retiree ON visit_requests (retiree_id, received_at);

CREATE TRIGGER visit_requests_sequence AFTER INSERT ON visit_requests FOR EACH ROW EXECUTE FUNCTION device_sequence();
CREATE TRIGGER sync_visit_requests_ins AFTER INSERT ON visit_requests FOR EACH ROW WHEN (NEW.state = 'open') EXECUTE FUNCTION sync_change_retiree();
CREATE TRIGGER sync_visit_requests_close AFTER UPDATE OF state ON visit_requests FOR EACH ROW WHEN (NEW.state = 'closed') EXECUTE FUNCTION sync_change_retiree();
