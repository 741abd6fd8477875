// Sign-in, activation and sign-out. Every credential check goes through `checkCredentials`, which
// applies the throttle, writes the audit log and answers with how many tries are left.
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { parseIdNumber } from '../../shared/id-number.ts';
import { pinProblem } from '../../shared/pin.ts';
import { AUTH, type Me } from '../../shared/schemas/auth.ts';
import type { Endpoint } from '../../shared/contract.ts';
import { activationCodeValid, consumeActivationCode } from '../auth/activation.ts';
import type { AppEnv } from '../context.ts';
import { AppError } from '../errors.ts';
import { limitBody } from '../http/limits.ts';
import { checkCredentials } from '../auth/credentials.ts';
import { tryContext } from '../auth/try-context.ts';
import { accountsUnderAttack } from '../auth/under-attack.ts';
import { clearSessionCookie, requireUser, setSessionCookie } from '../middleware/session.ts';
import { audit } from '../store/audit.ts';
import { retireeByIdNumber } from '../store/retirees.ts';
import { rememberDevice } from '../store/devices.ts';
import { ensureRetireeUser, retireeUserByIdNumber, setSecret, userByUsername, type UserRow } from '../store/users.ts';
import { mePayload } from './me.ts';
import { readBody, reply } from '../http/reply.ts';

type Ctx = Context<AppEnv>;

/** Signs the user in on this phone; answers as every sign-in does, with `Me`. */
export async function startSession(c: Ctx, contract: Endpoint<'POST', string, Endpoint['body'], Me>, user: UserRow, deviceId: string | undefined) {
  const { sessions, db, now } = c.get('services');
  const at = now();
  // From now on this phone has its own sign-in budget for this account (decision 051).
  if (deviceId) await rememberDevice(db, deviceId, user.id, c.req.header('user-agent')?.slice(0, 200) ?? null, at);
  const { session, token } = await sessions.createSession(user.id, user.role, deviceId ?? null);
  setSessionCookie(c, token, session.expiresAt);
  await audit(db, at, { event: 'sign_in', userId: user.id, ip: c.get('ip'), details: deviceId ? { deviceId } : undefined });
  return reply(c, contract, await mePayload(c.get('services'), { id: user.id, role: user.role, displayName: user.display_name, retireeId: user.retiree_id, regionId: user.region_id }, session));
}

/**
 * While the hash queue is full, a sign-in is turned away before its body is even read: under a
 * flood the refusal must cost less than anything else the server does (decision 051).
 */
const unlessHashingIsFull: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('auth')) c.get('services').passwords.queue.refuseIfFull();
  await next();
};

export function authRoutes() {
  const app = new Hono<AppEnv>();
  app.use(limitBody(4 * 1024));
  app.use('/sign-in', unlessHashingIsFull);
  app.use('/sign-in/retiree', unlessHashingIsFull);
  app.use('/activate', unlessHashingIsFull);

  app.post('/sign-in/retiree', async (c) => {
    const input = await readBody(c, AUTH.signInRetiree);
    const { db, passwords } = c.get('services');
    const account = `retiree:${input.idNumber}`;
    const row = await retireeUserByIdNumber(db, input.idNumber);
    const user = await checkCredentials(c, await tryContext(c, account, row?.id, input.deviceId), async () => {
      if (!row?.password_hash || row.disabled) {
        await passwords.burn(input.pin);
        return null;
      }
      return (await passwords.verify(row.password_hash, input.pin)) ? row : null;
    });
    return startSession(c, AUTH.signInRetiree, user, input.deviceId);
  });

  app.post('/sign-in', async (c) => {
    const input = await readBody(c, AUTH.signIn);
    const { db, passwords } = c.get('services');
    const account = `user:${input.username}`;
    const row = await userByUsername(db, input.username);
    const user = await checkCredentials(c, await tryContext(c, account, row?.id, input.deviceId), async () => {
      if (!row?.password_hash || row.disabled) {
        await passwords.burn(input.password);
        return null;
      }
      return (await passwords.verify(row.password_hash, input.password)) ? row : null;
    });
    return startSession(c, AUTH.signIn, user, input.deviceId);
  });

  app.post('/activate', async (c) => {
    const input = await readBody(c, AUTH.activate);
    const { db, passwords, now, sessions } = c.get('services');
    const retiree = await retireeByIdNumber(db, input.idNumber);
    const parsed = parseIdNumber(input.idNumber);
    const weak = pinProblem(input.pin, parsed.ok ? parsed.value.birthDate : undefined);
    if (weak) throw new AppError(400, 'weak_pin', 'Choose a PIN that is harder to guess', { problem: weak });
    const account = `retiree:${input.idNumber}`;
    const existing = retiree && (await retireeUserByIdNumber(db, input.idNumber));
    const user = await checkCredentials(c, await tryContext(c, account, existing?.id, input.deviceId), async () => {
      if (!retiree || retiree.enrolment !== 'active') return null;
      // The PIN is hashed only for a code that works, once the throttle has counted the try, and
      // outside the write lock (scrypt takes a third of a second): a flood of made-up codes costs
      // no hashing at all.
      if (!(await activationCodeValid(db, retiree.id, input.code, now()))) return null;
      const hash = await passwords.hash(input.pin);
      return db.transaction(async () => {
        const at = now();
        // Used up meanwhile by another try with the same code: that one won.
        if (!(await consumeActivationCode(db, retiree.id, input.code, at))) return null;
        const row = await ensureRetireeUser(db, retiree.id, retiree.name, at);
        const reset = !!row.password_hash;
        await setSecret(db, row.id, hash, at);
        // A re-activation (a code only the office issues) resets a PIN in use: each phone signed in
        // with the old one is told so when it next asks (decision 051).
        const ended = reset ? await sessions.endUserSessions(row.id, 'pin_reset') : await sessions.invalidateUserSessions(row.id);
        await audit(db, at, { event: reset ? 'reactivated' : 'activated', userId: row.id, subject: `retiree:${retiree.id}`, ip: c.get('ip'), details: reset ? { sessionsEnded: ended } : undefined });
        return { ...row, password_hash: hash };
      });
    }, 'activate').catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'invalid_credentials') {
        throw new AppError(401, 'invalid_activation_code', 'The activation code is wrong, used or expired', err.details);
      }
      throw err;
    });
    return startSession(c, AUTH.activate, user, input.deviceId);
  });

  // The office's list of accounts someone is guessing at (decision 051).
  app.get('/under-attack', async (c) => {
    const { user } = requireUser(c, 'admin');
    return c.json(await accountsUnderAttack(c.get('services'), user));
  });

  app.post('/sign-out', async (c) => {
    const auth = c.get('auth');
    const { sessions, db, now } = c.get('services');
    if (auth) {
      await sessions.invalidateSession(auth.session.id);
      await audit(db, now(), { event: 'sign_out', userId: auth.user.id, ip: c.get('ip') });
    }
    clearSessionCookie(c);
    return reply(c, AUTH.signOut, { ok: true });
  });

  app.post('/sign-out-everywhere', async (c) => {
    const { user } = requireUser(c);
    const { sessions, db, now } = c.get('services');
    const ended = await sessions.invalidateUserSessions(user.id);
    await audit(db, now(), { event: 'sign_out_everywhere', userId: user.id, ip: c.get('ip'), details: { sessions: ended } });
    clearSessionCookie(c);
    return reply(c, AUTH.signOutEverywhere, { ok: true, sessionsEnded: ended });
  });

  return app;
}
