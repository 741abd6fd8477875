import { Hono } from 'hono';
import { periodIssues, type PeriodField } from '../../shared/certification-rules.ts';
import { localDateIn } from '../../shared/dates.ts';
import { NewPeriod } from '../../shared/schemas/admin.ts';
import { PeriodChange, SETUP, type PeriodIssueDetail, type RegionPeriods } from '../../shared/schemas/office-setup.ts';
import type { AppEnv } from '../context.ts';
import { readBody, reply } from '../http/reply.ts';
import { AppError, notFound } from '../errors.ts';
import { validate } from '../http/json.ts';
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

const DATE_FIELDS = new Set<string>(['selfStart', 'selfEnd', 'onsiteStart', 'onsiteEnd', 'deadline', 'suspensionDate']);

/** The body, with a date that is not a real date named by its field and code (the console says it in words). */
async function readPeriodChange(c: Context<AppEnv>): Promise<PeriodChange> {
  try {
    return await readBody(c, SETUP.setPeriod);
  } catch (err) {
    const issues = (err as AppError).details?.issues as { path: string; message: string }[] | undefined;
    if (!(err instanceof AppError) || !issues) throw err;
    const coded = issues.map((i) => (DATE_FIELDS.has(i.path) ? { ...i, code: 'invalid_date' } : i));
    throw new AppError(err.status, err.code, err.message, { ...err.details, issues: coded });
  }
}

const refusal = (status: 400 | 409, code: 'validation_failed' | 'conflict', issues: PeriodIssueDetail[]) =>
  new AppError(status, code, issues.map((i) => i.message).join('; '), { issues });

export function regionRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/:code/periods', async (c) => {
    const { region } = await ownRegion(c);
    const { db, now } = c.get('services');
    const body: RegionPeriods = {
      region: { id: region.id, code: region.code, name: region.name },
      today: localDateIn(region.timeZone, now()),
      periods: await periodsOfRegion(db, region.id),
    };
    return reply(c, SETUP.periods, body);
  });

  // The office sets (or moves) the yearly window for its region. Every rule a period breaks is
  // answered with its field and code (decision 058). A period whose deadline has passed (or would
  // have) changes who is overdue and suspended after the fact: only with `confirmPast`.
  app.put('/:code/periods/:year', limitBody(2048), async (c) => {
    const { user, region } = await ownRegion(c);
    const { confirmPast, ...dates } = await readPeriodChange(c);
    const year = Number(c.req.param('year'));
    const input = validate(NewPeriod.pipe[0], { ...dates, regionCode: region.code, year });
    const issues = periodIssues(input);
    if (issues.length) throw refusal(400, 'validation_failed', issues.map((i) => ({ path: i.field, code: i.code, message: i.message })));
    const { db, now } = c.get('services');
    const at = now();
    const today = localDateIn(region.timeZone, at);
    const before = (await periodsOfRegion(db, region.id)).find((p) => p.year === year) ?? null;
    if (!confirmPast && ((before && before.deadline < today) || input.deadline < today)) {
      throw refusal(409, 'conflict', [
        { path: 'deadline' satisfies PeriodField, code: 'deadline_passed', message: `The deadline of ${year} ${before && before.deadline < today ? 'has passed' : 'would be in the past'}: changing it changes who is overdue or suspended; confirm to go ahead` },
      ]);
    }
    const period = await setPeriod(db, input);
    await audit(db, at, {
      event: 'period_set',
      userId: user.id,
      subject: `region:${region.code}`,
      ip: c.get('ip'),
      details: { ...period, ...(before ? { before: { ...before, id: undefined } } : {}), ...(confirmPast ? { confirmedPast: true } : {}) },
    });
    return reply(c, SETUP.setPeriod, period);
  });

  return app;
}
