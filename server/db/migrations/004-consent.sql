-- Consent to the face check (issue 5): before the first check a retiree (or the family member
-- helping them) sees a plain-language notice and chooses between the face check and the non-face
-- route (on-site point or a home visit). The choice is made on the phone first (it works offline)
-- and sent when there is signal; the id is the phone's UUIDv7, so a resend never becomes a second
-- row. Rows are never updated: a changed mind is a new row, and the latest one counts.
CREATE TABLE consents (
  id              TEXT PRIMARY KEY,
  retiree_id      INTEGER NOT NULL REFERENCES retirees(id),
  -- Who recorded it: the retiree themselves, or the family member / worker holding the phone.
  user_id         INTEGER NOT NULL REFERENCES users(id),
  choice          TEXT NOT NULL CHECK (choice IN ('face', 'alternative')),
  -- Which text of the notice was shown (web/i18n/retiree.ts consent.*); bump when it changes.
  notice_version  INTEGER NOT NULL,
  -- Device clock when chosen (for the office's reading only) and server clock when received.
  decided_at      INTEGER NOT NULL,
  received_at     INTEGER NOT NULL
);
CREATE INDEX consents_by_retiree ON consents (retiree_id, received_at);
