// /api/office/people: the office's accounts in its console (issue 16, decision 059). Office (admin)
// only. Whom an office may see or touch is decided in the store's SQL (office-people.ts); an account,
// community or link outside its scope is answered 404, as if it did not exist. Every change is
// written with its audit entry in one transaction, through the same store functions the admin CLI
// uses (users.ts), so each rule lives in one place.
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { newPassword } from '../../shared/schemas/auth.ts';
import {
  LinksQuery, PeopleQuery,
  type FamilyLink, type LinksPage, type PeopleOptions, type Person, type PersonWithPassword,
  PEOPLE,
} from '../../shared/schemas/office-people.ts';
import type { PasswordHasher } from '../auth/password.ts';
import type { AppEnv } from '../context.ts';
import { readBody, reply } from '../http/reply.ts';
import { AppError, forbidden, notFound } from '../errors.ts';
import { idParam, validate } from '../http/json.ts';
import { limitBody } from '../http/limits.ts';
import { requireUser } from '../middleware/session.ts';
import { audit } from '../store/audit.ts';
import { deleteAccountThrottleRows } from '../store/login-throttle.ts';
import { communitiesInScope, communityInScope, familyLinkInScope, familyLinksPage, peoplePage, personInScope, regionsInScope } from '../store/office-people.ts';
import { regionById } from '../store/regions.ts';
import { assignWorker, createStaffUser, resetSecret, setUserDisabled, unassignWorker, unlinkFamily } from '../store/users.ts';
import { maskIdNumber } from './me.ts';

/** A first or new password: 16 characters from 96 random bits, within the password rules (auth.ts). */
function generatedPassword(): string {
  return v.parse(newPassword, randomBytes(12).toString('base64url'));
}

function office(c: Context<AppEnv>) {
  const { user } = requireUser(c, 'admin');
  const { db, now, passwords } = c.get('services');
  const person = async (id: number) => {
    const p = await personInScope(db, user.regionId, user.id, id);
    if (!p) throw notFound('Account');
    return p;
  };
  return { user, db, at: now(), ip: c.get('ip'), passwords, person };
}

/** Nobody changes their own standing from here: an office that disabled itself could not undo it. */
function notSelf(p: Person) {
  if (p.self) throw forbidden('You cannot do this to your own account');
}

const maskLink = (l: FamilyLink): FamilyLink => ({ ...l, retiree: { ...l.retiree, idNumber: maskIdNumber(l.retiree.idNumber) } });

export function officePeopleRoutes() {
  const app = new Hono<AppEnv>();
  app.use(limitBody(4 * 1024));

  app.get('/', async (c) => {
    const { user, db } = office(c);
    return reply(c, PEOPLE.page, await peoplePage(db, user.regionId, user.id, validate(PeopleQuery, c.req.query())));
  });

  app.get('/options', async (c) => {
    const { user, db } = office(c);
    const body: PeopleOptions = { communities: await communitiesInScope(db, user.regionId), regions: await regionsInScope(db, user.regionId) };
    return reply(c, PEOPLE.options, body);
  });

  app.post('/', async (c) => {
    const { user, db, at, ip, passwords } = office(c);
    const input = await readBody(c, PEOPLE.create);
    // An office creates accounts in its own region only; one without a region names the region.
    const own = user.regionId === null ? null : (await regionById(db, user.regionId)).code;
    if (own && input.regionCode && input.regionCode !== own) throw forbidden('An office creates accounts in its own region only');
    const regionCode = own ?? input.regionCode;
    if (input.role === 'admin' && !regionCode) throw new AppError(400, 'validation_failed', 'regionCode: an office account needs its region');
    if (regionCode && !(await regionsInScope(db, user.regionId)).some((r) => r.code === regionCode)) throw notFound('Region');
    const password = generatedPassword();
    // The scrypt runs before the write lock is taken, not inside the transaction.
    const hash = await passwords.hash(password);
    const prehashed: PasswordHasher = { ...passwords, hash: async () => hash };
    const created = await db.transaction(async () => {
      const row = await createStaffUser(db, prehashed, { role: input.role, username: input.username, password, displayName: input.displayName, phone: input.phone || undefined, regionCode }, at);
      await audit(db, at, { event: 'user_created', userId: user.id, subject: `user:${row.username}`, ip, details: { role: row.role, region: regionCode ?? null } });
      return row;
    });
    const body: PersonWithPassword = { person: (await personInScope(db, user.regionId, user.id, created.id))!, password };
    return reply(c, PEOPLE.create, body, 201);
  });

  app.post('/:id{[0-9]+}/assignments', async (c) => {
    const { user, db, at, ip, person } = office(c);
    const worker = await person(idParam(c, 'id'));
    if (worker.role !== 'worker') throw new AppError(400, 'validation_failed', 'Only a worker covers communities');
    const { communityId } = await readBody(c, PEOPLE.assign);
    const community = await communityInScope(db, user.regionId, communityId);
    if (!community) throw notFound('Community');
    if (!worker.communities.some((x) => x.id === community.id)) {
      await db.transaction(async () => {
        await assignWorker(db, worker.id, community.id, at);
        await audit(db, at, { event: 'worker_assigned', userId: user.id, subject: `user:${worker.username}`, ip, details: { community: community.name, communityId: community.id } });
      });
    }
    return reply(c, PEOPLE.assign, await person(worker.id));
  });

  // The worker's phone drops the community's retirees on its next pull (the trigger on
  // worker_assignments forces a full one, decision 042); the server refuses them at once.
  app.delete('/:id{[0-9]+}/assignments/:community{[0-9]+}', async (c) => {
    const { user, db, ip, at, person } = office(c);
    const worker = await person(idParam(c, 'id'));
    const community = await communityInScope(db, user.regionId, idParam(c, 'community'));
    if (!community) throw notFound('Community');
    await db.transaction(async () => {
      if (!(await unassignWorker(db, worker.id, community.id))) throw notFound('Assignment');
      await audit(db, at, { event: 'worker_unassigned', userId: user.id, subject: `user:${worker.username}`, ip, details: { community: community.name, communityId: community.id } });
    });
    return reply(c, PEOPLE.unassign, await person(worker.id));
  });

  for (const [path, disable] of [['disable', true], ['enable', false]] as const) {
    app.post(`/:id{[0-9]+}/${path}`, async (c) => {
      const { user, db, at, ip, person } = office(c);
      const target = await person(idParam(c, 'id'));
      notSelf(target);
      if (target.disabled !== disable) {
        await db.transaction(async () => {
          // Disabling deletes the account's sessions in the same transaction (users.ts): its next request is refused.
          const ended = await setUserDisabled(db, target.id, disable, at);
          await audit(db, at, { event: disable ? 'user_disabled' : 'user_enabled', userId: user.id, subject: `user:${target.username}`, ip, details: disable ? { sessionsEnded: ended } : undefined });
        });
      }
      return reply(c, PEOPLE[path], await person(target.id));
    });
  }

  app.post('/:id{[0-9]+}/password', async (c) => {
    const { user, db, at, ip, passwords, person } = office(c);
    const target = await person(idParam(c, 'id'));
    notSelf(target);
    const password = generatedPassword();
    const hash = await passwords.hash(password);
    await db.transaction(async () => {
      const ended = await resetSecret(db, target.id, hash, at);
      // The person the office just helped must be able to sign in at once (as the CLI's reset-password).
      await deleteAccountThrottleRows(db, `user:${target.username}`);
      await audit(db, at, { event: 'password_reset', userId: user.id, subject: `user:${target.username}`, ip, details: { sessionsEnded: ended } });
    });
    const body: PersonWithPassword = { person: await person(target.id), password };
    return reply(c, PEOPLE.resetPassword, body);
  });

  app.get('/links', async (c) => {
    const { user, db } = office(c);
    const page = await familyLinksPage(db, user.regionId, validate(LinksQuery, c.req.query()));
    const body: LinksPage = { ...page, items: page.items.map(maskLink) };
    return reply(c, PEOPLE.links, body);
  });

  app.delete('/links/:user{[0-9]+}/:retiree{[0-9]+}', async (c) => {
    const { user, db, at, ip } = office(c);
    const link = await familyLinkInScope(db, user.regionId, idParam(c, 'user'), idParam(c, 'retiree'));
    if (!link) throw notFound('Family link');
    await db.transaction(async () => {
      if (!(await unlinkFamily(db, link.userId, link.retiree.id))) throw notFound('Family link');
      await audit(db, at, {
        event: 'family_link_ended',
        userId: user.id,
        subject: `retiree:${link.retiree.id}`,
        ip,
        details: { family: link.username, relation: link.relation, since: link.since },
        about: { userId: link.userId },
      });
    });
    return reply(c, PEOPLE.endLink, maskLink(link));
  });

  return app;
}
