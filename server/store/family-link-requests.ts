// Family members' requests to help a retiree (table family_link_requests, migration 015) and what
// approving, declining, withdrawing one does (issue 19, decision 070). A request becomes a row of
// family_links only through decideLinkRequest; everyone's access is still the one rule of
// retiree-access.ts familyLinked.
import { nameKey, type Helper, type IncomingLinkRequest, type MyLinkRequest, type NewLinkRequest, type Relation } from '../../shared/schemas/family.ts';
import type { Db } from '../db/sqlite.ts';
import { audit } from './audit.ts';

/** A request nobody decided within this long reads as expired and can no longer be approved. */
export const REQUEST_LIFETIME_MS = 30 * 24 * 60 * 60_000;
/** Limits per family account (decision 070): requests open at once, and new ones a day. */
export const REQUEST_LIMITS = { open: 5, perDay: 10 } as const;

export type DecidedVia = 'retiree' | 'worker' | 'office';

interface RequestRow {
  id: number;
  user_id: number;
  id_number: string;
  retiree_name: string;
  relation: Relation;
  retiree_id: number | null;
  state: 'pending' | 'approved' | 'declined' | 'withdrawn';
  created_at: number;
  decided_at: number | null;
}

const live = (at: number) => at - REQUEST_LIFETIME_MS;

/** The account's requests made since `since`, and those still open (pending, not expired) now. */
export async function requestCounts(db: Db, userId: number, since: number, now: number): Promise<{ recent: number; open: number }> {
  const row = await db.get<{ recent: number; open: number }>(
    `SELECT count(*) FILTER (WHERE created_at >= ?) AS recent,
            count(*) FILTER (WHERE state = 'pending' AND created_at > ?) AS open
       FROM family_link_requests WHERE user_id = ?`,
    [since, live(now), userId],
  );
  return { recent: row?.recent ?? 0, open: row?.open ?? 0 };
}

/**
 * Stores a request as typed. It names a retiree only when the ID number and the name both match
 * one; either way the family member gets the same answer (decision 070). Asking again for the same
 * person while a request is open returns that request.
 */
export async function createLinkRequest(db: Db, userId: number, input: NewLinkRequest, at: number): Promise<{ id: number; repeated: boolean }> {
  return db.transaction(async () => {
    const open = await db.all<{ id: number; retiree_name: string }>(
      `SELECT id, retiree_name FROM family_link_requests WHERE user_id = ? AND id_number = ? AND state = 'pending' AND created_at > ?`,
      [userId, input.idNumber, live(at)],
    );
    const same = open.find((r) => nameKey(r.retiree_name) === nameKey(input.name));
    if (same) return { id: same.id, repeated: true };
    const retiree = await db.get<{ id: number; name: string }>('SELECT id, name FROM retirees WHERE id_number = ?', [input.idNumber]);
    const retireeId = retiree && nameKey(retiree.name) === nameKey(input.name) ? retiree.id : null;
    const { lastId } = await db.run(
      `INSERT INTO family_link_requests (user_id, id_number, retiree_name, relation, retiree_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ${db.dialect.returningId}`,
      [userId, input.idNumber, input.name, input.relation, retireeId, at],
    );
    // The entry names the retiree only when the request does: a miss says nothing about who exists.
    await audit(db, at, {
      event: 'family_link_requested',
      userId,
      subject: retireeId ? `retiree:${retireeId}` : null,
      details: { request: lastId, relation: input.relation, matched: retireeId !== null },
      about: retireeId ? { retireeId, userId } : { userId },
    });
    return { id: lastId, repeated: false };
  });
}

/** The family member's own requests, newest first: what they typed and where each stands. */
export async function myLinkRequests(db: Db, userId: number, now: number): Promise<MyLinkRequest[]> {
  const rows = await db.all<RequestRow & { linked: number }>(
    `SELECT q.*, EXISTS (SELECT 1 FROM family_links f WHERE f.user_id = q.user_id AND f.retiree_id = q.retiree_id) AS linked
       FROM family_link_requests q WHERE q.user_id = ? ORDER BY q.created_at DESC, q.id DESC LIMIT 50`,
    [userId],
  );
  return rows.map((r) => {
    const state: MyLinkRequest['state'] =
      r.state === 'approved' ? (r.linked ? 'approved' : 'ended') : r.state === 'pending' && r.created_at <= live(now) ? 'expired' : r.state;
    return {
      id: r.id,
      name: r.retiree_name,
      relation: r.relation,
      state,
      requestedAt: r.created_at,
      decidedAt: r.decided_at,
      retireeId: state === 'approved' || state === 'ended' ? r.retiree_id : null,
    };
  });
}

const INCOMING = `SELECT q.id, q.retiree_id AS "retireeId", q.user_id AS "familyUserId", u.display_name AS "familyName", u.phone AS "familyPhone",
    q.relation, q.created_at AS "requestedAt"
  FROM family_link_requests q JOIN users u ON u.id = q.user_id`;
const OPEN = `q.state = 'pending' AND q.retiree_id IS NOT NULL AND q.created_at > ? AND u.disabled = 0`;

/** Requests waiting for this retiree, oldest first (the retiree sees no phone numbers). */
export async function incomingForRetiree(db: Db, retireeId: number, now: number): Promise<IncomingLinkRequest[]> {
  const rows = await db.all<IncomingLinkRequest>(`${INCOMING} WHERE q.retiree_id = ? AND ${OPEN} ORDER BY q.created_at, q.id LIMIT 20`, [retireeId, live(now)]);
  return rows.map(({ familyPhone: _, ...r }) => r);
}

/** Requests waiting for retirees of the worker's communities (on the rolls or not), oldest first. */
export async function incomingForWorker(db: Db, workerId: number, now: number): Promise<IncomingLinkRequest[]> {
  return db.all<IncomingLinkRequest>(
    `${INCOMING} JOIN retirees r ON r.id = q.retiree_id JOIN worker_assignments w ON w.community_id = r.community_id AND w.user_id = ?
      WHERE ${OPEN} ORDER BY q.created_at, q.id LIMIT 500`,
    [workerId, live(now)],
  );
}

/** Requests waiting for retirees of the office's region (every region without one), oldest first. */
export async function incomingForRegion(db: Db, regionId: number | null, now: number): Promise<(IncomingLinkRequest & { retireeName: string; idNumber: string; communityName: string })[]> {
  return db.all(
    `SELECT q.id, q.retiree_id AS "retireeId", q.user_id AS "familyUserId", u.display_name AS "familyName", u.phone AS "familyPhone",
            q.relation, q.created_at AS "requestedAt", r.name AS "retireeName", r.id_number AS "idNumber", c.name AS "communityName"
       FROM family_link_requests q JOIN users u ON u.id = q.user_id JOIN retirees r ON r.id = q.retiree_id JOIN communities c ON c.id = r.community_id
      WHERE ${OPEN} AND (? IS NULL OR c.region_id = ?) ORDER BY q.created_at, q.id LIMIT 200`,
    [live(now), regionId, regionId],
  );
}

/** Who may help the retiree now, longest first. */
export async function helpersOf(db: Db, retireeId: number): Promise<Helper[]> {
  return db.all<Helper>(
    `SELECT f.user_id AS "familyUserId", u.display_name AS name, f.relation, f.created_at AS since
       FROM family_links f JOIN users u ON u.id = f.user_id WHERE f.retiree_id = ? ORDER BY f.created_at, f.user_id`,
    [retireeId],
  );
}

/** The retiree a pending request names, or undefined (any other request, or none). */
export async function pendingRequestRetiree(db: Db, requestId: number, now: number): Promise<number | undefined> {
  const row = await db.get<{ retiree_id: number }>(
    `SELECT retiree_id FROM family_link_requests WHERE id = ? AND state = 'pending' AND retiree_id IS NOT NULL AND created_at > ?`,
    [requestId, live(now)],
  );
  return row?.retiree_id;
}

export type DecisionResult = 'approved' | 'declined' | 'stale';

/**
 * Approves or declines a pending request for `retireeId`, in one transaction (the caller's, when it
 * has one: the push's group commit): approving checks the typed name against the retiree's name as
 * it is now and adds the link; both are audited. 'stale': nothing to decide (decided before,
 * withdrawn, expired, another retiree's, the name no longer matches, the family account disabled).
 */
export async function decideLinkRequest(
  db: Db,
  d: { requestId: number; retireeId: number; decision: 'approve' | 'decline'; by: number; via: DecidedVia; ip?: string | null; at: number },
): Promise<DecisionResult> {
  return db.transaction(async () => {
    const q = await db.get<RequestRow & { name: string; disabled: number }>(
      `SELECT q.*, r.name, u.disabled FROM family_link_requests q JOIN retirees r ON r.id = q.retiree_id JOIN users u ON u.id = q.user_id
        WHERE q.id = ? AND q.retiree_id = ? AND q.state = 'pending' AND q.created_at > ?`,
      [d.requestId, d.retireeId, live(d.at)],
    );
    if (!q || q.disabled) return 'stale';
    if (d.decision === 'approve' && nameKey(q.name) !== nameKey(q.retiree_name)) return 'stale';
    const state = d.decision === 'approve' ? 'approved' : 'declined';
    await db.run('UPDATE family_link_requests SET state = ?, decided_at = ?, decided_by = ?, decided_via = ? WHERE id = ?', [state, d.at, d.by, d.via, q.id]);
    if (state === 'approved') {
      await db.run('INSERT INTO family_links (user_id, retiree_id, relation, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [q.user_id, d.retireeId, q.relation, d.at]);
    }
    await audit(db, d.at, {
      event: state === 'approved' ? 'family_linked' : 'family_link_declined',
      userId: d.by,
      subject: `retiree:${d.retireeId}`,
      ip: d.ip ?? null,
      details: { request: q.id, via: d.via, relation: q.relation, family: q.user_id },
      about: { retireeId: d.retireeId, userId: q.user_id },
    });
    return state;
  });
}

/** The family member takes back their own pending request; false when it was not pending. */
export async function withdrawLinkRequest(db: Db, userId: number, requestId: number, at: number, ip: string | null): Promise<boolean> {
  return db.transaction(async () => {
    const { changes } = await db.run(
      `UPDATE family_link_requests SET state = 'withdrawn', decided_at = ?, decided_by = ?, decided_via = 'family' WHERE id = ? AND user_id = ? AND state = 'pending'`,
      [at, userId, requestId, userId],
    );
    if (changes) await audit(db, at, { event: 'family_link_withdrawn', userId, ip, details: { request: requestId }, about: { userId } });
    return changes === 1;
  });
}

/**
 * Ends a link (by the retiree, the family member or the office), audited in the same transaction;
 * false when there was none. Access ends with the row (retiree-access.ts familyLinked), and the
 * trigger on family_links makes the family member's next pull a full one without the retiree.
 */
export async function endFamilyLink(
  db: Db,
  e: { familyUserId: number; retireeId: number; by: number; byRole: 'retiree' | 'family' | 'admin'; ip?: string | null; at: number },
): Promise<boolean> {
  return db.transaction(async () => {
    const link = await db.get<{ relation: string; created_at: number }>('SELECT relation, created_at FROM family_links WHERE user_id = ? AND retiree_id = ?', [e.familyUserId, e.retireeId]);
    if (!link) return false;
    await db.run('DELETE FROM family_links WHERE user_id = ? AND retiree_id = ?', [e.familyUserId, e.retireeId]);
    await audit(db, e.at, {
      event: 'family_link_ended',
      userId: e.by,
      subject: `retiree:${e.retireeId}`,
      ip: e.ip ?? null,
      details: { by: e.byRole, family: e.familyUserId, relation: link.relation, since: link.created_at },
      about: { retireeId: e.retireeId, userId: e.familyUserId },
    });
    return true;
  });
}
