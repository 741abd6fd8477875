import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticJpeg, syntheticOgg, syntheticResult } from '../../shared/sync-fixtures.ts';
import type { LivenessResult } from '../../shared/liveness.ts';
import type { ChallengeGrant, PullResponse, PushResponse } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { createApp } from '../app.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { DEMO } from '../seed/demo.ts';
import { startIngestThread } from '../sync/ingest-thread.ts';
import { makeItem, pushBody, type TestItem } from '../sync/test-helpers.ts';
import { TOKEN_TTL_MS } from '../sync/tokens.ts';
import { client, createTestApp, onPostgres, signIn, type Client, type TestApp } from '../test-support.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const retireeLogin = { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin };
const DEVICE = 'phone-retiree-0001';

async function retireeId(idNumber: string): Promise<number> {
  return (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;
}

async function challenges(c: Client, count = 3): Promise<ChallengeGrant[]> {
  const res = await c.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count } });
  expect(res.status).toBe(200);
  return res.body.challenges;
}

async function push(c: Client, items: TestItem[]): Promise<{ status: number; body: PushResponse }> {
  const { body, headers } = pushBody(items);
  return c.json<PushResponse>('/api/sync/push', { method: 'POST', body, headers });
}

async function count(sql: string, params: (string | number)[] = []): Promise<number> {
  return (await t.db.get<{ n: number }>(`SELECT count(*) AS n FROM (${sql}) AS rows`, params))!.n;
}

// Every push behaviour holds the same whether the group commit runs in the main thread (tests, the
// default) or on the ingest thread with its own connection (the server, decision 047).
// The ingest thread opens the SQLite file; on PostgreSQL the group commit runs in the process.
describe.each([
  { where: 'in the main thread', thread: false },
  ...(onPostgres ? [] : [{ where: 'on the ingest thread', thread: true }]),
])('group commit $where', ({ thread }) => {
  beforeEach(() => {
    if (thread) t.ingest.useThread(startIngestThread(t.db.path));
  });

  describe('push', () => {
    it('stores a passing attempt with its key frames as verifying, queues its face match, and certifies nothing yet', async () => {
      const c = await signIn(t, retireeLogin, DEVICE);
      const rid = await retireeId(DEMO.retireeOpen.idNumber);
      const [grant] = await challenges(c, 1);
      const item = makeItem({ seq: 1, retireeId: rid, method: 'self', challenge: grant, frames: 2 });

      const first = await push(c, [item]);
      expect(first.status).toBe(200);
      expect(first.body.results).toEqual([{ id: item.id, seq: 1, status: 'accepted', outcome: { kind: 'verifying' } }]);
      expect(first.body.lastSeq).toBe(1);

      const again = await push(c, [item]);
      expect(again.body.results).toEqual([{ ...first.body.results[0], status: 'duplicate' }]);

      expect(await count('SELECT 1 FROM attempts WHERE id = ?', [item.id])).toBe(1);
      expect(await count('SELECT 1 FROM attempt_blobs WHERE attempt_id = ?', [item.id])).toBe(2);
      const blob = await t.db.get<{ width: number; height: number; bytes: number }>('SELECT width, height, bytes FROM attempt_blobs WHERE attempt_id = ? AND idx = 0', [item.id]);
      expect(blob).toEqual({ width: 240, height: 320, bytes: 9000 });
      // Stored as the bytes that were sent, also after crossing to the ingest thread.
      const stored = await t.db.get<{ data: Buffer }>('SELECT data FROM attempt_blobs WHERE attempt_id = ? AND idx = 0', [item.id]);
      expect(Buffer.from(stored!.data).equals(Buffer.from(item.blobs[0]!.data))).toBe(true);
      // The period and the day it arrived are kept, so the match decides for the right period.
      expect(await t.db.get('SELECT period_id IS NOT NULL AS period, certified_on FROM attempts WHERE id = ?', [item.id])).toEqual({ period: 1, certified_on: '2026-11-22' });
      expect(await count('SELECT 1 FROM match_jobs WHERE attempt_id = ?', [item.id])).toBe(1);
      expect(await count("SELECT 1 FROM certifications WHERE retiree_id = ? AND evidence_ref <> 'demo'", [rid])).toBe(0);
      expect(await count('SELECT 1 FROM challenge_uses WHERE challenge_id = ?', [grant!.id])).toBe(1);
      expect(await t.db.get('SELECT last_seq, gaps FROM sync_clients WHERE device_id = ?', [DEVICE])).toEqual({ last_seq: 1, gaps: 0 });

      const status = await c.json('/api/me/status');
      expect(status.body.status).toMatchObject({ state: 'verifying', submittedOn: '2026-11-22' });
    });

    it('never certifies a made-up pass: missing key frames or implausible timings go to the office with the reason (issue 15)', async () => {
      const c = await signIn(t, retireeLogin, DEVICE);
      const rid = await retireeId(DEMO.retireeOpen.idNumber);
      const grants = await challenges(c, 4);
      const fabricated = makeItem({ seq: 3, retireeId: rid, method: 'self', challenge: grants[2], frames: 2 });
      // What the attack sent: "0 frames analysed in 0 ms", with key frames attached.
      const r = fabricated.result as LivenessResult;
      r.durationMs = r.baselineMs = 0;
      r.steps = r.steps.map((s) => ({ ...s, durationMs: 0 }));
      r.inference = { frames: 0, medianMs: 0, p95Ms: 0, delegate: 'CPU' };
      const tooFast = makeItem({ seq: 4, retireeId: rid, method: 'self', challenge: grants[3], frames: 2 });
      (tooFast.result as LivenessResult).steps[0]!.durationMs = 20;
      const res = await push(c, [
        makeItem({ seq: 1, retireeId: rid, method: 'self', challenge: grants[0] }),
        makeItem({ seq: 2, retireeId: rid, method: 'self', challenge: grants[1], frames: 1 }),
        fabricated,
        tooFast,
      ]);
      expect(res.body.results.map((x) => x.status === 'accepted' && x.outcome)).toEqual([
        { kind: 'review', reviewReason: 'evidence_missing' },
        { kind: 'review', reviewReason: 'evidence_missing' },
        { kind: 'review', reviewReason: 'evidence_implausible' },
        { kind: 'review', reviewReason: 'evidence_implausible' },
      ]);
      // Stored, never matched into a certification, and the tokens are spent.
      expect(await count("SELECT 1 FROM attempts WHERE retiree_id = ? AND outcome = 'review'", [rid])).toBe(4);
      expect(await count('SELECT 1 FROM challenge_uses')).toBe(4);
      expect(await count('SELECT 1 FROM match_jobs')).toBe(0);
      expect(await count("SELECT 1 FROM certifications WHERE retiree_id = ? AND status = 'approved' AND evidence_ref <> 'demo'", [rid])).toBe(0);
    });

    it('answers already_certified at once for a retiree whose period is certified, without a match', async () => {
      const c = await signIn(t, DEMO.retireeCertified, DEVICE);
      const rid = await retireeId(DEMO.retireeCertified.idNumber);
      const [a] = await challenges(c, 1);
      const r = await push(c, [makeItem({ seq: 1, retireeId: rid, method: 'self', challenge: a, frames: 2 })]);
      expect(r.body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'already_certified' } });
      expect(await count('SELECT 1 FROM match_jobs')).toBe(0);
    });

    it('keeps failed, timed-out and abandoned attempts for history without certifying', async () => {
      const c = await signIn(t, retireeLogin, DEVICE);
      const rid = await retireeId(DEMO.retireeOpen.idNumber);
      const grants = await challenges(c, 3);
      const items = (['failed', 'timed_out', 'abandoned'] as const).map((verdict, i) => makeItem({ seq: i + 1, retireeId: rid, method: 'self', challenge: grants[i], verdict }));
      const res = await push(c, items);
      expect(res.body.results.map((r) => r.status === 'accepted' && r.outcome.kind)).toEqual(['not_passed', 'not_passed', 'not_passed']);
      expect(await count('SELECT 1 FROM attempts WHERE retiree_id = ? AND outcome = ?', [rid, 'not_passed'])).toBe(3);
      expect(await count("SELECT 1 FROM certifications WHERE retiree_id = ? AND evidence_ref <> 'demo'", [rid])).toBe(0);
    });

    it('takes checks by family members and workers for the retirees they act for, with their method, to the face match', async () => {
      const rid = await retireeId(DEMO.retireeOpen.idNumber);
      const family = await signIn(t, DEMO.family, 'phone-family-0001');
      const [g] = await challenges(family, 1);
      const res = await push(family, [makeItem({ seq: 1, retireeId: rid, method: 'family', challenge: g, frames: 2 })]);
      expect(res.body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'verifying' } });
      expect(await t.db.get('SELECT method, retiree_id FROM attempts a JOIN match_jobs j ON j.attempt_id = a.id WHERE a.id = ?', [res.body.results[0]!.id])).toEqual({ method: 'family', retiree_id: rid });

      const reviewId = await retireeId(DEMO.retireeReview.idNumber);
      const worker = await signIn(t, DEMO.worker, 'phone-worker-0001');
      const [w] = await challenges(worker, 1);
      const wr = await push(worker, [makeItem({ seq: 1, retireeId: reviewId, method: 'worker', challenge: w, frames: 2 })]);
      expect(wr.body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'verifying' } });
      expect(await t.db.get('SELECT method, retiree_id FROM attempts a JOIN match_jobs j ON j.attempt_id = a.id WHERE a.id = ?', [wr.body.results[0]!.id])).toEqual({ method: 'worker', retiree_id: reviewId });
    });

    it('rejects items for retirees the user may not act for, or with the wrong method, and answers the same again', async () => {
      const c = await signIn(t, retireeLogin, DEVICE);
      const other = await retireeId(DEMO.retireeCertified.idNumber);
      const own = await retireeId(DEMO.retireeOpen.idNumber);
      const [g] = await challenges(c, 1);
      const foreign = makeItem({ seq: 1, retireeId: other, method: 'self', challenge: g });
      const wrongMethod = makeItem({ seq: 2, retireeId: own, method: 'worker', challenge: g });
      const res = await push(c, [foreign, wrongMethod]);
      expect(res.body.results).toEqual([
        { id: foreign.id, seq: 1, status: 'rejected', reason: 'no_access' },
        { id: wrongMethod.id, seq: 2, status: 'rejected', reason: 'wrong_method' },
      ]);
      expect((await push(c, [foreign])).body.results[0]).toEqual({ id: foreign.id, seq: 1, status: 'rejected', reason: 'no_access' });
      expect(await count('SELECT 1 FROM attempts')).toBe(0);
      expect(await count('SELECT 1 FROM sync_rejections')).toBe(2);
    });

    it('rejects bad blobs: not a JPEG, a frame too large or too small, a hash that does not match, odd audio', async () => {
      const c = await signIn(t, retireeLogin, DEVICE);
      const rid = await retireeId(DEMO.retireeOpen.idNumber);
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(500).fill(1)]);
      const cases: [string, TestItem['blobs'], string][] = [
        ['png', [{ kind: 'frame', type: 'image/jpeg', data: png }], 'bad_image'],
        ['huge', [{ kind: 'frame', type: 'image/jpeg', data: syntheticJpeg(240, 320, 21 * 1024) }], 'too_large'],
        ['tiny', [{ kind: 'frame', type: 'image/jpeg', data: syntheticJpeg(16, 16, 2000) }], 'bad_image'],
        ['truncated', [{ kind: 'frame', type: 'image/jpeg', data: syntheticJpeg(240, 320, 9000).slice(0, 8000) }], 'bad_image'],
        ['audio type', [{ kind: 'audio', type: 'audio/wav', data: syntheticOgg(), durationMs: 3000 }], 'bad_audio'],
        ['audio magic', [{ kind: 'audio', type: 'audio/webm;codecs=opus', data: syntheticOgg(), durationMs: 3000 }], 'bad_audio'],
        ['audio length', [{ kind: 'audio', type: 'audio/ogg;codecs=opus', data: syntheticOgg(), durationMs: 60_000 }], 'bad_audio'],
      ];
      let seq = 1;
      for (const [name, blobs, reason] of cases) {
        const item = makeItem({ seq: seq++, retireeId: rid, method: 'self' });
        item.blobs = blobs;
        const res = await push(c, [item]);
        expect([name, res.body.results[0]]).toEqual([name, expect.objectContaining({ status: 'rejected', reason })]);
      }
      // The part's bytes differ from the declared SHA-256.
      const item = makeItem({ seq: seq++, retireeId: rid, method: 'self', frames: 1 });
      const { body } = pushBody([item]);
      const form = body as FormData;
      form.set('p0', new Blob([syntheticJpeg(240, 320, 9000, 99) as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), 'p0');
      const res = await c.json<PushResponse>('/api/sync/push', { method: 'POST', body: form });
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', reason: 'blob_mismatch' });

      const ok = makeItem({ seq: seq++, retireeId: rid, method: 'self', frames: 2 });
      ok.blobs.push({ kind: 'audio', type: 'audio/ogg; codecs="opus"', data: syntheticOgg(12_000), durationMs: 4000 });
      expect((await push(c, [ok])).body.results[0]).toMatchObject({ status: 'accepted' });
      expect(await count('SELECT 1 FROM attempts')).toBe(1);
    });

    it('answers one malformed item as rejected without refusing the rest of the batch', async () => {
      const c = await signIn(t, retireeLogin, DEVICE);
      const rid = await retireeId(DEMO.retireeOpen.idNumber);
      const good = makeItem({ seq: 2, retireeId: rid, method: 'self', verdict: 'failed' });
      const badResult = makeItem({ seq: 1, retireeId: rid, method: 'self' });
      badResult.result = { ...(badResult.result as object), verdict: 'maybe' };
      const res = await push(c, [badResult, good]);
      expect(res.body.results).toEqual([
        { id: badResult.id, seq: 1, status: 'rejected', reason: 'invalid' },
        { id: good.id, seq: 2, status: 'accepted', outcome: { kind: 'review', reviewReason: 'no_token' } },
      ]);
    });

    it('refuses a body over the limit and sessions without a device', async () => {
      const c = await signIn(t, retireeLogin, DEVICE);
      const res = await c.json('/api/sync/push', { json: { items: [{ pad: 'x'.repeat(90 * 1024) }] } });
      expect(res.status).toBe(413);
      const noDevice = await signIn(t, retireeLogin);
      const r2 = await noDevice.json('/api/sync/challenges', { json: { count: 1 } });
      expect([r2.status, r2.body.error.code]).toEqual([400, 'device_required']);
      const anon = await client(t).json('/api/sync/pull', { json: { cursor: null } });
      expect(anon.status).toBe(401);
    });
  });

  describe('challenge tokens', () => {
    it('marks for review, without certifying, every attempt whose token is missing, forged, used, foreign, expired or answered wrongly', async () => {
      const c = await signIn(t, retireeLogin, DEVICE);
      const rid = await retireeId(DEMO.retireeOpen.idNumber);
      const [used, forged, mismatch, good] = await challenges(c, 4);
      const otherDevice = await signIn(t, retireeLogin, 'phone-retiree-0002');
      const [foreign] = await challenges(otherDevice, 1);

      const items: [TestItem, string][] = [];
      let seq = 1;
      const add = (item: TestItem, reason: string) => items.push([item, reason]);
      add(makeItem({ seq: seq++, retireeId: rid, method: 'self', challenge: null, frames: 2 }), 'no_token');
      const forgedItem = makeItem({ seq: seq++, retireeId: rid, method: 'self', challenge: forged, frames: 2 });
      forgedItem.challengeToken = forged!.token.slice(0, -4) + (forged!.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      add(forgedItem, 'token_invalid');
      add(makeItem({ seq: seq++, retireeId: rid, method: 'self', challenge: foreign, frames: 2 }), 'token_foreign');
      const wrong = makeItem({ seq: seq++, retireeId: rid, method: 'self', challenge: mismatch, frames: 2 });
      wrong.result = syntheticResult({ id: mismatch!.id, seed: (mismatch!.seed + 1) >>> 0 });
      add(wrong, 'sequence_mismatch');
      const first = makeItem({ seq: seq++, retireeId: rid, method: 'self', challenge: used, verdict: 'failed' });
      const reuse = makeItem({ seq: seq++, retireeId: rid, method: 'self', challenge: used, frames: 2 });
      // One attempt with key frames per request, as the phone sends them.
      const results = [];
      for (const item of [...items.map(([i]) => i), first, reuse]) results.push(...(await push(c, [item])).body.results);
      expect(results.map((r) => r.status === 'accepted' && r.outcome)).toEqual([
        ...items.map(([, reason]) => ({ kind: 'review', reviewReason: reason })),
        { kind: 'not_passed' },
        { kind: 'review', reviewReason: 'token_used' },
      ]);

      t.clock.advance(TOKEN_TTL_MS + 1);
      const late = await push(c, [makeItem({ seq: seq++, retireeId: rid, method: 'self', challenge: good, frames: 2 })]);
      expect(late.body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'review', reviewReason: 'token_expired' } });

      expect(await count("SELECT 1 FROM certifications WHERE retiree_id = ? AND evidence_ref <> 'demo'", [rid])).toBe(0);
      expect(await count("SELECT 1 FROM attempts WHERE outcome = 'review'")).toBe(6);
      const row = await t.db.get<{ review_reason: string; device_time: number; token_issued_at: number }>('SELECT review_reason, device_time, token_issued_at FROM attempts WHERE id = ?', [items[2]![0].id]);
      expect(row?.review_reason).toBe('token_foreign');
    });

    it('binds tokens to user and device and keeps them small', async () => {
      const c = await signIn(t, retireeLogin, DEVICE);
      const grants = await challenges(c, 20);
      expect(new Set(grants.map((g) => g.id)).size).toBe(20);
      expect(Math.max(...grants.map((g) => g.token.length))).toBeLessThan(220);
      expect(grants[0]!.expiresAt - grants[0]!.issuedAt).toBe(TOKEN_TTL_MS);
      const tooMany = await c.json('/api/sync/challenges', { json: { count: 21 } });
      expect(tooMany.status).toBe(400);
    });
  });

  describe('idempotency under concurrency and crashes', () => {
    it('applies concurrent pushes, including the same items sent several times at once, exactly once', async () => {
      const worker = await signIn(t, DEMO.worker, 'phone-worker-0001');
      const ids = (await t.db.all<{ id: number }>("SELECT r.id FROM retirees r JOIN communities c ON c.id = r.community_id WHERE c.name LIKE '幸福里%'")).map((r) => r.id);
      const grants = await challenges(worker, 20);
      const items = grants.map((g, i) => makeItem({ seq: i + 1, retireeId: ids[i % ids.length]!, method: 'worker', challenge: g, frames: i % 3 === 0 ? 2 : 0 }));
      // Every item three times, in shuffled single-item requests, all in flight together.
      const sends = [...items, ...items, ...items].map((it) => ({ it, k: Math.random() })).sort((a, b) => a.k - b.k);
      const responses = await Promise.all(sends.map(({ it }) => push(worker, [it])));
      expect(responses.every((r) => r.status === 200)).toBe(true);
      const byId = new Map<string, string[]>();
      for (const r of responses) for (const x of r.body.results) byId.set(x.id, [...(byId.get(x.id) ?? []), x.status]);
      for (const it of items) expect(byId.get(it.id)!.sort()).toEqual(['accepted', 'duplicate', 'duplicate']);

      expect(await count('SELECT 1 FROM attempts')).toBe(20);
      const perRetiree = await t.db.all<{ n: number }>("SELECT count(*) AS n FROM certifications WHERE evidence_ref <> 'demo' GROUP BY retiree_id, period_id");
      expect(perRetiree.every((r) => r.n === 1)).toBe(true);
      expect(await t.db.get('SELECT last_seq FROM sync_clients WHERE device_id = ?', ['phone-worker-0001'])).toEqual({ last_seq: 20 });
    });

    // faults.beforeCommit runs inside the transaction, which the ingest thread keeps to itself.
    if (!thread) {
      it('loses nothing when the transaction fails before COMMIT: the retry is accepted', async () => {
        const c = await signIn(t, retireeLogin, DEVICE);
        const rid = await retireeId(DEMO.retireeOpen.idNumber);
        const [g] = await challenges(c, 1);
        const item = makeItem({ seq: 1, retireeId: rid, method: 'self', challenge: g, frames: 2 });
        const queue = t.ingest;
        queue.faults = {
          beforeCommit: () => {
            throw new Error('simulated crash before commit');
          },
        };
        expect((await push(c, [item])).status).toBe(500);
        expect(await count('SELECT 1 FROM attempts')).toBe(0);
        expect(await count('SELECT 1 FROM challenge_uses')).toBe(0);
        queue.faults = {};
        expect((await push(c, [item])).body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'verifying' } });
        expect(await count('SELECT 1 FROM match_jobs')).toBe(1);
      });
    }

    it('applies nothing twice when the server dies after COMMIT but before answering, across a restart', async () => {
      const c = await signIn(t, retireeLogin, DEVICE);
      const rid = await retireeId(DEMO.retireeOpen.idNumber);
      const [g] = await challenges(c, 1);
      const item = makeItem({ seq: 1, retireeId: rid, method: 'self', challenge: g, frames: 2 });
      t.ingest.faults = {
        afterCommit: () => {
          throw new Error('simulated crash after commit');
        },
      };
      expect((await push(c, [item])).status).toBe(500);

      // "Restart": a new process would open the same file and build a fresh app.
      const db2 = await t.reopen();
      try {
        const app2 = createApp({ db: db2, config: t.config, now: () => t.clock.now, passwords: createPasswordHasher(10) });
        const c2 = client({ app: app2 });
        c2.cookie = c.cookie;
        const retry = await push(c2, [item]);
        expect(retry.body.results[0]).toMatchObject({ id: item.id, status: 'duplicate', outcome: { kind: 'verifying' } });
        expect(retry.body.lastSeq).toBe(1);
      } finally {
        await db2.close();
      }
      expect(await count('SELECT 1 FROM attempts')).toBe(1);
      expect(await count('SELECT 1 FROM attempt_blobs')).toBe(2);
      expect(await count('SELECT 1 FROM match_jobs')).toBe(1);
    });

    it('counts sequence gaps (attempts the phone lost) and still stores what arrives', async () => {
      const c = await signIn(t, retireeLogin, DEVICE);
      const rid = await retireeId(DEMO.retireeOpen.idNumber);
      await push(c, [makeItem({ seq: 1, retireeId: rid, method: 'self', verdict: 'failed' })]);
      await push(c, [makeItem({ seq: 4, retireeId: rid, method: 'self', verdict: 'failed' })]);
      const late = await push(c, [makeItem({ seq: 2, retireeId: rid, method: 'self', verdict: 'failed' })]);
      expect(late.body.results[0]!.status).toBe('accepted');
      expect(late.body.lastSeq).toBe(4);
      expect(await t.db.get('SELECT last_seq, gaps FROM sync_clients WHERE device_id = ?', [DEVICE])).toEqual({ last_seq: 4, gaps: 2 });
      expect(await count('SELECT 1 FROM attempts')).toBe(3);
    });

    it('refuses an id that another user already used', async () => {
      const rid = await retireeId(DEMO.retireeOpen.idNumber);
      const family = await signIn(t, DEMO.family, 'phone-family-0001');
      const retiree = await signIn(t, retireeLogin, DEVICE);
      const id = uuidv7();
      await push(family, [makeItem({ id, seq: 1, retireeId: rid, method: 'family', verdict: 'failed' })]);
      const res = await push(retiree, [makeItem({ id, seq: 1, retireeId: rid, method: 'self', verdict: 'failed' })]);
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', reason: 'id_conflict' });
    });
  });

  // A push may be let in on a session kept in memory; the group commit re-reads the session row in
  // the transaction that writes (decision 046). Nothing of a push whose session ended may be applied.
  describe('sessions re-checked in the transaction that writes', () => {
    async function keptWorker() {
      const worker = await signIn(t, DEMO.worker, 'phone-worker-0001');
      const rid = (await t.db.get<{ id: number }>("SELECT r.id FROM retirees r JOIN communities c ON c.id = r.community_id WHERE c.name LIKE '幸福里%' LIMIT 1"))!.id;
      const grants = await challenges(worker, 3);
      // A first push keeps the worker's session in memory.
      expect((await push(worker, [makeItem({ seq: 1, retireeId: rid, method: 'worker', challenge: grants[0] })])).status).toBe(200);
      return { worker, rid, grants };
    }

    it('refuses a push whose session another process ended after it was kept, and stores nothing of it', async () => {
      const { worker, rid, grants } = await keptWorker();
      const cli = await t.reopen();
      try {
        await cli.run('DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)', [DEMO.worker.username]);
      } finally {
        await cli.close();
      }
      const item = makeItem({ seq: 2, retireeId: rid, method: 'worker', challenge: grants[1] });
      expect((await push(worker, [item])).status).toBe(401);
      expect(await count('SELECT 1 FROM attempts WHERE id = ?', [item.id])).toBe(0);
      expect(await count('SELECT 1 FROM challenge_uses WHERE challenge_id = ?', [grants[1]!.id])).toBe(0);
    });

    it('never takes a kept session past its expiry', async () => {
      const { worker, rid, grants } = await keptWorker();
      t.clock.advance(12 * 3_600_000 + 1);
      expect((await push(worker, [makeItem({ seq: 2, retireeId: rid, method: 'worker', challenge: grants[1] })])).status).toBe(401);
      expect(await count("SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'worker.demo'")).toBe(0);
    });

    // faults.beforeCommit runs inside the transaction, which the ingest thread keeps to itself.
    if (!thread) {
      it('refuses a push let in before its account was disabled but committed after, while the rest of its group goes in', async () => {
        const { worker, rid, grants } = await keptWorker();
        const retiree = await signIn(t, retireeLogin, DEVICE);
        const own = makeItem({ seq: 1, retireeId: await retireeId(DEMO.retireeOpen.idNumber), method: 'self', verdict: 'failed' });
        const late = makeItem({ seq: 2, retireeId: rid, method: 'worker', challenge: grants[1] });
        const queue = t.ingest;
        let workerPush: Promise<{ status: number }> | null = null;
        queue.faults = {
          // Inside the retiree's group: the worker's push arrives and queues, then the account is disabled.
          beforeCommit: async () => {
            if (workerPush) return;
            workerPush = push(worker, [late]);
            await expect.poll(() => queue.waiting, { interval: 5 }).toBe(1);
            await t.db.run('UPDATE users SET disabled = 1 WHERE username = ?', [DEMO.worker.username]);
          },
        };
        expect((await push(retiree, [own])).status).toBe(200);
        expect((await workerPush!)!.status).toBe(401);
        queue.faults = {};
        expect(await count('SELECT 1 FROM attempts WHERE id = ?', [own.id])).toBe(1);
        expect(await count('SELECT 1 FROM attempts WHERE id = ?', [late.id])).toBe(0);
      });
    }
  });
});

describe.skipIf(onPostgres)('ingest thread (SQLite only)', () => {
  /** Holds the write lock on the main connection for `ms`; resolves once it is held. */
  async function holdWriteLock(ms: number): Promise<{ released: Promise<void> }> {
    let held!: () => void;
    const isHeld = new Promise<void>((r) => (held = r));
    const released = t.db.transaction(async () => {
      await t.db.run("UPDATE settings SET value = value WHERE key = 'auth_epoch'");
      held();
      await new Promise((r) => setTimeout(r, ms));
    });
    await isHeld;
    return { released };
  }

  /** A retiree whose thread is already running (it starts on the first group). */
  async function startedThread(options: Parameters<typeof startIngestThread>[1] = {}) {
    t.ingest.useThread(startIngestThread(t.db.path, options));
    const c = await signIn(t, retireeLogin, DEVICE);
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    expect((await push(c, [makeItem({ seq: 1, retireeId: rid, method: 'self', verdict: 'failed' })])).status).toBe(200);
    const [g] = await challenges(c, 1);
    return { c, g: g!, item: makeItem({ seq: 2, retireeId: rid, method: 'self', challenge: g, frames: 2 }) };
  }

  it('refuses an in-memory database, which another connection could not see', () => {
    expect(() => startIngestThread(':memory:')).toThrow(/database file/);
  });

  it('waits while the main connection holds the write lock, then commits', async () => {
    const { c, item } = await startedThread();
    const lock = await holdWriteLock(300);
    const started = Date.now();
    const res = await push(c, [item]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await lock.released;
    expect(res.body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'verifying' } });
    expect(await count('SELECT 1 FROM attempts WHERE id = ?', [item.id])).toBe(1);
  });

  it('answers 500 and writes nothing when its transaction fails, and takes the retry', async () => {
    const { c, g, item } = await startedThread({ busyTimeoutMs: 20 });
    const lock = await holdWriteLock(500);
    expect((await push(c, [item])).status).toBe(500);
    await lock.released;
    expect(t.logs.join('\n')).toContain('SQLITE_BUSY');
    expect(await count('SELECT 1 FROM attempts WHERE id = ?', [item.id])).toBe(0);
    expect(await count('SELECT 1 FROM challenge_uses WHERE challenge_id = ?', [g.id])).toBe(0);
    expect((await push(c, [item])).body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'verifying' } });
  });
});

describe('pull', () => {
  it('returns the roster in full first, then only what changed, with fresh tokens', async () => {
    const worker = await signIn(t, DEMO.worker, 'phone-worker-0001');
    const first = await worker.json<PullResponse>('/api/sync/pull', { json: { cursor: null, wantChallenges: 5 } });
    expect(first.status).toBe(200);
    expect(first.body.full).toBe(true);
    expect(first.body.retirees.length).toBe(4);
    expect(first.body.retirees[0]).toHaveProperty('address');
    expect(first.body.challenges.length).toBe(5);

    const quiet = await worker.json<PullResponse>('/api/sync/pull', { json: { cursor: first.body.cursor } });
    expect(quiet.body).toMatchObject({ full: false, retirees: [], challenges: [] });

    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    const item = makeItem({ seq: 1, retireeId: rid, method: 'worker', challenge: first.body.challenges[0], frames: 2 });
    await push(worker, [item]);
    const changed = await worker.json<PullResponse>('/api/sync/pull', { json: { cursor: quiet.body.cursor, attempts: [item.id] } });
    expect(changed.body.full).toBe(false);
    expect(changed.body.retirees.map((r) => [r.id, r.status.state])).toEqual([[rid, 'verifying']]);
    expect(changed.body.attempts).toEqual([{ id: item.id, outcome: { kind: 'verifying' } }]);
    expect(changed.body.lastSeq).toBe(1);

    // Somebody else's attempt ids answer nothing; too many ids are refused.
    const family = await signIn(t, DEMO.family, 'phone-family-0001');
    expect((await family.json<PullResponse>('/api/sync/pull', { json: { cursor: null, attempts: [item.id] } })).body.attempts).toEqual([]);
    const tooMany = Array.from({ length: 21 }, () => item.id);
    expect((await family.json('/api/sync/pull', { json: { cursor: null, attempts: tooMany } })).status).toBe(400);
  });

  it('gives a family member their linked retirees with masked ID numbers, and a full pull after a new link', async () => {
    const family = await signIn(t, DEMO.family, 'phone-family-0001');
    const first = await family.json<PullResponse>('/api/sync/pull', { json: { cursor: null } });
    expect(first.body.retirees.map((r) => r.idNumber)).toEqual([expect.stringMatching(/^\d{4}\*{10}\d{3}[\dX]$/)]);
    const userId = (await t.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.family.username]))!.id;
    await t.db.run('INSERT INTO family_links (user_id, retiree_id, relation, created_at) VALUES (?, ?, ?, ?)', [userId, await retireeId(DEMO.retireeCertified.idNumber), '', 0]);
    const after = await family.json<PullResponse>('/api/sync/pull', { json: { cursor: first.body.cursor } });
    expect(after.body.full).toBe(true);
    expect(after.body.retirees.length).toBe(2);

    // A new day: statuses move with the calendar, so the pull is full again.
    const same = await family.json<PullResponse>('/api/sync/pull', { json: { cursor: after.body.cursor } });
    expect(same.body.full).toBe(false);
    t.clock.advance(24 * 60 * 60 * 1000);
    const nextDay = await family.json<PullResponse>('/api/sync/pull', { json: { cursor: same.body.cursor } });
    expect(nextDay.body.full).toBe(true);
  });
});
