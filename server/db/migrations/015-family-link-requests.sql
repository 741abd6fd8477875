-- Family service (issue 19, decision 070): family members sign up themselves and ask to help a
-- retiree. A request is never a link: family_links (001) gets its row only when the retiree, a
-- community worker of the retiree's community or the office approves.
--
-- What the family member typed is kept as typed. retiree_id is set only when the ID number AND the
-- name matched a retiree at the time of the request: nobody is shown a request with a wrong name,
-- and the answer to the family member is the same either way. Approval checks the name again.
CREATE TABLE family_link_requests (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  id_number     TEXT NOT NULL,
  retiree_name  TEXT NOT NULL,
  relation      TEXT NOT NULL CHECK (relation IN ('son', 'daughter', 'spouse', 'grandchild', 'other')),
  retiree_id    INTEGER REFERENCES retirees(id),
  -- 'pending' older than the request lifetime (server/store/family-link-requests.ts) reads as expired.
  state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'declined', 'withdrawn')),
  created_at    INTEGER NOT NULL,
  decided_at    INTEGER,
  decided_by    INTEGER REFERENCES users(id),
  decided_via   TEXT CHECK (decided_via IN ('retiree', 'worker', 'office', 'family')),
  CHECK ((state = 'pending') = (decided_at IS NULL))
);
CREATE INDEX family_link_requests_by_user ON family_link_requests (user_id, created_at);
CREATE INDEX family_link_requests_pending ON family_link_requests (retiree_id, created_at) WHERE state = 'pending' AND retiree_id IS NOT NULL;

-- Self-service sign-ups by address, for the per-IP and overall limits (decision 070). Rows older
-- than a day are deleted as new ones come.
CREATE TABLE family_sign_ups (
  ip  TEXT NOT NULL,
  at  INTEGER NOT NULL
);
CREATE INDEX family_sign_ups_by_ip ON family_sign_ups (ip, at);
CREATE INDEX family_sign_ups_by_at ON family_sign_ups (at);
