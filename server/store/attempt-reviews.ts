// The office's review of attempts the server did not certify on its own (decision 050): the queue,
// the evidence, and the decision with everything it changes. Scoped to the office's region; nobody
// decides on a check they made.
import { periodFor } from '../../shared/certification-rules.ts';
import { localDateIn } from '../../shared/dates.ts';
import type { AttemptReview, AttemptReviewDecision, AttemptReviewFilter } from '../../shared/schemas/identity.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import type { Dialect } from '../db/dialect.ts';
import type { Db } from '../db/sqlite.ts';
import { AppError, forbidden, notFound } from '../errors.ts';
import { audit } from './audit.ts';
import { decidePendingReferences } from './reference-faces.ts';
import { closeVisitRequestOnCertification } from './visit-requests.ts';
import { periodsOfRegion } from './regions.ts';

interface Row {
  id: string;
  retiree_id: number;
  retiree_name: string;
  id_number: string;
  community_name: string;
  region_id: number;
  time_zone: string;
  method: AttemptReview['method'];
  user_id: number;
  user_name: string;
  user_role: string;
  review_reason: AttemptReview['reviewReason'];
  enrolment: AttemptReview['enrolment'];
  period_id: number | null;
  match_decision: string | null;
  match_distance: number | null;
  match_reference: number | null;
  matched_at: number | null;
  received_at: number;
  device_time: number;
  decision: 'approved' | 'rejected' | null;
  decided_by: number | null;
  decided_at: number | null;
  decision_reason: string | null;
  blobs: string;
}

const select = (d: Dialect) => `SELECT a.id, a.retiree_id, r.name AS retiree_name, r.id_number, c.name AS community_name, c.region_id, g.time_zone, a.method, a.enrolment,
       a.user_id, u.display_name AS user_name, u.role AS user_role, a.review_reason, a.period_id, a.match_decision, a.match_distance,
       a.match_reference, a.matched_at, a.received_at, a.device_time, a.decision, a.decided_by, a.decided_at, a.decision_reason,
       (SELECT ${d.jsonArrayAgg(d.jsonObject("'idx'", 'b.idx', "'kind'", 'b.kind', "'type'", 'b.type', "'bytes'", 'b.bytes', "'width'", 'b.width', "'height'", 'b.height'))}
          FROM attempt_blobs b WHERE b.attempt_id = a.id) AS blobs
  FROM attempts a JOIN retirees r ON r.id = a.retiree_id JOIN communities c ON c.id = r.community_id JOIN regions g ON g.id = c.region_id
  JOIN users u ON u.id = a.user_id`;

const toReview = (r: Row): AttemptReview => ({
  id: r.id,
  retiree: { id: r.retiree_id, name: r.retiree_name, idNumber: r.id_number, communityName: r.community_name },
  method: r.method,
  by: { id: r.user_id, name: r.user_name, role: r.user_role },
  reviewReason: r.review_reason,
  enrolment: r.enrolment,
  match: { decision: r.match_decision, distance: r.match_distance, referenceId: r.match_reference, at: r.matched_at },
  blobs: (JSON.parse(r.blobs) as AttemptReview['blobs']).sort((a, b) => a.idx - b.idx),
  receivedAt: r.received_at,
  deviceTime: r.device_time,
  decision: r.decision,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  decisionReason: r.decision_reason,
});

/** Attempts in review, oldest first (the longest waiting are decided first). */
export async function listAttemptReviews(db: Db, admin: SessionUser, filter: AttemptReviewFilter): Promise<AttemptReview[]> {
  const where = ["a.outcome = 'review'", '(?1 IS NULL OR c.region_id = ?1)'];
  if (filter.status === 'pending') where.push('a.decision IS NULL');
  if (filter.status === 'decided') where.push('a.decision IS NOT NULL');
  if (filter.reason) where.push('a.review_reason = ?2');
  if (filter.after !== undefined) where.push('a.received_at > ?3');
  const rows = await db.all<Row>(`${select(db.dialect)} WHERE ${where.join(' AND ')} ORDER BY a.received_at, a.rowid LIMIT ?4`, [admin.regionId, filter.reason ?? null, filter.after ?? null, filter.limit]);
  return rows.map(toReview);
}

/** One attempt the office may see (any outcome: its evidence is asked for from the retiree page too); 404 otherwise. */
async function attemptRow(db: Db, admin: SessionUser, id: string): Promise<Row> {
  const row = await db.get<Row>(`${select(db.dialect)} WHERE a.id = ?`, [id]);
  if (!row || (admin.regionId !== null && row.region_id !== admin.regionId)) throw notFound('Attempt');
  return row;
}

export async function attemptReviewById(db: Db, admin: SessionUser, id: string): Promise<AttemptReview> {
  return toReview(await attemptRow(db, admin, id));
}

export async function attemptBlob(db: Db, admin: SessionUser, id: string, idx: number): Promise<{ type: string; data: Uint8Array } | null> {
  await attemptRow(db, admin, id);
  return (await db.get<{ type: string; data: Uint8Array }>('SELECT type, data FROM attempt_blobs WHERE attempt_id = ? AND idx = ?', [id, idx])) ?? null;
}

/** What the server scores a check's spoof risk from: the phone's stored claim (JSON, null when none) and the key frames. */
export async function attemptSpoofEvidence(db: Db, id: string): Promise<{ claimed: string | null; frames: Uint8Array[] }> {
  const row = await db.get<{ claimed: string | null }>(`SELECT ${db.dialect.jsonField('result', 'spoofRisk')} AS claimed FROM attempts WHERE id = ?`, [id]);
  const frames = await db.all<{ data: Uint8Array }>("SELECT data FROM attempt_blobs WHERE attempt_id = ? AND kind = 'frame' ORDER BY idx", [id]);
  return { claimed: row?.claimed ?? null, frames: frames.map((f) => f.data) };
}

/** The stored result of a check, as the phone sent it (JSON; null for an unknown id). */
export async function attemptResultJson(db: Db, id: string): Promise<string | null> {
  return (await db.get<{ result: string }>('SELECT result FROM attempts WHERE id = ?', [id]))?.result ?? null;
}

/**
 * Approve: the retiree is certified for the period the check counts for (the one open on the day it
 * reached the server), with the check's method; a first check's pending reference face becomes one
 * to match against. Reject: its pending certification is rejected (the retiree is due again) and
 * its pending reference face is erased. One transaction, with an audit entry.
 */
export async function decideAttemptReview(db: Db, admin: SessionUser, id: string, decision: AttemptReviewDecision, at: number, ip: string): Promise<AttemptReview> {
  return db.transaction(async () => {
    const row = await attemptRow(db, admin, id);
    if (row.user_id === admin.id) throw forbidden('You cannot decide on a check you made yourself');
    if (!row.review_reason) throw new AppError(409, 'conflict', 'This attempt is not waiting for a review');
    if (row.decision) throw new AppError(409, 'conflict', `This attempt was already ${row.decision}`);
    const approve = decision.decision === 'approve';
    const receivedOn = localDateIn(row.time_zone, row.received_at);
    const periodId = row.period_id ?? periodFor(await periodsOfRegion(db, row.region_id), receivedOn)?.id ?? null;
    if (approve) {
      if (periodId === null) throw new AppError(409, 'conflict', 'No certification period was open when this check arrived: record an on-site certification instead');
      const approved = await db.get("SELECT 1 FROM certifications WHERE retiree_id = ? AND period_id = ? AND status = 'approved'", [row.retiree_id, periodId]);
      if (approved) throw new AppError(409, 'conflict', 'The retiree is already certified for this period: reject this attempt instead');
      const { changes } = await db.run("UPDATE certifications SET status = 'approved', decided_by = ?, decided_at = ? WHERE evidence_ref = ? AND status = 'pending_review'", [admin.id, at, id]);
      if (!changes) {
        await db.run(
          `INSERT INTO certifications (retiree_id, period_id, status, method, certified_on, certified_at, evidence_ref, recorded_by, decided_by, decided_at, created_at)
           VALUES (?, ?, 'approved', ?, ?, ?, ?, ?, ?, ?, ?)`,
          [row.retiree_id, periodId, row.method, receivedOn, row.received_at, id, row.user_id, admin.id, at, at],
        );
      }
      await closeVisitRequestOnCertification(db, { retireeId: row.retiree_id, evidenceRef: id, userId: row.user_id, at });
    } else {
      await db.run("UPDATE certifications SET status = 'rejected', decided_by = ?, decided_at = ? WHERE evidence_ref = ? AND status = 'pending_review'", [admin.id, at, id]);
    }
    await decidePendingReferences(db, id, approve, admin.id, at);
    await db.run('UPDATE attempts SET decision = ?, decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ?', [
      approve ? 'approved' : 'rejected',
      admin.id,
      at,
      decision.decision === 'reject' ? decision.reason : null,
      id,
    ]);
    await audit(db, at, {
      event: approve ? 'review_approved' : 'review_rejected',
      userId: admin.id,
      subject: `retiree:${row.retiree_id}`,
      ip,
      details: { attempt: id, reason: row.review_reason, match: row.match_decision, distance: row.match_distance, madeBy: row.user_id, ...(decision.decision === 'reject' ? { why: decision.reason } : {}) },
    });
    return toReview(await attemptRow(db, admin, id));
  });
}
