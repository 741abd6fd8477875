import type { CertificationPeriod } from '../../shared/certification-rules.ts';
import type { NewCommunity, NewPeriod, NewRegion } from '../../shared/schemas/admin.ts';
import { inChunks } from '../db/in-chunks.ts';
import type { Db } from '../db/sqlite.ts';
import { AppError, notFound } from '../errors.ts';

export interface Region {
  id: number;
  code: string;
  name: string;
  timeZone: string;
  officePhone: string | null;
}

interface RegionRow {
  id: number;
  code: string;
  name: string;
  time_zone: string;
  office_phone: string | null;
}

const toRegion = (r: RegionRow): Region => ({ id: r.id, code: r.code, name: r.name, timeZone: r.time_zone, officePhone: r.office_phone });

/** Whether any region exists yet: a database without one is new (the demo seeds only such a one). */
export async function hasAnyRegion(db: Db): Promise<boolean> {
  return (await db.get('SELECT 1 AS yes FROM regions LIMIT 1')) !== undefined;
}

export async function createRegion(db: Db, input: NewRegion, at: number): Promise<Region> {
  if (await db.get('SELECT 1 FROM regions WHERE code = ?', [input.code])) {
    throw new AppError(409, 'conflict', `Region ${input.code} already exists`);
  }
  const { lastId } = await db.run(`INSERT INTO regions (code, name, time_zone, office_phone, created_at) VALUES (?, ?, ?, ?, ?) ${db.dialect.returningId}`, [
    input.code,
    input.name,
    input.timeZone,
    input.officePhone ?? null,
    at,
  ]);
  return { id: lastId, code: input.code, name: input.name, timeZone: input.timeZone, officePhone: input.officePhone ?? null };
}

export async function regionByCode(db: Db, code: string): Promise<Region> {
  const row = await db.get<RegionRow>('SELECT * FROM regions WHERE code = ?', [code]);
  if (!row) throw notFound(`Region ${code}`);
  return toRegion(row);
}

export async function regionById(db: Db, id: number): Promise<Region> {
  const row = await db.get<RegionRow>('SELECT * FROM regions WHERE id = ?', [id]);
  if (!row) throw notFound('Region');
  return toRegion(row);
}

/** The community of that name in the region, if there is one (names are unique within a region). */
export async function communityIdByName(db: Db, regionId: number, name: string): Promise<number | undefined> {
  return (await db.get<{ id: number }>('SELECT id FROM communities WHERE region_id = ? AND name = ?', [regionId, name]))?.id;
}

export async function createCommunity(db: Db, input: NewCommunity): Promise<{ id: number; regionId: number; name: string }> {
  const region = await regionByCode(db, input.regionCode);
  if ((await communityIdByName(db, region.id, input.name)) !== undefined) {
    throw new AppError(409, 'conflict', `Community "${input.name}" already exists in ${region.code}`);
  }
  const { lastId } = await db.run(`INSERT INTO communities (region_id, name, office_phone) VALUES (?, ?, ?) ${db.dialect.returningId}`, [
    region.id,
    input.name,
    input.officePhone ?? null,
  ]);
  return { id: lastId, regionId: region.id, name: input.name };
}

interface PeriodRow {
  id: number;
  year: number;
  self_start: string;
  self_end: string;
  onsite_start: string;
  onsite_end: string;
  deadline: string;
  suspension_date: string;
}

const toPeriod = (r: PeriodRow): CertificationPeriod => ({
  id: r.id,
  year: r.year,
  selfStart: r.self_start,
  selfEnd: r.self_end,
  onsiteStart: r.onsite_start,
  onsiteEnd: r.onsite_end,
  deadline: r.deadline,
  suspensionDate: r.suspension_date,
});

export async function periodsOfRegion(db: Db, regionId: number): Promise<CertificationPeriod[]> {
  const rows = await db.all<PeriodRow>('SELECT * FROM certification_periods WHERE region_id = ? ORDER BY self_start', [regionId]);
  return rows.map(toPeriod);
}

/** The periods of each of these regions, by region (in no particular order within a region). */
export async function periodsOfRegions(db: Db, regionIds: readonly number[]): Promise<Map<number, CertificationPeriod[]>> {
  const out = new Map<number, CertificationPeriod[]>();
  for (const p of await inChunks<PeriodRow & { region_id: number }>(db, regionIds, (m) => `SELECT * FROM certification_periods WHERE region_id IN (${m})`)) {
    const list = out.get(p.region_id) ?? [];
    list.push(toPeriod(p));
    out.set(p.region_id, list);
  }
  return out;
}

/** Creates or replaces the period of a region for a year (the office may move its dates). */
export async function setPeriod(db: Db, input: NewPeriod): Promise<CertificationPeriod> {
  const region = await regionByCode(db, input.regionCode);
  const start = input.onsiteStart < input.selfStart ? input.onsiteStart : input.selfStart;
  for (const other of await periodsOfRegion(db, region.id)) {
    const otherStart = other.onsiteStart < other.selfStart ? other.onsiteStart : other.selfStart;
    const clash = other.year < input.year ? other.deadline >= start : other.year > input.year ? otherStart <= input.deadline : false;
    if (clash) {
      // Named by the field to move: the start when it runs into an earlier year, the deadline into a later one.
      const path = other.year < input.year ? 'selfStart' : 'deadline';
      const message = `The ${input.year} period overlaps the ${other.year} period`;
      throw new AppError(409, 'conflict', message, { issues: [{ path, code: 'overlaps', otherYear: other.year, message }] });
    }
  }
  const values = [input.selfStart, input.selfEnd, input.onsiteStart, input.onsiteEnd, input.deadline, input.suspensionDate];
  await db.run(
    `INSERT INTO certification_periods (region_id, year, self_start, self_end, onsite_start, onsite_end, deadline, suspension_date)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (region_id, year) DO UPDATE SET self_start = excluded.self_start, self_end = excluded.self_end,
       onsite_start = excluded.onsite_start, onsite_end = excluded.onsite_end, deadline = excluded.deadline,
       suspension_date = excluded.suspension_date`,
    [region.id, input.year, ...values],
  );
  const row = await db.get<PeriodRow>('SELECT * FROM certification_periods WHERE region_id = ? AND year = ?', [region.id, input.year]);
  return toPeriod(row!);
}
