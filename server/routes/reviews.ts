// /api/reviews: the social-security office's queue of reports from home visits — attestations
// ("cannot do the check"), deaths and moves — and its decisions. Office (admin) only, scoped to
// its region; nobody decides on a report they recorded. What a decision changes: store/visits.ts.
import { Hono } from 'hono';
import { OFFICE } from '../../shared/schemas/office.ts';
import { ReviewFilter } from '../../shared/schemas/worker.ts';
import { UUID7_RE } from '../../shared/uuid7.ts';
import type { AppEnv } from '../context.ts';
import { readBody, reply } from '../http/reply.ts';
import { notFound } from '../errors.ts';
import { privateBytes } from '../http/bytes.ts';
import { validate } from '../http/json.ts';
import { limitBody } from '../http/limits.ts';
import { requireUser } from '../middleware/session.ts';
import { decideReview, listReviews, reviewById, reviewPhoto } from '../store/visits.ts';
import type { Context } from 'hono';

/** A report id from the path; anything that is not a UUIDv7 names nothing. */
function reportId(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!UUID7_RE.test(id)) throw notFound('Report');
  return id;
}

export function reviewRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { user } = requireUser(c, 'admin');
    const filter = validate(ReviewFilter, c.req.query());
    return reply(c, OFFICE.reports, { reports: await listReviews(c.get('services').db, user, filter) });
  });

  app.get('/:id', async (c) => {
    const { user } = requireUser(c, 'admin');
    return reply(c, OFFICE.report, await reviewById(c.get('services').db, user, reportId(c)));
  });

  app.get('/:id/photo', async (c) => {
    const { user } = requireUser(c, 'admin');
    const photo = await reviewPhoto(c.get('services').db, user, reportId(c));
    if (!photo) throw notFound('Photo');
    return privateBytes(c, photo.data, photo.type);
  });

  app.post('/:id/decision', limitBody(2048), async (c) => {
    const { user } = requireUser(c, 'admin');
    const id = reportId(c);
    const decision = await readBody(c, OFFICE.decideReport);
    const { db, now } = c.get('services');
    return reply(c, OFFICE.decideReport, await decideReview(db, user, id, decision, now(), c.get('ip')));
  });

  return app;
}
