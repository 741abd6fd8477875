import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
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
  it('a read sees every write committed before it, also amid overlapping reads on a busy event loop', async () => {
    await db.exec('CREATE TABLE big (v INTEGER)');
    await db.exec('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO big SELECT i FROM n');
    // Requests reading single rows while the loop is busy: each read's statement stays open until
    // its finalize runs a loop turn later, and overlapping ones keep one read transaction open.
    let busy = true;
    const blocker = setInterval(() => {
      const t = performance.now();
      while (performance.now() - t < 30);
    }, 35);
    const readers = Array.from({ length: 12 }, async () => {
      while (busy) await db.get('SELECT v FROM big');
    });
    try {
      await new Promise((r) => setTimeout(r, 200));
      await db.run('INSERT INTO t (v) VALUES (?)', ['committed']);
      const seen = await Promise.all(Array.from({ length: 20 }, () => db.get<{ n: number }>('SELECT count(*) AS n FROM t')));
      expect(seen.map((r) => r!.n)).toEqual(Array(20).fill(1));
    } finally {
      busy = false;
      clearInterval(blocker);
      await Promise.all(readers);
    }
  });

  it('readOnly with two readers: a quick read does not wait behind a slow one', async () => {
    const slow = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT count(*) AS c FROM n';
    const order = async (readers: number) => {
      const ro = await openDb(db.path, { readOnly: true, readers });
      try {
        const done: string[] = [];
        await Promise.all([ro.get(slow).then(() => done.push('slow')), ro.get('SELECT 1').then(() => done.push('quick'))]);
        return done;
      } finally {
        await ro.close();
      }
    };
    expect(await order(1)).toEqual(['slow', 'quick']);
    expect(await order(2)).toEqual(['quick', 'slow']);
  });

  it('readOnly: queued reads wait in line instead of holding the thread pool', async () => {
    // One connection runs one statement at a time; statements sent to it all at once would each
    // take one of libuv's four threads and wait there, and everything else that needs the pool
    // (the ingest thread's COMMIT, file reads, gzip) would wait behind them.
    const ro = await openDb(db.path, { readOnly: true });
    try {
      const slow = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT count(*) AS c FROM n';
      const t0 = performance.now();
      const reads = Promise.all(Array.from({ length: 12 }, () => ro.get(slow))).then(() => performance.now() - t0);
      await new Promise((r) => setTimeout(r, 5));
      const t1 = performance.now();
      await stat(db.path);
      const statMs = performance.now() - t1;
      expect(statMs).toBeLessThan((await reads) / 3);
    } finally {
      await ro.close();
    }
  });


  it('readOnly: reads what the writer committed and refuses every write', async () => {
    await db.run('INSERT INTO t (v) VALUES (?)', ['a']);
    const ro = await openDb(db.path, { readOnly: true });
    try {
      expect(await ro.all('SELECT v FROM t')).toEqual([{ v: 'a' }]);
      expect(await ro.prepare('SELECT count(*) AS n FROM t').all()).toEqual([{ n: 1 }]);
      await db.run('INSERT INTO t (v) VALUES (?)', ['b']);
      expect(await ro.get('SELECT count(*) AS n FROM t')).toEqual({ n: 2 });
      await expect(ro.run('INSERT INTO t (v) VALUES (?)', ['c'])).rejects.toThrow(/read-only/);
      await expect(ro.exec('DELETE FROM t')).rejects.toThrow(/read-only/);
      await expect(ro.transaction(async () => 1)).rejects.toThrow(/read-only/);
      await expect(ro.prepare('DELETE FROM t').run()).rejects.toThrow(/read-only/);
    } finally {
      await ro.close();
    }
    expect(await db.get('SELECT count(*) AS n FROM t')).toEqual({ n: 2 });
  });

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

  it('rebuilds attempts and their blobs in arrival order (006), keeping every row, trigger and cascade', async () => {
    const old = await openDb(join(dir, 'v5.sqlite'));
    await migrate(old, loadMigrations().slice(0, 5));
    await old.exec(`
      INSERT INTO regions (id, code, name, created_at) VALUES (1, '110101', 'R', 0);
      INSERT INTO communities (id, region_id, name) VALUES (1, 1, 'C');
      INSERT INTO certification_periods (id, region_id, year, self_start, self_end, onsite_start, onsite_end, deadline, suspension_date)
        VALUES (1, 1, 2026, '2026-03-01', '2026-06-30', '2026-03-01', '2026-06-30', '2026-06-30', '2026-07-01');
      INSERT INTO retirees (id, id_number, name, pension_category, community_id, enrolled_on, created_at, updated_at)
        VALUES (1, '110101195001011234', 'A', 'urban_employee', 1, '2000-01-01', 0, 0), (2, '110101195001015678', 'B', 'urban_employee', 1, '2000-01-01', 0, 0);
      INSERT INTO users (id, role, retiree_id, display_name, created_at, updated_at) VALUES (1, 'retiree', 1, 'A', 0, 0), (2, 'retiree', 2, 'B', 0, 0);`);
    const attempt = (id: string, retiree: number, seq: number, receivedAt: number, outcome: string, challenge: string) =>
      old.run(
        `INSERT INTO attempts (id, retiree_id, user_id, device_id, seq, method, verdict, outcome, period_id, certified_on, challenge_id, device_time, received_at, result)
         VALUES (?, ?, ?, 'dev', ?, 'self', 'passed', ?, 1, ?, ?, 0, ?, '{}')`,
        [id, retiree, retiree, seq, outcome, outcome === 'certified' ? '2026-03-02' : null, challenge, receivedAt],
      );
    // Ids in the opposite order to their arrival, as phones that were offline for days send them.
    await attempt('0190-b', 1, 1, 100, 'certified', 'tok-1');
    await attempt('0190-a', 1, 2, 200, 'already_certified', 'tok-2');
    await old.run(`INSERT INTO attempt_blobs (attempt_id, idx, kind, type, sha256, bytes, data) VALUES ('0190-a', 0, 'frame', 'image/jpeg', 'h', 3, x'FFD8FF')`);
    await old.close();

    const db6 = await openDb(join(dir, 'v5.sqlite'));
    expect(await migrate(db6)).toBe(loadMigrations().length);
    // Asked on the write connection: the pragma is per connection.
    expect(await db6.transaction(() => db6.get('PRAGMA foreign_keys'))).toEqual({ foreign_keys: 1 });
    expect(await db6.all('PRAGMA foreign_key_check')).toEqual([]);
    // The rebuild's copy in the WAL is handed back to the disk.
    expect(statSync(join(dir, 'v5.sqlite-wal')).size).toBe(0);
    // Every row is still there, now in the order it arrived (rowid), not in id order.
    expect(await db6.all('SELECT rowid AS r, id, outcome FROM attempts ORDER BY rowid')).toEqual([
      { r: 1, id: '0190-b', outcome: 'certified' },
      { r: 2, id: '0190-a', outcome: 'already_certified' },
    ]);
    expect(await db6.all('SELECT attempt_id, idx, hex(data) AS data FROM attempt_blobs')).toEqual([{ attempt_id: '0190-a', idx: 0, data: 'FFD8FF' }]);
    // The same id can still never become a second row.
    await expect(db6.run(`INSERT INTO attempts (id, retiree_id, user_id, device_id, seq, method, verdict, outcome, device_time, received_at, result)
      VALUES ('0190-a', 1, 1, 'dev', 3, 'self', 'passed', 'not_passed', 0, 300, '{}')`)).rejects.toThrow(/UNIQUE/);
    // The triggers came back: a new certified attempt claims its token, certifies and moves the sequence.
    await db6.run(`INSERT INTO attempts (id, retiree_id, user_id, device_id, seq, method, verdict, outcome, period_id, certified_on, challenge_id, device_time, received_at, result)
      VALUES ('0190-c', 2, 2, 'dev2', 7, 'self', 'passed', 'certified', 1, '2026-03-03', 'tok-3', 0, 400, '{}')`);
    expect(await db6.get(`SELECT attempt_id FROM challenge_uses WHERE challenge_id = 'tok-3'`)).toEqual({ attempt_id: '0190-c' });
    expect(await db6.get(`SELECT status FROM certifications WHERE retiree_id = 2`)).toEqual({ status: 'approved' });
    expect(await db6.get(`SELECT last_seq FROM sync_clients WHERE device_id = 'dev2'`)).toEqual({ last_seq: 7 });
    // And the blobs still belong to their attempt.
    await db6.run(`DELETE FROM attempts WHERE id = '0190-a'`);
    expect(await db6.all('SELECT * FROM attempt_blobs')).toEqual([]);
    await db6.close();
  });

  it('rolls back a foreign-keys-off migration that leaves a dangling reference, and turns foreign keys back on', async () => {
    const fresh = await openDb(join(dir, 'fk.sqlite'));
    const steps = [
      { version: 1, name: 'parent', sql: 'CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p_id INTEGER REFERENCES p(id)); INSERT INTO p VALUES (1); INSERT INTO c VALUES (1);' },
      { version: 2, name: 'rebuild', sql: '-- migrate: foreign keys off\nCREATE TABLE p2 (id INTEGER PRIMARY KEY); DROP TABLE p; ALTER TABLE p2 RENAME TO p;' },
    ];
    await expect(migrate(fresh, steps)).rejects.toThrow(/Migration 2-rebuild left 1 rows whose foreign key points nowhere \(first: c → p\)/);
    expect(await fresh.get('SELECT max(version) AS v FROM schema_migrations')).toEqual({ v: 1 });
    expect(await fresh.all('SELECT id FROM p')).toEqual([{ id: 1 }]);
    expect(await fresh.transaction(() => fresh.get('PRAGMA foreign_keys'))).toEqual({ foreign_keys: 1 });
    await fresh.close();
  });

  it('refuses to run an older server on a newer database', async () => {
    const fresh = await openDb(join(dir, 'new.sqlite'));
    await migrate(fresh);
    await expect(migrate(fresh, loadMigrations().slice(0, 0))).rejects.toThrow(/newer than this server/);
    await fresh.close();
  });
});
