// The PostgreSQL engine (decision 081): the migrations on it, the same tables and columns as on
// SQLite, and the Db behaviour the store relies on. Runs when the tests have a cluster
// (STILLHERE_TEST_PG, which `npm test` sets when PostgreSQL is installed); the counterpart check
// runs always.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../test-support.ts';
import type { Db } from './db.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { testPostgresUrl } from './pg-test-databases.ts';
import { openDb } from './sqlite.ts';

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

describe('migrations for PostgreSQL', () => {
  it('every PostgreSQL file is the counterpart of a SQLite migration of the same number and name', () => {
    const sqlite = new Set(readdirSync(MIGRATIONS).filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f)));
    for (const f of readdirSync(join(MIGRATIONS, 'pg'))) expect(sqlite, `pg/${f}`).toContain(f);
    // A SQLite migration without one must be portable: the PostgreSQL test below runs it as it is.
    const own = loadMigrations(MIGRATIONS, 'postgres').filter((m) => existsSync(join(MIGRATIONS, 'pg', `${String(m.version).padStart(3, '0')}-${m.name}.sql`)));
    expect(own.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!testPostgresUrl())('PostgreSQL', () => {
  let pg: Db;
  let sqlite: Db;
  let drop: () => Promise<void>;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stillhere-pg-'));
    ({ db: pg, drop } = await openTestDb(dir));
    sqlite = await openDb(join(dir, 'schema.sqlite'));
    await migrate(sqlite);
  });
  afterAll(async () => {
    await pg.close();
    await drop();
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every migration on disk, and again finds nothing to do', async () => {
    const n = loadMigrations().length;
    expect(await pg.get('SELECT max(version) AS v, count(*) AS n FROM schema_migrations')).toEqual({ v: n, n });
    expect(await migrate(pg)).toBe(n);
    expect(await pg.get('SELECT count(*) AS n FROM schema_migrations')).toEqual({ n });
  });

  it('ends with the tables, views and columns SQLite has (plus the rowid SQLite keeps implicitly)', async () => {
    const lite = await sqlite.all<{ t: string; c: string }>(
      "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2",
    );
    const post = await pg.all<{ t: string; c: string }>(
      "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND column_name <> 'rowid' ORDER BY 1, 2",
    );
    const key = (rows: { t: string; c: string }[]) => rows.map((r) => `${r.t}.${r.c}`).sort();
    expect(key(post)).toEqual(key(lite));
  });

  it('the same triggers: a certified attempt certifies, moves the device sequence and records a change', async () => {
    const region = await pg.run(`INSERT INTO regions (code, name, created_at) VALUES ('110101', 'R', 0) ${pg.dialect.returningId}`);
    const community = await pg.run(`INSERT INTO communities (region_id, name) VALUES (?, 'C') ${pg.dialect.returningId}`, [region.lastId]);
    const period = await pg.run(
      `INSERT INTO certification_periods (region_id, year, self_start, self_end, onsite_start, onsite_end, deadline, suspension_date)
       VALUES (?, 2026, '2026-01-01', '2026-06-30', '2026-01-01', '2026-06-30', '2026-06-30', '2026-07-01') ${pg.dialect.returningId}`,
      [region.lastId],
    );
    const retiree = await pg.run(
      `INSERT INTO retirees (id_number, name, pension_category, community_id, enrolled_on, created_at, updated_at)
       VALUES ('110101194903120021', 'W', 'urban_employee', ?, '2010-01-01', 0, 0) ${pg.dialect.returningId}`,
      [community.lastId],
    );
    const user = await pg.run(`INSERT INTO users (role, retiree_id, display_name, password_hash, created_at, updated_at) VALUES ('retiree', ?, 'W', 'h', 0, 0) ${pg.dialect.returningId}`, [retiree.lastId]);
    await pg.run(
      `INSERT INTO attempts (id, retiree_id, user_id, device_id, seq, method, verdict, outcome, period_id, certified_on, challenge_id, device_time, received_at, result)
       VALUES ('a1', ?, ?, 'd1', 3, 'self', 'passed', 'certified', ?, '2026-03-01', 'ch1', 1, 2, '{}')`,
      [retiree.lastId, user.lastId, period.lastId],
    );
    expect(await pg.get('SELECT approved_period_id, approved_method, has_pin FROM retirees WHERE id = ?', [retiree.lastId])).toEqual({
      approved_period_id: period.lastId,
      approved_method: 'self',
      has_pin: 1,
    });
    expect(await pg.get('SELECT last_seq FROM sync_clients WHERE device_id = ?', ['d1'])).toEqual({ last_seq: 3 });
    expect(await pg.get('SELECT attempt_id FROM challenge_uses WHERE challenge_id = ?', ['ch1'])).toEqual({ attempt_id: 'a1' });
    const audit = await pg.run(`INSERT INTO audit_log (at, event, subject) VALUES (1, 'x', ?) ${pg.dialect.returningId}`, [`retiree:${retiree.lastId}`]);
    expect(await pg.get('SELECT retiree_id, region_id FROM audit_log WHERE id = ?', [audit.lastId])).toEqual({ retiree_id: retiree.lastId, region_id: region.lastId });
  });

  it('transactions: nested ones join, a throw rolls back all, and reads inside see the uncommitted writes', async () => {
    await pg.exec('CREATE TABLE tx_t (v BIGINT)');
    await expect(
      pg.transaction(async () => {
        await pg.run('INSERT INTO tx_t VALUES (1)');
        await pg.transaction(() => pg.run('INSERT INTO tx_t VALUES (2)'));
        expect(await pg.get('SELECT count(*) AS n FROM tx_t')).toEqual({ n: 2 });
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await pg.get('SELECT count(*) AS n FROM tx_t')).toEqual({ n: 0 });
    await Promise.all([1, 2, 3, 4, 5, 6].map((v) => pg.transaction(() => pg.run('INSERT INTO tx_t VALUES (?)', [v]))));
    expect(await pg.get('SELECT count(*) AS n, sum(v) AS s FROM tx_t')).toEqual({ n: 6, s: 21 });
  });

  it('types as SQLite gives them: BIGINT and sums as numbers, booleans as 1 / 0, BYTEA as a Buffer', async () => {
    const row = await pg.get('SELECT CAST(? AS BIGINT) AS big, 2 > 1 AS yes, EXISTS (SELECT 1 WHERE false) AS no, CAST(? AS BYTEA) AS bytes', [Date.UTC(2026, 0, 1), Buffer.from([1, 2])]);
    expect(row).toEqual({ big: Date.UTC(2026, 0, 1), yes: 1, no: 0, bytes: Buffer.from([1, 2]) });
  });

  it('says what is missing when lastId is read from an INSERT without RETURNING id', async () => {
    const r = await pg.run("INSERT INTO settings (key, value) VALUES ('k', 'v')");
    expect(r.changes).toBe(1);
    expect(() => r.lastId).toThrow(/RETURNING id/);
  });
});
