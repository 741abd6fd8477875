// What the certification rules read about a retiree, as SQL over `retirees r`, in one place for
// every office query that counts, filters or sorts by state (issue 16, decisions 055 and 056).
//
// `certificationStatus` (shared/certification-rules.ts) decides a retiree's state from a handful of
// facts about the region's current period: the method of an approved certification, whether one
// waits for review, whether a passed check waits for its face match since the period began, and
// whether the pension began after the deadline. The SQL here computes exactly those facts per
// retiree and nothing else; which state a combination of them is stays with the rules:
//   - the overview groups retirees by their facts and asks the rules for each group's state;
//   - a filter ("overdue", "certified by family") becomes the set of combinations whose state the
//     rules say matches, written as a CASE over the facts (`factSwitch`), so the list and the
//     overview cannot disagree and no second definition of "due" exists anywhere.
import {
  CERTIFICATION_METHODS,
  certificationStatus,
  earliestStart,
  periodFor,
  type CertificationMethod,
  type CertificationPeriod,
  type CertificationRecord,
  type CertificationState,
  OFF_ROLLS,
} from '../../shared/certification-rules.ts';
import { addDays, localDateIn, type LocalDate } from '../../shared/dates.ts';
import type { Db, SqlValue } from '../db/sqlite.ts';
import { periodsOfRegion } from './regions.ts';

/** Who is on the rolls (shared OFF_ROLLS): the worker's roster, the office's lists and counts. */
export const ON_ROLLS = `r.enrolment NOT IN (${OFF_ROLLS.map((s) => `'${s}'`).join(', ')})`;

/** The facts the rules read, as the SQL below yields them (0/1 for the yes-or-no ones). */
export interface Facts {
  /** The pension began after the current period's deadline: the period does not apply. */
  late: 0 | 1;
  /** The method of an approved certification of the current period, if any. */
  approved: CertificationMethod | null;
  /** A certification of the current period waits for the office's review. */
  pending: 0 | 1;
  /** A passed check reached the server since the period began and waits for its face match. */
  verifying: 0 | 1;
}

/**
 * A column of the retiree's newest approved certification (migration 014, kept by triggers) when it
 * is of the current period; otherwise NULL, except for a retiree whose newest is of a period of the
 * same or a later year than the current one (rare: a period set up ahead, a move between regions),
 * whose certification of the current period is looked up. At most one approved certification per
 * retiree and period exists (certifications_one_approved).
 */
export function currentApproved(column: 'approved_method' | 'approved_on'): string {
  const looked = column === 'approved_method' ? 'method' : 'certified_on';
  return `(CASE WHEN r.approved_period_id = $period THEN r.${column}
     WHEN r.approved_period_id IN (SELECT p.id FROM certification_periods p WHERE p.year >= $year AND p.id <> $period)
     THEN (SELECT ce.${looked} FROM certifications ce WHERE ce.retiree_id = r.id AND ce.period_id = $period AND ce.status = 'approved') END)`;
}

/**
 * Each fact as an SQL expression over `retirees r`, reading the named parameters of `factParams`,
 * for a statement that reads many retirees: the approved certification from the retiree's own
 * columns (in the covering indexes), the rare facts as sets SQLite builds once per statement from
 * small partial indexes (migration 010). In the order a CASE tests them: the cheapest first.
 */
export const FACT_SQL: Readonly<Record<keyof Facts, string>> = {
  // A condition (false without a period: no deadline); `factColumns` makes it a 0/1 value.
  late: 'r.enrolled_on > $deadline',
  approved: currentApproved('approved_method'),
  pending: "r.id IN (SELECT ce.retiree_id FROM certifications ce WHERE ce.period_id = $period AND ce.status = 'pending_review')",
  verifying: "r.id IN (SELECT a.retiree_id FROM attempts a WHERE a.outcome = 'verifying' AND a.certified_on >= $start)",
};

/**
 * The same facts as look-ups per retiree, for a few rows (a page of the list, a page of an export):
 * building the sets above costs milliseconds per statement, a look-up a few microseconds.
 */
export const FACT_ROW_SQL: Readonly<Record<keyof Facts, string>> = {
  late: FACT_SQL.late,
  approved: FACT_SQL.approved,
  pending: "EXISTS (SELECT 1 FROM certifications ce WHERE ce.retiree_id = r.id AND ce.period_id = $period AND ce.status = 'pending_review')",
  verifying: "EXISTS (SELECT 1 FROM attempts a WHERE a.retiree_id = r.id AND a.outcome = 'verifying' AND a.certified_on >= $start)",
};

/**
 * Conditions that do not depend on the row. SQLite takes any integer as a condition, PostgreSQL
 * only a boolean, and the store writes no TRUE / FALSE: these are conditions on both engines.
 */
export const ALWAYS = '1 = 1';
export const NEVER = '1 = 0';

/** A condition as a value, 1 or 0 (the yes-or-no facts' values, whatever the engine's booleans are). */
export const flagOf = (condition: string): string => `(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

/** The facts as columns named as in `Facts` (the method, or 1 / 0), from FACT_SQL or FACT_ROW_SQL. */
export function factColumns(facts: Readonly<Record<keyof Facts, string>>): string {
  return (Object.keys(facts) as (keyof Facts)[]).map((k) => `${k === 'approved' ? facts[k] : flagOf(facts[k])} AS ${k}`).join(',\n       ');
}

/** The facts as columns for a query that reads them per row. */
export const FACT_COLUMNS = factColumns(FACT_ROW_SQL);

const FACT_ORDER = ['late', 'approved', 'pending', 'verifying'] as const satisfies readonly (keyof Facts)[];
const DOMAIN: { [K in keyof Facts]: readonly Facts[K][] } = {
  late: [0, 1],
  approved: [null, ...CERTIFICATION_METHODS],
  pending: [0, 1],
  verifying: [0, 1],
};

/** Every combination of facts there is (2 × 6 × 2 × 2). */
export const ALL_FACTS: readonly Facts[] = (() => {
  const out: Facts[] = [];
  for (const late of DOMAIN.late)
    for (const approved of DOMAIN.approved) for (const pending of DOMAIN.pending) for (const verifying of DOMAIN.verifying) out.push({ late, approved, pending, verifying });
  return out;
})();

/** A region's calendar as the rules see it today: its periods and the one today belongs to. */
export interface FactsContext {
  today: LocalDate;
  periods: readonly CertificationPeriod[];
  current: CertificationPeriod | null;
}

export async function factsContext(db: Db, region: { id: number; time_zone: string }, now: number): Promise<FactsContext> {
  const today = localDateIn(region.time_zone, now);
  const periods = await periodsOfRegion(db, region.id);
  return { today, periods, current: periodFor(periods, today) };
}

/** The named parameters FACT_SQL reads. */
export function factParams(ctx: FactsContext): { $period: number | null; $year: number | null; $start: LocalDate | null; $deadline: LocalDate | null } {
  const { current } = ctx;
  return { $period: current?.id ?? null, $year: current?.year ?? null, $start: current ? earliestStart(current) : null, $deadline: current?.deadline ?? null };
}

/**
 * Only the named parameters `sql` uses: the driver refuses to bind a name the statement does not
 * have, and which facts a filter reads depends on the day (before any period, none).
 */
export function bindUsed(sql: string, params: Readonly<Record<string, SqlValue>>): Record<string, SqlValue> {
  const used: Record<string, SqlValue> = {};
  for (const [k, v] of Object.entries(params)) if (new RegExp(`\\${k}\\b`).test(sql)) used[k] = v;
  return used;
}

/**
 * What the rules say of every retiree with these facts, today or on another day of the same period
 * (`on`: "who would be suspended on the suspension date if nothing changes").
 */
export function stateOfFacts(f: Facts, ctx: FactsContext, on: LocalDate = ctx.today): CertificationState {
  const { current } = ctx;
  // Only the periods up to the current one: the facts are about it, whatever day is asked about.
  const periods = current ? ctx.periods.filter((p) => earliestStart(p) <= earliestStart(current)) : ctx.periods;
  const certifications: CertificationRecord[] = [];
  if (current && f.approved) certifications.push({ periodId: current.id, status: 'approved', method: f.approved, certifiedOn: on });
  if (current && f.pending) certifications.push({ periodId: current.id, status: 'pending_review', method: 'self', certifiedOn: on });
  return certificationStatus({
    periods: on === ctx.today ? ctx.periods : periods,
    certifications,
    today: on,
    enrolledOn: current && f.late ? addDays(current.deadline, 1) : null,
    verifyingSince: current && f.verifying ? earliestStart(current) : null,
  });
}

/**
 * `scan`: the facts as sets, for a statement that reads many retirees (a count, a page sorted by
 * state); `lookup`: as look-ups per retiree, for one that reads a few (a page of the list);
 * `joined`: the approved certification read from `ap`, joined by the statement (APPROVED_JOIN),
 * which also reads its method and day (the pages of an export).
 */
export type FactMode = 'scan' | 'lookup' | 'joined';

/** The current period's approved certification of each retiree, as `ap` (at most one, certifications_one_approved). */
export const APPROVED_JOIN = "LEFT JOIN certifications ap ON ap.retiree_id = r.id AND ap.period_id = $period AND ap.status = 'approved'";

const literal = (v: string | number): string => (typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`);

/**
 * An SQL expression over `retirees r` whose value, for each retiree, is `valueOf` of the retiree's
 * facts: nested CASEs that test a fact only where the answer depends on it (SQLite evaluates a CASE
 * lazily, so "certified" never looks for a pending review), grouping the values of a fact that lead
 * to the same answer into one test. Values are numbers or strings.
 */
export function factSwitch(valueOf: (f: Facts) => string | number, mode: FactMode = 'scan'): string {
  const build = (i: number, partial: Partial<Facts>): string => {
    if (i === FACT_ORDER.length) return literal(valueOf(partial as Facts));
    const fact = FACT_ORDER[i]!;
    // The fact's values, grouped by what follows from them.
    const groups = new Map<string, Facts[typeof fact][]>();
    for (const v of DOMAIN[fact] as readonly Facts[typeof fact][]) {
      const sql = build(i + 1, { ...partial, [fact]: v });
      groups.set(sql, [...(groups.get(sql) ?? []), v]);
    }
    if (groups.size === 1) return [...groups.keys()][0]!;
    if (fact !== 'approved') {
      // A yes-or-no fact: 1 and 0.
      const [yes, no] = [...groups].sort(([, a], [, b]) => Number(b[0]) - Number(a[0]));
      return `(CASE WHEN ${(mode === 'scan' ? FACT_SQL : FACT_ROW_SQL)[fact]} THEN ${yes![0]} ELSE ${no![0]} END)`;
    }
    // The method, read once (from the retiree's columns or the joined row): WHEN per method, ELSE
    // for the most common answer.
    const byMethod = [...groups].flatMap(([sql, values]) => values.map((v) => ({ v, sql })));
    const otherwise = [...groups].sort(([, a], [, b]) => b.length - a.length)[0]![0];
    const whens = byMethod.filter((b) => b.sql !== otherwise).map((b) => `WHEN '${b.v ?? ''}' THEN ${b.sql}`);
    return `(CASE coalesce(${mode === 'joined' ? 'ap.method' : FACT_SQL.approved}, '') ${whens.join(' ')} ELSE ${otherwise} END)`;
  };
  return build(0, {});
}

/**
 * An SQL condition true for exactly the retirees whose facts `accept` takes; ALWAYS or NEVER when
 * that does not depend on any fact (e.g. no period has started: everyone is "not open").
 */
export function factFilter(accept: (f: Facts) => boolean, mode: FactMode = 'scan'): string {
  const value = factSwitch((f) => (accept(f) ? 1 : 0), mode);
  return value === '1' ? ALWAYS : value === '0' ? NEVER : `${value} = 1`;
}
