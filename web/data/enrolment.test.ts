// A worker enrols a retiree without a reference face in person (issue 14), on a phone in Node:
// fake-indexeddb for IndexedDB, the REAL server app (real SQLite) behind the fake network. The
// password is sealed when the check is saved (bound to the attempt and its first key frame), sent
// as `enrolment: { signature }`, verified by the server, and gone from the phone after the answer.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../server/seed/demo.ts';
import { createTestApp, signIn, type Client, type TestApp } from '../../server/test-support.ts';
import { syntheticJpeg, syntheticResult } from '../../shared/sync-fixtures.ts';
import { openAppDb, type AppDb } from './db.ts';
import { createFakeNetwork, NO_FAULTS, seededRandom } from './fake-network.ts';
import { BadEvidenceError, NoSignatureKeyError, saveAttempt, takeChallenge } from './store.ts';
import { createSyncEngine } from './sync-engine.ts';
import { createFetchTransport } from './transport.ts';

let t: TestApp;
let factory: IDBFactory;
beforeEach(async () => {
  t = await createTestApp();
  factory = new IDBFactory();
});
afterEach(async () => t.close());

function engineFor(db: AppDb, c: Client) {
  const random = seededRandom(5);
  const net = createFakeNetwork((url, init) => c.request(url, { method: init.method, body: init.body as BodyInit, headers: init.headers as Record<string, string> }), NO_FAULTS, random);
  return createSyncEngine({ db, transport: createFetchTransport({ fetch: net.fetch }), random, challengeTarget: 5, backoff: { baseMs: 1, maxMs: 4 } });
}

const retireeId = async (idNumber: string) => (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;

/** The demo worker's phone after one sync with signal: roster, challenge tokens and the signing key. */
async function workerPhone() {
  const c = await signIn(t, DEMO.worker, 'phone-worker-0001');
  const userId = (await c.json('/api/me')).body.user.id as number;
  const db = openAppDb({ indexedDB: factory, IDBKeyRange });
  const engine = engineFor(db, c);
  return { c, userId, db, engine };
}

async function check(db: AppDb, userId: number, rid: number, enrolmentPassword?: string, verdict: 'passed' | 'failed' = 'passed') {
  const challenge = await takeChallenge(db, userId);
  return saveAttempt(db, {
    userId,
    retireeId: rid,
    method: 'worker',
    challenge,
    result: syntheticResult(challenge, verdict),
    frames: [syntheticJpeg(240, 320, 8_000, 1), syntheticJpeg(240, 320, 8_000, 2)],
    ...(enrolmentPassword !== undefined ? { enrolmentPassword } : {}),
  });
}

describe('in-person enrolment on the phone (issue 14)', () => {
  it('seals the password with the check, sends it, and forgets it once the server has answered', async () => {
    const { userId, db, engine } = await workerPhone();
    const review = await retireeId(DEMO.retireeReview.idNumber);
    const open = await retireeId(DEMO.retireeOpen.idNumber);

    // Before the first sync there is no key to seal to: nothing is written, the screen says so.
    await expect(check(db, userId, review, DEMO.worker.password)).rejects.toBeInstanceOf(NoSignatureKeyError);
    expect(await db.attempts.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);

    expect(await engine.sync(userId, { force: true })).toMatchObject({ ran: true, error: null });
    const roster = await db.roster.where('userId').equals(userId).toArray();
    expect(roster.find((r) => r.retireeId === review)?.hasReference).toBe(false);

    const enrolled = await check(db, userId, review, DEMO.worker.password);
    const forged = await check(db, userId, open, 'not-the-password');
    const ordinary = await check(db, userId, open);
    const stored = await db.attempts.get(enrolled);
    expect(stored?.enrolmentSignature).toMatch(/^s1\./);
    expect(stored?.enrolment).toBe(true);
    expect(JSON.stringify(await db.attempts.toArray())).not.toContain(DEMO.worker.password);
    expect((await db.attempts.get(ordinary))?.enrolmentSignature).toBeUndefined();

    expect(await engine.sync(userId, { force: true })).toMatchObject({ sent: 3, rejected: 0, waiting: 0, error: null });
    const server = await t.db.all<{ id: string; enrolment: string | null; outcome: string }>('SELECT id, enrolment, outcome FROM attempts ORDER BY seq');
    expect(server).toEqual([
      { id: enrolled, enrolment: 'verified', outcome: 'verifying' },
      { id: forged, enrolment: 'invalid', outcome: 'verifying' },
      { id: ordinary, enrolment: null, outcome: 'verifying' },
    ]);
    // The envelopes have done their job: not on the phone any more (the record still says it was one).
    for (const id of [enrolled, forged]) {
      const after = await db.attempts.get(id);
      expect(after).toMatchObject({ syncState: 'sent', enrolment: true, outcome: { kind: 'verifying' } });
      expect(after?.enrolmentSignature).toBeUndefined();
    }
    expect(JSON.stringify(await db.attempts.toArray())).not.toContain('s1.');

    // What the match makes of it (an active enrolment reference, review `enrolment`) is tested with
    // the real model and real key frames in server/identity/match-queue.test.ts and e2e/enrolment.
  });

  it('never seals for a check that did not pass, nor for anybody but a worker', async () => {
    const { userId, db, engine } = await workerPhone();
    await engine.sync(userId, { force: true });
    const review = await retireeId(DEMO.retireeReview.idNumber);
    await expect(check(db, userId, review, DEMO.worker.password, 'failed')).rejects.toBeInstanceOf(BadEvidenceError);
    const challenge = await takeChallenge(db, userId);
    await expect(
      saveAttempt(db, { userId, retireeId: review, method: 'family', challenge, result: syntheticResult(challenge), frames: [syntheticJpeg()], enrolmentPassword: DEMO.worker.password }),
    ).rejects.toBeInstanceOf(BadEvidenceError);
    await expect(saveAttempt(db, { userId, retireeId: review, method: 'worker', challenge, result: syntheticResult(challenge), frames: [], enrolmentPassword: DEMO.worker.password })).rejects.toThrow(/key frame/);
    expect(await db.attempts.count()).toBe(0);
  });

  it('drops the signature when the phone is too full to keep the key frames', async () => {
    const { userId, db, engine } = await workerPhone();
    await engine.sync(userId, { force: true });
    const review = await retireeId(DEMO.retireeReview.idNumber);
    // The first write (with the frames) fails for a full disk; the retry without them succeeds.
    let writes = 0;
    const challenge = await takeChallenge(db, userId);
    const id = await saveAttempt(db, {
      userId,
      retireeId: review,
      method: 'worker',
      challenge,
      result: syntheticResult(challenge),
      frames: [syntheticJpeg()],
      enrolmentPassword: DEMO.worker.password,
      midWrite: () => {
        if (writes++ === 0) throw Object.assign(new Error('full'), { name: 'QuotaExceededError' });
      },
    });
    const stored = await db.attempts.get(id);
    expect(stored).toMatchObject({ blobsDropped: true, frames: 1 });
    expect(stored?.enrolmentSignature).toBeUndefined();
    expect(stored?.enrolment).toBeUndefined();
    expect(await engine.sync(userId, { force: true })).toMatchObject({ sent: 1, rejected: 0 });
  });
});
