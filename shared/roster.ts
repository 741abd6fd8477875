// A worker's roster: urgency order, filters and search, shared by the phone (offline, over the
// cached roster) and the server (GET /api/roster), so both answer the same question the same way.
//
// Search must answer within 50 ms per keystroke on 5,000 retirees on a cheap phone: the index keeps
// one pre-normalised haystack per retiree and answers with a single linear pass (no allocation per
// row); `npm run bench -- roster` measures it.
import type { CertificationState } from './certification-rules.ts';
import type { RosterEntry } from './sync.ts';

export const ROSTER_FILTERS = ['all', 'due', 'overdue', 'certified', 'visited_today', 'revisit'] as const;
export type RosterFilter = (typeof ROSTER_FILTERS)[number];

/** Lower number = more urgent. Overdue and suspended first, then due soonest, then the rest. */
export function urgencyRank(s: CertificationState): number {
  switch (s.state) {
    case 'suspended':
      return 0;
    case 'overdue':
      return 1;
    case 'open':
      return 2;
    case 'under_review':
    case 'verifying':
      return 3;
    case 'not_open':
      return 4;
    case 'certified':
      return 5;
  }
}

/** A sort key within a rank: the longer overdue / the sooner due, the earlier. */
function urgencyDate(s: CertificationState): string {
  switch (s.state) {
    case 'suspended':
    case 'overdue':
      return s.since;
    case 'open':
    case 'under_review':
    case 'verifying':
      return s.dueOn;
    case 'not_open':
      return s.opensOn ?? '9999-12-31';
    case 'certified':
      return s.certifiedOn;
  }
}

/**
 * A retiree who asked for a home visit comes first (issue 17, decision 078), the longest waiting
 * first; then overdue and suspended, then due soonest, then the rest.
 */
export function compareUrgency(a: Pick<RosterEntry, 'status' | 'name' | 'id' | 'visitRequest'>, b: Pick<RosterEntry, 'status' | 'name' | 'id' | 'visitRequest'>): number {
  const qa = a.visitRequest?.requestedAt ?? Infinity;
  const qb = b.visitRequest?.requestedAt ?? Infinity;
  if (qa !== qb) return qa < qb ? -1 : 1;
  const r = urgencyRank(a.status) - urgencyRank(b.status);
  if (r) return r;
  const da = urgencyDate(a.status);
  const db = urgencyDate(b.status);
  if (da !== db) return da < db ? -1 : 1;
  return a.id - b.id;
}

/** What the phone knows about a retiree's visits besides the roster entry (its own unsent records). */
export interface VisitFacts {
  /** The latest visit outcome recorded for this retiree, from the roster or this phone. */
  lastVisitKind: string | null;
  lastVisitAt: number | null;
  /** A face check or a visit outcome was recorded today. */
  visitedToday: boolean;
  /** A passed check is waiting on this phone (not yet counted by the server). */
  certifiedHere: boolean;
}

export function isDue(s: CertificationState): boolean {
  return s.state === 'open';
}

export function isOverdue(s: CertificationState): boolean {
  return s.state === 'overdue' || s.state === 'suspended';
}

export function matchesFilter(e: RosterEntry, filter: RosterFilter, facts: VisitFacts): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'due':
      return isDue(e.status) && !facts.certifiedHere;
    case 'overdue':
      return isOverdue(e.status) && !facts.certifiedHere;
    case 'certified':
      return e.status.state === 'certified' || facts.certifiedHere;
    case 'visited_today':
      return facts.visitedToday;
    case 'revisit':
      // Not at home last time, and nothing has settled the year since.
      return facts.lastVisitKind === 'not_home' && !facts.certifiedHere && e.status.state !== 'certified' && e.status.state !== 'under_review' && e.status.state !== 'verifying';
  }
}

/** Facts from the roster entry alone (the server's view), for the server's list and as a base on the phone. */
export function rosterFacts(e: RosterEntry, today: string, dayOf: (ms: number) => string): VisitFacts {
  const v = e.lastVisit ?? null;
  return {
    lastVisitKind: v?.kind ?? null,
    lastVisitAt: v?.at ?? null,
    visitedToday: !!v && dayOf(v.at) === today,
    certifiedHere: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Search

/** Full-width digits and letters to ASCII, lower case, no spaces: what people type and what we store. */
export function normaliseQuery(q: string): string {
  return q
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toLowerCase()
    .replace(/\s+/g, '');
}

export interface RosterIndex<T extends RosterEntry> {
  readonly size: number;
  /** Ids of the entries matching `query` (all when empty), in urgency order. */
  search(query: string, accept?: (e: T) => boolean): T[];
}

/**
 * Matches by name (any part: 桂兰 finds 张桂兰), by the last digits of the ID number (4 or more
 * digits, or a final X: "0021", "002x"), or by any part of the address ("3号楼"). Entries are kept
 * in urgency order, so results come out sorted without a sort per keystroke.
 */
export function buildRosterIndex<T extends RosterEntry>(entries: readonly T[]): RosterIndex<T> {
  const sorted = [...entries].sort(compareUrgency);
  const names = sorted.map((e) => normaliseQuery(e.name));
  const ids = sorted.map((e) => e.idNumber.toLowerCase());
  const addresses = sorted.map((e) => normaliseQuery(e.address ?? ''));
  return {
    size: sorted.length,
    search(query, accept) {
      const q = normaliseQuery(query);
      const out: T[] = [];
      // Digits (and a final x) are an ID-number tail; anything with 4+ of them must be one.
      const idTail = /^\d{3,17}x?$|^\d{0,17}x$/.test(q) ? q : null;
      for (let i = 0; i < sorted.length; i++) {
        const e = sorted[i]!;
        if (q) {
          const hit = (idTail !== null && ids[i]!.endsWith(idTail)) || names[i]!.includes(q) || addresses[i]!.includes(q);
          if (!hit) continue;
        }
        if (accept && !accept(e)) continue;
        out.push(e);
      }
      return out;
    },
  };
}
