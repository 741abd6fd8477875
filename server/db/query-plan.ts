// How the engine would run a statement, as text, for the tests that hold the store's hot queries to
// their indexes (the audit log, the retiree page). SQLite: EXPLAIN QUERY PLAN, the plan it runs.
// PostgreSQL chooses by cost, and on a test's few rows a sequential scan and a sort are cheapest
// whatever indexes exist; so its plan (EXPLAIN) is asked for with sequential scans priced out and,
// for a statement whose index should give its order (`ordered`), sorts too (SET LOCAL enable_… = off
// only raises their cost). A plan that still reads the table whole, or still sorts, is one no index
// can serve; one that names the index is the walk the statement gets on a table large enough for
// the planner to prefer it.
import type { Db, SqlValue } from './db.ts';

export async function queryPlan(db: Db, sql: string, params: readonly SqlValue[] = [], options: { ordered?: boolean } = {}): Promise<string> {
  if (db.engine === 'sqlite') return (await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail).join('\n');
  return db.transaction(async () => {
    await db.exec(`SET LOCAL enable_seqscan = off${options.ordered ? '; SET LOCAL enable_sort = off' : ''}`);
    return (await db.all<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${sql}`, params)).map((r) => r['QUERY PLAN']).join('\n');
  });
}

/**
 * Whether a PostgreSQL plan sorts its rows. An incremental sort on the index's leading order key
 * (`presortedOn`) is not one: it only orders rows of the same key value (the audit log's entries
 * of one millisecond by id, which SQLite's index holds as its rowid and PostgreSQL's does not).
 */
export function sortsOnPostgres(plan: string, presortedOn: string): boolean {
  if (/(^|-> {2})Sort$/m.test(plan)) return true;
  const presorted = [...plan.matchAll(/Presorted Key: (.+)/g)].map((m) => m[1]!.trim());
  return presorted.some((key) => key !== presortedOn);
}
