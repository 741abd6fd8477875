// A retiree's certifications by year, for the History screen (the retiree, or a linked family
// member; staff with access too): GET /api/certifications?retireeId=N → {years: [...]}, newest
// first. Only what the person needs: the year, whether it counts, how and when.
import { Hono } from 'hono';
import { STATUS } from '../../shared/schemas/status.ts';
import type { AppEnv } from '../context.ts';
import { reply } from '../http/reply.ts';
import { accessibleRetireeQuery } from '../http/retiree-query.ts';
import { certificationYears } from '../store/certifications.ts';

export function certificationRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const retireeId = await accessibleRetireeQuery(c);
    return reply(c, STATUS.years, { years: await certificationYears(c.get('services').db, retireeId) });
  });
  return app;
}
