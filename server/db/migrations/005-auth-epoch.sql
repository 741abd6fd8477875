-- A counter that moves whenever a session ends or a signed-in user's standing changes, from any
-- process (the admin CLI writes to the same file). The server keeps validated sessions in memory
-- and trusts them only while this counter is unchanged (server/auth/auth_session.ts,
-- docs/decisions/046-session-cache.md). Refreshing a session's activity does not move it.
INSERT OR IGNORE INTO settings (key, value) VALUES ('auth_epoch', '0');

CREATE TRIGGER auth_epoch_session_ended AFTER DELETE ON sessions
BEGIN
  UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'auth_epoch';
END;

CREATE TRIGGER auth_epoch_user_changed AFTER UPDATE OF role, disabled, display_name, retiree_id, region_id ON users
BEGIN
  UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'auth_epoch';
END;
