-- Sessions ended by someone other than the person holding them: the office's re-activation reset
-- the retiree's PIN (decision 051). The phone that still holds the cookie is told why the next time
-- it asks, instead of just being signed out. Only the secret's hash is kept, as in `sessions`, so
-- only that phone is told; a row is kept until the session would have expired anyway.
CREATE TABLE ended_sessions (
  id           TEXT PRIMARY KEY,
  secret_hash  BLOB NOT NULL,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  reason       TEXT NOT NULL CHECK (reason IN ('pin_reset')),
  ended_at     INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX ended_sessions_by_expiry ON ended_sessions (expires_at);
