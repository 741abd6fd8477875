// The durable face-match queue (decision 050): a job per `verifying` attempt, queued by the trigger
// that stores the attempt, leased by the match queue, and deleted by the same transaction that
// records the decision, so a crash or restart loses no job and decides none twice.
import type { Db } from '../db/sqlite.ts';
import type { AttemptDecision } from '../identity/decide-attempt.ts';
import type { MatchDecision } from '../face/match-rules.ts';
import type { ReviewReason } from '../../shared/sync.ts';
import { addReference, pruneCertifiedCheckReferences, type NewReference } from './reference-faces.ts';
import { addCertification } from './certifications.ts';

/**
 * Leases the oldest free jobs; their leases run out after `leaseMs` if the process dies mid-match.
 * On PostgreSQL several instances lease at once: the jobs another instance is leasing right now are
 * passed over (`FOR UPDATE SKIP LOCKED`), and a job it has just leased no longer matches the WHERE
 * once its row is locked and read again, so no two instances lease the same job. The lease touches
 * no table of the change feed, so it needs no writer lock (decision 088).
 */
export async function claimJobs(db: Db, now: number, leaseMs: number, limit: number): Promise<string[]> {
  // In a transaction so the UPDATE … RETURNING runs on the write connection (plain reads use the
  // read-only one).
  const rows = await db.transaction(
    () =>
      db.all<{ attempt_id: string }>(
        `UPDATE match_jobs SET leased_until = ?1 + ?2, tries = tries + 1
          WHERE attempt_id IN (SELECT attempt_id FROM match_jobs WHERE (leased_until IS NULL OR leased_until <= ?1) AND not_before <= ?1
                                ORDER BY created_at LIMIT ?3 ${db.dialect.skipLocked})
          RETURNING attempt_id`,
        [now, leaseMs, limit],
      ),
    { concurrent: true },
  );
  return rows.map((r) => r.attempt_id);
}

/**
 * Frees every lease: at start, when this process is the only one matching on this database (as the
 * ingest thread assumes too, decision 047), a lease still held belongs to a process that died.
 * Not on PostgreSQL, where other instances hold live leases: a dead one's run out after leaseMs.
 */
export async function releaseLeases(db: Db): Promise<void> {
  await db.run('UPDATE match_jobs SET leased_until = NULL WHERE leased_until IS NOT NULL');
}

/** A job that failed for a reason of the server's own (not the photo's) is tried again later. */
export async function retryLater(db: Db, attemptId: string, notBefore: number, error: string): Promise<void> {
  await db.run('UPDATE match_jobs SET leased_until = NULL, not_before = ?, last_error = ? WHERE attempt_id = ?', [notBefore, error.slice(0, 500), attemptId]);
}

/** A job whose attempt is gone or no longer `verifying`. */
export async function dropJob(db: Db, attemptId: string): Promise<void> {
  await db.run('DELETE FROM match_jobs WHERE attempt_id = ?', [attemptId]);
}

export async function pendingJobs(db: Db): Promise<number> {
  return (await db.get<{ n: number }>('SELECT count(*) AS n FROM match_jobs'))!.n;
}

export interface MatchInput {
  attemptId: string;
  retireeId: number;
  userId: number;
  method: 'self' | 'family' | 'worker';
  periodId: number | null;
  receivedOn: string | null;
  receivedAt: number;
  tries: number;
  /** A worker's in-person enrolment and whether its signature verified. */
  enrolment: 'verified' | 'invalid' | null;
  frames: { idx: number; data: Buffer }[];
}

/** What the match needs of a queued attempt; null when the attempt is gone or already decided. */
export async function matchInput(db: Db, attemptId: string): Promise<MatchInput | null> {
  const a = await db.get<{ retiree_id: number; user_id: number; method: MatchInput['method']; period_id: number | null; certified_on: string | null; received_at: number; tries: number | null; enrolment: MatchInput['enrolment'] }>(
    `SELECT a.retiree_id, a.user_id, a.method, a.period_id, a.certified_on, a.received_at, j.tries, a.enrolment
       FROM attempts a LEFT JOIN match_jobs j ON j.attempt_id = a.id WHERE a.id = ? AND a.outcome = 'verifying'`,
    [attemptId],
  );
  if (!a) return null;
  const frames = await db.all<{ idx: number; data: Buffer }>("SELECT idx, data FROM attempt_blobs WHERE attempt_id = ? AND kind = 'frame' ORDER BY idx", [attemptId]);
  return { attemptId, retireeId: a.retiree_id, userId: a.user_id, method: a.method, periodId: a.period_id, receivedOn: a.certified_on, receivedAt: a.received_at, tries: a.tries ?? 0, enrolment: a.enrolment, frames };
}

export async function periodApproved(db: Db, retireeId: number, periodId: number): Promise<boolean> {
  return !!(await db.get("SELECT 1 FROM certifications WHERE retiree_id = ? AND period_id = ? AND status = 'approved'", [retireeId, periodId]));
}

export interface MatchRecord {
  input: MatchInput;
  decision: AttemptDecision;
  /** decision null: the match could not run (the attempt goes to the office as match_failed). */
  match: { decision: MatchDecision | null; distance: number | null; referenceId: number | null };
  /** The frame to keep as a reference, with its descriptor (decision.reference names it). */
  reference: Omit<NewReference, 'retireeId' | 'source' | 'status' | 'attemptId' | 'addedBy' | 'at'> | null;
  at: number;
}

/**
 * Writes a match's decision, in one transaction with the deletion of its job: the attempt's
 * outcome, the certification it records, the reference face it adds. An attempt that is no longer
 * `verifying` (decided by an earlier run whose answer was lost) is left alone and its job dropped.
 */
export async function recordMatch(db: Db, m: MatchRecord): Promise<boolean> {
  const { input, decision, match, at } = m;
  return db.transaction(async () => {
    const { changes } = await db.run(
      `UPDATE attempts SET outcome = ?, review_reason = ?, match_decision = ?, match_distance = ?, match_reference = ?, matched_at = ?
        WHERE id = ? AND outcome = 'verifying'`,
      [
        decision.outcome,
        decision.reviewReason,
        match.decision,
        match.distance,
        match.referenceId,
        at,
        input.attemptId,
      ],
    );
    await db.run('DELETE FROM match_jobs WHERE attempt_id = ?', [input.attemptId]);
    if (!changes) return false;
    if (decision.certification && input.periodId !== null && input.receivedOn !== null) {
      await addCertification(
        db,
        { retireeId: input.retireeId, periodId: input.periodId, status: decision.certification, method: input.method, certifiedOn: input.receivedOn, certifiedAt: input.receivedAt, evidenceRef: input.attemptId, recordedBy: input.userId },
        at,
      );
    }
    if (decision.reference && m.reference) {
      await addReference(db, { ...m.reference, retireeId: input.retireeId, source: decision.reference.source, status: decision.reference.status, attemptId: input.attemptId, addedBy: input.userId, at });
      if (decision.reference.source === 'certified_check') await pruneCertifiedCheckReferences(db, input.retireeId);
    }
    return true;
  });
}

/**
 * Takes a retiree's `verifying` attempts out of the match, because their key frames are about to be
 * erased (decision 052): each goes to the office as review `reason` with a pending certification,
 * as a check the match could not decide does, and its job is dropped. Never certified without its
 * evidence, never dropped. Returns how many.
 */
export async function withdrawFromMatch(db: Db, retireeId: number, reason: ReviewReason, at: number): Promise<number> {
  const verifying = "SELECT id FROM attempts WHERE retiree_id = ? AND outcome = 'verifying'";
  await db.run(
    `INSERT INTO certifications (retiree_id, period_id, status, method, certified_on, certified_at, evidence_ref, recorded_by, created_at)
     SELECT retiree_id, period_id, 'pending_review', method, certified_on, received_at, id, user_id, ?
       FROM attempts WHERE retiree_id = ? AND outcome = 'verifying' AND period_id IS NOT NULL AND certified_on IS NOT NULL`,
    [at, retireeId],
  );
  await db.run(`DELETE FROM match_jobs WHERE attempt_id IN (${verifying})`, [retireeId]);
  const { changes } = await db.run("UPDATE attempts SET outcome = 'review', review_reason = ? WHERE retiree_id = ? AND outcome = 'verifying'", [reason, retireeId]);
  return changes;
}
