// The locks that let several instances share one PostgreSQL database (decision 088), on both
// engines: on SQLite they are no statements at all (one process, one writer), on PostgreSQL
// (STILLHERE_TEST_PG) two pools on one database stand for two instances. No timings: who waited for
// whom is read from the order of events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onPostgres, openTestDb } from '../test-support.ts';
import { claimJobs } from '../store/match-jobs.ts';
import { lockKeys, takeWriterLock } from '../store/locks.ts';
import type { Db } from './db.ts';

let dir: string;
let a: Db;
let b: Db;
let drop: () => Promise<void>;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stillhere-locks-'));
  const t = await openTestDb(dir);
  a = t.db;
  b = await t.reopen();
  drop = t.drop;
});
afterEach(async () => {
  await b.close();
  await a.close();
  await drop();
  rmSync(dir, { recursive: true, force: true });
});

/** A promise and the function that settles it, to hold a transaction open until the test says so. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

describe('lock statements (dialect.writerLock, lockKeys, skipLocked)', () => {
  it('are nothing on SQLite and statements on PostgreSQL', () => {
    if (a.engine === 'sqlite') {
      expect([a.dialect.writerLock, a.dialect.lockKeys('?'), a.dialect.skipLocked]).toEqual([null, null, '']);
    } else {
      expect(a.dialect.writerLock).toMatch(/pg_advisory_xact_lock/);
      expect(a.dialect.lockKeys('?')).toMatch(/pg_advisory_xact_lock/);
      expect(a.dialect.skipLocked).toBe('FOR UPDATE SKIP LOCKED');
    }
  });

  it('run inside a transaction on either engine, with any keys (repeated, none, unicode)', async () => {
    await a.transaction(async () => {
      await lockKeys(a, ['device:x', 'device:x', 'retiree:1', 'item:王']);
      await lockKeys(a, []);
      await takeWriterLock(a);
      await takeWriterLock(a);
    }, { concurrent: true });
    // The locks ended with the transaction: the other connection takes the same ones at once.
    await b.transaction(() => lockKeys(b, ['device:x']), { concurrent: true });
  });

  it('claimJobs: two instances leasing at once never lease the same job, and together lease them all', async () => {
    await a.exec("INSERT INTO match_jobs (attempt_id, created_at) SELECT 'job-' || n, n FROM (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8) AS s");
    const leased: string[] = [];
    await Promise.all(
      [a, b, a, b].map(async (db) => {
        for (;;) {
          const ids = await claimJobs(db, 1000, 60_000, 1);
          if (!ids.length) return;
          leased.push(...ids);
        }
      }),
    );
    expect(leased.sort()).toEqual(['job-1', 'job-2', 'job-3', 'job-4', 'job-5', 'job-6', 'job-7', 'job-8']);
  });
});

describe.skipIf(!onPostgres)('two instances on PostgreSQL', () => {
  it('a key held by one transaction makes the other wait for its COMMIT; other keys do not wait', async () => {
    const events: string[] = [];
    const held = gate();
    const locked = gate();
    const first = a.transaction(async () => {
      await lockKeys(a, ['device:phone-1', 'retiree:7']);
      locked.open();
      await held.wait;
      events.push('first commits');
    }, { concurrent: true });
    await locked.wait;
    // Another key passes while the first holds its keys.
    await b.transaction(() => lockKeys(b, ['device:phone-2', 'retiree:8']), { concurrent: true });
    events.push('other keys passed');
    // An overlapping key (in another order) waits for the first's COMMIT.
    const second = b.transaction(async () => {
      await lockKeys(b, ['retiree:7', 'device:phone-9']);
      events.push('second has the key');
    }, { concurrent: true });
    held.open();
    await Promise.all([first, second]);
    expect(events).toEqual(['other keys passed', 'first commits', 'second has the key']);
  });

  it('the writer lock: a concurrent transaction that took it makes every ordinary transaction wait, and one that has not does not', async () => {
    const events: string[] = [];
    const held = gate();
    const locked = gate();
    const concurrent = a.transaction(async () => {
      await lockKeys(a, ['device:phone-1']);
      locked.open();
      await held.wait;
      events.push('writer lock taken');
      await takeWriterLock(a);
      const h2 = gate();
      // An ordinary transaction (writer lock at BEGIN) must now wait for this COMMIT.
      const ordinary = b.transaction(async () => void events.push('ordinary runs'));
      setImmediate(h2.open);
      await h2.wait;
      events.push('concurrent commits');
      // Wrapped: returning the promise itself would make this transaction wait for it.
      return { ordinary };
    }, { concurrent: true });
    await locked.wait;
    // Before the writer lock, an ordinary transaction runs alongside.
    await b.transaction(async () => void events.push('ordinary alongside'));
    held.open();
    await (await concurrent).ordinary;
    expect(events).toEqual(['ordinary alongside', 'writer lock taken', 'concurrent commits', 'ordinary runs']);
  });
});
