// Pull: what the phone caches for offline use. Everyone gets the status of the retirees they act
// for (a retiree: themselves; family: linked retirees; a worker: the roster of their communities),
// incrementally after the first pull, plus fresh challenge tokens.
//
// The cursor is "<change seq>.<date>": the last row of sync_changes the phone has seen (triggers in
// 002-sync.sql append one whenever a certification, retiree, assignment, link or period changes),
// and the server date it was issued on (statuses move with the calendar, so a new day means a full
// pull). A change to the user's own roster, or a global change, also forces a full pull.
import { certificationStatus, type CertificationPeriod, type CertificationRecord } from '../../shared/certification-rules.ts';
import { localDateIn } from '../../shared/dates.ts';
import type { RosterEntry } from '../../shared/sync.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import type { Db, SqlValue } from '../db/sqlite.ts';
import { maskIdNumber } from '../routes/me.ts';

const MAX_INCREMENTAL_CHANGES = 5000;

export async function accessibleRetireeIds(db: Db, user: SessionUser): Promise<number[]> {
  switch (user.role) {
    case 'retiree':
      return user.retireeId ? [user.retireeId] : [];
    case 'family':
      return (await db.all<{ id: number }>('SELECT retiree_id AS id FROM family_links WHERE user_id = ? ORDER BY retiree_id', [user.id])).map((r) => r.id);
    case 'worker':
      return (
        await db.all<{ id: number }>(
          'SELECT r.id FROM retirees r JOIN worker_assignments w ON w.community_id = r.community_id WHERE w.user_id = ? ORDER BY r.id',
          [user.id],
        )
      ).map((r) => r.id);
    case 'admin':
      return [];
  }
}

interface Row {
  id: number;
  id_number: string;
  name: string;
  address: string;
  enrolled_on: string;
  community_name: string;
  community_phone: string | null;
  region_id: number;
  time_zone: string;
  region_phone: string | null;
}

async function inChunks<T>(db: Db, ids: readonly SqlValue[], sql: (marks: string) => string): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 400) {
    const part = ids.slice(i, i + 400);
    out.push(...(await db.all<T>(sql(part.map(() => '?').join(',')), part)));
  }
  return out;
}

/** Status entries for many retirees with a handful of queries (a worker's roster can be long). */
export async function rosterEntries(db: Db, user: SessionUser, ids: readonly number[], now: number): Promise<RosterEntry[]> {
  if (!ids.length) return [];
  const rows = await inChunks<Row>(
    db,
    ids,
    (m) => `SELECT r.id, r.id_number, r.name, r.address, r.enrolled_on, c.name AS community_name, c.office_phone AS community_phone,
                   c.region_id, g.time_zone, g.office_phone AS region_phone
              FROM retirees r JOIN communities c ON c.id = r.community_id JOIN regions g ON g.id = c.region_id
             WHERE r.id IN (${m}) ORDER BY r.id`,
  );
  const regionIds = [...new Set(rows.map((r) => r.region_id))];
  const periods = new Map<number, CertificationPeriod[]>();
  for (const p of await inChunks<{ region_id: number; id: number; year: number; self_start: string; self_end: string; onsite_start: string; onsite_end: string; deadline: string; suspension_date: string }>(
    db,
    regionIds,
    (m) => `SELECT * FROM certification_periods WHERE region_id IN (${m})`,
  )) {
    const list = periods.get(p.region_id) ?? [];
    list.push({ id: p.id, year: p.year, selfStart: p.self_start, selfEnd: p.self_end, onsiteStart: p.onsite_start, onsiteEnd: p.onsite_end, deadline: p.deadline, suspensionDate: p.suspension_date });
    periods.set(p.region_id, list);
  }
  const certs = new Map<number, CertificationRecord[]>();
  for (const c of await inChunks<CertificationRecord & { retireeId: number }>(
    db,
    ids,
    (m) => `SELECT retiree_id AS retireeId, period_id AS periodId, status, method, certified_on AS certifiedOn FROM certifications WHERE retiree_id IN (${m}) ORDER BY certified_at`,
  )) {
    const list = certs.get(c.retireeId) ?? [];
    list.push({ periodId: c.periodId, status: c.status, method: c.method, certifiedOn: c.certifiedOn });
    certs.set(c.retireeId, list);
  }
  return rows.map((r) => {
    const today = localDateIn(r.time_zone, now);
    const entry: RosterEntry = {
      id: r.id,
      name: r.name,
      communityName: r.community_name,
      idNumber: user.role === 'family' ? maskIdNumber(r.id_number) : r.id_number,
      today,
      status: certificationStatus({ periods: periods.get(r.region_id) ?? [], certifications: certs.get(r.id) ?? [], today, enrolledOn: r.enrolled_on }),
      officePhone: r.community_phone ?? r.region_phone,
    };
    if (user.role === 'worker') entry.address = r.address;
    return entry;
  });
}

export interface RosterPull {
  cursor: string;
  full: boolean;
  retirees: RosterEntry[];
  removed: number[];
}

function parseCursor(cursor: string | null): { seq: number; day: string } | null {
  const m = cursor ? /^(\d{1,15})\.(\d{4}-\d{2}-\d{2})$/.exec(cursor) : null;
  return m ? { seq: Number(m[1]), day: m[2]! } : null;
}

export async function pullRoster(db: Db, user: SessionUser, cursor: string | null, now: number, timeZone: string): Promise<RosterPull> {
  const day = localDateIn(timeZone, now);
  const head = (await db.get<{ seq: number | null }>('SELECT max(seq) AS seq FROM sync_changes'))?.seq ?? 0;
  const next = `${head}.${day}`;
  const ids = await accessibleRetireeIds(db, user);
  const from = parseCursor(cursor);

  if (from && from.day === day && from.seq <= head) {
    const changes = await db.all<{ retiree_id: number | null; user_id: number | null }>(
      'SELECT retiree_id, user_id FROM sync_changes WHERE seq > ? AND seq <= ? LIMIT ?',
      [from.seq, head, MAX_INCREMENTAL_CHANGES + 1],
    );
    const forcesFull = changes.length > MAX_INCREMENTAL_CHANGES || changes.some((c) => (c.retiree_id === null && c.user_id === null) || c.user_id === user.id);
    if (!forcesFull) {
      const mine = new Set(ids);
      const changed = [...new Set(changes.map((c) => c.retiree_id).filter((id): id is number => id !== null && mine.has(id)))];
      return { cursor: next, full: false, retirees: await rosterEntries(db, user, changed, now), removed: [] };
    }
  }
  return { cursor: next, full: true, retirees: await rosterEntries(db, user, ids, now), removed: [] };
}
