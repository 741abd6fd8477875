// /api/office: what the office console shows (issue 16): the overview of the certification year and
// the one review queue. Office (admin) only; every count and item is scoped to the office's region
// in the store's SQL. Decisions go through /api/reviews and /api/identity/reviews, which own them.
import { Hono } from 'hono';
import { OFFICE, QueueQuery, type OfficeQueue } from '../../shared/schemas/office.ts';
import type { AppEnv } from '../context.ts';
import { reply } from '../http/reply.ts';
import { FACE_THRESHOLDS } from '../face/match-rules.ts';
import { validate } from '../http/json.ts';
import { requireUser } from '../middleware/session.ts';
import { officeOverview } from '../store/office-overview.ts';
import { officeQueue } from '../store/office-queue.ts';
import { maskIdNumber } from './me.ts';
import { REVIEW_ANSWER_WORKING_DAYS } from '../../shared/certification-rules.ts';
import { addWorkingDays, localDateIn } from '../../shared/dates.ts';

export function officeRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/overview', async (c) => {
    const { user } = requireUser(c, 'admin');
    const { db, now } = c.get('services');
    return reply(c, OFFICE.overview, await officeOverview(db, user, now()));
  });

  app.get('/queue', async (c) => {
    const { user } = requireUser(c, 'admin');
    const query = validate(QueueQuery, c.req.query());
    const { db, now, config } = c.get('services');
    const queue = await officeQueue(db, user, query);
    const today = localDateIn(config.timeZone, now());
    // The phone promised an answer within REVIEW_ANSWER_WORKING_DAYS: the queue holds the office to it.
    const promise = (receivedAt: number) => {
      const answerBy = addWorkingDays(localDateIn(config.timeZone, receivedAt), REVIEW_ANSWER_WORKING_DAYS);
      return { answerBy, late: today > answerBy };
    };
    // A list shows only the ends of an ID number; the item itself (opened through its own route) shows it whole.
    const body: OfficeQueue = {
      ...queue,
      items: queue.items.map((i) => ({ ...i, ...promise(i.receivedAt), retiree: { ...i.retiree, idNumber: maskIdNumber(i.retiree.idNumber) } })),
      thresholds: { match: FACE_THRESHOLDS.match, mismatch: FACE_THRESHOLDS.mismatch },
    };
    return reply(c, OFFICE.queue, body);
  });

  return app;
}
