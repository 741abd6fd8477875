import type { LivenessResult } from '../../shared/liveness.ts';

/** Checks that count as "failed" for offering other routes: anything but a pass or a stop by the person. */
export function countsAsFailure(r: LivenessResult): boolean {
  return r.verdict !== 'passed' && r.reason !== 'user_cancelled';
}

/** After this many failed checks in a day, the result screen offers the other routes. */
export const ALTERNATIVES_AFTER = 3;
