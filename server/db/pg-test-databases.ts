// Tests on PostgreSQL get a database of their own each, copied from a template migrated once per
// set of migrations: CREATE DATABASE … TEMPLATE copies files, where migrating takes a second.
// STILLHERE_TEST_PG names the cluster (scripts/test-postgres.sh prints it).
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate } from './migrate.ts';
import { openPostgres } from './postgres.ts';

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * For a test that needs PostgreSQL whatever engine the suite runs on (two processes, upgrades,
 * restores): STILLHERE_TEST_PG, else the throwaway cluster of scripts/test-postgres.sh, started if
 * it is not running; null when PostgreSQL is not installed.
 */
export function throwawayClusterUrl(): string | null {
  const given = testPostgresUrl();
  if (given) return given;
  try {
    return execFileSync('bash', [fileURLToPath(new URL('../../scripts/test-postgres.sh', import.meta.url))], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() || null;
  } catch {
    return null;
  }
}

/** The cluster the tests use, or null to run on SQLite only. */
export function testPostgresUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.STILLHERE_TEST_PG || null;
}

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const dir of [MIGRATIONS, join(MIGRATIONS, 'pg')]) {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.sql')).sort()) h.update(f).update(readFileSync(join(dir, f)));
  }
  return h.digest('hex').slice(0, 12);
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, migrated, empty database on the cluster at `clusterUrl`. */
export async function createTestDatabase(clusterUrl: string): Promise<TestDatabase> {
  const template = `stillhere_tpl_${migrationsHash()}`;
  const name = `stillhere_t_${randomBytes(6).toString('hex')}`;
  await admin(clusterUrl, async (c) => {
    // One test file at a time makes a missing template; the others wait for it.
    await c.query('SELECT pg_advisory_lock(20260021)');
    try {
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (!exists.rowCount) {
        const building = `${template}_new`;
        await c.query(`DROP DATABASE IF EXISTS ${building}`);
        await c.query(`CREATE DATABASE ${building}`);
        const db = await openPostgres(withDatabase(clusterUrl, building), { max: 1 });
        try {
          await migrate(db);
        } finally {
          await db.close();
        }
        await c.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
        // Templates of migrations since changed are of no more use.
        const old = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'stillhere\\_tpl\\_%' AND datname <> $1", [template]);
        for (const { datname } of old.rows) await c.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => undefined);
      }
      await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(20260021)');
    }
  });
  return {
    url: withDatabase(clusterUrl, name),
    drop: () => admin(clusterUrl, async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/** A new database with nothing in it, not even the migrations (for tests of migrating and restoring). */
export async function createEmptyDatabase(clusterUrl: string): Promise<TestDatabase> {
  const name = `stillhere_e_${randomBytes(6).toString('hex')}`;
  await admin(clusterUrl, async (c) => void (await c.query(`CREATE DATABASE ${name}`)));
  return {
    url: withDatabase(clusterUrl, name),
    drop: () => admin(clusterUrl, async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
