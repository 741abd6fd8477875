import { Hono } from 'hono';
import { parseIdNumber } from '../../shared/id-number.ts';
import { pinProblem } from '../../shared/pin.ts';
import { AUTH, type Me } from '../../shared/schemas/auth.ts';
import { STATUS } from '../../shared/schemas/status.ts';
import type { Session, SessionUser } from '../auth/auth_session.ts';
import type { AppEnv, Services } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { limitBody } from '../http/limits.ts';
import { checkCredentials } from '../auth/credentials.ts';
import { tryContext } from '../auth/try-context.ts';
import { requireUser, setSessionCookie } from '../middleware/session.ts';
import { audit } from '../store/audit.ts';
import { retireeById } from '../store/retirees.ts';
import { retireeStatus } from '../store/status.ts';
import { regionById } from '../store/regions.ts';
import { communitiesOfWorker, linkedRetireesOf, setSecret, userById } from '../store/users.ts';
import { readBody, reply } from '../http/reply.ts';

/** Masks the middle of an ID number for people other than its owner. */
export function maskIdNumber(id: string): string {
  return `${id.slice(0, 4)}**********${id.slice(14)}`;
}

/** What the app needs to know about the signed-in user, by role. */
export async function mePayload({ db }: Services, user: SessionUser, session: Pick<Session, 'createdAt' | 'expiresAt'>): Promise<Me> {
  // The start identifies the session to the phone (its expiry moves for some roles): a sign-out
  // made without signal is finished when the phone sees that session again.
  const base = { user: { id: user.id, role: user.role, displayName: user.displayName }, sessionExpiresAt: session.expiresAt, sessionStartedAt: session.createdAt };
  switch (user.role) {
    case 'retiree': {
      const r = await retireeById(db, user.retireeId!);
      return { ...base, retiree: r && { id: r.id, name: r.name, idNumber: r.idNumber, communityName: r.communityName } };
    }
    case 'family': {
      const linked = await linkedRetireesOf(db, user.id);
      return { ...base, retirees: linked.map((r) => ({ ...r, idNumber: maskIdNumber(r.idNumber) })) };
    }
    case 'worker': {
      return { ...base, communities: await communitiesOfWorker(db, user.id) };
    }
    case 'admin': {
      const region = user.regionId ? await regionById(db, user.regionId) : null;
      return { ...base, region: region && { code: region.code, name: region.name } };
    }
  }
}

export function meRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { user, session } = requireUser(c);
    return reply(c, AUTH.me, await mePayload(c.get('services'), user, session));
  });

  app.get('/status', async (c) => {
    const { user } = requireUser(c, 'retiree');
    const { db, now } = c.get('services');
    const retiree = await retireeById(db, user.retireeId!);
    if (!retiree) throw notFound('Retiree');
    return reply(c, STATUS.mine, await retireeStatus(db, retiree, now()));
  });

  app.post('/pin', limitBody(1024), async (c) => {
    const { user, session } = requireUser(c, 'retiree');
    const input = await readBody(c, AUTH.changePin);
    const { db, passwords, now, sessions } = c.get('services');
    const row = await userById(db, user.id);
    const retiree = await retireeById(db, user.retireeId!);
    if (!row?.password_hash || !retiree) throw notFound('Account');
    // Checked under the sign-in throttle, so an unlocked phone left on a table cannot be used to
    // guess the PIN.
    await checkCredentials(c, await tryContext(c, `retiree:${retiree.idNumber}`, user.id, session.deviceId, session.id), async () => ((await passwords.trusted.verify(row.password_hash!, input.currentPin)) ? true : null), 'change_pin');
    const parsed = parseIdNumber(retiree.idNumber);
    const weak = pinProblem(input.newPin, parsed.ok ? parsed.value.birthDate : undefined);
    if (weak) throw new AppError(400, 'weak_pin', 'Choose a PIN that is harder to guess', { problem: weak });
    const at = now();
    await setSecret(db, user.id, await passwords.trusted.hash(input.newPin), at);
    // Other phones signed in with the old PIN are signed out; this one gets a fresh session.
    await sessions.invalidateUserSessions(user.id);
    const fresh = await sessions.createSession(user.id, user.role, session.deviceId);
    setSessionCookie(c, fresh.token, fresh.session.expiresAt);
    await audit(db, at, { event: 'pin_changed', userId: user.id, ip: c.get('ip') });
    return reply(c, AUTH.changePin, { ok: true });
  });

  return app;
}
