import { Hono } from 'hono';
import { NewPeriod, PeriodDates } from '../../shared/schemas/admin.ts';
import type { AppEnv } from '../context.ts';
import { notFound } from '../errors.ts';
import { readJson, validate } from '../http/json.ts';
import { limitBody } from '../http/limits.ts';
import { requireUser } from '../middleware/session.ts';
import { audit } from '../store/audit.ts';
import { periodsOfRegion, regionByCode, setPeriod } from '../store/regions.ts';
import type { Context } from 'hono';

/** The region in :code if the signed-in admin's office covers it; 404 otherwise. */
async function ownRegion(c: Context<AppEnv>) {
  const { user } = requireUser(c, 'admin');
  const region = await regionByCode(c.get('services').db, c.req.param('code') ?? '').catch(() => null);
  if (!region || (user.regionId !== null && user.regionId !== region.id)) throw notFound('Region');
  return { user, region };
}

export function regionRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/:code/periods', async (c) => {
    const { region } = await ownRegion(c);
    return c.json({ region, periods: await periodsOfRegion(c.get('services').db, region.id) });
  });

  // The office sets (or moves) the yearly window for its region.
  app.put('/:code/periods/:year', limitBody(2048), async (c) => {
    const { user, region } = await ownRegion(c);
    const dates = await readJson(c, PeriodDates);
    const input = validate(NewPeriod, { ...dates, regionCode: region.code, year: Number(c.req.param('year')) });
    const { db, now } = c.get('services');
    const period = await setPeriod(db, input);
    await audit(db, now(), { event: 'period_set', userId: user.id, subject: `region:${region.code}`, details: { ...period } });
    return c.json(period);
  });

  return app;
}
