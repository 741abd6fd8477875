// Each per-engine statement of dialect.ts, run on SQLite and, when the tests have a PostgreSQL
// cluster (STILLHERE_TEST_PG), on PostgreSQL: the same rows from both. The locking statements
// (writerLock, lockKeys, skipLocked) need two connections and are tested in locks.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../test-support.ts';
import type { Db } from './db.ts';
import { testPostgresUrl } from './pg-test-databases.ts';
import { openDb } from './sqlite.ts';

const engines = [{ engine: 'sqlite' }, ...(testPostgresUrl() ? [{ engine: 'postgres' }] : [])];

describe.each(engines)('dialect on $engine', ({ engine }) => {
  let db: Db;
  let done: () => Promise<void>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stillhere-dialect-'));
    if (engine === 'sqlite') {
      db = await openDb(join(dir, 'd.sqlite'));
      done = async () => undefined;
    } else {
      const t = await openTestDb(dir);
      db = t.db;
      done = t.drop;
    }
    await db.exec(`CREATE TABLE dialect_t (id BIGINT PRIMARY KEY, name TEXT NOT NULL, a BIGINT NOT NULL, b BIGINT NOT NULL, doc TEXT NOT NULL);
      INSERT INTO dialect_t VALUES (1, 'Wang Xiuying', 5, 3, '{"spoofRisk": 0.25, "x": 1}'), (2, '李建国', 2, 9, '{"x": 2}'), (3, 'wang_li', 7, 7, '{}');`);
    const cleanup = done;
    done = async () => {
      await db.close();
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    };
  });
  afterAll(() => done());

  it('jsonValues: a JSON list parameter as a set of ints or texts', async () => {
    const d = db.dialect;
    expect(await db.all(`SELECT id FROM dialect_t WHERE id IN ${d.jsonValues('?', 'int')} ORDER BY id`, [JSON.stringify([3, 1, 99])])).toEqual([{ id: 1 }, { id: 3 }]);
    expect(await db.all(`SELECT id FROM dialect_t WHERE name IN ${d.jsonValues('?', 'text')}`, [JSON.stringify(['李建国'])])).toEqual([{ id: 2 }]);
    expect(await db.all(`SELECT id FROM dialect_t WHERE id IN ${d.jsonValues('?', 'int')}`, ['[]'])).toEqual([]);
  });

  it('jsonArrayRows and jsonElement: rows from a JSON array of arrays, typed', async () => {
    const d = db.dialect;
    const rows = await db.all<{ n: number; s: string }>(`SELECT ${d.jsonElement(0, 'int')} + 1 AS n, ${d.jsonElement(1, 'text')} AS s FROM ${d.jsonArrayRows('?')} ORDER BY 1`, [
      JSON.stringify([[41, 'a'], [1, null]]),
    ]);
    expect(rows).toEqual([{ n: 2, s: null }, { n: 42, s: 'a' }]);
  });

  it('jsonArrayAgg, jsonObject and jsonArray: one JSON text, "[]" for no rows', async () => {
    const d = db.dialect;
    const row = await db.get<{ j: string }>(`SELECT ${d.jsonArrayAgg(d.jsonObject("'id'", 'id', "'pair'", d.jsonArray('a', 'name')))} AS j FROM (SELECT * FROM dialect_t WHERE id < 3 ORDER BY id) AS x`);
    expect(JSON.parse(row!.j)).toEqual([{ id: 1, pair: [5, 'Wang Xiuying'] }, { id: 2, pair: [2, '李建国'] }]);
    const none = await db.get<{ j: string }>(`SELECT ${d.jsonArrayAgg('id')} AS j FROM dialect_t WHERE id > 99`);
    expect(JSON.parse(none!.j)).toEqual([]);
  });

  it('jsonField: one field of a JSON text column, as text; NULL when absent', async () => {
    const rows = await db.all<{ id: number; f: string | null }>(`SELECT id, ${db.dialect.jsonField('doc', 'spoofRisk')} AS f FROM dialect_t ORDER BY id`);
    expect(rows.map((r) => (r.f === null ? null : Number(r.f)))).toEqual([0.25, null, null]);
  });

  it('contains, likeNoCase, least and greatest', async () => {
    const d = db.dialect;
    expect(await db.all(`SELECT id FROM dialect_t WHERE ${d.contains('name', '?')}`, ['建'])).toEqual([{ id: 2 }]);
    // Case is ignored for Latin letters; an escaped _ is a literal underscore.
    expect(await db.all(`SELECT id FROM dialect_t WHERE name ${d.likeNoCase} ? ESCAPE '\\' ORDER BY id`, ['%WANG%'])).toEqual([{ id: 1 }, { id: 3 }]);
    expect(await db.all(`SELECT id FROM dialect_t WHERE name ${d.likeNoCase} ? ESCAPE '\\'`, ['wang\\_%'])).toEqual([{ id: 3 }]);
    expect(await db.all(`SELECT ${d.least('a', 'b')} AS lo, ${d.greatest('a', 'b')} AS hi FROM dialect_t ORDER BY id`)).toEqual([
      { lo: 3, hi: 5 },
      { lo: 2, hi: 9 },
      { lo: 7, hi: 7 },
    ]);
  });

  it('returningId gives lastId on both engines; the erase statements run', async () => {
    await db.exec('CREATE TABLE dialect_ids (id INTEGER PRIMARY KEY, v TEXT)');
    const { lastId } = await db.run(`INSERT INTO dialect_ids (id, v) VALUES (?, ?) ${db.dialect.returningId}`, [41, 'x']);
    expect(lastId).toBe(41);
    await db.transaction(async () => {
      if (db.dialect.eraseBefore) await db.exec(db.dialect.eraseBefore);
      await db.run('DELETE FROM dialect_ids');
      if (db.dialect.eraseAfter) await db.exec(db.dialect.eraseAfter);
    });
    if (db.dialect.reclaimSpace) await db.exec(db.dialect.reclaimSpace);
    expect(await db.get('SELECT count(*) AS n FROM dialect_ids')).toEqual({ n: 0 });
  });
});
