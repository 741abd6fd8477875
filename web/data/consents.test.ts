// Consent in the one outbox (issue 21 §1, decision 085), in Node: fake-indexeddb for the phone, the
// REAL server app (real SQLite) behind a lossy fake network. A worker records a retiree's answer at
// the door with no signal, between a check and a visit outcome; all three go in one sequence and are
// stored exactly once. A phone of the older app with a choice not yet sent (a `consent:` setting)
// moves it into the outbox when it opens this version; a choice the server has is kept, never sent back.
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONSENT_NOTICE_VERSION } from '../../shared/schemas/consent.ts';
import { syntheticJpeg, syntheticResult } from '../../shared/sync-fixtures.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { createPasswordHasher } from '../../server/auth/password.ts';
import { DEMO } from '../../server/seed/demo.ts';
import { addWorkerFixture, type WorkerFixture } from '../../server/seed/worker-fixture.ts';
import { createTestApp, signIn, type Client, type TestApp } from '../../server/test-support.ts';
import { consentOf, keepServerConsent, saveConsent } from './consents.ts';
import { openAppDb, type AppDb } from './db.ts';
import { createFakeNetwork, seededRandom, type FaultRates } from './fake-network.ts';
import { saveAttempt, syncSummary, takeChallenge } from './store.ts';
import { createSyncEngine } from './sync-engine.ts';
import { createFetchTransport } from './transport.ts';
import { recordsForRetiree, saveVisit, unsentCount } from './visits.ts';

let t: TestApp;
let factory: IDBFactory;
let w: WorkerFixture;
beforeEach(async () => {
  t = await createTestApp();
  factory = new IDBFactory();
  w = await addWorkerFixture(t.db, createPasswordHasher(10), t.clock.now, { username: 'wang.fang', password: 'wang-fang-2026', communityName: '和平社区', count: 3 });
});
afterEach(async () => t.close());

const LOSSY: FaultRates = { dropRequest: 0.25, dropResponse: 0.25, duplicate: 0.25, reorder: 0.1, maxDelayMs: 3 };
const CALM: FaultRates = { dropRequest: 0, dropResponse: 0, duplicate: 0, reorder: 0, maxDelayMs: 0 };

function engineFor(db: AppDb, c: Client, rates: FaultRates, seed = 11) {
  const random = seededRandom(seed);
  const net = createFakeNetwork((url, init) => c.request(url, { method: init.method, body: init.body as BodyInit, headers: init.headers as Record<string, string> }), rates, random);
  return { engine: createSyncEngine({ db, transport: createFetchTransport({ fetch: net.fetch }), random, challengeTarget: 5, backoff: { baseMs: 1, maxMs: 4 } }), net };
}

async function syncUntilDone(engine: ReturnType<typeof engineFor>['engine'], userId: number) {
  for (let i = 0; i < 80; i++) {
    const r = await engine.sync(userId, { force: true });
    if (r.ran && !r.error && r.waiting === 0) return;
  }
  throw new Error('did not finish');
}

const serverConsents = () => t.db.all<{ id: string; retiree_id: number; user_id: number; choice: string; seq: number | null }>('SELECT id, retiree_id, user_id, choice, seq FROM consents ORDER BY seq');

describe('consent in the one outbox', () => {
  it("a worker records the retiree's answer at the door offline; it goes with the check and the visit, in one sequence, stored once", { timeout: 30_000 }, async () => {
    const db = openAppDb({ indexedDB: factory, IDBKeyRange });
    const c = await signIn(t, { username: w.username, password: w.password }, 'phone-worker-0001');
    const { engine, net } = engineFor(db, c, LOSSY);
    await syncUntilDone(engine, w.workerId); // roster and tokens, while there is signal
    const [r0, r1] = w.retirees;

    // At the doors, no signal: the first retiree agrees (heard by the worker), then the check; the
    // second is not at home; then the first changes their mind (a second row: the latest counts).
    const agreed = await saveConsent(db, { userId: w.workerId, retireeId: r0!.id, choice: 'face' }, t.clock.now);
    const challenge = await takeChallenge(db, w.workerId);
    await saveAttempt(db, { userId: w.workerId, retireeId: r0!.id, method: 'worker', challenge, result: syntheticResult(challenge), frames: [syntheticJpeg(), syntheticJpeg(240, 320, 9_000, 2)] });
    await saveVisit(db, { userId: w.workerId, retireeId: r1!.id, kind: 'not_home' });
    const changed = await saveConsent(db, { userId: w.workerId, retireeId: r0!.id, choice: 'alternative' }, t.clock.now + 5_000);
    expect((await db.outbox.orderBy('[userId+seq]').toArray()).map((e) => [e.seq, e.kind])).toEqual([
      [1, 'consent'],
      [2, 'attempt'],
      [3, 'visit'],
      [4, 'consent'],
    ]);
    expect(await unsentCount(db, w.workerId)).toBe(4);
    expect(await consentOf(db, w.workerId, r0!.id)).toMatchObject({ id: changed.id, choice: 'alternative', syncState: 'waiting' });

    await syncUntilDone(engine, w.workerId);
    await net.flush();
    expect(net.stats.lostAnswers + net.stats.duplicated + net.stats.dropped).toBeGreaterThan(0);
    // Exactly once each, recorded by the worker, in the phone's sequence, no gaps.
    expect(await serverConsents()).toEqual([
      { id: agreed.id, retiree_id: r0!.id, user_id: w.workerId, choice: 'face', seq: 1 },
      { id: changed.id, retiree_id: r0!.id, user_id: w.workerId, choice: 'alternative', seq: 4 },
    ]);
    expect(await t.db.get('SELECT count(*) AS n FROM attempts')).toEqual({ n: 1 });
    expect(await t.db.get('SELECT last_seq, gaps FROM sync_clients WHERE user_id = ?', [w.workerId])).toEqual({ last_seq: 4, gaps: 0 });
    // Each record has its own sync state on the phone.
    expect(await db.consents.get(agreed.id)).toMatchObject({ syncState: 'sent', outcome: { kind: 'consent_recorded' } });
    expect(await syncSummary(db, w.workerId)).toMatchObject({ waiting: 0, sending: 0, attention: 0 });
    // The retiree page lists the answers recorded here, newest first, each with its sync state.
    expect((await recordsForRetiree(db, w.workerId, r0!.id)).consents.map((c) => [c.id, c.choice, c.syncState])).toEqual([
      [changed.id, 'alternative', 'sent'],
      [agreed.id, 'face', 'sent'],
    ]);
    // The office reads the latest choice, as recorded by a worker.
    const office = await signIn(t, DEMO.admin);
    const latest = await office.json<{ consent: { id: string; recordedBy: string } }>(`/api/consents?retireeId=${r0!.id}`);
    expect(latest.body.consent).toMatchObject({ id: changed.id, recordedBy: 'worker' });
  });

  it('a choice for a retiree the phone may not reach is refused and shown, not retried', async () => {
    const db = openAppDb({ indexedDB: factory, IDBKeyRange });
    const c = await signIn(t, { username: w.username, password: w.password }, 'phone-worker-0001');
    const { engine } = engineFor(db, c, CALM);
    const other = (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeSuspended.idNumber]))!.id;
    const refused = await saveConsent(db, { userId: w.workerId, retireeId: other, choice: 'face' });
    const fine = await saveConsent(db, { userId: w.workerId, retireeId: w.retirees[0]!.id, choice: 'face' });
    await syncUntilDone(engine, w.workerId);
    expect(await db.consents.get(refused.id)).toMatchObject({ syncState: 'attention', rejectReason: 'no_access' });
    expect(await db.consents.get(fine.id)).toMatchObject({ syncState: 'sent' });
    expect((await serverConsents()).map((r) => r.id)).toEqual([fine.id]);
  });

  it('an older phone opening this version moves its unsent choice into the outbox, after its own sequence', async () => {
    const name = 'stillhere-older';
    // The database as the previous version left it (schema version 5): a choice kept as a setting,
    // not yet sent, one that was sent, and the user's sequence at 3.
    const older = new Dexie(name, { indexedDB: factory, IDBKeyRange });
    older.version(5).stores({ outbox: '&id, &[userId+seq]', settings: '&key' });
    const unsent = uuidv7(t.clock.now);
    const sent = uuidv7(t.clock.now - 1000);
    await older.table('settings').bulkPut([
      { key: 'seq:7', value: 3 },
      { key: 'consent:7:70', value: { id: unsent, retireeId: 70, choice: 'face', noticeVersion: CONSENT_NOTICE_VERSION, decidedAt: 1_000, sent: false } },
      { key: 'consent:7:71', value: { id: sent, retireeId: 71, choice: 'alternative', noticeVersion: CONSENT_NOTICE_VERSION, decidedAt: 900, sent: true } },
    ]);
    older.close();

    const db = openAppDb({ name, indexedDB: factory, IDBKeyRange });
    expect(await db.outbox.toArray()).toEqual([{ id: unsent, userId: 7, seq: 4, kind: 'consent', tries: 0 }]);
    expect(await consentOf(db, 7, 70)).toMatchObject({ id: unsent, seq: 4, choice: 'face', createdAt: 1_000, syncState: 'waiting' });
    expect(await consentOf(db, 7, 71)).toMatchObject({ id: sent, seq: 0, choice: 'alternative', syncState: 'sent' });
    expect(await db.settings.where('key').startsWith('consent:').count()).toBe(0);
    // The next record takes the next number of the same sequence.
    expect((await saveConsent(db, { userId: 7, retireeId: 70, choice: 'alternative' })).seq).toBe(5);
  });

  it("keeps the server's choice on a new phone (never sent back), but not over a later one made here", async () => {
    const db = openAppDb({ indexedDB: factory, IDBKeyRange });
    const fromServer = { id: uuidv7(1_000), choice: 'face' as const, noticeVersion: CONSENT_NOTICE_VERSION, decidedAt: 1_000 };
    expect(await keepServerConsent(db, 7, 70, fromServer)).toMatchObject({ id: fromServer.id, seq: 0, syncState: 'sent' });
    expect(await db.outbox.count()).toBe(0);
    expect((await recordsForRetiree(db, 7, 70)).consents).toEqual([]); // not one recorded on this phone
    const mine = await saveConsent(db, { userId: 7, retireeId: 70, choice: 'alternative' }, 2_000);
    expect(await keepServerConsent(db, 7, 70, fromServer)).toMatchObject({ id: mine.id });
    // A choice on an older notice is no answer to the one shown now.
    expect(await keepServerConsent(db, 7, 71, { ...fromServer, id: uuidv7(), noticeVersion: CONSENT_NOTICE_VERSION - 1 })).toBeUndefined();
    expect(await consentOf(db, 7, 71)).toBeUndefined();
  });
});
