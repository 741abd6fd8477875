// The daily push quota (issue 15, decision 052): one retiree session had stored 149 MB in 20 s
// through /api/sync/push. Each account (by role) and each phone may store so many records and so
// many bytes of evidence per local day (config.pushQuota); an item beyond that is answered
// `rejected: quota_exceeded`, is NOT written (so tomorrow's retry is judged afresh, not answered
// from a stored rejection), and the phone keeps it and sends it again when the day has turned.
//
// The count lives in this process: read from the database once per account or phone and day (the
// rows of earlier runs of the server), then kept up to date as pushes are let through. Checking and
// reserving happen in one synchronous step, so concurrent pushes of one account cannot all slip
// through on the same stale count; what a push turns out not to store (a duplicate, an id that
// belongs to someone else) is given back once the group commit has answered. One process owns the
// database (as for the ingest thread and the match queue, decisions 047 and 050).
import type { PushResult } from '../../shared/sync.ts';
import { localDateIn } from '../../shared/dates.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import type { DailyLimit, PushQuota } from '../config.ts';
import type { Db } from '../db/sqlite.ts';
import { deviceUsage, storedItemIds, userUsage, type Usage } from '../store/push-usage.ts';
import type { PreparedItem } from './prepare.ts';

const HOUR = 3_600_000;

const boundsCache = new Map<string, { day: string; start: number; end: number }>();

/** The local day of `at` in `timeZone`, as [start, end) instants (found once per day and zone). */
export function localDayBounds(timeZone: string, at: number): { day: string; start: number; end: number } {
  const day = localDateIn(timeZone, at);
  const key = `${timeZone}\u0000${day}`;
  let bounds = boundsCache.get(key);
  if (!bounds) {
    const start = firstInstantOf(timeZone, day, at);
    // 25 h past a midnight is always within the next day (days are 23 to 25 hours long).
    const next = start + 25 * HOUR;
    bounds = { day, start, end: firstInstantOf(timeZone, localDateIn(timeZone, next), next) };
    if (boundsCache.size > 64) boundsCache.clear();
    boundsCache.set(key, bounds);
  }
  return bounds;
}

/** The earliest instant whose local date is `day`, given an instant `at` on that day: local dates only grow with time. */
function firstInstantOf(timeZone: string, day: string, at: number): number {
  let lo = at - 26 * HOUR;
  let hi = at;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDateIn(timeZone, mid) < day) lo = mid;
    else hi = mid;
  }
  return hi;
}

interface Tally extends Usage {
  day: string;
}

type Subject = { kind: 'user'; userId: number } | { kind: 'device'; deviceId: string };

/** What is counted against the quota for an item: null when nothing of it is stored. */
export function itemCost(item: PreparedItem): number | null {
  switch (item.kind) {
    case 'attempt':
      return item.blobBytes + item.resultJson.length;
    case 'visit':
      return (item.photo?.bytes ?? 0) + item.note.length;
    case 'reject':
      return item.storable ? (item.detail?.length ?? 0) : null;
    case 'link':
    case 'visit_request':
    case 'consent':
      return 0;
  }
}

class Ledger {
  private tallies = new Map<string, Promise<Tally>>();
  private day = '';

  constructor(private readonly db: Db) {}

  async tally(subject: Subject, bounds: { day: string; start: number; end: number }): Promise<Tally> {
    if (bounds.day > this.day) {
      // A new day: yesterday's counts are of no more use (this also bounds the map's size). A push
      // that began just before midnight still counts on its own day, read afresh if need be.
      this.tallies.clear();
      this.day = bounds.day;
    }
    const key = `${bounds.day}\u0000${subject.kind === 'user' ? `u${subject.userId}` : `d${subject.deviceId}`}`;
    let tally = this.tallies.get(key);
    if (!tally) {
      const load = subject.kind === 'user' ? userUsage(this.db, subject.userId, bounds.start, bounds.end) : deviceUsage(this.db, subject.deviceId, bounds.start, bounds.end);
      tally = load.then((u) => ({ ...u, day: bounds.day }));
      this.tallies.set(key, tally);
      tally.catch(() => this.tallies.delete(key));
    }
    return tally;
  }
}

const ledgers = new WeakMap<Db, Ledger>();
const ledgerFor = (db: Db) => {
  let l = ledgers.get(db);
  if (!l) ledgers.set(db, (l = new Ledger(db)));
  return l;
};

export interface QuotaCheck {
  /** The items to submit: those over the quota replaced by a `quota_exceeded` rejection that is not stored. */
  items: PreparedItem[];
  /** Set when something was refused: the server time from which the quota takes items again. */
  retryAt: number | null;
  /** After the group commit answered: gives back what it did not store (duplicates, foreign ids). */
  settle(results: readonly PushResult[]): void;
  /** The submission failed as a whole: gives back everything it reserved. */
  release(): void;
}

export interface QuotaRequest {
  db: Db;
  user: Pick<SessionUser, 'id' | 'role'>;
  deviceId: string;
  receivedAt: number;
  timeZone: string;
  quota: PushQuota;
}

const limitOf = (quota: PushQuota, role: SessionUser['role']): DailyLimit | null => (role === 'retiree' || role === 'family' || role === 'worker' ? quota[role] : null);

/**
 * Reserves today's quota for a push's items, in order. Once one item does not fit, neither does any
 * later one of the same push: the phone's outbox is sent in sequence, and a later item let through
 * ahead of a refused one would make the device's sequence look as if records had been lost.
 */
export async function reserveQuota(req: QuotaRequest, items: readonly PreparedItem[]): Promise<QuotaCheck> {
  const limit = limitOf(req.quota, req.user.role);
  const bounds = localDayBounds(req.timeZone, req.receivedAt);
  const ledger = ledgerFor(req.db);
  const [user, device] = await Promise.all([ledger.tally({ kind: 'user', userId: req.user.id }, bounds), ledger.tally({ kind: 'device', deviceId: req.deviceId }, bounds)]);

  // From here to the end: no await, so no other push of this account reads the count in between.
  const fits = (t: Tally, l: DailyLimit | null, bytes: number) => !l || (t.records + 1 <= l.records && t.bytes + bytes <= l.bytes);
  const reserved: { index: number; bytes: number }[] = [];
  let over = false;
  const out = items.map((item, index): PreparedItem => {
    const bytes = itemCost(item);
    if (bytes === null) return item;
    if (!over && fits(user, limit, bytes) && fits(device, req.quota.device, bytes)) {
      for (const t of [user, device]) {
        t.records += 1;
        t.bytes += bytes;
      }
      reserved.push({ index, bytes });
      return item;
    }
    over = true;
    return { kind: 'reject', id: item.id, seq: item.seq, reason: 'quota_exceeded', detail: null, storable: false };
  });

  // A refused item the server already has (the answer to an earlier push was lost) is answered
  // from what is stored, duplicate or id_conflict, as without a quota: nothing new is written.
  if (over) {
    const refused = out.flatMap((item, index) => (item !== items[index] ? [index] : []));
    const known = await storedItemIds(req.db, refused.map((i) => items[i]!.id));
    for (const index of refused) if (known.has(items[index]!.id)) out[index] = items[index]!;
  }

  const giveBack = (bytes: number) => {
    for (const t of [user, device]) {
      t.records -= 1;
      t.bytes -= bytes;
    }
  };
  let done = false;
  return {
    items: out,
    retryAt: over ? bounds.end : null,
    settle(results) {
      if (done) return;
      done = true;
      for (const { index, bytes } of reserved) {
        const r = results[index];
        const stored = r && (r.status === 'accepted' || (r.status === 'rejected' && r.reason !== 'id_conflict'));
        if (!stored) giveBack(bytes);
      }
    },
    release() {
      if (done) return;
      done = true;
      for (const { bytes } of reserved) giveBack(bytes);
    },
  };
}
