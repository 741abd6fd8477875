// Family link decisions that came through the push (table link_decisions, migration 016, decision
// 071): each is applied once, inside the push's group commit, and a retry is answered from its row.
import type { LinkResult, PushResult } from '../../shared/sync.ts';
import type { Db } from '../db/sqlite.ts';
import { decideLinkRequest, endFamilyLink } from './family-link-requests.ts';

/** What was answered before for these ids, with whose they are. */
export async function linkDecisionAnswers(db: Db, ids: readonly string[]): Promise<Map<string, { userId: number; answer: PushResult }>> {
  const out = new Map<string, { userId: number; answer: PushResult }>();
  if (!ids.length) return out;
  const rows = await db.all<{ id: string; user_id: number; seq: number; answer: string }>(
    `SELECT id, user_id, seq, answer FROM link_decisions WHERE id IN ${db.dialect.jsonValues('?', 'text')}`,
    [JSON.stringify(ids)],
  );
  for (const r of rows) out.set(r.id, { userId: r.user_id, answer: { id: r.id, seq: r.seq, status: 'accepted', outcome: JSON.parse(r.answer) as LinkResult } });
  return out;
}

export interface LinkDecisionInput {
  id: string;
  seq: number;
  retireeId: number;
  action: 'approve' | 'decline' | 'end';
  requestId: number | null;
  familyUserId: number | null;
  via: 'retiree' | 'worker';
  deviceTime: number;
  userId: number;
  deviceId: string;
  receivedAt: number;
}

/** Applies one decision in the caller's transaction and records it with its answer. */
export async function applyLinkDecision(db: Db, d: LinkDecisionInput): Promise<LinkResult> {
  let done: boolean;
  if (d.action === 'end') {
    done = await endFamilyLink(db, { familyUserId: d.familyUserId!, retireeId: d.retireeId, by: d.userId, byRole: 'retiree', at: d.receivedAt });
  } else {
    const state = await decideLinkRequest(db, { requestId: d.requestId!, retireeId: d.retireeId, decision: d.action, by: d.userId, via: d.via, at: d.receivedAt });
    done = state !== 'stale';
  }
  const answer: LinkResult = done ? { kind: 'link_done', action: d.action } : { kind: 'link_stale' };
  await db.run(
    `INSERT INTO link_decisions (id, user_id, device_id, seq, retiree_id, action, request_id, family_user_id, answer, device_time, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [d.id, d.userId, d.deviceId, d.seq, d.retireeId, d.action, d.requestId, d.familyUserId, JSON.stringify(answer), d.deviceTime, d.receivedAt],
  );
  return answer;
}
