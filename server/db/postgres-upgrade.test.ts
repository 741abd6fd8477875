// docs/deploy.md's upgrade and backup steps on PostgreSQL, run: several instances starting the new
// version at once migrate the database once; an older server refuses a newer schema; a pg_dump of a
// database in use restores into a new one the app runs on with every row. Needs PostgreSQL (the
// throwaway cluster, started here if it is not running); skipped, saying so, without it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, createServices } from '../app.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { loadConfig } from '../config.ts';
import type { Deps } from '../context.ts';
import { DEMO, seedDemoIfEmpty } from '../seed/demo.ts';
import { client } from '../test-support.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { createEmptyDatabase, throwawayClusterUrl, type TestDatabase } from './pg-test-databases.ts';
import { openPostgres } from './postgres.ts';
import type { Db } from './sqlite.ts';

const cluster = throwawayClusterUrl();
const bin = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`).find((d) => existsSync(`${d}/pg_dump`)) : undefined;
const title = cluster && bin ? 'PostgreSQL upgrades and backups' : 'PostgreSQL upgrades and backups — SKIPPED: PostgreSQL is not installed (apt-get install -y postgresql)';

describe.skipIf(!cluster || !bin)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'stillhere-pg-upgrade-'));
  const databases: TestDatabase[] = [];
  const pools: Db[] = [];
  afterAll(async () => {
    for (const db of pools) await db.close();
    for (const d of databases) await d.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function emptyDatabase() {
    const d = await createEmptyDatabase(cluster!);
    databases.push(d);
    return d;
  }
  async function pool(url: string) {
    const db = await openPostgres(url, { max: 4 });
    pools.push(db);
    return db;
  }

  it('three instances starting at once migrate once; an older server refuses the newer schema', async () => {
    const { url } = await emptyDatabase();
    const all = loadMigrations(undefined, 'postgres');
    const instances = await Promise.all([pool(url), pool(url), pool(url)]);
    expect(await Promise.all(instances.map((db) => migrate(db)))).toEqual([all.length, all.length, all.length]);
    const applied = await instances[0]!.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(applied.map((r) => Number(r.version))).toEqual(all.map((m) => m.version));
    await expect(migrate(instances[1]!, all.slice(0, -1))).rejects.toThrow(/newer than this server/);
  });

  it('a pg_dump of the database in use restores into a new database the app runs on, every row there', async () => {
    const source = await emptyDatabase();
    const db = await pool(source.url);
    await migrate(db);
    const deps: Deps = { db, config: loadConfig({ NODE_ENV: 'test' }, dir), passwords: createPasswordHasher(10) };
    await seedDemoIfEmpty(createServices(deps));
    const phone = client({ app: createApp(deps) });
    expect((await phone.json('/api/auth/sign-in/retiree', { json: { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin, deviceId: 'phone-backup-01' } })).status).toBe(200);

    // As docs/deploy.md says: a custom-format dump while the server runs, restored with pg_restore.
    const file = join(dir, 'stillhere.dump');
    execFileSync(`${bin}/pg_dump`, ['--format=custom', `--file=${file}`, `--dbname=${source.url}`]);
    const target = await emptyDatabase();
    execFileSync(`${bin}/pg_restore`, ['--no-owner', `--dbname=${target.url}`, file]);

    const restored = await pool(target.url);
    const counts = async (d: Db) =>
      Promise.all(['retirees', 'users', 'certifications', 'sessions', 'audit_log', 'schema_migrations'].map(async (t) => [t, Number((await d.get<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))!.n)]));
    expect(await counts(restored)).toEqual(await counts(db));
    // The restored copy is a working database: migrations find nothing to do, the session holds.
    expect(await migrate(restored)).toBe(loadMigrations(undefined, 'postgres').length);
    const after = client({ app: createApp({ ...deps, db: restored }) });
    after.cookie = phone.cookie;
    expect((await after.request('/api/me')).status).toBe(200);
  });
});
