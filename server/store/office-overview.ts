// The office's overview of a certification year (issue 16): how many retirees of each community are
// certified (and how), under review, due, overdue or suspended, and the certifications per day.
//
// The counting is done in SQL, one GROUP BY per region over the retirees on the rolls; what a state
// MEANS stays with shared/certification-rules.ts. The query does not decide "due" or "overdue": it
// groups the retirees by the facts the rules read (an approved certification of the current period
// and its method, a pending one, a passed check waiting for its match, a pension that began after
// the deadline), and each group's state is what certificationStatus says of such a retiree today.
// The phone, the roster and this overview therefore cannot disagree about anyone.
import { certificationStatus, earliestStart, periodFor, type CertificationMethod, type CertificationPeriod, type CertificationRecord, type CertificationState } from '../../shared/certification-rules.ts';
import { addDays, localDateIn, type LocalDate } from '../../shared/dates.ts';
import type { CommunityOverview, OfficeOverview, RegionOverview, StatusCounts } from '../../shared/schemas/office.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import type { Db } from '../db/sqlite.ts';
import { waitingByCommunity } from './office-queue.ts';
import { periodsOfRegion } from './regions.ts';

/** Who is on the rolls: as the worker's roster (sync/pull.ts), everyone but the dead, the moved and the stopped. */
const ON_ROLLS = "r.enrolment NOT IN ('deceased', 'moved', 'stopped')";

interface GroupRow {
  community_id: number;
  approved: CertificationMethod | null;
  pending: 0 | 1;
  verifying: 0 | 1;
  late: 0 | 1;
  n: number;
}

export function emptyCounts(): StatusCounts {
  return {
    retirees: 0,
    certified: { self: 0, family: 0, worker: 0, home_visit: 0, on_site: 0 },
    certifiedTotal: 0,
    underReview: 0,
    verifying: 0,
    due: 0,
    overdue: 0,
    suspended: 0,
    notOpen: 0,
    queue: 0,
  };
}

/** Adds `n` retirees in `state` to the counts. */
export function tally(counts: StatusCounts, state: CertificationState, n: number): void {
  counts.retirees += n;
  switch (state.state) {
    case 'certified':
      counts.certified[state.method] += n;
      counts.certifiedTotal += n;
      return;
    case 'under_review':
      counts.underReview += n;
      return;
    case 'verifying':
      counts.verifying += n;
      return;
    case 'open':
      counts.due += n;
      return;
    case 'overdue':
      counts.overdue += n;
      return;
    case 'suspended':
      counts.suspended += n;
      return;
    case 'not_open':
      counts.notOpen += n;
      return;
  }
}

/** What the rules say today of every retiree whose facts are those of the group. */
function stateOfGroup(g: GroupRow, periods: readonly CertificationPeriod[], current: CertificationPeriod | null, today: LocalDate): CertificationState {
  const certifications: CertificationRecord[] = [];
  if (current && g.approved) certifications.push({ periodId: current.id, status: 'approved', method: g.approved, certifiedOn: today });
  if (current && g.pending) certifications.push({ periodId: current.id, status: 'pending_review', method: 'self', certifiedOn: today });
  return certificationStatus({
    periods,
    certifications,
    today,
    enrolledOn: current && g.late ? addDays(current.deadline, 1) : null,
    verifyingSince: current && g.verifying ? earliestStart(current) : null,
  });
}

async function regionOverview(db: Db, region: { id: number; code: string; name: string; time_zone: string }, now: number): Promise<RegionOverview> {
  const today = localDateIn(region.time_zone, now);
  const periods = await periodsOfRegion(db, region.id);
  const current = periodFor(periods, today);
  const start = current ? earliestStart(current) : null;
  const [groups, communities, waiting, daily] = await Promise.all([
    db.all<GroupRow>(
      `SELECT community_id, approved, pending, verifying, late, count(*) AS n FROM (
         SELECT r.community_id,
                (SELECT ce.method FROM certifications ce WHERE ce.retiree_id = r.id AND ce.period_id = ?2 AND ce.status = 'approved'
                  ORDER BY ce.certified_on LIMIT 1) AS approved,
                EXISTS (SELECT 1 FROM certifications ce WHERE ce.retiree_id = r.id AND ce.period_id = ?2 AND ce.status = 'pending_review') AS pending,
                EXISTS (SELECT 1 FROM attempts a WHERE a.retiree_id = r.id AND a.outcome = 'verifying' AND a.certified_on >= ?3) AS verifying,
                coalesce(r.enrolled_on > ?4, 0) AS late
           FROM retirees r JOIN communities c ON c.id = r.community_id
          WHERE c.region_id = ?1 AND ${ON_ROLLS})
       GROUP BY community_id, approved, pending, verifying, late`,
      [region.id, current?.id ?? null, start, current?.deadline ?? null],
    ),
    db.all<{ id: number; name: string }>('SELECT id, name FROM communities WHERE region_id = ? ORDER BY name', [region.id]),
    waitingByCommunity(db, region.id),
    current
      ? db.all<{ on: LocalDate; n: number }>(
          // The same population as the counts (on the rolls, the period applies to them): the last
          // day's running total is the number certified.
          `SELECT ce.certified_on AS "on", count(*) AS n
             FROM certifications ce JOIN retirees r ON r.id = ce.retiree_id JOIN communities c ON c.id = r.community_id
            WHERE ce.period_id = ? AND ce.status = 'approved' AND c.region_id = ? AND ${ON_ROLLS} AND r.enrolled_on <= ?
            GROUP BY ce.certified_on ORDER BY ce.certified_on`,
          [current.id, region.id, current.deadline],
        )
      : Promise.resolve([]),
  ]);

  const byCommunity = new Map<number, CommunityOverview>(communities.map((c) => [c.id, { id: c.id, name: c.name, ...emptyCounts() }]));
  const totals = emptyCounts();
  for (const g of groups) {
    const state = stateOfGroup(g, periods, current, today);
    tally(totals, state, g.n);
    const community = byCommunity.get(g.community_id);
    if (community) tally(community, state, g.n);
  }
  for (const w of waiting) {
    const community = byCommunity.get(w.id);
    if (community) community.queue = w.waiting;
    totals.queue += w.waiting;
  }

  return {
    region: { id: region.id, code: region.code, name: region.name },
    today,
    period: current && { year: current.year, selfStart: current.selfStart, selfEnd: current.selfEnd, onsiteStart: current.onsiteStart, onsiteEnd: current.onsiteEnd, deadline: current.deadline, suspensionDate: current.suspensionDate },
    uncertified: certificationStatus({ periods, certifications: [], today }),
    totals,
    communities: [...byCommunity.values()],
    daily: start ? everyDay(start, today, daily) : [],
  };
}

/** One entry per day from `from` to `to` (stretched to cover every counted day), zero on days without any. */
function everyDay(from: LocalDate, to: LocalDate, counted: { on: LocalDate; n: number }[]): { on: LocalDate; certified: number }[] {
  const first = counted[0]?.on && counted[0].on < from ? counted[0].on : from;
  const lastCounted = counted.at(-1)?.on;
  const last = lastCounted && lastCounted > to ? lastCounted : to;
  const n = new Map(counted.map((c) => [c.on, c.n]));
  const out: { on: LocalDate; certified: number }[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) out.push({ on: day, certified: n.get(day) ?? 0 });
  return out;
}

/** The overview of every region the office account covers: its own, or all for an office without one. */
export async function officeOverview(db: Db, admin: Pick<SessionUser, 'regionId'>, now: number): Promise<OfficeOverview> {
  const regions = await db.all<{ id: number; code: string; name: string; time_zone: string }>(
    'SELECT id, code, name, time_zone FROM regions WHERE (?1 IS NULL OR id = ?1) ORDER BY code',
    [admin.regionId],
  );
  const out: RegionOverview[] = [];
  for (const region of regions) out.push(await regionOverview(db, region, now));
  return { regions: out };
}
