// Family service (issue 19, decisions 070 and 071): a family member signs up, asks to help a
// retiree, and the retiree, a worker of the retiree's community or the office approves or declines;
// any of the retiree, the family member and the office can end a link. The retiree's and the
// worker's decisions also travel through the push (offline, idempotent: server/sync/prepare.ts);
// these routes are the online way, and the office's.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { FAMILY, type LinkSync } from '../../shared/schemas/family.ts';
import { canAccessRetiree } from '../auth/access.ts';
import type { AppEnv } from '../context.ts';
import { readBody, reply } from '../http/reply.ts';
import { AppError, notFound } from '../errors.ts';
import { idParam } from '../http/json.ts';
import { limitBody } from '../http/limits.ts';
import { requireUser } from '../middleware/session.ts';
import { audit } from '../store/audit.ts';
import {
  createLinkRequest,
  decideLinkRequest,
  endFamilyLink,
  incomingForRegion,
  myLinkRequests,
  pendingRequestRetiree,
  REQUEST_LIMITS,
  requestCounts,
  withdrawLinkRequest,
} from '../store/family-link-requests.ts';
import { recordSignUp, signUpCounts } from '../store/family-sign-ups.ts';
import { createFamilyUser } from '../store/users.ts';
import { startSession } from './auth.ts';
import { linkSync } from '../sync/link-sync.ts';

type Ctx = Context<AppEnv>;

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/**
 * Sign-ups without a CAPTCHA (decision 070): a few an hour and a day from one address, and a
 * ceiling an hour for everyone, which a script spread over many addresses meets first. A new
 * account can see nothing until someone approves its request, so what a script gains is little.
 */
export interface SignUpLimits {
  perIpHour: number;
  perIpDay: number;
  allHour: number;
}
export const DEFAULT_SIGN_UP_LIMITS: SignUpLimits = { perIpHour: 5, perIpDay: 20, allHour: 300 };

function tooMany(retryAt: number): never {
  throw new AppError(429, 'rate_limited', 'Too many sign-ups: try again later', { retryAt });
}

export function familyRoutes(limits: SignUpLimits = DEFAULT_SIGN_UP_LIMITS) {
  const app = new Hono<AppEnv>();
  app.use(limitBody(4 * 1024));

  app.post('/sign-up', async (c) => {
    const { db, now, passwords } = c.get('services');
    // Under a flood of sign-ins and sign-ups the hashing queue says no before anything is read.
    passwords.queue.refuseIfFull();
    const input = await readBody(c, FAMILY.signUp);
    const at = now();
    const ip = c.get('ip');
    const counts = await signUpCounts(db, ip, at);
    if (counts.ipHour >= limits.perIpHour || counts.allHour >= limits.allHour) tooMany(at + HOUR);
    if (counts.ipDay >= limits.perIpDay) tooMany(at + DAY);
    // Counted before the password is hashed, like a sign-in try (decision 051): a burst cannot all
    // pass the check above while the first ones are still hashing.
    await recordSignUp(db, ip, at);
    const hash = await passwords.hash(input.password);
    const user = await db.transaction(async () => {
      const row = await createFamilyUser(db, { username: input.username, displayName: input.displayName, phone: input.phone, hash }, now());
      if (row) await audit(db, now(), { event: 'family_signed_up', userId: row.id, subject: `user:${row.username}`, ip, about: { userId: row.id } });
      return row;
    });
    if (!user) throw new AppError(409, 'conflict', 'This username is taken', { reason: 'username_taken' });
    return startSession(c, FAMILY.signUp, user, input.deviceId);
  });

  // What the signed-in person may know about family links, as a pull carries it.
  app.get('/links', async (c) => {
    const { user } = requireUser(c, 'retiree', 'family', 'worker');
    const { db, now } = c.get('services');
    const body: LinkSync = await linkSync(db, user, now());
    return reply(c, FAMILY.links, body);
  });

  app.post('/requests', async (c) => {
    const { user } = requireUser(c, 'family');
    const input = await readBody(c, FAMILY.request);
    const { db, now } = c.get('services');
    const at = now();
    const counts = await requestCounts(db, user.id, at - DAY, at);
    if (counts.open >= REQUEST_LIMITS.open) throw new AppError(429, 'rate_limited', 'Too many requests are open: wait for them or take one back', { reason: 'open_requests' });
    if (counts.recent >= REQUEST_LIMITS.perDay) throw new AppError(429, 'rate_limited', 'Too many requests today', { reason: 'requests_today', retryAt: at + DAY });
    const { id } = await createLinkRequest(db, user.id, input, at);
    // The same answer whether or not the ID number and name are somebody's (decision 070).
    return reply(c, FAMILY.request, { request: { id, name: input.name, relation: input.relation, state: 'pending', requestedAt: at } }, 201);
  });

  app.get('/requests', async (c) => {
    const { user } = requireUser(c, 'family', 'admin');
    const { db, now } = c.get('services');
    if (user.role === 'family') return reply(c, FAMILY.myRequests, { requests: await myLinkRequests(db, user.id, now()) });
    const rows = await incomingForRegion(db, user.regionId, now());
    return reply(c, FAMILY.officeRequests, { requests: rows.map((r) => ({ ...r, idNumber: `${r.idNumber.slice(0, 4)}**********${r.idNumber.slice(14)}` })) });
  });

  app.post('/requests/:id/decision', async (c) => {
    const { user } = requireUser(c, 'retiree', 'worker', 'admin');
    const { decision } = await readBody(c, FAMILY.decide);
    const { db, now } = c.get('services');
    const requestId = idParam(c, 'id');
    const retireeId = await pendingRequestRetiree(db, requestId, now());
    // Someone else's request, or one that is not open: the same 404, so nothing can be probed.
    if (retireeId === undefined || !(await canAccessRetiree(db, user, retireeId))) throw notFound('Request');
    const via = user.role === 'retiree' ? 'retiree' : user.role === 'worker' ? 'worker' : 'office';
    const state = await decideLinkRequest(db, { requestId, retireeId, decision, by: user.id, via, ip: c.get('ip'), at: now() });
    if (state === 'stale') throw new AppError(409, 'conflict', 'This request can no longer be decided', { reason: 'request_closed' });
    return reply(c, FAMILY.decide, { state });
  });

  app.delete('/requests/:id', async (c) => {
    const { user } = requireUser(c, 'family');
    const { db, now } = c.get('services');
    if (!(await withdrawLinkRequest(db, user.id, idParam(c, 'id'), now(), c.get('ip')))) throw notFound('Request');
    return reply(c, FAMILY.withdraw, { ok: true });
  });

  // The family member stops helping a retiree.
  app.delete('/links/:retireeId', async (c) => {
    const { user } = requireUser(c, 'family');
    const { db, now } = c.get('services');
    const ended = await endFamilyLink(db, { familyUserId: user.id, retireeId: idParam(c, 'retireeId'), by: user.id, byRole: 'family', ip: c.get('ip'), at: now() });
    if (!ended) throw notFound('Link');
    return reply(c, FAMILY.endLink, { ok: true });
  });

  // The retiree stops a family member helping them.
  app.delete('/helpers/:familyUserId', async (c) => {
    const { user } = requireUser(c, 'retiree');
    const { db, now } = c.get('services');
    if (!user.retireeId) throw notFound('Link');
    const ended = await endFamilyLink(db, { familyUserId: idParam(c, 'familyUserId'), retireeId: user.retireeId, by: user.id, byRole: 'retiree', ip: c.get('ip'), at: now() });
    if (!ended) throw notFound('Link');
    return reply(c, FAMILY.endHelper, { ok: true });
  });

  return app;
}
