// Home-visit requests (table visit_requests, migration 017, decision 078): a retiree (or a linked
// family member) asks the community worker to come after a failed check. Each push item is applied
// once, inside the push's group commit, and a retry is answered from its row. One open request per
// retiree: asking again while one is open stores nothing new and says since when it is open. A
// worker's visit outcome or check for the retiree closes it, as does the retiree withdrawing it.
import type { PushResult, RosterVisitRequest, VisitRequestAction, VisitRequestResult } from '../../shared/sync.ts';
import { inChunks } from '../db/in-chunks.ts';
import type { Db } from '../db/sqlite.ts';
import { audit } from './audit.ts';

/** What was answered before for these ids, with whose they are. */
export async function visitRequestAnswers(db: Db, ids: readonly string[]): Promise<Map<string, { userId: number; answer: PushResult }>> {
  const out = new Map<string, { userId: number; answer: PushResult }>();
  if (!ids.length) return out;
  const rows = await inChunks<{ id: string; user_id: number; seq: number; answer: string }>(db, ids, (m) => `SELECT id, user_id, seq, answer FROM visit_requests WHERE id IN (${m})`);
  for (const r of rows) out.set(r.id, { userId: r.user_id, answer: { id: r.id, seq: r.seq, status: 'accepted', outcome: JSON.parse(r.answer) as VisitRequestResult } });
  return out;
}

export interface VisitRequestInput {
  id: string;
  seq: number;
  retireeId: number;
  action: VisitRequestAction;
  deviceTime: number;
  userId: number;
  deviceId: string;
  receivedAt: number;
}

/** Applies one request or withdrawal in the caller's transaction, records it with its answer, audited. */
export async function applyVisitRequest(db: Db, r: VisitRequestInput): Promise<VisitRequestResult> {
  const open = await db.get<{ id: string; received_at: number }>("SELECT id, received_at FROM visit_requests WHERE retiree_id = ? AND state = 'open'", [r.retireeId]);
  let answer: VisitRequestResult;
  if (r.action === 'request') {
    answer = open ? { kind: 'visit_request_already_open', requestedAt: open.received_at } : { kind: 'visit_requested', requestedAt: r.receivedAt };
  } else {
    answer = open ? { kind: 'visit_request_withdrawn' } : { kind: 'visit_request_none_open' };
    if (open) await closeRequest(db, open.id, r.receivedAt, 'withdrawn', r.id);
  }
  await db.run(
    `INSERT INTO visit_requests (id, user_id, device_id, seq, retiree_id, action, state, answer, device_time, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [r.id, r.userId, r.deviceId, r.seq, r.retireeId, r.action, answer.kind === 'visit_requested' ? 'open' : 'answered', JSON.stringify(answer), r.deviceTime, r.receivedAt],
  );
  if (answer.kind === 'visit_requested' || answer.kind === 'visit_request_withdrawn') {
    await audit(db, r.receivedAt, {
      event: answer.kind === 'visit_requested' ? 'visit_requested' : 'visit_request_withdrawn',
      userId: r.userId,
      subject: `retiree:${r.retireeId}`,
      details: { request: answer.kind === 'visit_requested' ? r.id : open!.id },
      about: { retireeId: r.retireeId },
    });
  }
  return answer;
}

async function closeRequest(db: Db, id: string, at: number, by: 'visit' | 'check' | 'withdrawn', ref: string): Promise<void> {
  await db.run("UPDATE visit_requests SET state = 'closed', closed_at = ?, closed_by = ?, closed_ref = ? WHERE id = ? AND state = 'open'", [at, by, ref, id]);
}

/**
 * A worker recorded a visit outcome or a check for these retirees: their open requests are
 * answered (closed, audited with what closed them). Called in the push's transaction.
 */
export async function closeVisitRequests(
  db: Db,
  records: readonly { retireeId: number; by: 'visit' | 'check'; ref: string; userId: number | null; at: number; certified?: true }[],
): Promise<void> {
  if (!records.length) return;
  const open = await inChunks<{ id: string; retiree_id: number }>(
    db,
    [...new Set(records.map((r) => r.retireeId))],
    (m) => `SELECT id, retiree_id FROM visit_requests WHERE retiree_id IN (${m}) AND state = 'open'`,
  );
  for (const o of open) {
    const r = records.find((x) => x.retireeId === o.retiree_id)!;
    await closeRequest(db, o.id, r.at, r.by, r.ref);
    await audit(db, r.at, {
      event: 'visit_request_closed',
      userId: r.userId,
      subject: `retiree:${o.retiree_id}`,
      details: { request: o.id, by: r.by, record: r.ref, ...(r.certified ? { certified: true } : {}) },
      about: { retireeId: o.retiree_id },
    });
  }
}

/**
 * The retiree was certified (their own check or a family member's, certified by the face match or
 * approved by the office): a certified retiree needs no visit, so an open request is answered by
 * that check, as a worker's check answers it, marked `certified` in the audit (decision 089). Called
 * in the transaction that records the certification.
 */
export async function closeVisitRequestOnCertification(db: Db, c: { retireeId: number; evidenceRef: string; userId: number | null; at: number }): Promise<void> {
  await closeVisitRequests(db, [{ retireeId: c.retireeId, by: 'check', ref: c.evidenceRef, userId: c.userId, at: c.at, certified: true }]);
}

/** Open requests per community of a region, for the office's overview. */
export async function openVisitRequestsByCommunity(db: Db, regionId: number): Promise<{ communityId: number; n: number }[]> {
  return db.all<{ communityId: number; n: number }>(
    `SELECT r.community_id AS "communityId", count(*) AS n
       FROM visit_requests v JOIN retirees r ON r.id = v.retiree_id JOIN communities c ON c.id = r.community_id
      WHERE v.state = 'open' AND c.region_id = ?
      GROUP BY r.community_id`,
    [regionId],
  );
}

/** Open requests of these retirees, for the worker's roster. */
export async function openVisitRequestsOf(db: Db, retireeIds: readonly number[]): Promise<Map<number, RosterVisitRequest>> {
  const out = new Map<number, RosterVisitRequest>();
  if (!retireeIds.length) return out;
  const rows = await inChunks<{ retiree_id: number; received_at: number }>(db, retireeIds, (m) => `SELECT retiree_id, received_at FROM visit_requests WHERE retiree_id IN (${m}) AND state = 'open'`);
  for (const r of rows) out.set(r.retiree_id, { requestedAt: r.received_at });
  return out;
}
