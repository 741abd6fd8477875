// Consent to the face check (docs/decisions/036). Since issue 21 the phone sends its choices in the
// push, through the one outbox (decision 085, server/sync/prepare.ts). POST stays for the installed
// older app, which sends consent here until it updates (it talks to this newer server for days):
// the same rows, so a choice sent either way is stored once. GET serves a new phone, which asks
// before showing the notice again. A resend with the same id is answered with the stored row.
//
//   POST /api/consents   {id, retireeId, choice, noticeVersion, decidedAt} → 201 created / 200 duplicate
//   GET  /api/consents?retireeId=N → {consent: latest or null}
//
// Recording: the retiree for themselves, a family member for a linked retiree, a worker for a
// retiree of their communities (the person holding the phone). The office reads only.
import { Hono } from 'hono';
import { CONSENT } from '../../shared/schemas/consent.ts';
import { canAccessRetiree } from '../auth/access.ts';
import type { AppEnv } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { limitBody } from '../http/limits.ts';
import { readBody, reply } from '../http/reply.ts';
import { requireUser } from '../middleware/session.ts';
import { accessibleRetireeQuery } from '../http/retiree-query.ts';
import { latestConsent, saveConsent } from '../store/consents.ts';

export function consentRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/', limitBody(1024), async (c) => {
    const { user } = requireUser(c, 'retiree', 'family', 'worker');
    const input = await readBody(c, CONSENT.record);
    const { db, now } = c.get('services');
    if (!(await canAccessRetiree(db, user, input.retireeId))) throw notFound('Retiree');
    const saved = await saveConsent(db, user.id, input, now());
    if (saved.kind === 'conflict') throw new AppError(409, 'conflict', 'A different consent was already stored under this id');
    return reply(c, CONSENT.record, { consent: saved.record }, saved.kind === 'created' ? 201 : 200);
  });

  app.get('/', async (c) => {
    const retireeId = await accessibleRetireeQuery(c);
    const { db } = c.get('services');
    return reply(c, CONSENT.latest, { consent: await latestConsent(db, retireeId) });
  });

  return app;
}
