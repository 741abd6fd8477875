// Sign-in throttling. Per account: a few free tries, then a doubling delay, then a lock at
// MAX_FAILURES. Per IP: a cap on failures in a window, so one address cannot walk through many
// accounts. Numbers and reasoning: docs/decisions/005-sign-in-throttling.md.
import type { Db } from '../db/sqlite.ts';

export interface ThrottlePolicy {
  freeFailures: number;
  baseDelayMs: number;
  maxFailures: number;
  lockMs: number;
  /** Failures older than this are forgotten. */
  forgetAfterMs: number;
  ipMaxFailures: number;
  ipWindowMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  freeFailures: 3,
  baseDelayMs: 5_000,
  maxFailures: 10,
  lockMs: 60 * 60_000,
  forgetAfterMs: 24 * 60 * 60_000,
  ipMaxFailures: 50,
  ipWindowMs: 15 * 60_000,
};

export type ThrottleVerdict =
  | { ok: true }
  | { ok: false; reason: 'delay' | 'locked' | 'ip'; retryAt: number };

export interface FailureOutcome {
  attemptsLeft: number;
  /** Set when the next try must wait (delay) or the account is now locked. */
  retryAt: number | null;
  locked: boolean;
}

interface Row {
  failures: number;
  last_failure_at: number;
  locked_until: number | null;
}

export function createThrottle(db: Db, now: () => number, policy: ThrottlePolicy = DEFAULT_THROTTLE) {
  // Per-IP counts live in memory: they guard one process against bursts, and forgetting them on
  // restart costs little because the per-account lock is persistent.
  const ipFailures = new Map<string, { count: number; windowStart: number }>();

  const delayAfter = (failures: number) =>
    failures < policy.freeFailures ? 0 : policy.baseDelayMs * 2 ** (failures - policy.freeFailures);

  async function current(key: string): Promise<Row | null> {
    const row = await db.get<Row>('SELECT failures, last_failure_at, locked_until FROM login_throttle WHERE key = ?', [key]);
    if (!row) return null;
    const at = now();
    const lockOver = row.locked_until !== null && at >= row.locked_until;
    if (lockOver || at - row.last_failure_at >= policy.forgetAfterMs) {
      await db.run('DELETE FROM login_throttle WHERE key = ?', [key]);
      return null;
    }
    return row;
  }

  return {
    policy,

    async check(key: string, ip: string): Promise<ThrottleVerdict> {
      const at = now();
      const byIp = ipFailures.get(ip);
      if (byIp && at - byIp.windowStart < policy.ipWindowMs && byIp.count >= policy.ipMaxFailures) {
        return { ok: false, reason: 'ip', retryAt: byIp.windowStart + policy.ipWindowMs };
      }
      const row = await current(key);
      if (!row) return { ok: true };
      if (row.locked_until !== null) return { ok: false, reason: 'locked', retryAt: row.locked_until };
      const retryAt = row.last_failure_at + delayAfter(row.failures);
      return at < retryAt ? { ok: false, reason: 'delay', retryAt } : { ok: true };
    },

    async recordFailure(key: string, ip: string): Promise<FailureOutcome> {
      const at = now();
      const byIp = ipFailures.get(ip);
      if (!byIp || at - byIp.windowStart >= policy.ipWindowMs) ipFailures.set(ip, { count: 1, windowStart: at });
      else byIp.count++;

      return db.transaction(async () => {
        const failures = ((await current(key))?.failures ?? 0) + 1;
        const locked = failures >= policy.maxFailures;
        const lockedUntil = locked ? at + policy.lockMs : null;
        await db.run(
          `INSERT INTO login_throttle (key, failures, last_failure_at, locked_until) VALUES (?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at,
             locked_until = excluded.locked_until`,
          [key, failures, at, lockedUntil],
        );
        const delay = delayAfter(failures);
        return {
          attemptsLeft: Math.max(0, policy.maxFailures - failures),
          retryAt: lockedUntil ?? (delay > 0 ? at + delay : null),
          locked,
        };
      });
    },

    async recordSuccess(key: string): Promise<void> {
      await db.run('DELETE FROM login_throttle WHERE key = ?', [key]);
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
