// The office's overview of a certification year (issue 16): how many retirees of each community are
// certified (and how), under review, due, overdue or suspended, and the certifications per day.
//
// The counting is done in SQL, one GROUP BY per region over the retirees on the rolls; what a state
// MEANS stays with shared/certification-rules.ts. The query does not decide "due" or "overdue": it
// groups the retirees by the facts the rules read (an approved certification of the current period
// and its method, a pending one, a passed check waiting for its match, a pension that began after
// the deadline), and each group's state is what certificationStatus says of such a retiree today.
// The facts' SQL and the question to the rules live in retiree-facts.ts, which the retiree list and
// the exports use too. The phone, the roster, the lists and this overview cannot disagree about anyone.
import { certificationStatus, earliestStart, type CertificationMethod, type CertificationPeriod, type CertificationState } from '../../shared/certification-rules.ts';
import { addDays, type LocalDate } from '../../shared/dates.ts';
import type { CommunityOverview, OfficeOverview, RegionOverview, StatusCounts } from '../../shared/schemas/office.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import type { Db } from '../db/sqlite.ts';
import { waitingByCommunity } from './office-queue.ts';
import { bindUsed, FACT_ROW_SQL, FACT_SQL, factColumns, factParams, factsContext, flagOf, ON_ROLLS, stateOfFacts, type Facts, type FactsContext } from './retiree-facts.ts';
import { openVisitRequestsByCommunity } from './visit-requests.ts';

interface GroupRow extends Facts {
  community_id: number;
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
    visitRequests: 0,
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

/** Every retiree of the region on the rolls grouped by community and facts: one sort of them all. */
function allFactGroups(db: Db, regionId: number, ctx: FactsContext): Promise<GroupRow[]> {
  return db.all<GroupRow>(
    `SELECT community_id, approved, pending, verifying, late, count(*) AS n FROM (
       SELECT r.community_id, ${factColumns(FACT_SQL)}
         FROM retirees r JOIN communities c ON c.id = r.community_id
        WHERE c.region_id = $region AND ${ON_ROLLS}) AS f
     GROUP BY community_id, approved, pending, verifying, late`,
    { $region: regionId, ...factParams(ctx) },
  );
}

interface PlainGroup {
  community_id: number;
  approved_period_id: number | null;
  approved_method: CertificationMethod | null;
  late: 0 | 1;
  n: number;
}

/**
 * The same groups as `allFactGroups` (the facts of retiree-facts.ts, shared with the retiree list
 * and the exports, decision 056) for less (decision 091): the retirees are grouped by the columns
 * of their own row alone (the newest approved certification's period and method, late), with no
 * set probed and no expression per row, as if none waited for a review or a face match; the few
 * who do (from two small partial indexes) are then read one by one with all their facts and moved
 * from the group they were counted in to their own. A newest certification of a period ahead of
 * the current one (rare, see currentApproved) needs a look-up per retiree: when the region has
 * any, it is grouped the old way. Also says whether it did (`ahead`), for the chart.
 */
async function factGroups(db: Db, regionId: number, ctx: FactsContext): Promise<{ groups: GroupRow[]; ahead: boolean }> {
  const params = { $region: regionId, ...factParams(ctx) };
  const plainSql = `SELECT community_id, approved_period_id, approved_method, late, count(*) AS n FROM (
     SELECT r.community_id, r.approved_period_id, r.approved_method, ${flagOf(FACT_SQL.late)} AS late
       FROM retirees r
      WHERE r.community_id IN (SELECT id FROM communities WHERE region_id = $region) AND ${ON_ROLLS}) AS f
   GROUP BY community_id, approved_period_id, approved_method, late`;
  const [plain, aheadPeriods] = await Promise.all([
    db.all<PlainGroup>(plainSql, bindUsed(plainSql, params)),
    ctx.current ? db.all<{ id: number }>('SELECT id FROM certification_periods WHERE year >= ? AND id <> ?', [ctx.current.year, ctx.current.id]) : Promise.resolve([]),
  ]);
  const ahead = new Set(aheadPeriods.map((p) => p.id));
  if (plain.some((g) => g.approved_period_id !== null && ahead.has(g.approved_period_id))) return { groups: await allFactGroups(db, regionId, ctx), ahead: true };

  const key = (c: number, f: Facts) => `${c}|${f.late}|${f.approved ?? ''}|${f.pending}|${f.verifying}`;
  const groups = new Map<string, GroupRow>();
  const add = (community_id: number, f: Facts, n: number) => {
    const k = key(community_id, f);
    const g = groups.get(k) ?? { community_id, late: f.late, approved: f.approved, pending: f.pending, verifying: f.verifying, n: 0 };
    g.n += n;
    groups.set(k, g);
  };
  const current = ctx.current?.id;
  for (const g of plain) add(g.community_id, { late: g.late, approved: g.approved_period_id === current ? g.approved_method : null, pending: 0, verifying: 0 }, g.n);
  if (ctx.current) {
    // Waiting for a review or a face match: a few thousand at most, each read by its rowid.
    const waitingSql = `SELECT community_id, approved, pending, verifying, late, count(*) AS n FROM (
       SELECT r.community_id, ${factColumns(FACT_ROW_SQL)}
         FROM retirees r
        WHERE r.id IN (SELECT ce.retiree_id FROM certifications ce WHERE ce.period_id = $period AND ce.status = 'pending_review'
                       UNION SELECT a.retiree_id FROM attempts a WHERE a.outcome = 'verifying' AND a.certified_on >= $start)
          AND r.community_id IN (SELECT id FROM communities WHERE region_id = $region) AND ${ON_ROLLS}) AS f
     GROUP BY community_id, approved, pending, verifying, late`;
    for (const w of await db.all<GroupRow>(waitingSql, bindUsed(waitingSql, params))) {
      add(w.community_id, { ...w, pending: 0, verifying: 0 }, -w.n);
      add(w.community_id, w, w.n);
    }
  }
  return { groups: [...groups.values()].filter((g) => g.n !== 0), ahead: false };
}

/**
 * Certifications per day of the current period, of the same population as the counts (on the rolls,
 * the period applies to them): the last day's running total is the number certified. Read from the
 * retirees' own columns in the community index (migration 014), or, when a retiree's newest
 * certification is of a period ahead (`ahead`), from the period's certifications with each one's
 * retiree by rowid.
 */
function certifiedPerDay(db: Db, regionId: number, current: CertificationPeriod, ahead: boolean): Promise<{ on: LocalDate; n: number }[]> {
  return db.all<{ on: LocalDate; n: number }>(
    ahead
      ? `SELECT ce.certified_on AS "on", count(*) AS n
           FROM certifications ce JOIN retirees r ON r.id = ce.retiree_id
          WHERE ce.period_id = ? AND ce.status = 'approved' AND r.community_id IN (SELECT id FROM communities WHERE region_id = ?)
            AND ${ON_ROLLS} AND r.enrolled_on <= ?
          GROUP BY ce.certified_on ORDER BY ce.certified_on`
      : `SELECT r.approved_on AS "on", count(*) AS n
           FROM retirees r
          WHERE r.approved_period_id = ? AND r.community_id IN (SELECT id FROM communities WHERE region_id = ?)
            AND ${ON_ROLLS} AND r.enrolled_on <= ?
          GROUP BY r.approved_on ORDER BY r.approved_on`,
    [current.id, regionId, current.deadline],
  );
}

async function regionOverview(db: Db, region: { id: number; code: string; name: string; time_zone: string }, now: number): Promise<RegionOverview> {
  const ctx = await factsContext(db, region, now);
  const { today, periods, current } = ctx;
  const start = current ? earliestStart(current) : null;
  const [{ groups, ahead }, communities, waiting, asked] = await Promise.all([
    factGroups(db, region.id, ctx),
    db.all<{ id: number; name: string }>('SELECT id, name FROM communities WHERE region_id = ? ORDER BY name', [region.id]),
    waitingByCommunity(db, region.id),
    openVisitRequestsByCommunity(db, region.id),
  ]);
  const daily = current ? await certifiedPerDay(db, region.id, current, ahead) : [];

  const byCommunity = new Map<number, CommunityOverview>(communities.map((c) => [c.id, { id: c.id, name: c.name, ...emptyCounts() }]));
  const totals = emptyCounts();
  for (const g of groups) {
    const state = stateOfFacts(g, ctx);
    tally(totals, state, g.n);
    const community = byCommunity.get(g.community_id);
    if (community) tally(community, state, g.n);
  }
  for (const w of waiting) {
    const community = byCommunity.get(w.id);
    if (community) community.queue = w.waiting;
    totals.queue += w.waiting;
  }
  for (const a of asked) {
    const community = byCommunity.get(a.communityId);
    if (community) community.visitRequests = a.n;
    totals.visitRequests += a.n;
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
