-- The office's retiree page (issue 16, decision 057) shows the phone last seen with a retiree's
-- account. `devices` is keyed (id, user_id) for the sign-in's "is this phone known?", so "this
-- account's newest phone" walked the whole table; an index by user makes it one seek.
CREATE INDEX IF NOT EXISTS devices_by_user ON devices (user_id, last_seen_at);
