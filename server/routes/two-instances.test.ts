// Two app instances on one database, as several processes behind a proxy would run (issue 20,
// decision 081): on SQLite two connections to one file, on PostgreSQL (STILLHERE_TEST_PG) two pools
// on one database. Phones push through both at once; nothing is counted twice, sequence numbers are
// exact, a challenge token serves one attempt, and a sign-out on one ends the session on the other.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChallengeGrant, PushResponse } from '../../shared/sync.ts';
import { createApp } from '../app.ts';
import { createPasswordHasher } from '../auth/password.ts';
import type { Db } from '../db/sqlite.ts';
import { DEMO } from '../seed/demo.ts';
import { IngestQueue } from '../sync/ingest.ts';
import { makeItem, pushBody, type TestItem } from '../sync/test-helpers.ts';
import { createTestApp, onPostgres, signIn, type Client, type TestApp } from '../test-support.ts';

let t: TestApp;
let dbB: Db;
let appB: ReturnType<typeof createApp>;
let ingestB: IngestQueue;
beforeEach(async () => {
  t = await createTestApp();
  dbB = await t.reopen();
  ingestB = new IngestQueue(dbB);
  appB = createApp({ db: dbB, ingest: ingestB, config: t.config, now: () => t.clock.now, passwords: createPasswordHasher(10), logger: { info: () => undefined, error: () => undefined } });
});
afterEach(async () => {
  await ingestB.close();
  await dbB.close();
  await t.close();
});

/** The same phone (its cookie) talking to instance B. */
function onB(c: Client): Client {
  const b: Client = {
    cookie: c.cookie,
    request: (path, init = {}) => {
      const headers: Record<string, string> = { Origin: 'http://localhost', Cookie: c.cookie, ...init.headers };
      let body = init.body;
      if (init.json !== undefined) {
        headers['Content-Type'] ??= 'application/json';
        body = JSON.stringify(init.json);
      }
      return Promise.resolve(appB.request(path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body }));
    },
    json: async (path, init) => {
      const res = await b.request(path, init);
      return { status: res.status, body: (await res.json()) as never };
    },
  };
  return b;
}

const push = (c: Client, items: TestItem[]) => {
  const { body, headers } = pushBody(items);
  return c.json<PushResponse>('/api/sync/push', { method: 'POST', body, headers });
};

async function grants(c: Client, count: number): Promise<ChallengeGrant[]> {
  const res = await c.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count } });
  expect(res.status).toBe(200);
  return res.body.challenges;
}

describe('two instances on one database', () => {
  it('pushes through both at once: each item stored once, one certification each, the sequence exact', async () => {
    const a = await signIn(t, DEMO.worker, 'phone-worker-0001');
    const b = onB(a);
    const ids = (await t.db.all<{ id: number }>("SELECT r.id FROM retirees r JOIN communities c ON c.id = r.community_id WHERE c.name LIKE '幸福里%'")).map((r) => r.id);
    const items = (await grants(a, 12)).map((g, i) => makeItem({ seq: i + 1, retireeId: ids[i % ids.length]!, method: 'worker', challenge: g }));
    // Every item through both instances, twice, all in flight together, in shuffled order.
    const sends = [...items, ...items].flatMap((it) => [{ it, via: a }, { it, via: b }]).map((s) => ({ ...s, k: Math.random() })).sort((x, y) => x.k - y.k);
    const responses = await Promise.all(sends.map(({ it, via }) => push(via, [it])));
    expect(responses.map((r) => r.status)).toEqual(sends.map(() => 200));
    const statuses = new Map<string, string[]>();
    for (const r of responses) for (const x of r.body.results) statuses.set(x.id, [...(statuses.get(x.id) ?? []), x.status]);
    for (const it of items) expect(statuses.get(it.id)!.sort()).toEqual(['accepted', 'duplicate', 'duplicate', 'duplicate']);

    expect(await t.db.get('SELECT count(*) AS n FROM attempts')).toEqual({ n: 12 });
    const perRetiree = await t.db.all<{ n: number }>("SELECT count(*) AS n FROM certifications WHERE evidence_ref <> 'demo' GROUP BY retiree_id, period_id");
    expect(perRetiree.every((r) => r.n === 1)).toBe(true);
    // (Not `gaps`: items arriving out of order count as gaps on one instance too.)
    expect(await t.db.get('SELECT last_seq FROM sync_clients WHERE device_id = ?', ['phone-worker-0001'])).toEqual({ last_seq: 12 });
  });

  it('a challenge token serves one attempt, whichever instance each arrives at', async () => {
    const a = await signIn(t, DEMO.worker, 'phone-worker-0001');
    const b = onB(a);
    const [rid] = (await t.db.all<{ id: number }>("SELECT r.id FROM retirees r JOIN communities c ON c.id = r.community_id WHERE c.name LIKE '幸福里%'")).map((r) => r.id);
    const [grant] = await grants(a, 1);
    // Two different attempts claiming the same token, one through each instance at once.
    const first = makeItem({ seq: 1, retireeId: rid!, method: 'worker', challenge: grant! });
    const second = makeItem({ seq: 2, retireeId: rid!, method: 'worker', challenge: grant! });
    const [ra, rb] = await Promise.all([push(a, [first]), push(b, [second])]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect(await t.db.get('SELECT count(*) AS n FROM challenge_uses WHERE challenge_id = ?', [grant!.id])).toEqual({ n: 1 });
    const outcomes = [...ra.body.results, ...rb.body.results].map((r) => (r.status === 'accepted' ? r.outcome : null));
    // One took the token; the other went to the office as a used token, certifying nothing.
    expect(outcomes.filter((o) => o?.kind === 'review' && o.reviewReason === 'token_used')).toHaveLength(1);
  });

  // Decision 088: on PostgreSQL a push group reads and decides before it takes the writer lock.
  it.skipIf(!onPostgres)('a sign-out committed on B while a push on A waits for the writer lock: nothing of the push is applied (PostgreSQL)', async () => {
    const a = await signIn(t, DEMO.worker, 'phone-worker-0001');
    const [rid] = (await t.db.all<{ id: number }>("SELECT r.id FROM retirees r JOIN communities c ON c.id = r.community_id WHERE c.name LIKE '幸福里%'")).map((r) => r.id);
    const [grant] = await grants(a, 1);
    const item = makeItem({ seq: 1, retireeId: rid!, method: 'worker', challenge: grant! });
    // B holds the writer lock in an ordinary transaction until the test lets it go.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const signOut = dbB.transaction(async () => {
      holding();
      await released;
      await dbB.run('DELETE FROM sessions WHERE device_id = ?', ['phone-worker-0001']);
    });
    await held;
    const pushed = push(a, [item]);
    // A's group has read the session (still there) and now waits for the writer lock.
    await vi.waitFor(async () => expect(await t.db.get("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory' AND query = ?", [t.db.dialect.writerLock])).toEqual({ n: 1 }), { timeout: 10_000 });
    release();
    await signOut;
    expect((await pushed).status).toBe(401);
    expect(await t.db.get('SELECT count(*) AS n FROM attempts WHERE id = ?', [item.id])).toEqual({ n: 0 });
  });

  it('a sign-out on one instance ends the session on the other at its next request', async () => {
    const a = await signIn(t, DEMO.worker);
    const b = onB(a);
    expect((await b.request('/api/me')).status).toBe(200);
    expect((await a.request('/api/auth/sign-out', { method: 'POST' })).status).toBeLessThan(300);
    expect((await b.request('/api/me')).status).toBe(401);
  });
});
