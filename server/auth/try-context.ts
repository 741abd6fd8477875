// Whose budget a sign-in try is taken from (decision 051). A phone the account has signed in on
// before keeps a budget of its own, so guesses from elsewhere cannot lock the retiree out of their
// own phone; every other phone shares the account's budget for unknown devices, and only those
// count against the per-IP cap, which would otherwise lock a whole village behind one carrier NAT.
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { isKnownDevice } from '../store/devices.ts';
import type { TryContext } from './throttle.ts';

/** The account name a throttle key belongs to (`retiree:<ID>`, `user:<name>`). */
export const accountOfKey = (key: string) => key.split('#', 1)[0]!;

/** Which budget a throttle key is: the account's for unknown devices, or one phone's or session's own. */
export const budgetOfKey = (key: string): 'unknown_devices' | 'known_device' => (key.includes('#') ? 'known_device' : 'unknown_devices');

/**
 * `userId`: the account's user, when it exists (a name that matches no account still gets a
 * budget, so a lock reveals nothing). `sessionId`: a try made while signed in (the current PIN
 * when changing it, a worker's signature) is that session's own when its phone is not known.
 */
export async function tryContext(
  c: Context<AppEnv>,
  account: string,
  userId: number | null | undefined,
  deviceId: string | null | undefined,
  sessionId?: string,
): Promise<TryContext> {
  const { db } = c.get('services');
  const ip = c.get('ip');
  if (userId && deviceId && (await isKnownDevice(db, userId, deviceId))) return { key: `${account}#device:${deviceId}`, account, ip, countsAgainstIp: false };
  if (sessionId) return { key: `${account}#session:${sessionId}`, account, ip, countsAgainstIp: false };
  return { key: account, account, ip, countsAgainstIp: true };
}
