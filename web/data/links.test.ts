// Family link decisions on the phone (issue 19, decision 071): a worker's approval made offline and
// a retiree's end of a link wait in the outbox, go through the REAL server app (real SQLite) behind a
// lossy fake network, and are applied exactly once; the phone hides a request decided here at once.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../server/seed/demo.ts';
import { client, createTestApp, signIn, type Client, type TestApp } from '../../server/test-support.ts';
import { openAppDb, type AppDb } from './db.ts';
import { createFakeNetwork, seededRandom } from './fake-network.ts';
import { linksOf, saveLinkDecision } from './links.ts';
import { createSyncEngine } from './sync-engine.ts';
import { createFetchTransport } from './transport.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

function engineFor(db: AppDb, c: Client) {
  const random = seededRandom(11);
  const net = createFakeNetwork((url, init) => c.request(url, { method: init.method, body: init.body as BodyInit, headers: init.headers as Record<string, string> }), { dropRequest: 0.25, dropResponse: 0.25, duplicate: 0.25, reorder: 0.1, maxDelayMs: 3 }, random);
  return createSyncEngine({ db, transport: createFetchTransport({ fetch: net.fetch }), random, backoff: { baseMs: 1, maxMs: 4 } });
}

async function syncUntilDone(engine: ReturnType<typeof engineFor>, userId: number) {
  for (let i = 0; i < 80; i++) {
    const r = await engine.sync(userId, { force: true });
    if (r.ran && !r.error && r.waiting === 0) return;
  }
  throw new Error('did not finish');
}

const idOf = async (sql: string, p: string) => (await t.db.get<{ id: number }>(sql, [p]))!.id;

describe('family link decisions on the phone', () => {
  it('a worker approves at the door offline; sent through a lossy network, applied once', async () => {
    const father = await idOf('SELECT id FROM retirees WHERE id_number = ?', DEMO.retireeCertified.idNumber);
    const son = client(t);
    expect((await son.json('/api/family/sign-up', { json: { displayName: '王小明', phone: '13800138000', username: 'wang.xiaoming', password: 'xiaoming-2026-pw', deviceId: 'phone-son-0001' } })).status).toBe(200);
    const requestId = (await son.json('/api/family/requests', { json: { idNumber: DEMO.retireeCertified.idNumber, name: DEMO.retireeCertified.name, relation: 'son' } })).body.request.id as number;

    const worker = await signIn(t, DEMO.worker, 'phone-worker-0001');
    const workerId = await idOf('SELECT id FROM users WHERE username = ?', DEMO.worker.username);
    const db = openAppDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const engine = engineFor(db, worker);
    await syncUntilDone(engine, workerId);
    expect((await linksOf(db, workerId)).incoming.map((r) => r.id)).toEqual([requestId]);

    // No signal: saved, and the request is no longer asked on this phone.
    await saveLinkDecision(db, { userId: workerId, retireeId: father, action: 'approve', requestId });
    const local = await linksOf(db, workerId);
    expect(local.incoming).toEqual([]);
    expect(local.decisions.map((d) => [d.action, d.syncState])).toEqual([['approve', 'waiting']]);

    await syncUntilDone(engine, workerId);
    expect((await linksOf(db, workerId)).decisions[0]).toMatchObject({ syncState: 'sent', outcome: { kind: 'link_done', action: 'approve' } });
    expect((await t.db.get<{ n: number }>('SELECT count(*) AS n FROM family_links WHERE retiree_id = ?', [father]))!.n).toBe(1);
    expect((await t.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE event = 'family_linked'"))!.n).toBe(1);
    expect((await t.db.get<{ n: number }>('SELECT count(*) AS n FROM link_decisions'))!.n).toBe(1);
  });

  it('a retiree ends a helper: gone from Settings at once, and from the server once sent', async () => {
    const open = await idOf('SELECT id FROM retirees WHERE id_number = ?', DEMO.retireeOpen.idNumber);
    const retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'phone-retiree-001');
    const userId = (await retiree.json('/api/me')).body.user.id as number;
    const db = openAppDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const engine = engineFor(db, retiree);
    await syncUntilDone(engine, userId);
    const [helper] = (await linksOf(db, userId)).helpers;
    expect(helper!.name).toBe('张小红');

    await saveLinkDecision(db, { userId, retireeId: open, action: 'end', familyUserId: helper!.familyUserId });
    expect((await linksOf(db, userId)).helpers).toEqual([]);
    await syncUntilDone(engine, userId);
    expect(await t.db.get('SELECT 1 FROM family_links WHERE retiree_id = ?', [open])).toBeUndefined();
    expect((await linksOf(db, userId)).helpers).toEqual([]);
  });
});
