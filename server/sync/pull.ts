// Pull: what the phone caches for offline use. Everyone gets the status of the retirees they act
// for (a retiree: themselves; family: linked retirees; a worker: the roster of their communities),
// incrementally after the first pull, plus fresh challenge tokens.
//
// The cursor is "<change seq>.<date>": the last row of sync_changes the phone has seen (triggers in
// 002-sync.sql append one whenever a certification, retiree, assignment, link or period changes),
// and the server date it was issued on (statuses move with the calendar, so a new day means a full
// pull). A change to the user's own roster, or a global change, also forces a full pull.
import { certificationStatus } from '../../shared/certification-rules.ts';
import { localDateIn } from '../../shared/dates.ts';
import type { PullResponse, RosterEntry, RosterVisit, RosterVisitRequest, SignatureKey } from '../../shared/sync.ts';
import { listedRetireeIds } from '../auth/access.ts';
import { sessionStillHolds, type Session, type SessionUser } from '../auth/auth_session.ts';
import type { Db } from '../db/sqlite.ts';
import { maskIdNumber } from '../routes/me.ts';
import { outcomesOf, verifyingSince } from '../store/attempts.ts';
import { certificationsOfMany } from '../store/certifications.ts';
import { withReference } from '../store/reference-faces.ts';
import { periodsOfRegions } from '../store/regions.ts';
import { assignedCommunityIds } from '../store/retiree-access.ts';
import { communitiesOfRetirees, retireeIdsInCommunities, rosterRows } from '../store/retiree-lists.ts';
import { liveSessionRow } from '../store/sessions.ts';
import { syncChangesBetween, syncHead, type SyncChange } from '../store/sync-changes.ts';
import { lastSeqOf } from '../store/sync-clients.ts';
import { openVisitRequestsOf } from '../store/visit-requests.ts';
import { lastVisitsOf } from '../store/visits.ts';
import { linkSync } from './link-sync.ts';
import { grantChallenges } from './tokens.ts';
import { SYNC_WIRE_VERSION } from '../../shared/pull-response.ts';

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
  const links = await linkSync(db, user, now);
  return { v: SYNC_WIRE_VERSION, ...roster, challenges, attempts, lastSeq, serverTime: now, links, ...(job.signatureKey ? { signatureKey: job.signatureKey } : {}) };
}

/** Status entries for many retirees with a handful of queries (a worker's roster can be long). */
export async function rosterEntries(db: Db, user: SessionUser, ids: readonly number[], now: number): Promise<RosterEntry[]> {
  if (!ids.length) return [];
  const rows = await rosterRows(db, ids);
  const periods = await periodsOfRegions(db, [...new Set(rows.map((r) => r.region_id))]);
  const certs = await certificationsOfMany(db, ids);
  const visits = user.role === 'worker' ? await lastVisitsOf(db, ids, now) : new Map<number, RosterVisit>();
  const verifying = await verifyingSince(db, ids);
  const referenced = user.role === 'worker' ? await withReference(db, ids) : new Set<number>();
  const requests = user.role === 'admin' ? new Map<number, RosterVisitRequest>() : await openVisitRequestsOf(db, ids);
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
      visitRequest: requests.get(r.id) ?? null,
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
  const head = await syncHead(db);
  const next = `${head}.${day}`;
  const ids = await listedRetireeIds(db, user);
  const from = parseCursor(cursor);

  if (from && from.day === day && from.seq <= head) {
    const changes = await syncChangesBetween(db, from.seq, head, MAX_INCREMENTAL_CHANGES + 1);
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
        for (const id of await retireeIdsInCommunities(db, [...joined])) if (mine.has(id)) changed.add(id);
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
async function removedFor(db: Db, user: SessionUser, changes: SyncChange[], mine: Set<number>): Promise<number[]> {
  if (user.role !== 'worker') return [];
  const gone = changes.filter((c) => c.retiree_id !== null && !mine.has(c.retiree_id));
  if (!gone.length) return [];
  const communities = new Set(await assignedCommunityIds(db, user.id));
  const now = await communitiesOfRetirees(db, [...new Set(gone.map((c) => c.retiree_id!))]);
  const out = new Set<number>();
  for (const c of gone) {
    const was = c.community_id;
    const is = now.get(c.retiree_id!);
    if ((was !== null && communities.has(was)) || (is !== undefined && communities.has(is))) out.add(c.retiree_id!);
  }
  return [...out].sort((a, b) => a - b);
}
