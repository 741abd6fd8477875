// The PostgreSQL engine behind the same `Db` as sqlite.ts (decision 081): a pg.Pool, statements
// translated from SQLite's parameter styles (placeholders.ts), rows typed as SQLite gives them
// (int8 and numeric as numbers, booleans as 1 / 0), and transactions that hold one pooled client,
// tracked with AsyncLocalStorage so store functions run the same inside and outside one.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db, Params, Prepared, RunResult, SqlValue, TransactionOptions } from './db.ts';
import { postgresDialect, WRITER_LOCK } from './dialect.ts';
import { toPostgres } from './placeholders.ts';

const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;

/**
 * Counts, sums and BIGINT columns (every time is milliseconds since 1970) come back as numbers,
 * as SQLite's do: the store does arithmetic on them. Beyond 2^53 a number would be wrong, so it
 * is refused instead of rounded. Booleans (`x IS NULL AS gone`, EXISTS) are 1 and 0, as in SQLite.
 */
function getTypeParser(oid: number, format?: string): (text: string) => unknown {
  if (oid === INT8 || oid === NUMERIC) {
    return (text: string) => {
      const n = Number(text);
      if (oid === INT8 && !Number.isSafeInteger(n)) throw new Error(`PostgreSQL returned ${text}, beyond the integers a JavaScript number holds exactly`);
      return n;
    };
  }
  if (oid === BOOL) return (text: string) => (text === 't' ? 1 : 0);
  return pg.types.getTypeParser(oid, format as 'text');
}

/** JavaScript values as SQLite binds them: booleans are 1 and 0. */
function bindable(values: SqlValue[]): unknown[] {
  return values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v));
}

function result(r: pg.QueryResult): RunResult {
  const row = r.rows[0] as { id?: unknown } | undefined;
  const returned = r.fields.some((f) => f.name === 'id') && row ? Number(row.id) : null;
  return {
    changes: r.rowCount ?? 0,
    get lastId(): number {
      if (returned === null) throw new Error('lastId on PostgreSQL needs `RETURNING id` at the end of the INSERT');
      return returned;
    },
  };
}

/** The URL without its password, for logs and `db.path`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /**
   * Every transaction first takes the writer lock (one advisory lock shared by every instance), so
   * transactions run one at a time, as SQLite's BEGIN IMMEDIATE makes them: the store's
   * read-then-write transactions were written for that (decision 081). A transaction opened with
   * `{ concurrent: true }` takes the row and key locks it needs instead and the writer lock only
   * before it writes (decision 088). Default true; false only for experiments.
   */
  serialiseTransactions?: boolean;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: { getTypeParser } as pg.CustomTypesConfig });
  // An idle client's error (the server restarted) must not crash the process; the next query
  // takes a fresh connection.
  pool.on('error', () => undefined);
  // Fail now, with the reason, rather than on the first request.
  await pool.query('SELECT 1');
  const serialise = options.serialiseTransactions ?? true;
  const current = new AsyncLocalStorage<pg.PoolClient>();
  const on = (): pg.Pool | pg.PoolClient => current.getStore() ?? pool;

  const query = (sql: string, params: Params | undefined, name?: string) => {
    const { text, values } = toPostgres(sql, params);
    return on().query({ text, values: bindable(values), ...(name ? { name } : {}) });
  };
  // A write outside a transaction is one, so it too waits for the writer lock: SQLite runs
  // every write one at a time, and sync_changes' sequence numbers must commit in the order they
  // were drawn, or a pull could pass a number still uncommitted and never see it (decision 081).
  const write = <T>(fn: () => Promise<T>): Promise<T> => (current.getStore() || !serialise ? fn() : transaction(fn));
  const statementName = (sql: string) => `s${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;

  return {
    path: redactUrl(url),
    engine: 'postgres',
    dialect: postgresDialect,
    get: async <T>(sql: string, params?: Params) => (await query(sql, params)).rows[0] as T | undefined,
    all: async <T>(sql: string, params?: Params) => (await query(sql, params)).rows as T[],
    run: (sql, params) => write(async () => result(await query(sql, params))),
    // The simple protocol runs a script of several statements.
    exec: (sql) => write(async () => void (await on().query(sql))),
    prepare(sql: string): Prepared {
      const name = statementName(sql);
      return {
        all: async <T>(params?: Params) => (await query(sql, params, name)).rows as T[],
        run: (params?: Params) => write(async () => result(await query(sql, params, name))),
      };
    },
    transaction,
    async close() {
      await pool.end();
    },
  };

  async function transaction<T>(fn: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (current.getStore()) return fn();
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      // A concurrent transaction takes the writer lock itself, before its first write (decision 088).
      if (serialise && !options.concurrent) await client.query('SELECT pg_advisory_xact_lock($1)', [WRITER_LOCK]);
      const out = await current.run(client, fn);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

/** Whether a DATABASE_URL names PostgreSQL. */
export const isPostgresUrl = (url: string | undefined): url is string => !!url && /^postgres(ql)?:\/\//.test(url);
