// Every check of a secret (sign-in, activation, the current PIN when changing it) goes through
// here: the throttle first, then the check, then the audit log and an answer that says how many
// tries are left or until when the account is locked.
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { AppError } from '../errors.ts';
import { audit } from '../store/audit.ts';

export async function checkCredentials<T>(c: Context<AppEnv>, key: string, verify: () => Promise<T | null>, purpose = 'sign_in'): Promise<T> {
  const { throttle, db, now } = c.get('services');
  const ip = c.get('ip');
  const verdict = await throttle.check(key, ip);
  if (!verdict.ok) {
    const locked = verdict.reason === 'locked';
    throw new AppError(
      429,
      locked ? 'account_locked' : 'rate_limited',
      locked ? 'Too many wrong tries: this account is locked for now' : 'Please wait a moment before trying again',
      { retryAt: verdict.retryAt },
    );
  }
  const result = await verify();
  if (result !== null) {
    await throttle.recordSuccess(key);
    return result;
  }
  const outcome = await throttle.recordFailure(key, ip);
  await audit(db, now(), { event: 'sign_in_failed', subject: key, ip, details: { purpose, attemptsLeft: outcome.attemptsLeft } });
  if (outcome.locked) {
    await audit(db, now(), { event: 'lockout', subject: key, ip, details: { until: outcome.retryAt } });
    throw new AppError(429, 'account_locked', 'Too many wrong tries: this account is locked for now', { retryAt: outcome.retryAt });
  }
  throw new AppError(401, 'invalid_credentials', 'The details do not match', {
    attemptsLeft: outcome.attemptsLeft,
    ...(outcome.retryAt ? { retryAt: outcome.retryAt } : {}),
  });
}
