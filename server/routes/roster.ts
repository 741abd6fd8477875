// /api/roster: the community worker's roster when online (the phone's offline copy comes through
// /api/sync/pull). Workers only; every answer is scoped to their assigned communities.
import { Hono } from 'hono';
import { ROSTER, RosterQuery } from '../../shared/schemas/worker.ts';
import type { AppEnv } from '../context.ts';
import { idParam, validate } from '../http/json.ts';
import { reply } from '../http/reply.ts';
import { requireUser } from '../middleware/session.ts';
import { rosterDetail, rosterList } from '../store/roster.ts';

export function rosterRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { user } = requireUser(c, 'worker');
    const query = validate(RosterQuery, c.req.query());
    const { db, now, config } = c.get('services');
    return reply(c, ROSTER.list, await rosterList(db, user, query, now(), config.timeZone));
  });

  app.get('/:id', async (c) => {
    const { user } = requireUser(c, 'worker');
    const { db, now } = c.get('services');
    return reply(c, ROSTER.retiree, await rosterDetail(db, user, idParam(c, 'id'), now()));
  });

  return app;
}
