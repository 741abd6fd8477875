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
import type { PullResponse, RosterEntry, RosterVisit, SignatureKey, VisitKind } from '../../shared/sync.ts';
import { sessionStillHolds, type Session, type SessionUser } from '../auth/auth_session.ts';
import type { Db, SqlValue } from '../db/sqlite.ts';
import { maskIdNumber } from '../routes/me.ts';
import { outcomesOf, verifyingSince } from '../store/attempts.ts';
import { withReference } from '../store/reference-faces.ts';
import { liveSessionRow } from '../store/live-sessions.ts';
import { lastSeqOf } from '../store/sync-clients.ts';
import { grantChallenges } from './tokens.ts';

const MAX_INCREMENTAL_CHANGES = 5000;

/**
 * Everything a pull answers, from reads only: it runs on the pull thread's read-only connection in
 * the server (decision 053), in process in tests. What needs a write to exist the first time (the
 * token secret, the signature key) comes from the main thread with the job.
 */
export interface PullJob {
  user: SessionUser;
  /**
   * The session the request was granted, often from memory without the auth epoch (decision 046):
   * its row is read again here, before anything else, and the pull is answered only if it holds.
   */
  session: Session;
  deviceId: string;
  cursor: string | null;
  wantChallenges: number;
  attempts: string[];
  now: number;
  timeZone: string;
  /** The challenge-signing secret (tokens.ts signingSecret). A Buffer, or its bytes after crossing to the thread. */
  secret: Uint8Array;
  /** Workers only (decision 041). */
  signatureKey: SignatureKey | null;
}

/** The pull's answer; null when the session no longer holds (the request gets a 401). */
export async function answerPull(db: Db, job: PullJob): Promise<PullResponse | null> {
  const { user, deviceId, now } = job;
  if (!sessionStillHolds(await liveSessionRow(db, job.session.id), { session: job.session, user }, now)) return null;
  const roster = await pullRoster(db, user, job.cursor, now, job.timeZone);
  const secret = Buffer.from(job.secret.buffer, job.secret.byteOffset, job.secret.byteLength);
  const challenges = job.wantChallenges ? grantChallenges(secret, user.id, deviceId, job.wantChallenges, now) : [];
  const lastSeq = await lastSeqOf(db, deviceId, user.id);
  const attempts = await outcomesOf(db, user.id, job.attempts);
  return { ...roster, challenges, attempts, lastSeq, serverTime: now, ...(job.signatureKey ? { signatureKey: job.signatureKey } : {}) };
}

export async function accessibleRetireeIds(db: Db, user: SessionUser): Promise<number[]> {
  switch (user.role) {
    case 'retiree':
      return user.retireeId ? [user.retireeId] : [];
    case 'family':
      return (await db.all<{ id: number }>('SELECT retiree_id AS id FROM family_links WHERE user_id = ? ORDER BY retiree_id', [user.id])).map((r) => r.id);
    case 'worker':
      // The rounds: retirees of the assigned communities who still draw a pension here. A death or
      // a move the office has approved takes the retiree off the roster (the phone gets `removed`).
      return (
        await db.all<{ id: number }>(
          `SELECT r.id FROM retirees r JOIN worker_assignments w ON w.community_id = r.community_id
            WHERE w.user_id = ? AND r.enrolment NOT IN ('deceased', 'moved', 'stopped') ORDER BY r.id`,
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
  phone: string | null;
  notes: string | null;
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
    (m) => `SELECT r.id, r.id_number, r.name, r.address, r.phone, r.notes, r.enrolled_on, c.name AS community_name, c.office_phone AS community_phone,
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
  const visits = user.role === 'worker' ? await lastVisits(db, ids, now) : new Map<number, RosterVisit>();
  const verifying = await verifyingSince(db, ids);
  const referenced = user.role === 'worker' ? await withReference(db, ids) : new Set<number>();
  const years = new Map<number, number>();
  for (const list of periods.values()) for (const p of list) years.set(p.id, p.year);
  return rows.map((r) => {
    const today = localDateIn(r.time_zone, now);
    const entry: RosterEntry = {
      id: r.id,
      name: r.name,
      communityName: r.community_name,
      idNumber: user.role === 'family' ? maskIdNumber(r.id_number) : r.id_number,
      today,
      status: certificationStatus({
        periods: periods.get(r.region_id) ?? [],
        certifications: certs.get(r.id) ?? [],
        today,
        enrolledOn: r.enrolled_on,
        verifyingSince: verifying.get(r.id) ?? null,
      }),
      officePhone: r.community_phone ?? r.region_phone,
    };
    if (user.role === 'worker') {
      entry.address = r.address;
      entry.phone = r.phone;
      entry.notes = r.notes;
      const last = (certs.get(r.id) ?? []).filter((c) => c.status === 'approved').at(-1);
      entry.lastCertification = last ? { year: years.get(last.periodId) ?? Number(last.certifiedOn.slice(0, 4)), on: last.certifiedOn, method: last.method } : null;
      entry.lastVisit = visits.get(r.id) ?? null;
      entry.hasReference = referenced.has(r.id);
    }
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
    const changes = await db.all<{ retiree_id: number | null; user_id: number | null; community_id: number | null }>(
      'SELECT retiree_id, user_id, community_id FROM sync_changes WHERE seq > ? AND seq <= ? LIMIT ?',
      [from.seq, head, MAX_INCREMENTAL_CHANGES + 1],
    );
    // A global change, or one of this user's own links or assignments ending, needs a full pull. A
    // new assignment (user + community) only adds that community's retirees (decision 042).
    const forcesFull =
      changes.length > MAX_INCREMENTAL_CHANGES ||
      changes.some((c) => (c.retiree_id === null && c.user_id === null) || (c.user_id === user.id && c.community_id === null));
    if (!forcesFull) {
      const mine = new Set(ids);
      const joined = new Set(changes.filter((c) => c.user_id === user.id && c.community_id !== null).map((c) => c.community_id!));
      const changed = new Set(changes.map((c) => c.retiree_id).filter((id): id is number => id !== null && mine.has(id)));
      if (joined.size) {
        for (const r of await inChunks<{ id: number }>(db, [...joined], (m) => `SELECT id FROM retirees WHERE community_id IN (${m})`)) if (mine.has(r.id)) changed.add(r.id);
      }
      const removed = await removedFor(db, user, changes, mine);
      return { cursor: next, full: false, retirees: await rosterEntries(db, user, [...changed], now), removed };
    }
  }
  return { cursor: next, full: true, retirees: await rosterEntries(db, user, ids, now), removed: [] };
}

/**
 * Retirees that changed and are no longer on this worker's roster although they were in (or still
 * are in) one of the worker's communities: moved to another community, or taken off the rounds by
 * an approved death or move. Only ids the worker could have had are named, so nothing about other
 * communities leaks. Families and retirees never lose anyone incrementally (their links changing
 * forces a full pull).
 */
async function removedFor(db: Db, user: SessionUser, changes: { retiree_id: number | null; community_id: number | null }[], mine: Set<number>): Promise<number[]> {
  if (user.role !== 'worker') return [];
  const gone = changes.filter((c) => c.retiree_id !== null && !mine.has(c.retiree_id));
  if (!gone.length) return [];
  const communities = new Set(
    (await db.all<{ community_id: number }>('SELECT community_id FROM worker_assignments WHERE user_id = ?', [user.id])).map((r) => r.community_id),
  );
  const ids = [...new Set(gone.map((c) => c.retiree_id!))];
  const now = new Map((await inChunks<{ id: number; community_id: number }>(db, ids, (m) => `SELECT id, community_id FROM retirees WHERE id IN (${m})`)).map((r) => [r.id, r.community_id]));
  const out = new Set<number>();
  for (const c of gone) {
    const was = c.community_id;
    const is = now.get(c.retiree_id!);
    if ((was !== null && communities.has(was)) || (is !== undefined && communities.has(is))) out.add(c.retiree_id!);
  }
  return [...out].sort((a, b) => a - b);
}

/** The latest visit outcome per retiree over the last 400 days, for the roster's "last visit". */
async function lastVisits(db: Db, ids: readonly number[], now: number): Promise<Map<number, RosterVisit>> {
  const out = new Map<number, RosterVisit>();
  const since = now - 400 * 86_400_000;
  const rows = await inChunks<{ retiree_id: number; kind: VisitKind; at: number; by_name: string; review: RosterVisit['review'] }>(
    db,
    ids,
    (m) => `SELECT o.retiree_id, o.kind, min(o.device_time, o.received_at) AS at, u.display_name AS by_name, o.review
              FROM visit_outcomes o JOIN users u ON u.id = o.user_id
             WHERE o.retiree_id IN (${m}) AND o.received_at > ${since} ORDER BY o.received_at, o.id`,
  );
  for (const r of rows) out.set(r.retiree_id, { kind: r.kind, at: r.at, byName: r.by_name, review: r.review });
  return out;
}
