// Visit outcomes after ingest: the password check behind home-visit signatures, the latest visit
// on a worker's roster, the office's review queue (attestations, deaths, moves) and its decisions.
import type { Context } from 'hono';
import type { ReviewDecision, ReviewFilter, ReviewItem } from '../../shared/schemas/worker.ts';
import type { RosterVisit, VisitKind } from '../../shared/sync.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import type { AppEnv } from '../context.ts';
import { inChunks } from '../db/in-chunks.ts';
import type { Db } from '../db/sqlite.ts';
import { AppError, forbidden, notFound } from '../errors.ts';
import { tryContext } from '../auth/try-context.ts';
import { audit } from './audit.ts';

/** The latest visit outcome per retiree over the last 400 days, for the roster's "last visit". */
export async function lastVisitsOf(db: Db, retireeIds: readonly number[], now: number): Promise<Map<number, RosterVisit>> {
  const out = new Map<number, RosterVisit>();
  const since = now - 400 * 86_400_000;
  const rows = await inChunks<{ retiree_id: number; kind: VisitKind; at: number; by_name: string; review: RosterVisit['review'] }>(
    db,
    retireeIds,
    (m) => `SELECT o.retiree_id, o.kind, ${db.dialect.least('o.device_time', 'o.received_at')} AS at, u.display_name AS by_name, o.review
              FROM visit_outcomes o JOIN users u ON u.id = o.user_id
             WHERE o.retiree_id IN (${m}) AND o.received_at > ? ORDER BY o.received_at, o.id`,
    [since],
  );
  for (const r of rows) out.set(r.retiree_id, { kind: r.kind, at: r.at, byName: r.by_name, review: r.review });
  return out;
}

/**
 * A home-visit signature's password check for the signed-in worker. It shares the sign-in
 * throttle's per-account counter: wrong signatures count as failed sign-ins (so a stolen session
 * cannot be used to guess the password through signatures), a locked account's signatures are
 * invalid without being checked, and a right one resets the counter as a sign-in would. A delay
 * (not a lock) is ignored: a day's attestations arrive together, and the push is rate-limited by
 * the phone itself. (Signed in already: not counted against the per-IP cap.)
 */
export function signaturePasswordCheck(c: Context<AppEnv>, user: SessionUser): (password: string) => Promise<boolean> {
  const { db, passwords, throttle, now } = c.get('services');
  const ip = c.get('ip');
  return async (password) => {
    const row = await db.get<{ username: string | null; password_hash: string | null }>('SELECT username, password_hash FROM users WHERE id = ?', [user.id]);
    if (!row?.username || !row.password_hash) return false;
    const key = `user:${row.username}`;
    const session = c.get('auth')?.session;
    const reservation = await throttle.reserve(await tryContext(c, key, user.id, session?.deviceId, session?.id ?? 'push'), { ignoreDelay: true });
    if (!reservation.ok) return false;
    let right: boolean;
    try {
      right = await passwords.trusted.verify(row.password_hash, password);
    } catch (err) {
      await reservation.release();
      throw err;
    }
    if (right) {
      await reservation.succeeded();
      return true;
    }
    const outcome = reservation.failed();
    await audit(db, now(), { event: 'sign_in_failed', userId: user.id, subject: key, ip, details: { purpose: 'visit_signature', attemptsLeft: outcome.attemptsLeft } });
    if (outcome.locked) await audit(db, now(), { event: 'lockout', userId: user.id, subject: key, ip, details: { until: outcome.retryAt } });
    return false;
  };
}

interface ReviewRow {
  id: string;
  kind: 'cannot_check' | 'deceased' | 'moved';
  retiree_id: number;
  retiree_name: string;
  id_number: string;
  community_name: string;
  address: string;
  worker_id: number;
  worker_name: string;
  reason: string | null;
  note: string;
  deceased_on: string | null;
  info_source: string | null;
  new_address: string | null;
  latitude: number | null;
  longitude: number | null;
  accuracy_m: number | null;
  signature: 'verified' | 'invalid' | null;
  answer: string;
  review: 'pending' | 'approved' | 'rejected';
  decided_by: number | null;
  decided_at: number | null;
  decision_reason: string | null;
  device_time: number;
  received_at: number;
  photo_bytes: number | null;
  region_id: number;
}

const SELECT = `SELECT o.id, o.kind, o.retiree_id, r.name AS retiree_name, r.id_number, c.name AS community_name, r.address,
       o.user_id AS worker_id, u.display_name AS worker_name, o.reason, o.note, o.deceased_on, o.info_source, o.new_address,
       o.latitude, o.longitude, o.accuracy_m, o.signature, o.answer, o.review, o.decided_by, o.decided_at, o.decision_reason,
       o.device_time, o.received_at, o.photo_bytes, c.region_id
  FROM visit_outcomes o JOIN retirees r ON r.id = o.retiree_id JOIN communities c ON c.id = r.community_id JOIN users u ON u.id = o.user_id`;

const toItem = (r: ReviewRow): ReviewItem => ({
  id: r.id,
  kind: r.kind,
  retiree: { id: r.retiree_id, name: r.retiree_name, idNumber: r.id_number, communityName: r.community_name, address: r.address },
  worker: { id: r.worker_id, name: r.worker_name },
  reason: r.reason as ReviewItem['reason'],
  note: r.note,
  deceasedOn: r.deceased_on,
  source: r.info_source,
  newAddress: r.new_address,
  location: r.latitude === null || r.longitude === null ? null : { lat: r.latitude, lon: r.longitude, accuracyM: r.accuracy_m ?? 0 },
  signature: r.signature,
  result: JSON.parse(r.answer) as ReviewItem['result'],
  review: r.review,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  decisionReason: r.decision_reason,
  recordedAt: Math.min(r.device_time, r.received_at),
  receivedAt: r.received_at,
  photoBytes: r.photo_bytes,
});

/** The office's queue: reports of its region (all regions for an admin without one), newest first. */
export async function listReviews(db: Db, admin: SessionUser, filter: ReviewFilter): Promise<ReviewItem[]> {
  const where = ["o.review IS NOT NULL", '(? IS NULL OR c.region_id = ?)'];
  const params: (string | number | null)[] = [admin.regionId, admin.regionId];
  if (filter.status !== 'all') {
    where.push('o.review = ?');
    params.push(filter.status);
  }
  if (filter.kind) {
    where.push('o.kind = ?');
    params.push(filter.kind);
  }
  if (filter.before !== undefined) {
    where.push('o.received_at < ?');
    params.push(filter.before);
  }
  params.push(filter.limit);
  const rows = await db.all<ReviewRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY o.received_at DESC, o.id DESC LIMIT ?`, params);
  return rows.map(toItem);
}

/** One report the admin's office may see; 404 otherwise (ids of other regions cannot be probed). */
async function reviewRow(db: Db, admin: SessionUser, id: string): Promise<ReviewRow> {
  const row = await db.get<ReviewRow>(`${SELECT} WHERE o.id = ? AND o.review IS NOT NULL`, [id]);
  if (!row || (admin.regionId !== null && row.region_id !== admin.regionId)) throw notFound('Report');
  return row;
}

export async function reviewById(db: Db, admin: SessionUser, id: string): Promise<ReviewItem> {
  return toItem(await reviewRow(db, admin, id));
}

export async function reviewPhoto(db: Db, admin: SessionUser, id: string): Promise<{ type: string; data: Uint8Array } | null> {
  await reviewRow(db, admin, id);
  const p = await db.get<{ photo_type: string | null; photo: Uint8Array | null }>('SELECT photo_type, photo FROM visit_outcomes WHERE id = ?', [id]);
  return p?.photo && p.photo_type ? { type: p.photo_type, data: p.photo } : null;
}

/**
 * Approve or reject a report, in one transaction with what it changes:
 * - attestation approved → its pending home-visit certification becomes approved (the retiree is
 *   certified); rejected → the certification is rejected (the retiree is due again);
 * - death approved → enrolment 'deceased' (the pension stops); move approved → enrolment 'moved'
 *   and the new address when one was given; rejected → nothing changes but the report;
 * and an audit log entry. Nobody decides on a report they recorded themselves.
 */
export async function decideReview(db: Db, admin: SessionUser, id: string, decision: ReviewDecision, at: number, ip: string): Promise<ReviewItem> {
  return db.transaction(async () => {
    const row = await reviewRow(db, admin, id);
    if (row.worker_id === admin.id) throw forbidden('You cannot decide on a report you recorded yourself');
    if (row.review !== 'pending') throw new AppError(409, 'conflict', `This report was already ${row.review}`);
    const approve = decision.decision === 'approve';
    if (approve && row.kind === 'cannot_check' && row.signature !== 'verified') {
      throw new AppError(409, 'conflict', 'The worker’s signature on this attestation did not verify: it cannot be approved');
    }
    if (row.kind === 'cannot_check') {
      if (approve) {
        const approved = await db.get('SELECT 1 FROM certifications c JOIN visit_outcomes o ON o.period_id = c.period_id WHERE o.id = ? AND c.retiree_id = ? AND c.status = ?', [id, row.retiree_id, 'approved']);
        if (approved) throw new AppError(409, 'conflict', 'The retiree is already certified for this period: reject this attestation instead');
        const { changes } = await db.run("UPDATE certifications SET status = 'approved', decided_by = ?, decided_at = ? WHERE evidence_ref = ? AND status = 'pending_review'", [admin.id, at, id]);
        if (!changes) throw new AppError(409, 'conflict', 'This attestation has no certification to approve (no open period when it arrived)');
      } else {
        await db.run("UPDATE certifications SET status = 'rejected', decided_by = ?, decided_at = ? WHERE evidence_ref = ? AND status = 'pending_review'", [admin.id, at, id]);
      }
    } else if (approve && row.kind === 'deceased') {
      await db.run("UPDATE retirees SET enrolment = 'deceased', updated_at = ? WHERE id = ?", [at, row.retiree_id]);
    } else if (approve && row.kind === 'moved') {
      await db.run("UPDATE retirees SET enrolment = 'moved', address = coalesce(?, address), updated_at = ? WHERE id = ?", [row.new_address, at, row.retiree_id]);
    }
    await db.run('UPDATE visit_outcomes SET review = ?, decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ?', [
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
      details: { report: id, kind: row.kind, recordedBy: row.worker_id, ...(decision.decision === 'reject' ? { reason: decision.reason } : {}) },
    });
    return toItem(await reviewRow(db, admin, id));
  });
}
