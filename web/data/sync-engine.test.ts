// The phone's store and sync engine in Node: fake-indexeddb for IndexedDB, the REAL server app
// (real SQLite) behind a fake network that drops, delays, duplicates and reorders.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticJpeg, syntheticResult } from '../../shared/sync-fixtures.ts';
import { DEMO } from '../../server/seed/demo.ts';
import { createTestApp, signIn, type Client, type TestApp } from '../../server/test-support.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadFaceModel } from '../../server/face/face-model.ts';
import { frameAt, keyframeFromClip, sharedDir } from '../../server/face/test-keyframes.ts';
import { startMatchQueue } from '../../server/identity/match-queue.ts';
import { addOfficePhoto } from '../../server/identity/reference-photos.ts';
import { openAppDb, type AppDb } from './db.ts';
import { createFakeNetwork, NO_FAULTS, seededRandom, type FaultRates } from './fake-network.ts';
import { attemptsOf, blobCount, saveAttempt, syncSummary, takeChallenge, cachedChallengeCount } from './store.ts';
import { SYNC_LIMITS, type AttemptOutcome, type PullResponse } from '../../shared/sync.ts';
import { createSyncEngine, type PullBody, type SyncTransport } from './sync-engine.ts';
import { VERIFY_FOLLOW_UPS_MS, wantsFollowUps } from './sync.ts';
import { createFetchTransport } from './transport.ts';

let t: TestApp;
let factory: IDBFactory;
beforeEach(async () => {
  t = await createTestApp();
  factory = new IDBFactory();
});
afterEach(async () => t.close());

const openPhone = () => openAppDb({ indexedDB: factory, IDBKeyRange });

async function phoneUser(c: Client): Promise<{ userId: number; retireeId: number }> {
  const me = await c.json('/api/me');
  return { userId: me.body.user.id, retireeId: me.body.retiree.id };
}

function engineFor(db: AppDb, c: Client, rates: FaultRates = NO_FAULTS, seed = 1) {
  const random = seededRandom(seed);
  const net = createFakeNetwork((url, init) => c.request(url, { method: init.method, body: init.body as BodyInit, headers: init.headers as Record<string, string> }), rates, random);
  const engine = createSyncEngine({ db, transport: createFetchTransport({ fetch: net.fetch }), random, backoff: { baseMs: 1, maxMs: 4 } });
  return { engine, net };
}

async function checkOnPhone(db: AppDb, userId: number, retireeId: number, frames: number | Uint8Array[] = 2, verdict: 'passed' | 'failed' = 'passed') {
  const challenge = await takeChallenge(db, userId);
  return saveAttempt(db, {
    userId,
    retireeId,
    method: 'self',
    challenge,
    result: syntheticResult(challenge, verdict),
    frames: typeof frames === 'number' ? Array.from({ length: frames }, (_, i) => syntheticJpeg(240, 320, 8_000, i + 1)) : frames,
  });
}

describe('phone store', () => {
  it('writes attempt, blobs, outbox entry and sequence number together, or nothing at all', async () => {
    const db = openPhone();
    const id = await checkOnPhone(db, 7, 70);
    expect((await db.attempts.get(id))).toMatchObject({ seq: 1, syncState: 'waiting', frames: 2 });
    expect(await blobCount(db, id)).toBe(2);
    expect(await db.outbox.get(id)).toMatchObject({ seq: 1, userId: 7 });

    // The tab dies in the middle of the write: nothing of it exists afterwards, and the sequence
    // number was not used up.
    const challenge = await takeChallenge(db, 7);
    await expect(
      saveAttempt(db, {
        userId: 7,
        retireeId: 70,
        method: 'self',
        challenge,
        result: syntheticResult(challenge),
        frames: [syntheticJpeg()],
        midWrite: () => {
          throw new Error('tab killed');
        },
      }),
    ).rejects.toThrow('tab killed');
    db.close();
    const reopened = openPhone();
    expect(await reopened.attempts.count()).toBe(1);
    expect(await reopened.blobs.count()).toBe(2);
    expect(await reopened.outbox.count()).toBe(1);
    const next = await checkOnPhone(reopened, 7, 70, 0);
    expect((await reopened.attempts.get(next))?.seq).toBe(2);
  });

  it('refuses evidence the server would refuse, before storing it', async () => {
    const db = openPhone();
    const challenge = await takeChallenge(db, 7);
    await expect(
      saveAttempt(db, { userId: 7, retireeId: 70, method: 'self', challenge, result: syntheticResult(challenge), frames: [new Uint8Array(3000)] }),
    ).rejects.toThrow(/not_jpeg/);
    expect(await db.attempts.count()).toBe(0);
  });
});

const HAS_SHARED = existsSync(join(sharedDir(), 'fixtures', 'video'));

/** The server's real face match (the model in this thread), worked once. */
async function runFaceMatch(): Promise<number> {
  const queue = startMatchQueue({ db: t.db, faces: await loadFaceModel() }, { loop: false });
  try {
    return await queue.drain();
  } finally {
    await queue.stop();
  }
}

/** The office's decision on an attempt waiting for it, through the real API. */
async function officeDecides(attemptId: string, decision: 'approve' | 'reject') {
  const office = await signIn(t, DEMO.admin);
  const res = await office.json(`/api/identity/reviews/${attemptId}/decision`, { json: decision === 'approve' ? { decision } : { decision, reason: 'test' } });
  expect(res.status).toBe(200);
}

describe('sync engine', () => {
  it('sends waiting attempts once, deletes their blobs, keeps the history, and caches status and tokens', async () => {
    const c = await signIn(t, DEMO.retireeOpen, 'phone-test-0001');
    const { userId, retireeId } = await phoneUser(c);
    const db = openPhone();
    const { engine } = engineFor(db, c);
    // First sync: nothing to send, but tokens and the status arrive.
    expect(await engine.sync(userId)).toMatchObject({ ran: true, sent: 0, error: null });
    expect(await cachedChallengeCount(db, userId)).toBe(3);
    expect((await db.roster.toArray()).map((r) => r.status.state)).toEqual(['open']);

    const a = await checkOnPhone(db, userId, retireeId);
    const b = await checkOnPhone(db, userId, retireeId, 0, 'failed');
    expect(await syncSummary(db, userId)).toMatchObject({ waiting: 2, sent: 0 });
    // The passed check is stored and waits for the server's face match (issue 14).
    expect(await engine.sync(userId)).toMatchObject({ sent: 2, waiting: 0, verifying: 1, error: null });
    expect((await db.attempts.get(a))).toMatchObject({ syncState: 'sent', outcome: { kind: 'verifying' } });
    expect((await db.roster.toArray()).map((r) => r.status.state)).toEqual(['verifying']);

    // The retiree has no reference face: the match sends it to the office, which approves it; each
    // decision reaches the phone on its next pull.
    expect(await runFaceMatch()).toBe(1);
    expect(await engine.sync(userId)).toMatchObject({ sent: 0, verifying: 0, error: null });
    expect((await db.attempts.get(a))).toMatchObject({ syncState: 'sent', outcome: { kind: 'review', reviewReason: 'no_reference' } });
    expect((await db.roster.toArray()).map((r) => r.status.state)).toEqual(['under_review']);
    await officeDecides(a, 'approve');
    await engine.sync(userId);
    expect((await db.attempts.get(a))?.outcome).toEqual({ kind: 'review', reviewReason: 'no_reference', decided: { decision: 'approved', reason: null } });
    expect(await engine.openIds(userId)).toEqual([]);
    expect((await db.attempts.get(b))).toMatchObject({ syncState: 'sent', outcome: { kind: 'not_passed' } });
    expect(await blobCount(db)).toBe(0);
    expect((await attemptsOf(db, userId)).map((x) => x.id)).toEqual([b, a]);
    expect((await db.roster.toArray()).map((r) => r.status.state)).toEqual(['certified']);
    expect(await syncSummary(db, userId)).toMatchObject({ waiting: 0, sent: 2, lastSuccessAt: expect.any(Number) });
    expect(await t.db.get('SELECT count(*) AS n FROM attempts')).toEqual({ n: 2 });
    expect(await t.db.get("SELECT count(*) AS n FROM certifications WHERE evidence_ref = ?", [a])).toEqual({ n: 1 });
  });

  it("learns on its next pull that the office rejected a check in review, with the office's reason, then stops asking", async () => {
    const c = await signIn(t, DEMO.retireeOpen, 'phone-test-0001');
    const { userId, retireeId } = await phoneUser(c);
    const db = openPhone();
    const { engine } = engineFor(db, c);
    await engine.sync(userId);
    const a = await checkOnPhone(db, userId, retireeId);
    await engine.sync(userId);
    expect(await runFaceMatch()).toBe(1);
    await engine.sync(userId);
    expect((await db.attempts.get(a))?.outcome).toEqual({ kind: 'review', reviewReason: 'no_reference' });
    // Undecided, it stays open: every pull asks about it, and an undecided answer changes nothing.
    expect(await engine.openIds(userId)).toEqual([a]);
    await engine.sync(userId);
    expect((await db.attempts.get(a))?.outcome).toEqual({ kind: 'review', reviewReason: 'no_reference' });

    await officeDecides(a, 'reject');
    expect(await engine.sync(userId)).toMatchObject({ error: null });
    expect((await db.attempts.get(a))?.outcome).toEqual({ kind: 'review', reviewReason: 'no_reference', decided: { decision: 'rejected', reason: 'test' } });
    expect(await engine.openIds(userId)).toEqual([]);
    expect((await db.roster.toArray()).map((r) => r.status.state)).toEqual(['open']);
  });

  it('shows a rejected attempt as needing attention and stops retrying it', async () => {
    const c = await signIn(t, DEMO.retireeOpen, 'phone-test-0001');
    const { userId } = await phoneUser(c);
    const db = openPhone();
    const { engine } = engineFor(db, c);
    const other = (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeCertified.idNumber]))!.id;
    const id = await checkOnPhone(db, userId, other, 0);
    expect(await engine.sync(userId)).toMatchObject({ rejected: 1, waiting: 0 });
    expect(await db.attempts.get(id)).toMatchObject({ syncState: 'attention', rejectReason: 'no_access' });
    expect(await db.outbox.count()).toBe(0);
    expect(await syncSummary(db, userId)).toMatchObject({ attention: 1, waiting: 0 });
  });

  it('backs off exponentially with jitter after failures, and Send now ignores the timer', async () => {
    const c = await signIn(t, DEMO.retireeOpen, 'phone-test-0001');
    const { userId, retireeId } = await phoneUser(c);
    const db = openPhone();
    let clock = 1_000_000;
    const random = seededRandom(3);
    const net = createFakeNetwork((url, init) => c.request(url, { method: init.method, body: init.body as BodyInit, headers: init.headers as Record<string, string> }), { ...NO_FAULTS, dropRequest: 1 }, random);
    const engine = createSyncEngine({ db, transport: createFetchTransport({ fetch: net.fetch }), now: () => clock, random, backoff: { baseMs: 2_000, maxMs: 60_000 } });
    await checkOnPhone(db, userId, retireeId, 0);
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await engine.sync(userId, { force: true });
      expect(r.error).toBe('network');
      const meta = (await db.settings.get(`sync:${userId}`))!.value as { nextAttemptAt: number };
      delays.push(meta.nextAttemptAt - clock);
    }
    expect(delays.every((d) => d >= 1_000 && d <= 60_000)).toBe(true);
    expect(Math.max(...delays.slice(5))).toBeGreaterThan(Math.max(...delays.slice(0, 2)));
    // The timer respects the backoff; a forced sync (Send now, back online) does not.
    expect(await engine.sync(userId)).toMatchObject({ ran: false });
    net.rates.dropRequest = 0;
    expect(await engine.sync(userId, { force: true })).toMatchObject({ sent: 1, error: null });
    for (let i = 0; i < 40; i++) expect(engine.delayAfter(i + 1)).toBeLessThanOrEqual(60_000);
  });

  it('waits for a new sign-in when the session has gone, without losing anything', async () => {
    const c = await signIn(t, DEMO.retireeOpen, 'phone-test-0001');
    const { userId, retireeId } = await phoneUser(c);
    const db = openPhone();
    const { engine } = engineFor(db, c);
    await checkOnPhone(db, userId, retireeId, 1);
    await c.request('/api/auth/sign-out', { method: 'POST' });
    expect(await engine.sync(userId, { force: true })).toMatchObject({ error: 'auth', waiting: 1 });
    expect(await syncSummary(db, userId)).toMatchObject({ waiting: 1, needsSignIn: true });
  });

  it('asks for a new sign-in when the session is not bound to this device (the server says device_required)', async () => {
    const c = await signIn(t, DEMO.retireeOpen);
    const { userId, retireeId } = await phoneUser(c);
    const db = openPhone();
    const { engine } = engineFor(db, c);
    await checkOnPhone(db, userId, retireeId, 1);
    expect(await engine.sync(userId, { force: true })).toMatchObject({ error: 'auth', waiting: 1 });
    expect(await syncSummary(db, userId)).toMatchObject({ waiting: 1, needsSignIn: true });
  });

  it('writes nothing from a pull answer in a format it cannot read, and everything once the server speaks its format', async () => {
    const c = await signIn(t, DEMO.retireeOpen, 'phone-test-0001');
    const { userId } = await phoneUser(c);
    const db = openPhone();
    let format: number | null = 2;
    // The real server's answer, restamped as a newer format would be.
    const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input);
      const res = await c.request(url, { method: init.method, body: init.body as BodyInit, headers: init.headers as Record<string, string> });
      if (!url.endsWith('/api/sync/pull') || format === null) return res;
      const body = (await res.json()) as Record<string, unknown>;
      return new Response(JSON.stringify({ ...body, v: format }), { status: res.status, headers: { 'Content-Type': 'application/json' } });
    };
    const engine = createSyncEngine({ db, transport: createFetchTransport({ fetch: fetch as typeof globalThis.fetch }), backoff: { baseMs: 1, maxMs: 4 } });
    expect(await engine.sync(userId, { force: true })).toMatchObject({ error: 'incompatible' });
    expect(await db.roster.count()).toBe(0);
    expect(await cachedChallengeCount(db, userId)).toBe(0);
    expect((await db.settings.get(`sync:${userId}`))?.value).not.toHaveProperty('cursor', expect.any(String));
    format = null;
    expect(await engine.sync(userId, { force: true })).toMatchObject({ error: null });
    expect(await db.roster.count()).toBe(1);
    expect(await cachedChallengeCount(db, userId)).toBeGreaterThan(0);
  });

  it('loses nothing and counts nothing twice over a network that drops, delays, duplicates and reorders, with tab restarts', async () => {
    const c = await signIn(t, DEMO.retireeOpen, 'phone-test-0001');
    const { userId, retireeId } = await phoneUser(c);
    const rates: FaultRates = { dropRequest: 0.3, dropResponse: 0.2, duplicate: 0.2, reorder: 0.2, maxDelayMs: 3 };
    let db = openPhone();
    let phone = engineFor(db, c, rates, 42);
    const created: string[] = [];
    const random = seededRandom(99);
    for (let round = 0; round < 30; round++) {
      const n = Math.floor(random() * 3);
      for (let i = 0; i < n; i++) created.push(await checkOnPhone(db, userId, retireeId, Math.floor(random() * 3), random() < 0.5 ? 'passed' : 'failed'));
      await phone.engine.sync(userId, { force: random() < 0.5 });
      if (random() < 0.2) {
        // The tab is closed and opened again: a new connection, a new engine, same IndexedDB.
        await phone.net.flush();
        db.close();
        db = openPhone();
        phone = engineFor(db, c, rates, Math.floor(random() * 1e9));
      }
    }
    // Signal comes back for good.
    phone.net.rates = { ...NO_FAULTS };
    for (let i = 0; i < 5 && (await db.outbox.count()) > 0; i++) await phone.engine.sync(userId, { force: true });
    await phone.net.flush();

    expect(phone.net.stats.dropped + phone.net.stats.lostAnswers).toBeGreaterThan(0);
    const onServer = (await t.db.all<{ id: string }>('SELECT id FROM attempts')).map((r) => r.id).sort();
    expect(onServer).toEqual([...created].sort());
    expect(await db.outbox.count()).toBe(0);
    expect(await blobCount(db)).toBe(0);
    expect((await db.attempts.toArray()).every((a) => a.syncState === 'sent')).toBe(true);
    const certs = await t.db.all<{ n: number }>("SELECT count(*) AS n FROM certifications WHERE evidence_ref <> 'demo' GROUP BY retiree_id, period_id");
    expect(certs.length === 0 || certs.every((r) => r.n === 1)).toBe(true);
    const seq = await t.db.get<{ last_seq: number; gaps: number }>('SELECT last_seq, gaps FROM sync_clients WHERE device_id <> ?', [DEMO.workerDevice]);
    expect(seq).toEqual({ last_seq: created.length, gaps: 0 });
  });
});

describe('outcomes decided after the push (issue 14: the face match)', () => {
  /** A server stand-in that records each pull and answers the attempts it is asked about. */
  function recordingTransport(answer: (ids: string[]) => PullResponse['attempts']) {
    const pulls: PullBody[] = [];
    const transport: SyncTransport = {
      push: () => Promise.reject(new Error('nothing to push in this test')),
      async pull(body) {
        pulls.push(body);
        return { v: 1, cursor: 'c1', full: false, retirees: [], removed: [], challenges: [], attempts: answer(body.attempts ?? []), lastSeq: 0, serverTime: 0 };
      },
    };
    return { transport, pulls };
  }

  async function sentAttempt(db: AppDb, userId: number, createdAt: number, outcome: AttemptOutcome): Promise<string> {
    const challenge = await takeChallenge(db, userId);
    const id = await saveAttempt(db, { userId, retireeId: 70, method: 'self', challenge, result: syntheticResult(challenge) }, createdAt);
    await db.outbox.delete(id);
    await db.attempts.update(id, { syncState: 'sent', outcome, sentAt: createdAt });
    return id;
  }

  it("names this user's sent attempts still verifying, oldest first and at most 20, and stores what the server decided", async () => {
    const db = openPhone();
    const ids: string[] = [];
    // Made newest first, so the order sent can only come from sorting by age.
    for (let i = 24; i >= 0; i--) ids[i] = await sentAttempt(db, 7, 1_000_000 + i * 1_000, { kind: 'verifying' });
    const decided = await sentAttempt(db, 7, 999_000, { kind: 'certified', periodId: 1, certifiedOn: '2026-04-01' });
    const otherUser = await sentAttempt(db, 8, 999_500, { kind: 'verifying' });
    const waiting = await saveAttempt(db, { userId: 7, retireeId: 70, method: 'self', challenge: await takeChallenge(db, 7), result: syntheticResult({ seed: 1 }) }, 990_000);

    let answered = false;
    const { transport, pulls } = recordingTransport((asked) => {
      if (answered) return [];
      answered = true;
      return [
        { id: asked[0]!, outcome: { kind: 'certified', periodId: 1, certifiedOn: '2026-04-01' } },
        { id: asked[1]!, outcome: { kind: 'review', reviewReason: 'face_mismatch' } },
        { id: asked[2]!, outcome: { kind: 'verifying' } },
        // Not asked about (another user's; and one already decided): left alone.
        { id: otherUser, outcome: { kind: 'certified', periodId: 1, certifiedOn: '2026-04-01' } },
        { id: decided, outcome: { kind: 'review', reviewReason: 'face_uncertain' } },
      ];
    });
    const engine = createSyncEngine({ db, transport, backoff: { baseMs: 1, maxMs: 4 } });
    await engine.pull(7);

    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.attempts).toEqual(ids.slice(0, 20));
    expect(pulls[0]!.attempts).toHaveLength(SYNC_LIMITS.maxOutcomesPerPull);
    expect(pulls[0]!.attempts).not.toContain(waiting);
    expect((await db.attempts.get(ids[0]!))?.outcome).toEqual({ kind: 'certified', periodId: 1, certifiedOn: '2026-04-01' });
    expect((await db.attempts.get(ids[1]!))?.outcome).toEqual({ kind: 'review', reviewReason: 'face_mismatch' });
    expect((await db.attempts.get(ids[2]!))?.outcome).toEqual({ kind: 'verifying' });
    expect((await db.attempts.get(decided))?.outcome?.kind).toBe('certified');
    expect((await db.attempts.get(otherUser))?.outcome?.kind).toBe('verifying');
    // Written with the rest of the pull: the cursor moved in the same transaction.
    expect((await db.settings.get('sync:7'))?.value).toMatchObject({ cursor: 'c1' });

    // The next pull asks about the ones still open, beginning with the oldest of them; a sync
    // reports how many are still open.
    await db.transaction('rw', [db.attempts, db.outbox], async () => {
      await db.outbox.delete(waiting);
      await db.attempts.delete(waiting);
    });
    expect(await engine.sync(7)).toMatchObject({ ran: true, error: null, verifying: 23 });
    expect(pulls[1]!.attempts).toEqual(ids.slice(2, 22));
  });

  it.skipIf(!HAS_SHARED)('with the real server and model: a check showing somebody else is answered verifying, then the office review on a later pull', async () => {
    const c = await signIn(t, DEMO.retireeOpen, 'phone-test-0001');
    const { userId, retireeId } = await phoneUser(c);
    // The office holds a photo of one person; the phone's key frames show another.
    const model = await loadFaceModel();
    expect(await addOfficePhoto(t.db, model, { retireeId, bytes: frameAt('turn_left_right_woman_hijab', 0.3), addedBy: null, at: t.clock.now })).toMatchObject({ ok: true });
    const db = openPhone();
    const { engine } = engineFor(db, c);
    await engine.sync(userId);
    const id = await checkOnPhone(db, userId, retireeId, [await keyframeFromClip('mouth_open_man', 2.5, model), await keyframeFromClip('mouth_open_man', 6.5, model)]);
    expect(await engine.sync(userId)).toMatchObject({ sent: 1, verifying: 1, error: null });
    expect(await db.attempts.get(id)).toMatchObject({ syncState: 'sent', outcome: { kind: 'verifying' } });
    // Nothing decided yet: a pull asks again and changes nothing.
    expect(await engine.sync(userId)).toMatchObject({ verifying: 1 });

    expect(await runFaceMatch()).toBe(1);
    expect(await engine.sync(userId)).toMatchObject({ verifying: 0, error: null });
    expect((await db.attempts.get(id))?.outcome).toEqual({ kind: 'review', reviewReason: 'face_mismatch' });
    expect((await db.roster.toArray()).map((r) => r.status)).toEqual([expect.objectContaining({ state: 'under_review', method: 'self' })]);
  });

  it('asks nothing when no attempt is waiting for its face match (an older server answers without `attempts`)', async () => {
    const db = openPhone();
    await sentAttempt(db, 7, 1_000_000, { kind: 'not_passed' });
    const { transport, pulls } = recordingTransport(() => undefined as unknown as PullResponse['attempts']);
    const engine = createSyncEngine({ db, transport });
    expect(await engine.sync(7)).toMatchObject({ ran: true, error: null, verifying: 0 });
    expect(pulls[0]).toEqual({ cursor: null, wantChallenges: 3 });
  });

  it('looks again soon only after a push that left something verifying', () => {
    expect(wantsFollowUps({ ran: true, sent: 1, verifying: 1 })).toBe(true);
    expect(wantsFollowUps({ ran: true, sent: 0, verifying: 1 })).toBe(false);
    expect(wantsFollowUps({ ran: true, sent: 2, verifying: 0 })).toBe(false);
    expect(wantsFollowUps({ ran: false, sent: 0, verifying: 3 })).toBe(false);
    expect(VERIFY_FOLLOW_UPS_MS.every((ms) => ms >= 10_000)).toBe(true);
  });
});
