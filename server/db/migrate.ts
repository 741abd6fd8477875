// Numbered SQL migrations (migrations/NNN-name.sql), each applied once, in order, inside its own
// transaction together with the row that records it, so a crash never leaves a half-applied schema.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './sqlite.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

// A migration that rebuilds a table other tables reference (SQLite's "12 steps" for a schema change
// ALTER TABLE cannot make) says so on a line of its own: it then runs with foreign keys off, since
// DROP TABLE would otherwise cascade to the referencing rows, and must pass foreign_key_check
// before it commits. The pragma cannot change inside a transaction, hence outside it.
const FOREIGN_KEYS_OFF = /^-- migrate: foreign keys off$/m;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The numbered migrations, for SQLite or for PostgreSQL. A migration is portable SQL that both
 * engines run, unless `pg/NNN-name.sql` beside it says what PostgreSQL runs instead (decision
 * 081); migrate.test.ts runs every one of them on both engines.
 */
export function loadMigrations(dir = MIGRATIONS_DIR, engine: Db['engine'] = 'sqlite'): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const own = join(dir, 'pg', file);
      const path = engine === 'postgres' && existsSync(own) ? own : join(dir, file);
      return { version: Number(file.slice(0, 3)), name: file.slice(4, -4), sql: readFileSync(path, 'utf8') };
    });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration numbers must run 001, 002, …; found ${m.version} at position ${i + 1}`);
  });
  return migrations;
}

/** The last migration applied (0 on an empty database). */
export async function schemaVersion(db: Db): Promise<number> {
  return (await db.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations'))?.v ?? 0;
}

/** Applies pending migrations; returns the schema version afterwards. */
export async function migrate(db: Db, migrations = loadMigrations(MIGRATIONS_DIR, db.engine)): Promise<number> {
  if (db.engine === 'postgres') return migratePostgres(db, migrations);
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const current = await schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(`Database schema version ${current} is newer than this server (${migrations.length}); upgrade the server.`);
  }
  let rebuilt = false;
  for (const m of migrations.slice(current)) {
    const keysOff = FOREIGN_KEYS_OFF.test(m.sql);
    rebuilt ||= keysOff;
    if (keysOff) await db.exec('PRAGMA foreign_keys = OFF');
    try {
      await db.transaction(async () => {
        await db.exec(m.sql);
        if (keysOff) {
          const broken = await db.all<{ table: string; parent: string }>('PRAGMA foreign_key_check');
          if (broken.length) throw new Error(`Migration ${m.version}-${m.name} left ${broken.length} rows whose foreign key points nowhere (first: ${broken[0]!.table} → ${broken[0]!.parent})`);
        }
        await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
      });
    } finally {
      if (keysOff) await db.exec('PRAGMA foreign_keys = ON');
    }
  }
  // A rebuild went through the WAL as a second copy of its tables, and SQLite keeps a WAL file at
  // its largest size for reuse: give that space back now instead of keeping it for good.
  if (rebuilt) await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  return migrations.length;
}

/**
 * PostgreSQL changes its schema inside a transaction, so all pending migrations go in one, under
 * the transaction lock every instance takes (postgres.ts): instances starting together apply
 * them once, and the others wait and find the schema current.
 */
async function migratePostgres(db: Db, migrations: Migration[]): Promise<number> {
  return db.transaction(async () => {
    await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const row = await db.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    const current = row?.v ?? 0;
    if (current > migrations.length) {
      throw new Error(`Database schema version ${current} is newer than this server (${migrations.length}); upgrade the server.`);
    }
    for (const m of migrations.slice(current)) {
      try {
        await db.exec(m.sql);
      } catch (err) {
        throw new Error(`Migration ${m.version}-${m.name} failed on PostgreSQL: ${(err as Error).message}`, { cause: err });
      }
      await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
    }
    return migrations.length;
  });
}
