// The office's retiree list (issue 16, decision 056): a page of the retirees on the rolls of one of
// the office's regions, filtered and sorted in SQL, with the total, and what each list of the Lists
// screen holds. Callable directly with a Db and the office user (the benchmark does).
//
// Whether someone is due, overdue, certified… is never decided here: a state filter or sort is the
// CASE over the facts that `retiree-facts.ts` writes from the certification rules, the overview's
// own facts, so the list and the overview count the same people. The rows and the common facts are
// read from covering indexes (migrations 010 and 014, decision 074), the rare facts from sets built
// once per statement, which keeps a count over 200,000 retirees near a tenth of a second.
import type { CertificationMethod } from '../../shared/certification-rules.ts';
import { addYears, type LocalDate } from '../../shared/dates.ts';
import { ageOn } from '../../shared/id-number.ts';
import type { PensionCategory } from '../../shared/schemas/admin.ts';
import {
  AGE_BAND_RANGE,
  LIST_STATUSES,
  type AgeBand,
  type ExportList,
  type ListContext,
  type ListStatus,
  type OfficeLists,
  type RegionRef,
  type RetireeList,
  type RetireeListItem,
  type RetireeListQuery,
  type StatusFilter,
} from '../../shared/schemas/office-retirees.ts';
import type { CertificationState } from '../../shared/certification-rules.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import type { Dialect } from '../db/dialect.ts';
import type { Db, SqlValue } from '../db/sqlite.ts';
import { forbidden, notFound } from '../errors.ts';
import {
  ALWAYS,
  bindUsed,
  currentApproved,
  FACT_COLUMNS,
  FACT_SQL,
  factColumns,
  factFilter,
  factParams,
  factsContext,
  factSwitch,
  flagOf,
  NEVER,
  ON_ROLLS,
  stateOfFacts,
  type FactMode,
  type Facts,
  type FactsContext,
} from './retiree-facts.ts';

export type OfficeUser = Pick<SessionUser, 'regionId'>;

/** The list's name for a state of the rules. */
export function listStatusOf(state: CertificationState): ListStatus {
  return state.state === 'open' ? 'due' : state.state;
}

/** Whether a state passes a status filter (`expected`: the period applies, every state but not_open). */
export function statusMatches(filter: StatusFilter, state: CertificationState): boolean {
  return filter === 'expected' ? state.state !== 'not_open' : listStatusOf(state) === filter;
}

interface RegionRow {
  id: number;
  code: string;
  name: string;
  time_zone: string;
}

export interface RegionScope {
  region: RegionRow;
  /** The engine's statements the list's SQL needs (search by name). */
  dialect: Dialect;
  regions: RegionRef[];
  facts: FactsContext;
  context: ListContext;
}

const ref = (r: RegionRow): RegionRef => ({ id: r.id, code: r.code, name: r.name });

/**
 * The region a request is about: the office's own, or for an office over every region (no region of
 * its own) the one it names, else the first. An office of one region naming another gets 403.
 */
export async function regionScope(db: Db, admin: OfficeUser, regionId: number | undefined, now: number): Promise<RegionScope> {
  if (admin.regionId !== null && regionId !== undefined && regionId !== admin.regionId) throw forbidden('This region is not your office’s');
  const regions = await db.all<RegionRow>('SELECT id, code, name, time_zone FROM regions WHERE (?1 IS NULL OR id = ?1) ORDER BY code', [admin.regionId]);
  const region = regionId === undefined ? regions[0] : regions.find((r) => r.id === regionId);
  if (!region) throw notFound('Region');
  const [facts, communities] = await Promise.all([
    factsContext(db, region, now),
    db.all<{ id: number; name: string }>('SELECT id, name FROM communities WHERE region_id = ? ORDER BY name', [region.id]),
  ]);
  const p = facts.current;
  return {
    region,
    dialect: db.dialect,
    regions: regions.map(ref),
    facts,
    context: {
      region: ref(region),
      regions: regions.map(ref),
      communities,
      today: facts.today,
      period: p && { year: p.year, deadline: p.deadline, suspensionDate: p.suspensionDate },
    },
  };
}

/** Birth dates (YYYYMMDD, as in the ID number) of people whose age on `today` is in the band. */
export function bornBetween(band: AgeBand, today: LocalDate): { from: string | null; to: string | null } {
  const [youngest, oldest] = AGE_BAND_RANGE[band];
  const compact = (d: LocalDate) => d.replaceAll('-', '');
  // Age ≥ youngest ⇔ born on or before today − youngest years; age ≤ oldest ⇔ born after today − (oldest + 1) years.
  return {
    to: youngest === null ? null : compact(addYears(today, -youngest)),
    from: oldest === null ? null : compact(addYears(today, -(oldest + 1))),
  };
}

/** What a search string is: ID digits (a whole number, or its last digits), or a name. */
export function searchOf(q: string | undefined): { kind: 'id'; whole: boolean; value: string } | { kind: 'name'; value: string } | null {
  const s = (q ?? '').replace(/\s+/g, '');
  if (!s) return null;
  if (/^\d{1,17}[\dXx]?$/.test(s)) return { kind: 'id', whole: s.length === 18, value: s.toUpperCase() };
  return { kind: 'name', value: (q ?? '').trim() };
}

interface Where {
  sql: string;
  params: Record<string, SqlValue>;
}

/** The list's filters without the state and method (those are `factsAccept`). */
type Filters = Omit<RetireeListQuery, 'sort' | 'dir' | 'page' | 'size'>;

/**
 * The WHERE of the list over `retirees r` from the retiree's own columns (all in the covering
 * indexes): the office's region (in the query, always), on the rolls, community, "never signed in",
 * category, age band and search. The other filters are `otherFilters`. `nameOrder`: the region is
 * tested without its index, so a page sorted by name walks the name index and stops at its last row.
 */
export function listWhere(scope: RegionScope, q: Filters, nameOrder = false): Where {
  const ctx = scope.facts;
  const conds = [`${nameOrder ? '+' : ''}r.community_id IN (SELECT id FROM communities WHERE region_id = $region)`, ON_ROLLS];
  const params: Record<string, SqlValue> = { $region: scope.region.id, ...factParams(ctx) };
  if (q.community !== undefined) {
    conds.push('r.community_id = $community');
    params.$community = q.community;
  }
  if (q.neverSignedIn) {
    // No PIN ever set (decision 056), kept on the retiree's row by triggers on users (migration 014).
    conds.push('r.has_pin = 0');
  }
  if (q.category !== undefined) {
    conds.push('r.pension_category = $category');
    params.$category = q.category;
  }
  if (q.age !== undefined) {
    const { from, to } = bornBetween(q.age, ctx.today);
    if (from !== null && to !== null) {
      // One substr per retiree rather than two (decision 091: a quarter of a count's time). The
      // birth date is 8 digits: after `from` is from the next 8-digit string on.
      conds.push('substr(r.id_number, 7, 8) BETWEEN $bornFrom AND $bornBy');
      params.$bornFrom = String(Number(from) + 1).padStart(8, '0');
      params.$bornBy = to;
    } else if (from !== null) {
      conds.push('substr(r.id_number, 7, 8) > $bornAfter');
      params.$bornAfter = from;
    } else if (to !== null) {
      conds.push('substr(r.id_number, 7, 8) <= $bornBy');
      params.$bornBy = to;
    }
  }
  const search = searchOf(q.q);
  if (search?.kind === 'id') {
    // A whole number is one look-up in the unique index; last digits are a suffix of the number.
    conds.push(search.whole ? 'r.id_number = $idNumber' : "r.id_number LIKE '%' || $idTail");
    params[search.whole ? '$idNumber' : '$idTail'] = search.value;
  } else if (search?.kind === 'name' && /[a-z]/i.test(search.value)) {
    // Latin letters (a name in pinyin): LIKE ignores their case.
    conds.push(`r.name ${scope.dialect.likeNoCase} $namePattern ESCAPE '\\'`);
    params.$namePattern = `%${search.value.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  } else if (search?.kind === 'name') {
    // Chinese characters have no case: a plain substring test, no copy of each name.
    conds.push(scope.dialect.contains('r.name', '$name'));
    params.$name = search.value;
  }
  return { sql: conds.join('\n   AND '), params };
}

/**
 * Which fact combinations pass the state and method filters, as the rules decide; null without
 * either filter. "Certified by family" is the rules' certified state with that method.
 */
export function factsAccept(ctx: FactsContext, q: Pick<RetireeListQuery, 'status' | 'method'>): ((f: Facts) => boolean) | null {
  if (q.status === undefined && q.method === undefined) return null;
  return (f) => {
    const state = stateOfFacts(f, ctx);
    return (q.status === undefined || statusMatches(q.status, state)) && (q.method === undefined || (state.state === 'certified' && state.method === q.method));
  };
}

/** `a AND b`, leaving out conditions that are always true. */
const and = (...conds: string[]) => conds.filter((c) => c !== ALWAYS).join('\n   AND ') || ALWAYS;

/**
 * The filters that read more than the list's own columns: the state and method (the facts, some
 * from other tables) and "no reference photo" (no active reference face: the face match has nothing
 * to compare with). `scan`: as sets, for the count; `lookup`: per retiree, for a page's few rows.
 * ALWAYS when there are none.
 */
export function otherFilters(ctx: FactsContext, q: Filters, mode: Exclude<FactMode, 'joined'>): string {
  const accept = factsAccept(ctx, q);
  const scan = mode === 'scan';
  return and(
    accept ? factFilter(accept, mode) : ALWAYS,
    !q.noReference
      ? ALWAYS
      : scan
        ? "r.id NOT IN (SELECT f.retiree_id FROM reference_faces f WHERE f.status = 'active')"
        : "NOT EXISTS (SELECT 1 FROM reference_faces f WHERE f.retiree_id = r.id AND f.status = 'active')",
    // An open home-visit request (decision 078): few at any time, so a set either way.
    !q.visitRequest ? ALWAYS : "r.id IN (SELECT v.retiree_id FROM visit_requests v WHERE v.state = 'open')",
  );
}

/** The state's place when sorting by state: the order of LIST_STATUSES (certified first, not open last). */
const statusRank = (ctx: FactsContext) => factSwitch((f) => LIST_STATUSES.indexOf(listStatusOf(stateOfFacts(f, ctx))));

/** The day of the retiree's latest approved certification of any period (migration 014). */
const LAST_CERTIFIED = 'r.last_certified_on';

function orderBy(q: Pick<RetireeListQuery, 'sort' | 'dir'>, ctx: FactsContext): { from: string; order: string } {
  const dir = q.dir === 'desc' ? 'DESC' : 'ASC';
  const byName = `r.name ${dir}, r.id ${dir}`;
  switch (q.sort) {
    case 'community':
      return { from: 'retirees r JOIN communities c ON c.id = r.community_id', order: `c.name ${dir}, ${byName}` };
    case 'status':
      return { from: 'retirees r', order: `${statusRank(ctx)} ${dir}, r.name, r.id` };
    case 'last_certified':
      // Never certified counts as longest ago (SQLite's order for NULL; PostgreSQL's is the other).
      return { from: 'retirees r', order: `${LAST_CERTIFIED} ${dir} NULLS ${dir === 'ASC' ? 'FIRST' : 'LAST'}, r.name, r.id` };
    case 'age':
      // Older first when descending: an earlier birth date.
      return { from: 'retirees r', order: `substr(r.id_number, 7, 8) ${dir === 'ASC' ? 'DESC' : 'ASC'}, r.name, r.id` };
    default:
      return { from: 'retirees r', order: byName };
  }
}

interface ItemRow extends Facts {
  id: number;
  name: string;
  id_number: string;
  community_id: number;
  community_name: string;
  pension_category: PensionCategory;
  phone: string | null;
  last_certified_on: LocalDate | null;
  has_reference: 0 | 1;
  signed_in: 0 | 1;
}

/** Age in completed years from the birth date in an ID number; null when the number holds none. */
export function ageFromIdNumber(idNumber: string, today: LocalDate): number | null {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(idNumber);
  return m ? ageOn(`${m[1]}-${m[2]}-${m[3]}`, today) : null;
}

/** The rows of these retirees (a page), each with its state as the rules say it today. ID numbers whole. */
async function itemsOf(db: Db, scope: RegionScope, ids: number[]): Promise<RetireeListItem[]> {
  if (!ids.length) return [];
  const ctx = scope.facts;
  const sql = `SELECT r.id, r.name, r.id_number, r.community_id, c.name AS community_name, r.pension_category, r.phone,
       ${FACT_COLUMNS},
       ${LAST_CERTIFIED} AS last_certified_on,
       EXISTS (SELECT 1 FROM reference_faces f WHERE f.retiree_id = r.id AND f.status = 'active') AS has_reference,
       r.has_pin AS signed_in
  FROM retirees r JOIN communities c ON c.id = r.community_id
 WHERE r.id IN ${db.dialect.jsonValues('$ids', 'int')} AND c.region_id = $region`;
  const rows = await db.all<ItemRow>(sql, bindUsed(sql, { $ids: JSON.stringify(ids), $region: scope.region.id, ...factParams(ctx) }));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const state = stateOfFacts(r, ctx);
    return [
      {
        id: r.id,
        name: r.name,
        idNumber: r.id_number,
        communityId: r.community_id,
        communityName: r.community_name,
        age: ageFromIdNumber(r.id_number, ctx.today),
        pensionCategory: r.pension_category,
        status: listStatusOf(state),
        method: state.state === 'certified' ? state.method : null,
        lastCertifiedOn: r.last_certified_on,
        phone: r.phone,
        hasReference: r.has_reference === 1,
        signedIn: r.signed_in === 1,
      },
    ];
  });
}

/**
 * How a page of a filtered list is found (tests set these to take each way): at most `maxLookups`
 * retirees are tested one by one for a page (about 60 ms), at least `minWindow` are tried that way
 * before the sets are built.
 */
export interface PageTuning {
  maxLookups: number;
  minWindow: number;
  /** A name search sorted by name reads at most this many matches in order before it is counted. */
  searchWalk: number;
}
const TUNING: PageTuning = { maxLookups: 20_000, minWindow: 1000, searchWalk: 2000 };

/**
 * A page of the office's retirees with the total. ID numbers are whole here; the route masks them.
 * Paged by offset (decision 056): a clerk jumps to a page, and sorting by state or date has no key
 * an index could seek to.
 *
 * The total comes first: one pass over a covering index with the other tables' filters (the facts,
 * the reference photo, the PIN) as sets, counting also how many pass the retiree's own columns.
 * Sorted by name or community, a page then walks its index and stops at the page's last row: the
 * first few thousand rows in that order are tested one by one (building the sets again would cost
 * more than the test), enough to hold the page four times over at the filters' rate; only when they
 * hold too few does the page build the sets.
 */
export async function officeRetirees(db: Db, admin: OfficeUser, query: RetireeListQuery, now: number, tuning: PageTuning = TUNING): Promise<RetireeList> {
  const scope = await regionScope(db, admin, query.region, now);
  const sets = otherFilters(scope.facts, query, 'scan');
  const offset = (query.page - 1) * query.size;
  const { from, order } = orderBy(query, scope.facts);
  const params = { $limit: query.size, $offset: offset };
  if (sets === ALWAYS && searchOf(query.q)?.kind === 'name' && query.sort === 'name' && query.community === undefined && offset + query.size < tuning.searchWalk) {
    // A name (decision 091): a substring no index can seek, so the count reads every name anyway.
    // Walking the name index in the page's order instead, a search that matches fewer than
    // `searchWalk` retirees (a whole name, most first characters) has its total and page in that one
    // walk; one that matches more (a surname alone) has its page from the walk, which stopped early,
    // and is counted.
    const walk = listWhere(scope, query, true);
    const sql = `SELECT r.id FROM ${from} WHERE ${walk.sql} ORDER BY ${order} LIMIT $walk`;
    const rows = await db.all<{ id: number }>(sql, bindUsed(sql, { ...walk.params, $walk: tuning.searchWalk }));
    const ids = rows.slice(offset, offset + query.size).map((r) => r.id);
    let total = rows.length;
    if (total === tuning.searchWalk) {
      const where = listWhere(scope, query);
      const countSql = `SELECT count(*) AS n FROM retirees r WHERE ${where.sql}`;
      total = (await db.get<{ n: number }>(countSql, bindUsed(countSql, where.params)))!.n;
    }
    return { ...scope.context, total, page: query.page, size: query.size, items: await itemsOf(db, scope, ids) };
  }
  const where = listWhere(scope, query);
  const countSql = `SELECT count(*) AS passing, count(CASE WHEN ${sets} THEN 1 END) AS n FROM retirees r WHERE ${where.sql}`;
  const count = (await db.get<{ passing: number; n: number }>(countSql, bindUsed(countSql, where.params)))!;
  const ordered = query.sort === 'name' || query.sort === 'community';
  // Walking the name index beats the community index + a sort only when the walk stops early.
  const byName = query.sort === 'name' && query.community === undefined;
  let ids: number[] | null = count.n > offset ? null : [];

  if (ids === null && sets !== ALWAYS && sets !== NEVER && ordered) {
    const dir = query.dir === 'desc' ? 'DESC' : 'ASC';
    const community = query.sort === 'community';
    const inner = listWhere(scope, query, byName);
    const sql = `SELECT r.id FROM (
         SELECT r.id, r.name, r.enrolled_on, r.approved_period_id, r.approved_method, r.has_pin${community ? ', c.name AS community_name' : ''} FROM ${from} WHERE ${inner.sql} ORDER BY ${order} LIMIT $window
       ) AS r
      WHERE ${otherFilters(scope.facts, query, 'lookup')}
      ORDER BY ${community ? `r.community_name ${dir}, ` : ''}r.name ${dir}, r.id ${dir} LIMIT $limit OFFSET $offset`;
    // Rows that pass are rarer at the start of the order than on average (names and states can go
    // together): a window that holds too few is tried once more eight times larger, within the budget.
    let window = Math.min(count.passing, Math.max(tuning.minWindow, Math.ceil((4 * (offset + query.size) * count.passing) / count.n)));
    for (let tries = 0; ids === null && tries < 2 && window <= tuning.maxLookups; tries++) {
      const rows = await db.all<{ id: number }>(sql, bindUsed(sql, { ...inner.params, ...params, $window: window }));
      if (rows.length === Math.min(query.size, count.n - offset)) ids = rows.map((r) => r.id);
      else if (window >= count.passing) break;
      window = Math.min(count.passing, window * 8);
    }
  }
  if (ids === null) {
    const page = listWhere(scope, query, byName && sets === ALWAYS);
    const sql = `SELECT r.id FROM ${from} WHERE ${and(page.sql, sets)} ORDER BY ${order} LIMIT $limit OFFSET $offset`;
    ids = (await db.all<{ id: number }>(sql, bindUsed(sql, { ...page.params, ...params }))).map((r) => r.id);
  }
  return { ...scope.context, total: count.n, page: query.page, size: query.size, items: await itemsOf(db, scope, ids) };
}

/**
 * The lists' definitions (decision 056) as questions to the rules about a retiree's facts (and, for
 * "resumed", the day of the certification). Each is what shared/schemas/office-retirees.ts says.
 */
export interface ListDefinition {
  /** Whether a retiree with these facts is on the list (`resumedDay`: certified on or after the pause began). */
  accept(f: Facts, resumedDay: boolean): boolean;
  /** Only "resumed" needs the day of the certification. */
  needsDay: boolean;
}

/** The day from which the rules call an uncertified retiree suspended, in the current period; null without one. */
export function suspendedFrom(ctx: FactsContext): LocalDate | null {
  if (!ctx.current) return null;
  const s = stateOfFacts({ late: 0, approved: null, pending: 0, verifying: 0 }, ctx, ctx.current.suspensionDate);
  return s.state === 'suspended' ? s.since : null;
}

export function listDefinition(list: ExportList, ctx: FactsContext): ListDefinition {
  const today = (f: Facts) => listStatusOf(stateOfFacts(f, ctx));
  switch (list) {
    case 'not_certified':
      return { accept: (f) => ['due', 'overdue', 'suspended'].includes(today(f)), needsDay: false };
    case 'to_be_suspended': {
      const pause = suspendedFrom(ctx);
      // Not suspended yet, and the rules would say so on the day the pause begins if nothing changed.
      return { accept: (f) => pause !== null && today(f) !== 'suspended' && stateOfFacts(f, ctx, pause).state === 'suspended', needsDay: false };
    }
    case 'suspended':
      return { accept: (f) => today(f) === 'suspended', needsDay: false };
    case 'certified':
      return { accept: (f) => today(f) === 'certified', needsDay: false };
    case 'resumed':
      return { accept: (f, resumedDay) => resumedDay && today(f) === 'certified', needsDay: true };
  }
}

/** "Certified for the current period on or after the day the pause began", from the retiree's columns or the joined row: a condition. */
export function resumedSql(mode: FactMode): string {
  return mode === 'joined' ? 'ap.certified_on >= $pausedFrom' : `${currentApproved('approved_on')} >= $pausedFrom`;
}

/** The WHERE of one list: the list's scope and filters plus its definition over the facts. */
export function listFilter(scope: RegionScope, list: ExportList, community: number | undefined, mode: FactMode): Where {
  const base = listWhere(scope, { community });
  const def = listDefinition(list, scope.facts);
  const pausedFrom = suspendedFrom(scope.facts);
  const day = def.needsDay ? (pausedFrom === null ? NEVER : resumedSql(mode)) : ALWAYS;
  return { sql: and(base.sql, factFilter((f) => def.accept(f, true), mode), day), params: { ...base.params, $pausedFrom: pausedFrom } };
}

/**
 * How many retirees each list holds, in one pass: the retirees of the region (or one community)
 * grouped by their facts, each group put on the lists the rules say it belongs to.
 */
export async function officeLists(db: Db, admin: OfficeUser, query: { region?: number; community?: number }, now: number): Promise<OfficeLists> {
  const scope = await regionScope(db, admin, query.region, now);
  const where = listWhere(scope, { community: query.community });
  const pausedFrom = suspendedFrom(scope.facts);
  const sql = `SELECT approved, pending, verifying, late, resumed, count(*) AS n FROM (
     SELECT ${factColumns(FACT_SQL)},
            ${pausedFrom === null ? '0' : flagOf(resumedSql('scan'))} AS resumed
       FROM retirees r WHERE ${where.sql}) AS f
   GROUP BY approved, pending, verifying, late, resumed`;
  const groups = await db.all<Facts & { resumed: 0 | 1; n: number }>(sql, bindUsed(sql, { ...where.params, $pausedFrom: pausedFrom }));
  const lists = (['not_certified', 'to_be_suspended', 'suspended', 'certified', 'resumed'] as const).map((list) => {
    const def = listDefinition(list, scope.facts);
    return { list, count: groups.reduce((sum, g) => sum + (def.accept(g, g.resumed === 1) ? g.n : 0), 0) };
  });
  return { ...scope.context, lists };
}

export type { CertificationMethod };
