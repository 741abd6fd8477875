// The only module that touches the sqlite3 driver. It turns callbacks into promises and gives the
// app one rule: every write goes through one connection, one transaction at a time.
//
// sqlite3 runs statements on libuv threads, so two async request handlers can interleave their
// statements on one connection. A BEGIN from one handler would then silently capture the other's
// writes. Writes and transactions therefore queue on a mutex; code running inside a transaction
// (tracked with AsyncLocalStorage) skips the queue, so repository functions work the same whether or
// not a caller wrapped them in `transaction()`. Plain reads use a second, read-only connection:
// in WAL mode they see the last committed state and never wait for a writer.
import { AsyncLocalStorage } from 'node:async_hooks';
import sqlite3 from 'sqlite3';
import { ensurePrivateDatabaseFile } from './private-file.ts';

import type { Db, Params, RunResult } from './db.ts';
import { sqliteDialect } from './dialect.ts';

// The handle's types live in db.ts (shared with the PostgreSQL engine); most callers import them
// from here.
export type { Db, Params, Prepared, RunResult, SqlValue } from './db.ts';

export interface OpenOptions {
  /** `synchronous` for the write connection; see docs/decisions/003-sqlite-durability.md. */
  synchronous?: 'FULL' | 'NORMAL' | 'EXTRA';
  busyTimeoutMs?: number;
  /**
   * Only the read-only connection, for a thread that answers reads (the pull thread, decision
   * 053); writes and transactions are refused. The database must exist and be in WAL mode already.
   */
  readOnly?: boolean;
  /** With readOnly: how many read-only connections share the reads (default 1). */
  readers?: number;
}

function promisify(conn: sqlite3.Database) {
  return {
    get: <T>(sql: string, params: Params) =>
      new Promise<T | undefined>((resolve, reject) => conn.get(sql, params, (err, row) => (err ? reject(err) : resolve(row as T | undefined)))),
    all: <T>(sql: string, params: Params) =>
      new Promise<T[]>((resolve, reject) => conn.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[])))),
    run: (sql: string, params: Params) =>
      new Promise<RunResult>((resolve, reject) =>
        conn.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
          if (err) reject(err);
          else resolve({ changes: this.changes, lastId: this.lastID });
        }),
      ),
    exec: (sql: string) => new Promise<void>((resolve, reject) => conn.exec(sql, (err) => (err ? reject(err) : resolve()))),
    kept: keptStatements(conn),
    close: () => new Promise<void>((resolve, reject) => conn.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** Statements prepared on first use and kept for the connection's life; finalized before it closes. */
function keptStatements(conn: sqlite3.Database) {
  const statements = new Map<string, Promise<sqlite3.Statement>>();
  const statement = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = new Promise((resolve, reject) => {
        // With a callback the driver reports a bad statement there instead of as an 'error' event.
        const prepared: sqlite3.Statement = conn.prepare(sql, (err: Error | null) => (err ? reject(err) : resolve(prepared)));
      });
      statements.set(sql, stmt);
      stmt.catch(() => statements.delete(sql));
    }
    return stmt;
  };
  return {
    all: async <T>(sql: string, params: Params) => {
      const stmt = await statement(sql);
      return new Promise<T[]>((resolve, reject) => stmt.all(params, (err: Error | null, rows: unknown[]) => (err ? reject(err) : resolve(rows as T[]))));
    },
    run: async (sql: string, params: Params) => {
      const stmt = await statement(sql);
      return new Promise<RunResult>((resolve, reject) =>
        stmt.run(params, function (this: sqlite3.RunResult, err: Error | null) {
          if (err) reject(err);
          else resolve({ changes: this.changes, lastId: this.lastID });
        }),
      );
    },
    async finalize() {
      const prepared = await Promise.allSettled(statements.values());
      statements.clear();
      await Promise.all(prepared.map((p) => (p.status === 'fulfilled' ? new Promise<void>((resolve) => p.value.finalize(() => resolve())) : undefined)));
    },
  };
}

/**
 * Pages are read through a memory map shared by every connection of the process instead of being
 * copied into each connection's own 2 MB page cache: an office count over 200,000 retirees spent a
 * third of its time in read() system calls re-reading pages the cache had just dropped
 * (`npm run bench -- office`). The map is address space, not memory; the OS page cache backs it.
 */
const MMAP_BYTES = 1 << 30;

function openConnection(path: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const conn = new sqlite3.Database(path, mode, (err) => {
      if (err) return reject(err);
      conn.exec(`PRAGMA mmap_size = ${MMAP_BYTES}`, (e) => (e ? reject(e) : resolve(conn)));
    });
  });
}

class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  lock<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * A database handle that only reads, on `count` read-only connections: each statement goes to the
 * connection with the fewest waiting, so reads run side by side (SQLite reads on separate
 * connections do) while none holds more than one of libuv's threads.
 */
async function openReadOnly(path: string, busy: number, count: number): Promise<Db> {
  const readers = await Promise.all(
    Array.from({ length: count }, async () => {
      const conn = await openConnection(path, sqlite3.OPEN_READONLY | sqlite3.OPEN_FULLMUTEX);
      // One statement at a time leaves the driver: a connection runs one at a time anyway, and each
      // statement sent early would hold one of libuv's four threads waiting for the connection,
      // ahead of the ingest thread's COMMIT and every file read (decision 053).
      conn.serialize();
      const reader = promisify(conn);
      await reader.exec(`PRAGMA busy_timeout = ${busy}; PRAGMA query_only = ON;`);
      return { reader, waiting: 0 };
    }),
  );
  const use = async <T>(fn: (reader: ReturnType<typeof promisify>) => Promise<T>): Promise<T> => {
    const r = readers.reduce((a, b) => (b.waiting < a.waiting ? b : a));
    r.waiting++;
    try {
      return await fn(r.reader);
    } finally {
      r.waiting--;
    }
  };
  const refuse = (): never => {
    throw new Error(`${path} is open read-only here`);
  };
  return {
    path,
    engine: 'sqlite',
    dialect: sqliteDialect,
    get: (sql, params = []) => use((c) => c.get(sql, params)),
    all: (sql, params = []) => use((c) => c.all(sql, params)),
    run: async () => refuse(),
    exec: async () => refuse(),
    prepare: (sql) => ({ all: (params = []) => use((c) => c.kept.all(sql, params)), run: async () => refuse() }),
    transaction: async () => refuse(),
    async close() {
      for (const { reader } of readers) {
        await reader.kept.finalize();
        await reader.close();
      }
    },
  };
}

export async function openDb(path: string, options: OpenOptions = {}): Promise<Db> {
  const busy = options.busyTimeoutMs ?? 5000;
  if (options.readOnly) return openReadOnly(path, busy, options.readers ?? 1);
  // Biometric data: the folder and the files are the server account's alone (decision 052).
  ensurePrivateDatabaseFile(path);
  const writerConn = await openConnection(path, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_FULLMUTEX);
  const writer = promisify(writerConn);
  await writer.exec(`PRAGMA busy_timeout = ${busy}`);
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) await writer.get('PRAGMA journal_mode = WAL', []);
  await writer.exec(`PRAGMA synchronous = ${options.synchronous ?? 'FULL'}; PRAGMA foreign_keys = ON;`);

  // A second connection to ':memory:' would be a different, empty database.
  const readerConn = inMemory ? null : await openConnection(path, sqlite3.OPEN_READONLY | sqlite3.OPEN_FULLMUTEX);
  // One statement at a time on the read connection. Overlapping statements share one read
  // transaction, and on a busy event loop a finished read's statement lives on until its finalize
  // is scheduled a loop turn later: reads then kept seeing the database as it was before writes
  // that had already committed (the auth epoch, a setting just inserted; found by the load bench).
  readerConn?.serialize();
  const reader = readerConn ? promisify(readerConn) : null;
  if (reader) await reader.exec(`PRAGMA busy_timeout = ${busy}; PRAGMA query_only = ON;`);

  const mutex = new Mutex();
  const inTransaction = new AsyncLocalStorage<true>();
  const write = <T>(fn: () => Promise<T>) => (inTransaction.getStore() ? fn() : mutex.lock(fn));
  // Inside a transaction, reads must see its uncommitted writes, so they use the writer too.
  const read = <T>(fn: (conn: typeof writer) => Promise<T>) =>
    reader && !inTransaction.getStore() ? fn(reader) : write(() => fn(writer));

  return {
    path,
    engine: 'sqlite',
    dialect: sqliteDialect,
    get: (sql, params = []) => read((c) => c.get(sql, params)),
    all: (sql, params = []) => read((c) => c.all(sql, params)),
    run: (sql, params = []) => write(() => writer.run(sql, params)),
    exec: (sql) => write(() => writer.exec(sql)),
    prepare: (sql) => ({
      all: (params = []) => read((c) => c.kept.all(sql, params)),
      run: (params = []) => write(() => writer.kept.run(sql, params)),
    }),
    transaction<T>(fn: () => Promise<T>): Promise<T> {
      if (inTransaction.getStore()) return fn();
      return mutex.lock(() =>
        inTransaction.run(true, async () => {
          await writer.exec('BEGIN IMMEDIATE');
          try {
            const result = await fn();
            await writer.exec('COMMIT');
            return result;
          } catch (err) {
            await writer.exec('ROLLBACK').catch(() => undefined);
            throw err;
          }
        }),
      );
    },
    async close() {
      await mutex.lock(async () => {
        if (reader) {
          await reader.kept.finalize();
          await reader.close();
        }
        await writer.kept.finalize();
        await writer.close();
      });
    },
  };
}
