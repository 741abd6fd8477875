// The worker's roster as screens see it: the cached roster (server view) merged with this worker's
// own records on this phone (what the server does not know yet), and the in-memory search index.
import { createMemo, type Accessor } from 'solid-js';
import { buildRosterIndex, matchesFilter, type RosterFilter, type VisitFacts } from '../../shared/roster.ts';
import type { RosterVisitRequest } from '../../shared/sync.ts';
import type { AttemptRecord, RosterRecord, VisitRecord } from '../data/index.ts';

export type LocalMark = 'certified' | 'verifying' | 'review' | 'attested' | 'not_home' | 'reported' | null;

export interface RosterView {
  entries: Accessor<RosterRecord[]>;
  index: Accessor<ReturnType<typeof buildRosterIndex<RosterRecord>>>;
  facts(e: RosterRecord): VisitFacts;
  /** What this phone's own newer records say about the retiree (shown instead of stale server state). */
  mark(e: RosterRecord): LocalMark;
  /** The retiree's open home-visit request, unless this worker has answered it on this phone (decision 078). */
  visitRequest(e: RosterRecord): RosterVisitRequest | null;
  search(query: string, filter: RosterFilter): RosterRecord[];
  byId(id: number): RosterRecord | undefined;
}

export function startOfToday(now = Date.now()): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function createRosterView(roster: Accessor<RosterRecord[]>, records: Accessor<{ attempts: AttemptRecord[]; visits: VisitRecord[] }>): RosterView {
  // A home-visit request this worker has answered on this phone (a check or a visit outcome since it
  // was asked) leaves the top of the roster at once, before the server hears of it (decision 078).
  const answered = createMemo(() => {
    const ids = new Set<number>();
    const { attempts, visits } = records();
    for (const e of roster()) {
      const at = e.visitRequest?.requestedAt;
      if (at !== undefined && [...attempts, ...visits].some((r) => r.retireeId === e.retireeId && r.createdAt >= at)) ids.add(e.retireeId);
    }
    return ids;
  });
  const index = createMemo(() => buildRosterIndex(roster().map((e) => (answered().has(e.retireeId) ? { ...e, visitRequest: null } : e))));
  const byId = createMemo(() => new Map(roster().map((e) => [e.retireeId, e])));
  // Per retiree: the newest local attempt and visit (records are newest first).
  const local = createMemo(() => {
    const m = new Map<number, { attempt?: AttemptRecord; passed?: AttemptRecord; visit?: VisitRecord; today: boolean }>();
    const today = startOfToday();
    const { attempts, visits } = records();
    for (const a of attempts) {
      const x = m.get(a.retireeId) ?? { today: false };
      x.attempt ??= a;
      if (a.result.verdict === 'passed') x.passed ??= a;
      if (a.createdAt >= today) x.today = true;
      m.set(a.retireeId, x);
    }
    for (const v of visits) {
      const x = m.get(v.retireeId) ?? { today: false };
      x.visit ??= v;
      if (v.createdAt >= today) x.today = true;
      m.set(v.retireeId, x);
    }
    return m;
  });

  function mark(e: RosterRecord): LocalMark {
    const x = local().get(e.retireeId);
    if (!x) return null;
    // Records newer than the roster entry say something the entry does not know yet.
    const newer = <T extends { createdAt: number; syncState: string }>(r: T | undefined) => (r && (r.createdAt > e.pulledAt || r.syncState !== 'sent') ? r : undefined);
    const { passed, visit } = x;
    // A check waiting for the server's face match is settled for the worker too: nothing to redo.
    const settled = e.status.state === 'certified' || e.status.state === 'under_review' || e.status.state === 'verifying';
    if (passed) {
      const latest = !visit || visit.createdAt < passed.createdAt;
      // Not sent yet: passed on this phone. Sent: the server's answer decides.
      if (passed.syncState !== 'sent' && latest) return 'certified';
      if (passed.outcome?.kind === 'certified' && newer(passed) && !settled) return 'certified';
      // Sent; the server's face match decides in a few minutes (issue 14).
      if (passed.outcome?.kind === 'verifying' && latest && !settled) return 'verifying';
      // A passed check the server handed to the office (e.g. made without a challenge token).
      if (passed.outcome?.kind === 'review' && latest && !settled) return 'review';
    }
    const v = newer(visit);
    if (v) return v.kind === 'cannot_check' ? 'attested' : v.kind === 'not_home' ? 'not_home' : 'reported';
    // Not at home stays on the revisit list until something settles the year.
    if (visit?.kind === 'not_home' && (!passed || passed.createdAt < visit.createdAt) && !settled) return 'not_home';
    return null;
  }

  function facts(e: RosterRecord): VisitFacts {
    const x = local().get(e.retireeId);
    const today = startOfToday();
    const serverVisit = e.lastVisit ?? null;
    const localVisit = x?.visit;
    const latestVisit = localVisit && (!serverVisit || localVisit.createdAt >= serverVisit.at) ? { kind: localVisit.kind as string, at: localVisit.createdAt } : serverVisit;
    const m = mark(e);
    return {
      lastVisitKind: latestVisit?.kind ?? null,
      lastVisitAt: latestVisit?.at ?? null,
      visitedToday: !!x?.today || (!!serverVisit && serverVisit.at >= today),
      certifiedHere: m === 'certified' || m === 'verifying' || m === 'attested' || m === 'review',
    };
  }

  return {
    entries: roster,
    index,
    facts,
    mark,
    visitRequest: (e) => (answered().has(e.retireeId) ? null : (e.visitRequest ?? null)),
    byId: (id) => byId().get(id),
    search(query, filter) {
      return index().search(query, filter === 'all' ? undefined : (e) => matchesFilter(e, filter, facts(e)));
    },
  };
}
