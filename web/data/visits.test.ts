// A community worker's phone in Node: visit outcomes and attempts share one outbox and one sequence,
// go through the REAL server app (real SQLite) behind a lossy fake network exactly once, the
// password signature never rests on the phone, and two workers on one phone keep their own records.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticJpeg, syntheticResult } from '../../shared/sync-fixtures.ts';
import { createPasswordHasher } from '../../server/auth/password.ts';
import { addWorkerFixture, type WorkerFixture } from '../../server/seed/worker-fixture.ts';
import { createTestApp, signIn, type Client, type TestApp } from '../../server/test-support.ts';
import { openAppDb, type AppDb } from './db.ts';
import { createFakeNetwork, seededRandom, type FaultRates } from './fake-network.ts';
import { saveAttempt, syncSummary, takeChallenge } from './store.ts';
import { createSyncEngine } from './sync-engine.ts';
import { createFetchTransport } from './transport.ts';
import { saveConsent } from './consents.ts';
import { daySummary, NoSignatureKeyError, recordsForRetiree, recordsSince, saveVisit, unsentCount } from './visits.ts';

let t: TestApp;
let factory: IDBFactory;
let a: WorkerFixture;
let b: WorkerFixture;
beforeEach(async () => {
  t = await createTestApp();
  factory = new IDBFactory();
  const passwords = createPasswordHasher(10);
  a = await addWorkerFixture(t.db, passwords, t.clock.now, { username: 'wang.fang', password: 'wang-fang-2026', communityName: '和平社区', count: 5 });
  b = await addWorkerFixture(t.db, passwords, t.clock.now, { username: 'li.ming', password: 'li-ming-2026', communityName: '东风社区', count: 2, offset: 50 });
});
afterEach(async () => t.close());

const LOSSY: FaultRates = { dropRequest: 0.2, dropResponse: 0.2, duplicate: 0.2, reorder: 0.1, maxDelayMs: 3 };

function engineFor(db: AppDb, c: Client, rates: FaultRates, seed = 7) {
  const random = seededRandom(seed);
  const net = createFakeNetwork((url, init) => c.request(url, { method: init.method, body: init.body as BodyInit, headers: init.headers as Record<string, string> }), rates, random);
  return { engine: createSyncEngine({ db, transport: createFetchTransport({ fetch: net.fetch }), random, challengeTarget: 20, backoff: { baseMs: 1, maxMs: 4 } }), net };
}

async function syncUntilDone(engine: ReturnType<typeof engineFor>['engine'], userId: number) {
  for (let i = 0; i < 60; i++) {
    const r = await engine.sync(userId, { force: true });
    if (r.ran && !r.error && r.waiting === 0) return;
  }
  throw new Error('did not finish');
}

describe('visit outcomes on the phone', () => {
  it('needs the server key before it can sign; then signs without keeping the password', async () => {
    const db = openAppDb({ indexedDB: factory, IDBKeyRange });
    const photo = syntheticJpeg(256, 256, 9_000, 3);
    const attest = { userId: a.workerId, retireeId: a.retirees[0]!.id, kind: 'cannot_check' as const, reason: 'blind' as const, photo, password: a.password };
    await expect(saveVisit(db, attest)).rejects.toBeInstanceOf(NoSignatureKeyError);
    expect(await db.visits.count()).toBe(0);

    const c = await signIn(t, { username: a.username, password: a.password }, 'phone-shared-0001');
    const { engine } = engineFor(db, c, { dropRequest: 0, dropResponse: 0, duplicate: 0, reorder: 0, maxDelayMs: 0 });
    await engine.sync(a.workerId, { force: true });
    const id = await saveVisit(db, attest);
    const stored = await db.visits.get(id);
    expect(JSON.stringify(stored)).not.toContain(a.password);
    expect(stored?.signature).toMatch(/^s1\./);
    await syncUntilDone(engine, a.workerId);
    const after = await db.visits.get(id);
    expect(after).toMatchObject({ syncState: 'sent', outcome: { kind: 'pending_review' } });
    expect(after?.signature).toBeUndefined(); // gone once the server answered
    expect(await db.blobs.count()).toBe(0);
  });

  it('sends attempts and visit outcomes of one outbox in order, exactly once, through a lossy network', { timeout: 30_000 }, async () => {
    const db = openAppDb({ indexedDB: factory, IDBKeyRange });
    const c = await signIn(t, { username: a.username, password: a.password }, 'phone-shared-0001');
    const { engine, net } = engineFor(db, c, LOSSY);
    await syncUntilDone(engine, a.workerId); // roster, tokens, signing key
    const [r0, r1, r2, r3, r4] = a.retirees;
    const challenge = await takeChallenge(db, a.workerId);
    await saveAttempt(db, { userId: a.workerId, retireeId: r0!.id, method: 'worker', challenge, result: syntheticResult(challenge), frames: [syntheticJpeg(), syntheticJpeg(240, 320, 9_000, 2)] });
    await saveVisit(db, { userId: a.workerId, retireeId: r1!.id, kind: 'not_home', note: '下午再来' });
    await saveVisit(db, { userId: a.workerId, retireeId: r2!.id, kind: 'cannot_check', reason: 'bedridden', photo: syntheticJpeg(256, 256, 11_000, 4), password: a.password });
    await saveVisit(db, { userId: a.workerId, retireeId: r3!.id, kind: 'deceased', deceasedOn: '2026-11-01', source: '女儿' });
    await saveVisit(db, { userId: a.workerId, retireeId: r4!.id, kind: 'moved', newAddress: '保定市' });
    // In sequence order, as the engine sends them (ids made within one millisecond need not sort so).
    expect((await db.outbox.orderBy('[userId+seq]').toArray()).map((e) => [e.seq, e.kind])).toEqual([[1, 'attempt'], [2, 'visit'], [3, 'visit'], [4, 'visit'], [5, 'visit']]);
    expect(await daySummary(db, a.workerId, 0)).toEqual({ visited: 5, certified: 1, attested: 1, notHome: 1, reported: 2, consents: 0, waiting: 5, attention: 0 });

    await syncUntilDone(engine, a.workerId);
    await net.flush();
    expect(net.stats.lostAnswers + net.stats.duplicated + net.stats.dropped).toBeGreaterThan(0);
    expect(await t.db.get('SELECT count(*) AS n FROM attempts')).toEqual({ n: 1 });
    expect(await t.db.all('SELECT kind, user_id AS u FROM visit_outcomes WHERE user_id = ? ORDER BY seq', [a.workerId])).toEqual(
      ['not_home', 'cannot_check', 'deceased', 'moved'].map((kind) => ({ kind, u: a.workerId })),
    );
    expect(await t.db.get('SELECT last_seq, gaps FROM sync_clients WHERE user_id = ?', [a.workerId])).toEqual({ last_seq: 5, gaps: 0 });
    expect(await syncSummary(db, a.workerId)).toMatchObject({ waiting: 0, sending: 0, attention: 0, sent: 5 });
    expect((await recordsForRetiree(db, a.workerId, r2!.id)).visits[0]).toMatchObject({ kind: 'cannot_check', syncState: 'sent', outcome: { kind: 'pending_review' } });
  });

  it('counts the retirees’ consent answers of the day like the other records: waiting until the server has answered, then sent', async () => {
    const db = openAppDb({ indexedDB: factory, IDBKeyRange });
    const c = await signIn(t, { username: a.username, password: a.password }, 'phone-shared-0001');
    const clean = { dropRequest: 0, dropResponse: 0, duplicate: 0, reorder: 0, maxDelayMs: 0 };
    await syncUntilDone(engineFor(db, c, clean).engine, a.workerId);
    const [r0, r1] = a.retirees;
    await saveConsent(db, { userId: a.workerId, retireeId: r0!.id, choice: 'alternative' });
    await saveVisit(db, { userId: a.workerId, retireeId: r1!.id, kind: 'not_home' });
    expect(await daySummary(db, a.workerId, 0)).toEqual({ visited: 2, certified: 0, attested: 0, notHome: 1, reported: 0, consents: 1, waiting: 2, attention: 0 });
    expect((await recordsSince(db, a.workerId, 0)).consents.map((x) => [x.retireeId, x.choice, x.syncState])).toEqual([[r0!.id, 'alternative', 'waiting']]);

    // The push reaches the server but its answer is lost: the phone does not know, so it still waits.
    await engineFor(db, c, { ...clean, dropResponse: 1 }).engine.sync(a.workerId, { force: true });
    expect(await t.db.get('SELECT count(*) AS n FROM consents WHERE user_id = ?', [a.workerId])).toEqual({ n: 1 });
    expect((await recordsSince(db, a.workerId, 0)).consents[0]?.syncState).not.toBe('sent');
    expect((await daySummary(db, a.workerId, 0)).waiting).toBe(2);

    // Answered: sent, stored once.
    await syncUntilDone(engineFor(db, c, clean).engine, a.workerId);
    expect(await daySummary(db, a.workerId, 0)).toMatchObject({ consents: 1, waiting: 0, attention: 0 });
    expect((await recordsSince(db, a.workerId, 0)).consents[0]?.syncState).toBe('sent');
    expect(await t.db.get('SELECT count(*) AS n FROM consents WHERE user_id = ?', [a.workerId])).toEqual({ n: 1 });
    // A choice learned from the server (seq 0) is not this worker's record of the day.
    expect((await recordsSince(db, a.workerId, Date.now() + 60_000)).consents).toEqual([]);
  });

  it('keeps each worker’s records bound to them on a shared phone', async () => {
    const db = openAppDb({ indexedDB: factory, IDBKeyRange });
    const ca = await signIn(t, { username: a.username, password: a.password }, 'phone-shared-0001');
    const cb = await signIn(t, { username: b.username, password: b.password }, 'phone-shared-0001');
    await saveVisit(db, { userId: a.workerId, retireeId: a.retirees[0]!.id, kind: 'not_home' });
    await saveVisit(db, { userId: b.workerId, retireeId: b.retirees[0]!.id, kind: 'not_home' });
    await saveVisit(db, { userId: b.workerId, retireeId: b.retirees[1]!.id, kind: 'not_home' });
    expect([await unsentCount(db, a.workerId), await unsentCount(db, b.workerId)]).toEqual([1, 2]);
    expect((await daySummary(db, a.workerId, 0)).visited).toBe(1);
    // Worker A syncing sends only A's record, under A's session; B's wait for B.
    const { engine } = engineFor(db, ca, { dropRequest: 0, dropResponse: 0, duplicate: 0, reorder: 0, maxDelayMs: 0 });
    await syncUntilDone(engine, a.workerId);
    expect([await unsentCount(db, a.workerId), await unsentCount(db, b.workerId)]).toEqual([0, 2]);
    expect(await t.db.all('SELECT user_id AS u FROM visit_outcomes WHERE user_id IN (?, ?)', [a.workerId, b.workerId])).toEqual([{ u: a.workerId }]);
    const eb = engineFor(db, cb, { dropRequest: 0, dropResponse: 0, duplicate: 0, reorder: 0, maxDelayMs: 0 }).engine;
    await syncUntilDone(eb, b.workerId);
    expect(await t.db.get('SELECT count(*) AS n FROM visit_outcomes WHERE user_id = ?', [b.workerId])).toEqual({ n: 2 });
    // Each has their own sequence on the shared device.
    expect(await t.db.all('SELECT user_id AS u, last_seq AS s FROM sync_clients WHERE user_id IN (?, ?) ORDER BY user_id', [a.workerId, b.workerId])).toEqual([{ u: a.workerId, s: 1 }, { u: b.workerId, s: 2 }]);
  });
});
