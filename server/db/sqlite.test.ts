import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from './migrate.ts';
import { openDb, type Db } from './sqlite.ts';

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stillhere-db-'));
  db = await openDb(join(dir, 'db.sqlite'));
  await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('openDb', () => {
  it('uses WAL, FULL synchronous and foreign keys', async () => {
    expect(await db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    // Reads outside a transaction use the read-only connection, so ask inside one for the writer's settings.
    const settings = await db.transaction(async () => ({
      sync: await db.get<{ synchronous: number }>('PRAGMA synchronous'),
      fk: await db.get<{ foreign_keys: number }>('PRAGMA foreign_keys'),
    }));
    expect(settings).toEqual({ sync: { synchronous: 2 }, fk: { foreign_keys: 1 } });
  });

  it('rolls back everything a failed transaction wrote', async () => {
    await expect(
      db.transaction(async () => {
        await db.run('INSERT INTO t (v) VALUES (?)', ['a']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.all('SELECT * FROM t')).toEqual([]);
  });

  it('keeps concurrent transactions apart: one’s rollback never takes the other’s writes', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction(async () => {
          await db.run('INSERT INTO t (v) VALUES (?)', [`row${i}`]);
          await new Promise((r) => setTimeout(r, Math.random() * 5));
          await db.run('INSERT INTO t (v) VALUES (?)', [`row${i}b`]);
          if (i % 2) throw new Error('odd');
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const rows = await db.all<{ v: string }>('SELECT v FROM t ORDER BY id');
    expect(rows.map((r) => r.v).sort()).toEqual(Array.from({ length: 10 }, (_, i) => [`row${i * 2}`, `row${i * 2}b`]).flat().sort());
  });

  it('a plain write waits for an open transaction instead of joining it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = db.transaction(async () => {
      await db.run('INSERT INTO t (v) VALUES (?)', ['in-tx']);
      await gate;
      throw new Error('rollback');
    });
    const outside = db.run('INSERT INTO t (v) VALUES (?)', ['outside']);
    await new Promise((r) => setTimeout(r, 20));
    release();
    await expect(tx).rejects.toThrow('rollback');
    await outside;
    expect((await db.all<{ v: string }>('SELECT v FROM t')).map((r) => r.v)).toEqual(['outside']);
  });

  it('reads inside a transaction see its own uncommitted writes; reads outside do not', async () => {
    await db.transaction(async () => {
      await db.run('INSERT INTO t (v) VALUES (?)', ['x']);
      expect(await db.get('SELECT count(*) AS n FROM t')).toEqual({ n: 1 });
    });
    expect(await db.get('SELECT count(*) AS n FROM t')).toEqual({ n: 1 });
  });

  it('binds parameters, never splices them', async () => {
    const evil = "x'); DROP TABLE t; --";
    await db.run('INSERT INTO t (v) VALUES (?)', [evil]);
    expect(await db.get('SELECT v FROM t')).toEqual({ v: evil });
  });
});

describe('kept statements (db.prepare)', () => {
  const insert = 'INSERT INTO t (v) SELECT value FROM json_each(?)';

  it('runs the same statement again with new parameters, inside and outside transactions', async () => {
    await db.prepare(insert).run([JSON.stringify(['a', 'b'])]);
    const seen = await db.transaction(async () => {
      await db.prepare(insert).run([JSON.stringify(['c'])]);
      // Inside the transaction the kept read runs on the writer and sees the uncommitted row.
      return db.prepare('SELECT count(*) AS n FROM t').all<{ n: number }>();
    });
    expect(seen).toEqual([{ n: 3 }]);
    expect(await db.prepare('SELECT v FROM t ORDER BY id').all()).toEqual([{ v: 'a' }, { v: 'b' }, { v: 'c' }]);
  });

  it('serves concurrent callers of one statement each with their own parameters', async () => {
    await db.prepare(insert).run([JSON.stringify(['x', 'y', 'z'])]);
    const find = db.prepare('SELECT v FROM t WHERE v = ?');
    expect(await Promise.all(['x', 'y', 'z', 'w'].map((v) => find.all([v])))).toEqual([[{ v: 'x' }], [{ v: 'y' }], [{ v: 'z' }], []]);
  });

  it('reports a statement that does not compile to its caller, every time, without crashing the process', async () => {
    const bad = db.prepare('SELEC v FROM t');
    await expect(bad.all()).rejects.toThrow(/syntax error/);
    await expect(bad.all()).rejects.toThrow(/syntax error/);
    expect(await db.all('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('rolls back with the transaction like any other write', async () => {
    await expect(
      db.transaction(async () => {
        await db.prepare(insert).run([JSON.stringify(['gone'])]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.all('SELECT * FROM t')).toEqual([]);
  });
});

describe('migrate', () => {
  it('applies every migration once and records the version', async () => {
    const fresh = await openDb(join(dir, 'm.sqlite'));
    const count = loadMigrations().length;
    expect(await migrate(fresh)).toBe(count);
    expect(await migrate(fresh)).toBe(count);
    const rows = await fresh.all<{ version: number }>('SELECT version FROM schema_migrations');
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    await fresh.close();
  });

  it('leaves no trace of a migration that fails half-way', async () => {
    const fresh = await openDb(join(dir, 'bad.sqlite'));
    const bad = [{ version: 1, name: 'bad', sql: 'CREATE TABLE a (x); CREATE TABLE a (y);' }];
    await expect(migrate(fresh, bad)).rejects.toThrow(/already exists/);
    expect(await fresh.get("SELECT name FROM sqlite_master WHERE name = 'a'")).toBeUndefined();
    expect(await fresh.get('SELECT max(version) AS v FROM schema_migrations')).toEqual({ v: null });
    await fresh.close();
  });

  it('refuses to run an older server on a newer database', async () => {
    const fresh = await openDb(join(dir, 'new.sqlite'));
    await migrate(fresh);
    await expect(migrate(fresh, loadMigrations().slice(0, 0))).rejects.toThrow(/newer than this server/);
    await fresh.close();
  });
});
