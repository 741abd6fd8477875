// The database handle every store module receives, whichever engine is behind it: the embedded
// SQLite file (sqlite.ts, the default) or PostgreSQL (postgres.ts, when DATABASE_URL says so;
// decision 081). Store SQL is written once, in the portable subset both engines run; the few
// statements that differ come from `db.dialect` (dialect.ts).
import type { Dialect } from './dialect.ts';

export type SqlValue = string | number | bigint | Buffer | Uint8Array | null;
export type Params = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface RunResult {
  changes: number;
  /**
   * The rowid SQLite gave the inserted row. On PostgreSQL only when the statement ends in
   * `RETURNING id`: end every INSERT whose lastId is read with `db.dialect.returningId`.
   */
  lastId: number;
}

export interface Db {
  get<T>(sql: string, params?: Params): Promise<T | undefined>;
  all<T>(sql: string, params?: Params): Promise<T[]>;
  run(sql: string, params?: Params): Promise<RunResult>;
  /** Runs a script of several statements (migrations); no parameters. */
  exec(sql: string): Promise<void>;
  /**
   * A statement prepared once per connection and kept, for hot SQL whose text never changes (lists
   * go in as one JSON parameter read with json_each). The driver returns to the event loop between
   * preparing and running a statement; on a busy server each of those returns waits its turn while
   * a transaction holds the write lock, so a kept statement makes a group commit markedly shorter.
   */
  prepare(sql: string): Prepared;
  /** BEGIN … COMMIT around `fn`; rolls back when it throws. Nested calls join the outer one. */
  transaction<T>(fn: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
  /** The SQLite file, or the PostgreSQL URL without its password. */
  readonly path: string;
  readonly engine: 'sqlite' | 'postgres';
  /** The statements that differ between the engines. */
  readonly dialect: Dialect;
}

export interface TransactionOptions {
  /**
   * PostgreSQL only (SQLite has one writer whatever this says): the transaction does not take the
   * writer lock at BEGIN, so it may run alongside others, here and on other instances. Only for a
   * transaction that takes the locks its reads need itself (`dialect.lockKeys`, row locks,
   * `dialect.skipLocked`) and takes `dialect.writerLock` before its first write that may reach the
   * change feed (decision 088).
   */
  concurrent?: boolean;
}

export interface Prepared {
  all<T>(params?: Params): Promise<T[]>;
  run(params?: Params): Promise<RunResult>;
}
