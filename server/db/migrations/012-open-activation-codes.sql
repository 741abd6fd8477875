-- Year set-up (issue 16, decision 058): the letters screen counts, for a whole community, who still
-- holds an unused code that a new letter would replace; only unused codes are ever looked up there.
CREATE INDEX activation_codes_open ON activation_codes (retiree_id, expires_at) WHERE used_at IS NULL;
