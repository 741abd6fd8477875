// Stored attempts, read after ingest: what became of a user's attempts (the phone asks on pull) and
// which retirees have a check waiting for its face match.
import type { AttemptOutcome, ReviewReason } from '../../shared/sync.ts';
import type { Db } from '../db/sqlite.ts';

interface OutcomeRow {
  id: string;
  outcome: AttemptOutcome['kind'];
  review_reason: ReviewReason | null;
  period_id: number | null;
  certified_on: string | null;
  /** The office's decision on a check in review (NULL while it waits, and for every other outcome). */
  decision?: 'approved' | 'rejected' | null;
  decision_reason?: string | null;
}

/** The outcome the push would answer for a stored attempt today. */
export function attemptOutcome(a: Omit<OutcomeRow, 'id'>): AttemptOutcome {
  switch (a.outcome) {
    case 'verifying':
      return { kind: 'verifying' };
    case 'certified':
      return { kind: 'certified', periodId: a.period_id!, certifiedOn: a.certified_on! };
    case 'already_certified':
      return { kind: 'already_certified', periodId: a.period_id! };
    case 'not_passed':
      return { kind: 'not_passed' };
    case 'review':
      return a.decision
        ? { kind: 'review', reviewReason: a.review_reason!, decided: { decision: a.decision, reason: a.decision_reason ?? null } }
        : { kind: 'review', reviewReason: a.review_reason! };
  }
}

/** Current outcomes of the given attempts that this user made, with the office's decision; other users' ids answer nothing. */
export async function outcomesOf(db: Db, userId: number, ids: readonly string[]): Promise<{ id: string; outcome: AttemptOutcome }[]> {
  if (!ids.length) return [];
  const rows = await db.all<OutcomeRow>(
    `SELECT id, outcome, review_reason, period_id, certified_on, decision, decision_reason FROM attempts WHERE id IN ${db.dialect.jsonValues('?', 'text')} AND user_id = ? ORDER BY rowid`,
    [JSON.stringify(ids), userId],
  );
  return rows.map((r) => ({ id: r.id, outcome: attemptOutcome(r) }));
}

/** For each retiree with a check waiting for its face match: the day the latest one reached the server. */
export async function verifyingSince(db: Db, retireeIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (!retireeIds.length) return out;
  const rows = await db.all<{ retiree_id: number; on: string }>(
    `SELECT retiree_id, max(certified_on) AS "on" FROM attempts
      WHERE retiree_id IN ${db.dialect.jsonValues('?', 'int')} AND outcome = 'verifying' GROUP BY retiree_id`,
    [JSON.stringify(retireeIds)],
  );
  for (const r of rows) out.set(r.retiree_id, r.on);
  return out;
}

/**
 * A worker's passed assisted checks that arrived in the hour up to `at` (issue 15: a worker whose
 * pace is implausible has all of them looked at). Uses attempts_by_user (migration 008).
 */
export async function workerChecksInHour(db: Db, userId: number, at: number): Promise<number> {
  const row = await db.get<{ n: number }>(
    "SELECT count(*) AS n FROM attempts WHERE user_id = ? AND received_at > ? AND received_at <= ? AND method = 'worker' AND verdict = 'passed'",
    [userId, at - 3_600_000, at],
  );
  return row!.n;
}
