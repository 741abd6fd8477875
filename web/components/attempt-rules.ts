import type { LivenessResult } from '../../shared/liveness.ts';
import type { AttemptRecord } from '../data/index.ts';

/** Checks that count as "failed" for offering other routes: anything but a pass or a stop by the person. */
export function countsAsFailure(r: LivenessResult): boolean {
  return r.verdict !== 'passed' && r.reason !== 'user_cancelled';
}

/** From the first failed check of a day the result screen offers the other routes as actions (issue 17, decision 078). */
export const ALTERNATIVES_AFTER = 1;

/**
 * How a check on this phone is marked in the lists: green (`done`) only once the server certified
 * it or the office approved it; being sent or checked is `wait`; a check that did not pass, or that
 * the office rejected, is `failed` and never green, whether or not it was sent; a record the server
 * refused is `attention`.
 */
export function attemptTone(a: Pick<AttemptRecord, 'syncState' | 'outcome' | 'result'>): 'done' | 'wait' | 'failed' | 'attention' {
  if (a.syncState === 'attention') return 'attention';
  if (a.result.verdict !== 'passed') return 'failed';
  const o = a.outcome;
  if (a.syncState !== 'sent' || !o) return 'wait';
  switch (o.kind) {
    case 'certified':
    case 'already_certified':
      return 'done';
    case 'not_passed':
      return 'failed';
    case 'verifying':
      return 'wait';
    case 'review':
      return !o.decided ? 'wait' : o.decided.decision === 'approved' ? 'done' : 'failed';
  }
}
