// Home-visit requests on the phone (issue 17, decision 078): asked without signal, kept in the
// outbox, sent through the REAL server app (real SQLite) behind a lossy fake network (dropped,
// duplicated, reordered requests and answers) and stored exactly once; the worker's next pull has the
// retiree first on the roster, and the retiree's phone then says it is open, with the server's date.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRosterIndex } from '../../shared/roster.ts';
import { DEMO } from '../../server/seed/demo.ts';
import { createTestApp, signIn, type Client, type TestApp } from '../../server/test-support.ts';
import { openAppDb, type AppDb } from './db.ts';
import { createFakeNetwork, seededRandom } from './fake-network.ts';
import { createSyncEngine } from './sync-engine.ts';
import { createFetchTransport } from './transport.ts';
import { saveVisitRequest, visitRequestState } from './visit-requests.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

function engineFor(db: AppDb, c: Client, seed: number) {
  const random = seededRandom(seed);
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

const fresh = () => openAppDb({ indexedDB: new IDBFactory(), IDBKeyRange });

describe('home-visit requests on the phone', () => {
  it('asked offline (twice), sent through a lossy network, stored once; first on the worker roster', async () => {
    const retireeId = (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
    const retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'phone-retiree-001');
    const userId = (await retiree.json('/api/me')).body.user.id as number;
    const db = fresh();
    const engine = engineFor(db, retiree, 17);
    await syncUntilDone(engine, userId);
    expect(await visitRequestState(db, userId, retireeId)).toEqual({ state: 'none' });

    // No signal: kept on the phone; a second tap saves nothing new.
    const id = await saveVisitRequest(db, { userId, retireeId }, t.clock.now);
    expect(await saveVisitRequest(db, { userId, retireeId }, t.clock.now + 1000)).toBe(id);
    expect(await visitRequestState(db, userId, retireeId)).toEqual({ state: 'waiting', id, askedAt: t.clock.now });
    expect(await db.outbox.count()).toBe(1);
    expect(await t.db.get('SELECT 1 FROM visit_requests')).toBeUndefined();

    await syncUntilDone(engine, userId);
    expect(await visitRequestState(db, userId, retireeId)).toEqual({ state: 'open', requestedAt: t.clock.now });
    expect(await t.db.all('SELECT id, state FROM visit_requests')).toEqual([{ id, state: 'open' }]);
    expect((await t.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE event = 'visit_requested'"))!.n).toBe(1);

    // The community worker's phone pulls: the retiree heads the roster, with the date asked.
    const worker = await signIn(t, DEMO.worker, 'phone-worker-0001');
    const workerId = (await worker.json('/api/me')).body.user.id as number;
    const workerDb = fresh();
    await syncUntilDone(engineFor(workerDb, worker, 5), workerId);
    const roster = await workerDb.roster.where('userId').equals(workerId).toArray();
    const [first] = buildRosterIndex(roster).search('');
    expect(first).toMatchObject({ id: retireeId, visitRequest: { requestedAt: t.clock.now } });
  });

  it('once a worker records a visit, the retiree phone no longer says it is open, and may ask again', async () => {
    const retireeId = (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
    const retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'phone-retiree-002');
    const userId = (await retiree.json('/api/me')).body.user.id as number;
    const db = fresh();
    const engine = engineFor(db, retiree, 23);
    await saveVisitRequest(db, { userId, retireeId }, t.clock.now);
    await syncUntilDone(engine, userId);
    expect((await visitRequestState(db, userId, retireeId)).state).toBe('open');

    t.clock.advance(3_600_000);
    const worker = await signIn(t, DEMO.worker, 'phone-worker-0002');
    const visit = { type: 'outcome', id: '019aaaaa-0000-7000-8000-000000000001', seq: 1, retireeId, kind: 'not_home', deviceTime: t.clock.now };
    expect((await worker.json('/api/sync/push', { json: { items: [visit] } })).body.results[0]).toMatchObject({ status: 'accepted' });

    t.clock.advance(60_000);
    await syncUntilDone(engineFor(db, retiree, 29), userId);
    expect(await visitRequestState(db, userId, retireeId)).toEqual({ state: 'none' });
    const again = await saveVisitRequest(db, { userId, retireeId }, t.clock.now);
    expect(await visitRequestState(db, userId, retireeId)).toMatchObject({ state: 'waiting', id: again });
  });
});
