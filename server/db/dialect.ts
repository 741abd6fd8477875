// The statements that differ between SQLite and PostgreSQL, in one place (decision 081). Store SQL
// is portable by default (ON CONFLICT … DO NOTHING / DO UPDATE, RETURNING, row values, CASE);
// what cannot be (JSON in and out, text search, engine housekeeping) is written here once per
// engine and used by the store as `db.dialect.…`. Each one is exercised on both engines by
// dialect.test.ts.

export interface Dialect {
  /**
   * The values of a JSON array parameter as a one-column subquery, for `x IN ${…}`: a list of any
   * length in one bound parameter. `type` is what the values are compared with.
   */
  jsonValues(param: string, type: 'int' | 'text'): string;
  /** A JSON array parameter of arrays as a table source whose rows are `value`, for jsonElement. */
  jsonArrayRows(param: string): string;
  /** Element `i` of a jsonArrayRows row, as a value of the column's type. */
  jsonElement(i: number, type: 'int' | 'real' | 'text'): string;
  /** A JSON array of `expr` over the group's rows, as text; '[]' for no rows. */
  jsonArrayAgg(expr: string): string;
  /** A JSON object from alternating key literals and values: jsonObject("'id'", 'b.id', …). */
  jsonObject(...keysAndValues: string[]): string;
  /** A JSON array of the values. */
  jsonArray(...values: string[]): string;
  /** The text of one top-level field of a JSON text column. */
  jsonField(column: string, key: string): string;
  /** Whether `haystack` contains `needle` (case-sensitive, no pattern characters). */
  contains(haystack: string, needle: string): string;
  /** LIKE that ignores the case of Latin letters, as SQLite's LIKE does. */
  readonly likeNoCase: string;
  /** The smaller / larger of two values (SQLite's two-argument min/max). */
  least(a: string, b: string): string;
  greatest(a: string, b: string): string;
  /**
   * Appended to an INSERT whose `lastId` is read. SQLite reports the rowid without it (and with
   * it node-sqlite3's `changes` would count the statement before); PostgreSQL needs it.
   */
  readonly returningId: string;
  /** Statements to run before and after erasing biometric data, so the bytes leave the disk. */
  readonly eraseBefore: string | null;
  readonly eraseAfter: string | null;
  /** Statement run after a bulk erase to hand the freed space back (null: nothing to do). */
  readonly reclaimSpace: string | null;
  /**
   * Locking for several instances on one database (decision 088); nothing on SQLite, where one
   * process writes one transaction at a time anyway.
   * `writerLock`: the statement a `{ concurrent: true }` transaction runs before its first write
   * (the change feed's sequence numbers must commit in the order they are drawn).
   */
  readonly writerLock: string | null;
  /**
   * A statement that locks, until the transaction ends, every key of a JSON list parameter of
   * texts ("device:…", "retiree:…"): rows that may not exist yet. Taken in one order, so two
   * transactions locking overlapping keys wait instead of deadlocking. Returns one row.
   */
  lockKeys(param: string): string | null;
  /** Appended to a SELECT that picks queue rows: rows another transaction holds are passed over. */
  readonly skipLocked: string;
}

/** The writer lock's advisory lock number: any number, one lock shared by every instance. */
export const WRITER_LOCK = 20_260_020;
/** Seed of the key locks' hash: keeps them apart from the writer lock and other advisory locks. */
const KEY_LOCK_SEED = 20_260_088;

const literal = (key: string) => `'${key.replace(/'/g, "''")}'`;

export const sqliteDialect: Dialect = {
  jsonValues: (param) => `(SELECT value FROM json_each(${param}))`,
  jsonArrayRows: (param) => `json_each(${param})`,
  jsonElement: (i) => `value->>${i}`,
  jsonArrayAgg: (expr) => `json_group_array(${expr})`,
  jsonObject: (...kv) => `json_object(${kv.join(', ')})`,
  jsonArray: (...values) => `json_array(${values.join(', ')})`,
  jsonField: (column, key) => `${column} ->> ${literal(`$.${key}`)}`,
  contains: (haystack, needle) => `instr(${haystack}, ${needle}) > 0`,
  likeNoCase: 'LIKE',
  returningId: '',
  least: (a, b) => `min(${a}, ${b})`,
  greatest: (a, b) => `max(${a}, ${b})`,
  // Deleted pages are overwritten with zeros instead of left in the file's free list (decision 052).
  eraseBefore: 'PRAGMA secure_delete = ON',
  eraseAfter: 'PRAGMA secure_delete = OFF',
  reclaimSpace: 'PRAGMA wal_checkpoint(TRUNCATE)',
  writerLock: null,
  lockKeys: () => null,
  skipLocked: '',
};

export const postgresDialect: Dialect = {
  jsonValues: (param, type) =>
    `(SELECT value${type === 'int' ? '::bigint' : ''} FROM jsonb_array_elements_text(CAST(${param} AS jsonb)) AS j(value))`,
  jsonArrayRows: (param) => `jsonb_array_elements(CAST(${param} AS jsonb)) AS j(value)`,
  jsonElement: (i, type) => `CAST(value->>${i} AS ${type === 'int' ? 'BIGINT' : type === 'real' ? 'DOUBLE PRECISION' : 'TEXT'})`,
  jsonArrayAgg: (expr) => `COALESCE(json_agg(${expr})::text, '[]')`,
  jsonObject: (...kv) => `json_build_object(${kv.join(', ')})`,
  jsonArray: (...values) => `json_build_array(${values.join(', ')})`,
  jsonField: (column, key) => `(CAST(${column} AS jsonb) ->> ${literal(key)})`,
  contains: (haystack, needle) => `strpos(${haystack}, ${needle}) > 0`,
  likeNoCase: 'ILIKE',
  returningId: 'RETURNING id',
  least: (a, b) => `LEAST(${a}, ${b})`,
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  // A deleted bytea's TOAST chunks are dead tuples until VACUUM reclaims them; the erase job's
  // VACUUM is autovacuum's (see decision 082 for where the bytes live and how they leave).
  eraseBefore: null,
  eraseAfter: null,
  reclaimSpace: null,
  writerLock: `SELECT pg_advisory_xact_lock(${WRITER_LOCK})`,
  // The ORDER BY in the subquery is the order the locks are taken in.
  lockKeys: (param) =>
    `SELECT count(pg_advisory_xact_lock(h)) AS locked FROM (SELECT DISTINCT hashtextextended(value, ${KEY_LOCK_SEED}) AS h FROM jsonb_array_elements_text(CAST(${param} AS jsonb)) AS j(value) ORDER BY h) AS k`,
  skipLocked: 'FOR UPDATE SKIP LOCKED',
};
