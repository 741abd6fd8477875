// /api/office/retiree: one retiree's whole record for the office's retiree page (issue 16, decision
// 057). Office (admin) only; a retiree outside the office's region is 404, as one that does not
// exist. Reading the record is access to personal data: it is in the audit log (`retiree_viewed`,
// once per clerk and retiree an hour). Read only: decisions, references, erasure and activation
// codes keep their own routes.
import { Hono } from 'hono';
import { PageQuery, RETIREE_RECORD, type RetireeRecord } from '../../shared/schemas/office-retiree.ts';
import { canAccessRetiree } from '../auth/access.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import type { AppEnv } from '../context.ts';
import { reply } from '../http/reply.ts';
import { notFound } from '../errors.ts';
import { FACE_THRESHOLDS } from '../face/match-rules.ts';
import { idParam, validate } from '../http/json.ts';
import { requireUser } from '../middleware/session.ts';
import {
  attemptsPage,
  auditPage,
  certificationHistory,
  consentsOf,
  familyLinks,
  noteRetireeViewed,
  retireeAccount,
  scopedRetiree,
  visitsPage,
  waitingItems,
} from '../store/office-retiree.ts';
import { referencesOf } from '../store/reference-faces.ts';
import { retireeStatus } from '../store/status.ts';
import { openVisitRequestsOf } from '../store/visit-requests.ts';
import { toFace } from './identity.ts';
import type { Context } from 'hono';

/** The retiree of the office's scope named in the path, with the view noted in the audit log. */
async function viewed(c: Context<AppEnv>, admin: SessionUser) {
  const { db, now } = c.get('services');
  const at = now();
  const id = idParam(c, 'id');
  if (!(await canAccessRetiree(db, admin, id))) throw notFound('Retiree');
  const scoped = await scopedRetiree(db, admin, id, at);
  await noteRetireeViewed(db, admin, scoped.retiree.id, at, c.get('ip'));
  return { ...scoped, at };
}

export function officeRetireeRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/:id', async (c) => {
    const { user } = requireUser(c, 'admin');
    // The query is checked before anything is read or audited: a malformed one is a 400 and no view.
    const { limit } = validate(PageQuery, c.req.query());
    const { db } = c.get('services');
    const { retiree, profile, userId, at } = await viewed(c, user);
    const [account, status, waiting, references, certifications, attempts, visits, family, consents, trail, requests] = await Promise.all([
      retireeAccount(db, retiree.id, userId),
      retireeStatus(db, retiree, at),
      waitingItems(db, retiree.id),
      referencesOf(db, retiree.id),
      certificationHistory(db, retiree.id),
      attemptsPage(db, retiree.id, undefined, limit),
      visitsPage(db, retiree.id, undefined, limit),
      familyLinks(db, retiree.id),
      consentsOf(db, retiree.id),
      auditPage(db, retiree.id, undefined, limit),
      openVisitRequestsOf(db, [retiree.id]),
    ]);
    const body: RetireeRecord = {
      retiree: profile,
      account,
      // An open home-visit request (decision 078): the community worker has yet to answer it.
      status: { today: status.today, state: status.status, waiting, visitRequest: requests.get(retiree.id) ?? null },
      thresholds: { match: FACE_THRESHOLDS.match, mismatch: FACE_THRESHOLDS.mismatch },
      references: references.map(toFace),
      certifications,
      attempts,
      visits,
      family,
      consents,
      audit: trail,
    };
    return reply(c, RETIREE_RECORD.record, body);
  });

  app.get('/:id/attempts', async (c) => {
    const { user } = requireUser(c, 'admin');
    const { before, limit } = validate(PageQuery, c.req.query());
    const { retiree } = await viewed(c, user);
    return reply(c, RETIREE_RECORD.attempts, await attemptsPage(c.get('services').db, retiree.id, before, limit));
  });

  app.get('/:id/visits', async (c) => {
    const { user } = requireUser(c, 'admin');
    const { before, limit } = validate(PageQuery, c.req.query());
    const { retiree } = await viewed(c, user);
    return reply(c, RETIREE_RECORD.visits, await visitsPage(c.get('services').db, retiree.id, before, limit));
  });

  app.get('/:id/audit', async (c) => {
    const { user } = requireUser(c, 'admin');
    const { before, limit } = validate(PageQuery, c.req.query());
    const { retiree } = await viewed(c, user);
    return reply(c, RETIREE_RECORD.audit, await auditPage(c.get('services').db, retiree.id, before, limit));
  });

  return app;
}
