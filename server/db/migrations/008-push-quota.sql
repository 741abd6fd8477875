-- The daily push quota (issue 15, decision 052): what one account, and one phone, stored today is
-- counted from these rows once per account and day when the server first sees them (afterwards it
-- keeps the count in memory). visit_outcomes already has (user_id, received_at); the attempts and the
-- stored rejections get the same index, so that count reads a few rows instead of the whole table.
-- A phone's count goes through sync_clients (its primary key starts with device_id) to the users
-- who pushed from it, then through these same indexes.
CREATE INDEX IF NOT EXISTS attempts_by_user ON attempts (user_id, received_at);
CREATE INDEX IF NOT EXISTS sync_rejections_by_user ON sync_rejections (user_id, received_at);
