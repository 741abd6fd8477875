// The office's one review queue (issue 16): home-visit reports waiting for a decision (attestations,
// deaths, moves: store/visits.ts) and checks the server did not certify on its own
// (store/attempt-reviews.ts), oldest first, in one query. Scoped to the office's region in the SQL;
// the decisions themselves stay with the two stores that own them.
import type { OfficeQueue, QueueQuery, QueueReason, StoredQueueItem } from '../../shared/schemas/office.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import type { Db } from '../db/sqlite.ts';

interface Row {
  type: 'report' | 'attempt';
  id: string;
  reason: QueueReason;
  received_at: number;
  retiree_id: number;
  retiree_name: string;
  id_number: string;
  community_id: number;
  community_name: string;
  by_id: number;
  by_name: string;
  by_role: string;
}

// ?1 is the office's region (NULL: an office over every region). The partial indexes
// visit_outcomes_for_review and attempts_for_review serve the two halves.
const WAITING = `
  SELECT 'report' AS type, o.id, o.kind AS reason, o.received_at, o.retiree_id, r.name AS retiree_name, r.id_number,
         c.id AS community_id, c.name AS community_name, u.id AS by_id, u.display_name AS by_name, u.role AS by_role
    FROM visit_outcomes o JOIN retirees r ON r.id = o.retiree_id JOIN communities c ON c.id = r.community_id JOIN users u ON u.id = o.user_id
   WHERE o.review = 'pending' AND (?1 IS NULL OR c.region_id = ?1)
  UNION ALL
  SELECT 'attempt', a.id, a.review_reason, a.received_at, a.retiree_id, r.name, r.id_number,
         c.id, c.name, u.id, u.display_name, u.role
    FROM attempts a JOIN retirees r ON r.id = a.retiree_id JOIN communities c ON c.id = r.community_id JOIN users u ON u.id = a.user_id
   WHERE a.outcome = 'review' AND a.decision IS NULL AND a.review_reason IS NOT NULL AND (?1 IS NULL OR c.region_id = ?1)`;

const toItem = (r: Row): StoredQueueItem => ({
  type: r.type,
  id: r.id,
  reason: r.reason,
  retiree: { id: r.retiree_id, name: r.retiree_name, idNumber: r.id_number, communityId: r.community_id, communityName: r.community_name },
  by: { id: r.by_id, name: r.by_name, role: r.by_role },
  receivedAt: r.received_at,
  cursor: `${r.received_at}:${r.id}`,
});

/** A page of the queue, oldest first, with what waits by reason and by community. */
export async function officeQueue(db: Db, admin: Pick<SessionUser, 'regionId'>, query: QueueQuery): Promise<Omit<OfficeQueue, 'thresholds' | 'items'> & { items: StoredQueueItem[] }> {
  const [afterAt, afterId] = query.after ? [Number(query.after.slice(0, query.after.indexOf(':'))), query.after.slice(query.after.indexOf(':') + 1)] : [null, null];
  const rows = await db.all<Row>(
    `SELECT * FROM (${WAITING}) AS w
      WHERE (?2 IS NULL OR reason = ?2) AND (?3 IS NULL OR community_id = ?3)
        AND (?4 IS NULL OR received_at > ?4 OR (received_at = ?4 AND id > ?5))
      ORDER BY received_at, id LIMIT ?6`,
    [admin.regionId, query.reason ?? null, query.community ?? null, afterAt, afterId, query.limit + 1],
  );
  const [reasons, communities] = await Promise.all([
    db.all<{ reason: QueueReason; n: number }>(`SELECT reason, count(*) AS n FROM (${WAITING}) AS w GROUP BY reason`, [admin.regionId]),
    waitingByCommunity(db, admin.regionId),
  ]);
  return {
    items: rows.slice(0, query.limit).map(toItem),
    more: rows.length > query.limit,
    byReason: Object.fromEntries(reasons.map((r) => [r.reason, r.n])),
    byCommunity: communities,
  };
}

/** How many items wait for the office per community of a region (NULL: every region); communities with none are left out. */
export async function waitingByCommunity(db: Db, regionId: number | null): Promise<{ id: number; name: string; waiting: number }[]> {
  return db.all<{ id: number; name: string; waiting: number }>(
    `SELECT community_id AS id, community_name AS name, count(*) AS waiting FROM (${WAITING}) AS w GROUP BY community_id, community_name ORDER BY community_name`,
    [regionId],
  );
}
