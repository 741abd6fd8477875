// A worker's roster over the REST API (GET /api/roster, /api/roster/:id): the same entries the
// phone pulls for offline use, searched, filtered and ordered with the same shared code, and a
// retiree's history for the retiree page. Scoped by listedRetireeIds (auth/access.ts): only the
// worker's own communities' retirees on the rolls, never another's, by list, id or search.
import type { CertificationMethod, CertificationRecordStatus } from '../../shared/certification-rules.ts';
import { localDateIn } from '../../shared/dates.ts';
import { buildRosterIndex, matchesFilter, rosterFacts } from '../../shared/roster.ts';
import type { HistoryEvent, RetireeDetail, RosterList, RosterQuery } from '../../shared/schemas/worker.ts';
import type { CannotCheckReason, VisitKind } from '../../shared/sync.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import type { Db } from '../db/sqlite.ts';
import { notFound } from '../errors.ts';
import { listedRetireeIds } from '../auth/access.ts';
import { rosterEntries } from '../sync/pull.ts';

/** `timeZone`: in which the "visited today" filter counts days (the server's default zone). */
export async function rosterList(db: Db, worker: SessionUser, query: RosterQuery, now: number, timeZone: string): Promise<RosterList> {
  const entries = await rosterEntries(db, worker, await listedRetireeIds(db, worker), now);
  const index = buildRosterIndex(entries);
  const hits = index.search(query.q, (e) => matchesFilter(e, query.filter, rosterFacts(e, e.today, (ms) => localDateIn(timeZone, ms))));
  return { total: hits.length, retirees: hits.slice(query.offset, query.offset + query.limit) };
}

export async function rosterDetail(db: Db, worker: SessionUser, retireeId: number, now: number): Promise<RetireeDetail> {
  const ids = await listedRetireeIds(db, worker);
  if (!ids.includes(retireeId)) throw notFound('Retiree');
  const [retiree] = await rosterEntries(db, worker, [retireeId], now);
  if (!retiree) throw notFound('Retiree');
  const [attempts, visits, certs] = await Promise.all([
    db.all<{ id: string; at: number; by_name: string; method: string; verdict: string; outcome: string }>(
      `SELECT a.id, ${db.dialect.least('a.device_time', 'a.received_at')} AS at, u.display_name AS by_name, a.method, a.verdict, a.outcome
         FROM attempts a JOIN users u ON u.id = a.user_id WHERE a.retiree_id = ? ORDER BY a.received_at DESC LIMIT 50`,
      [retireeId],
    ),
    db.all<{ id: string; at: number; by_name: string; kind: VisitKind; reason: CannotCheckReason | null; note: string; review: 'pending' | 'approved' | 'rejected' | null }>(
      `SELECT o.id, ${db.dialect.least('o.device_time', 'o.received_at')} AS at, u.display_name AS by_name, o.kind, o.reason, o.note, o.review
         FROM visit_outcomes o JOIN users u ON u.id = o.user_id WHERE o.retiree_id = ? ORDER BY o.received_at DESC LIMIT 50`,
      [retireeId],
    ),
    db.all<{ at: number; year: number; on: string; method: CertificationMethod; status: CertificationRecordStatus }>(
      `SELECT c.certified_at AS at, p.year, c.certified_on AS "on", c.method, c.status
         FROM certifications c JOIN certification_periods p ON p.id = c.period_id WHERE c.retiree_id = ? ORDER BY c.certified_at DESC LIMIT 20`,
      [retireeId],
    ),
  ]);
  const history: HistoryEvent[] = [
    ...attempts.map((a): HistoryEvent => ({ type: 'attempt', id: a.id, at: a.at, byName: a.by_name, method: a.method, verdict: a.verdict, outcome: a.outcome })),
    ...visits.map((v): HistoryEvent => ({ type: 'visit', id: v.id, at: v.at, byName: v.by_name, kind: v.kind, reason: v.reason, note: v.note, review: v.review })),
    ...certs.map((c): HistoryEvent => ({ type: 'certification', at: c.at, year: c.year, on: c.on, method: c.method, status: c.status })),
  ].sort((a, b) => b.at - a.at);
  return { retiree, history };
}
