// Sign-in throttling. Per budget of tries: a few free tries, then a doubling delay, then a lock at
// maxFailures. Per IP: a cap on tries in a window, so one address cannot walk through many accounts.
// Numbers and reasoning: docs/decisions/005-sign-in-throttling.md; budgets per phone: 051.
//
// A try is RESERVED before its secret is checked: the count moves first, in one write transaction,
// and a success then clears it (a try that could not be checked gives its place back). Checking
// first and counting the failure afterwards let 40 guesses sent together all be checked against a
// limit of 10 (issue 15); reserving makes the limit hold whatever the concurrency.
import type { Db } from '../db/sqlite.ts';
import { busyThrottleRows, deleteForgottenThrottleRows, deleteThrottleRow, throttleRow, updateThrottleRow, type ThrottleRow } from '../store/login-throttle.ts';

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

/** Whose budget a try is taken from (server/auth/try-context.ts works it out). */
export interface TryContext {
  /** The budget's row: the account name for phones it does not know, `<account>#device:<id>` for one it does. */
  key: string;
  /** The account name tried (`retiree:<ID>`, `user:<name>`), for the audit log and the office. */
  account: string;
  ip: string;
  /** Tries from phones the account does not know count against the per-IP cap; a known phone's do not. */
  countsAgainstIp: boolean;
}

export interface FailureOutcome {
  attemptsLeft: number;
  /** Set when the next try must wait (delay) or the budget is now locked. */
  retryAt: number | null;
  /** True for the one try that used up the budget: it locked it. */
  locked: boolean;
}

export type Refusal = { ok: false; reason: 'delay' | 'locked' | 'ip'; retryAt: number };

export interface Reservation {
  ok: true;
  /** This try's place in the budget: 1 for the first counted try. */
  tries: number;
  /** The secret was right: the budget starts again. */
  succeeded(): Promise<void>;
  /** The secret was wrong: the try stays counted; what to tell the person. */
  failed(): FailureOutcome;
  /** The secret could not be checked (the server was busy): the try gives its place back. */
  release(): Promise<void>;
}

export function createThrottle(db: Db, now: () => number, policy: ThrottlePolicy = DEFAULT_THROTTLE) {
  // Per-IP counts live in memory: they guard one process against bursts, and forgetting them on
  // restart costs little because the per-account budgets are persistent. JavaScript runs one
  // callback at a time, so the check and the count below cannot be interleaved.
  const ipTries = new Map<string, { count: number; windowStart: number }>();

  const delayAfter = (failures: number) =>
    failures < policy.freeFailures ? 0 : policy.baseDelayMs * 2 ** (failures - policy.freeFailures);

  /** The row as it still counts: a finished lock or a day without tries forgets it. */
  const live = (row: ThrottleRow | undefined, at: number) =>
    row && !(row.locked_until !== null && at >= row.locked_until) && at - row.last_failure_at < policy.forgetAfterMs ? row : undefined;

  function reserveIp(ip: string, at: number): Refusal | { windowStart: number } {
    let entry = ipTries.get(ip);
    if (!entry || at - entry.windowStart >= policy.ipWindowMs) {
      if (ipTries.size >= 10_000) for (const [k, e] of ipTries) if (at - e.windowStart >= policy.ipWindowMs) ipTries.delete(k);
      entry = { count: 0, windowStart: at };
      ipTries.set(ip, entry);
    }
    if (entry.count >= policy.ipMaxFailures) return { ok: false, reason: 'ip', retryAt: entry.windowStart + policy.ipWindowMs };
    entry.count++;
    return { windowStart: entry.windowStart };
  }

  function releaseIp(ip: string, windowStart: number | null) {
    const entry = ipTries.get(ip);
    if (windowStart !== null && entry?.windowStart === windowStart && entry.count > 0) entry.count--;
  }

  // Budgets nobody has tried for a day (and whose lock is over) are forgotten; deleted now and then
  // so that the budgets of one-off sessions and phones do not pile up.
  let sweptAt = 0;
  async function sweep(at: number) {
    if (at - sweptAt < 60 * 60_000) return;
    sweptAt = at;
    await deleteForgottenThrottleRows(db, at - policy.forgetAfterMs, at).catch(() => undefined);
  }

  return {
    policy,

    /** Budgets with at least the free tries used, or locked: the accounts being guessed at (decision 051). */
    async busyBudgets(): Promise<ThrottleRow[]> {
      const at = now();
      return busyThrottleRows(db, { since: at - policy.forgetAfterMs, now: at, minFailures: policy.freeFailures });
    },

    /**
     * Counts this try before its secret is checked, or refuses it without counting. A signature
     * checked inside a worker's push passes `ignoreDelay`: a day's attestations arrive together.
     */
    async reserve(ctx: TryContext, opts: { ignoreDelay?: boolean } = {}): Promise<Reservation | Refusal> {
      const at = now();
      await sweep(at);
      let ipWindow: number | null = null;
      if (ctx.countsAgainstIp) {
        const ip = reserveIp(ctx.ip, at);
        if ('ok' in ip) return ip;
        ipWindow = ip.windowStart;
      }
      // A locked or waiting budget is refused from a plain read, so a flood against it costs no
      // write; a read can only be behind, and a lock it still shows was real a moment ago.
      const seen = live(await throttleRow(db, ctx.key).catch(() => undefined), at);
      if (seen?.locked_until != null) {
        releaseIp(ctx.ip, ipWindow);
        return { ok: false, reason: 'locked', retryAt: seen.locked_until };
      }
      if (seen && !opts.ignoreDelay && at < seen.last_failure_at + delayAfter(seen.failures)) {
        releaseIp(ctx.ip, ipWindow);
        return { ok: false, reason: 'delay', retryAt: seen.last_failure_at + delayAfter(seen.failures) };
      }
      type Counted = { ok: true; tries: number; lockedUntil: number | null };
      const verdict = await updateThrottleRow<Refusal | Counted>(db, ctx.key, (stored) => {
        const row = live(stored, at);
        if (row?.locked_until != null) return { write: null, result: { ok: false, reason: 'locked', retryAt: row.locked_until } };
        const before = row?.failures ?? 0;
        const waitUntil = row ? row.last_failure_at + delayAfter(before) : at;
        if (!opts.ignoreDelay && at < waitUntil) return { write: null, result: { ok: false, reason: 'delay', retryAt: waitUntil } };
        const tries = before + 1;
        const lockedUntil = tries >= policy.maxFailures ? at + policy.lockMs : null;
        return { write: { set: { failures: tries, last_failure_at: at, locked_until: lockedUntil } }, result: { ok: true, tries, lockedUntil } };
      }).catch((err: unknown) => {
        releaseIp(ctx.ip, ipWindow);
        throw err;
      });
      if (!verdict.ok) {
        releaseIp(ctx.ip, ipWindow);
        return verdict;
      }
      const { tries, lockedUntil } = verdict;
      return {
        ok: true,
        tries,
        async succeeded() {
          releaseIp(ctx.ip, ipWindow);
          await deleteThrottleRow(db, ctx.key);
        },
        failed() {
          const delay = delayAfter(tries);
          return {
            attemptsLeft: Math.max(0, policy.maxFailures - tries),
            retryAt: lockedUntil ?? (delay > 0 ? at + delay : null),
            locked: lockedUntil !== null,
          };
        },
        async release() {
          releaseIp(ctx.ip, ipWindow);
          await updateThrottleRow(db, ctx.key, (row) => {
            if (!row || row.failures <= 0) return { write: null, result: undefined };
            if (row.failures === 1) return { write: { delete: true }, result: undefined };
            const failures = row.failures - 1;
            return { write: { set: { failures, last_failure_at: row.last_failure_at, locked_until: failures >= policy.maxFailures ? row.locked_until : null } }, result: undefined };
          });
        },
      };
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
