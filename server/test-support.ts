// Shared by server tests: a real database per test app (a SQLite file, or with STILLHERE_TEST_PG a
// PostgreSQL database of its own: decision 081), migrations applied, a controllable
// clock, a cheap (but real) scrypt cost, and a client that carries cookies and a same-origin
// Origin header like a browser would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createServices } from './app.ts';
import { createPasswordHasher } from './auth/password.ts';
import { loadConfig, type Config } from './config.ts';
import type { Deps } from './context.ts';
import { loadMigrations, migrate } from './db/migrate.ts';
import { createTestDatabase, testPostgresUrl } from './db/pg-test-databases.ts';
import { openPostgres } from './db/postgres.ts';
import { openDb, type Db } from './db/sqlite.ts';
import type { Logger } from './errors.ts';
import { seedDemoIfEmpty } from './seed/demo.ts';
import { IngestQueue } from './sync/ingest.ts';

export const ORIGIN = 'http://localhost';

/** The server tests run on PostgreSQL (STILLHERE_TEST_PG); what is SQLite's alone is skipped then. */
export const onPostgres = testPostgresUrl() !== null;

export interface TestApp {
  app: ReturnType<typeof createApp>;
  db: Db;
  config: Config;
  clock: { now: number; advance(ms: number): void };
  logs: string[];
  /** The app's group commit: set its faults, give it the ingest thread (deps.ingest). */
  ingest: IngestQueue;
  /** Another connection to the same database, as a second process (or instance) would open it. */
  reopen(): Promise<Db>;
  close(): Promise<void>;
}

export async function createTestApp(options: { seed?: boolean; config?: Partial<Config>; deps?: Partial<Deps>; now?: number } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'stillhere-test-'));
  const { db, drop, reopen } = await openTestDb(dir);
  const config = { ...loadConfig({ NODE_ENV: 'test' }, dir), ...options.config };
  const clock = {
    now: options.now ?? Date.UTC(2026, 10, 22, 2, 0), // 2026-11-22 10:00 in Beijing
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const logs: string[] = [];
  const logger: Logger = { info: (m) => logs.push(m), error: (m, extra) => logs.push(`${m} ${JSON.stringify(extra)}`) };
  const deps: Deps = { db, config, now: () => clock.now, passwords: createPasswordHasher(10), logger, ingest: new IngestQueue(db), ...options.deps };
  const ingest = deps.ingest!;
  if (options.seed !== false) await seedDemoIfEmpty(createServices(deps));
  return {
    app: createApp(deps),
    db,
    config,
    clock,
    logs,
    ingest,
    reopen,
    async close() {
      await ingest.close();
      await db.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A migrated, empty database for one test: a SQLite file in `dir`, or, when STILLHERE_TEST_PG names
 * a PostgreSQL cluster, a database of its own there (copied from a migrated template). `drop`
 * removes the PostgreSQL one after `db.close()`.
 */
export async function openTestDb(dir: string): Promise<{ db: Db; drop: () => Promise<void>; reopen: () => Promise<Db> }> {
  const cluster = testPostgresUrl();
  if (cluster) {
    const database = await createTestDatabase(cluster);
    const reopen = () => openPostgres(database.url, { max: 4 });
    return { db: await reopen(), drop: database.drop, reopen };
  }
  const file = join(dir, 'test.sqlite');
  const db = await openDb(file);
  await migrate(db);
  return { db, drop: async () => undefined, reopen: () => openDb(file) };
}

export interface Client {
  cookie: string;
  request(path: string, init?: { method?: string; json?: unknown; body?: RequestInit['body']; headers?: Record<string, string> }): Promise<Response>;
  /** request() + parsed JSON body. */
  json<T = any>(path: string, init?: Parameters<Client['request']>[1]): Promise<{ status: number; body: T }>;
}

/** A browser-like client: keeps the session cookie and sends a same-origin Origin header. */
export function client(t: Pick<TestApp, 'app'>): Client {
  const c: Client = {
    cookie: '',
    async request(path, init = {}) {
      const headers: Record<string, string> = { Origin: ORIGIN, ...init.headers };
      if (c.cookie) headers.Cookie = c.cookie;
      let body = init.body;
      if (init.json !== undefined) {
        headers['Content-Type'] ??= 'application/json';
        body = JSON.stringify(init.json);
      }
      const res = await t.app.request(path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
      for (const set of res.headers.getSetCookie()) {
        const [pair] = set.split(';');
        const [name, value] = pair!.split('=');
        if (name === 'sh_session') c.cookie = value ? `sh_session=${value}` : '';
      }
      return res;
    },
    async json(path, init) {
      const res = await c.request(path, init);
      return { status: res.status, body: (await res.json()) as never };
    },
  };
  return c;
}

/** Signs a client in as one of the demo accounts (see server/seed/demo.ts). */
export async function signIn(t: TestApp, who: { idNumber: string; pin: string } | { username: string; password: string }, deviceId?: string): Promise<Client> {
  const c = client(t);
  const res =
    'idNumber' in who
      ? await c.json('/api/auth/sign-in/retiree', { json: { idNumber: who.idNumber, pin: who.pin, ...(deviceId ? { deviceId } : {}) } })
      : await c.json('/api/auth/sign-in', { json: { username: who.username, password: who.password, ...(deviceId ? { deviceId } : {}) } });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return c;
}

/**
 * The demo seed on a SQLite database migrated only up to migration `upTo`, for a test of what a
 * later migration fills in for older rows. The seed is today's code: recording a certification
 * closes the retiree's open home-visit request (migration 017), so the seed is lent that table for
 * its run, and it is taken away again before the remaining migrations run as they would.
 */
export async function seedOnOlderSchema(db: Db, dir: string, upTo: number, now: number): Promise<void> {
  const migrations = loadMigrations();
  await migrate(db, migrations.slice(0, upTo));
  const lent = migrations.slice(upTo).flatMap((m) => /CREATE TABLE visit_requests \([^;]*\);/.exec(m.sql) ?? []);
  for (const sql of lent) await db.exec(sql);
  await seedDemoIfEmpty(createServices({ db, config: loadConfig({ NODE_ENV: 'test' }, dir), passwords: createPasswordHasher(10), now: () => now }));
  if (lent.length) await db.exec('DROP TABLE visit_requests');
}
