// Every check of a secret (sign-in, activation, the current PIN when changing it) goes through
// here: the try is reserved with the throttle first, then the secret is checked, then the audit log
// and an answer that says how many tries are left or until when the account is locked.
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { AppError } from '../errors.ts';
import { audit } from '../store/audit.ts';
import type { TryContext } from './throttle.ts';
import { budgetOfKey } from './try-context.ts';

const lockedError = (retryAt: number | null) =>
  new AppError(429, 'account_locked', 'Too many wrong tries: this account is locked for now', { retryAt });

/**
 * `verify` answers the result, or null for a wrong secret. It runs only once the try is counted,
 * so no more than the throttle's limit of tries is ever checked, however many arrive at once; if
 * it throws (the server is too busy to hash, decision 051), the try is given back.
 */
export async function checkCredentials<T>(c: Context<AppEnv>, context: TryContext | string, verify: () => Promise<T | null>, purpose = 'sign_in'): Promise<T> {
  const { throttle, db, now } = c.get('services');
  const ctx: TryContext = typeof context === 'string' ? { key: context, account: context, ip: c.get('ip'), countsAgainstIp: true } : context;
  // A flood is turned away before it costs a write or a hash; someone signed in is never turned away.
  if (!c.get('auth')) c.get('services').passwords.queue.refuseIfFull();
  const reservation = await throttle.reserve(ctx);
  if (!reservation.ok) {
    if (reservation.reason === 'locked') throw lockedError(reservation.retryAt);
    throw new AppError(429, 'rate_limited', 'Please wait a moment before trying again', { retryAt: reservation.retryAt });
  }
  let result: T | null;
  try {
    result = await verify();
  } catch (err) {
    await reservation.release();
    throw err;
  }
  if (result !== null) {
    await reservation.succeeded();
    return result;
  }
  const outcome = reservation.failed();
  const budget = budgetOfKey(ctx.key);
  await audit(db, now(), { event: 'sign_in_failed', subject: ctx.account, ip: ctx.ip, details: { purpose, attemptsLeft: outcome.attemptsLeft, budget } });
  if (outcome.locked) {
    // The office sees it in the audit log and in GET /api/auth/under-attack (decision 051).
    await audit(db, now(), { event: 'lockout', subject: ctx.account, ip: ctx.ip, details: { until: outcome.retryAt, budget, purpose } });
    throw lockedError(outcome.retryAt);
  }
  throw new AppError(401, 'invalid_credentials', 'The details do not match', {
    attemptsLeft: outcome.attemptsLeft,
    ...(outcome.retryAt ? { retryAt: outcome.retryAt } : {}),
  });
}
