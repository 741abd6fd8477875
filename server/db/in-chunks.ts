import type { Db, SqlValue } from './sqlite.ts';

/**
 * Runs `sql` once per 400 of `ids`, each time with as many `?` marks as ids (`marks`), and
 * concatenates the rows. 400 (plus `extra`, bound after the ids) stays under SQLite's limit on bound
 * parameters, 999 in older builds, whatever the length of a worker's roster.
 */
export async function inChunks<T>(db: Db, ids: readonly SqlValue[], sql: (marks: string) => string, extra: readonly SqlValue[] = []): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 400) {
    const part = ids.slice(i, i + 400);
    out.push(...(await db.all<T>(sql(part.map(() => '?').join(',')), [...part, ...extra])));
  }
  return out;
}
