-- The office's retiree list, its counts and its exports (issue 16, decision 056): a page of a
-- county's 200,000 retirees, filtered by state and sorted, in a fraction of a second.
--
-- A state is decided from facts about the current period (server/store/retiree-facts.ts): each is
-- a set of retiree ids SQLite builds once per statement from one of the covering indexes below and
-- probes per retiree, while the retirees themselves are read from a covering index rather than the
-- table (a retiree's row, with address and notes, is several times wider).

-- Everything the list filters and sorts on (the ID number too: age band, last digits) without a
-- look-up in the table, in name order and community by community (the exports' pages, and the community column's order). The community
-- index begins with community_id, so it serves everything retirees_by_community did.
DROP INDEX retirees_by_community;
CREATE INDEX retirees_list_by_community ON retirees (community_id, name, id, enrolment, enrolled_on, pension_category, id_number);
CREATE INDEX retirees_list_by_name ON retirees (name, id, community_id, enrolment, enrolled_on, pension_category, id_number);

-- The facts' sets: approved certifications of a period by method (and the day, for "resumed after
-- a late certification"), pending reviews of a period, checks waiting for their face match.
CREATE INDEX certifications_approved ON certifications (period_id, method, retiree_id, certified_on) WHERE status = 'approved';
CREATE INDEX certifications_pending ON certifications (period_id, retiree_id) WHERE status = 'pending_review';
CREATE INDEX attempts_verifying ON attempts (certified_on, retiree_id) WHERE outcome = 'verifying';
-- A retiree's approved certifications: the current period's with its method and day (an export's
-- rows join it), and the newest of any period ("last certified"), without a look-up in the table.
CREATE INDEX certifications_approved_by_retiree ON certifications (retiree_id, period_id, method, certified_on) WHERE status = 'approved';
-- "Never signed in": the retirees whose account has a PIN (decision 056).
CREATE INDEX users_with_pin ON users (retiree_id) WHERE retiree_id IS NOT NULL AND password_hash IS NOT NULL;
