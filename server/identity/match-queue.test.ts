// The face match end to end on the server: real pushes through app.request(), the real model on its
// worker threads, real key frames cut from the shared clips, real SQLite. Whose face it is decides.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { enrolmentBinding, sealSignature } from '../../shared/signature.ts';
import type { ChallengeGrant, PullResponse, PushResponse, SignatureKey } from '../../shared/sync.ts';
import { startFacePool, type FacePool } from '../face/face-pool.ts';
import { decodeImage } from '../face/decode.ts';
import type { RgbImage } from '../face/pixels.ts';
import { encodeKeyframe, frameAt, keyframeFromClip, sharedDir } from '../face/test-keyframes.ts';
import { DEMO } from '../seed/demo.ts';
import { claimJobs, recordMatch } from '../store/match-jobs.ts';
import { makeItem, pushBody } from '../sync/test-helpers.ts';
import { createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';
import { startMatchQueue, type FaceReader } from './match-queue.ts';

const HAS_SHARED = existsSync(join(sharedDir(), 'fixtures', 'video'));

let pool: FacePool;
let t: TestApp;
const frames = new Map<string, Uint8Array>();

// Key frames as the phone sends them (256 px face crops), and whole frames as office photos.
const WOMAN = ['turn_left_right_woman_hijab', 0.3] as const; // the reference photo's person
const WOMAN_CHECK = [['nod_up_down_woman_hijab', 0.3], ['nod_up_down_woman_hijab', 3.5]] as const; // the same woman, another clip
const WOMAN_OTHER = [['nod_up_down_woman_hijab', 0.6], ['nod_up_down_woman_hijab', 3.8]] as const; // her again, other moments
const MAN_CHECK = [['mouth_open_man', 2.5], ['mouth_open_man', 6.5]] as const; // somebody else
const keyframe = async (clip: string, s: number) => {
  const key = `${clip}@${s}`;
  if (!frames.has(key)) frames.set(key, await keyframeFromClip(clip, s));
  return frames.get(key)!;
};
// A check carries two key frames (shared/evidence-rules.ts); `first` says which of the pair comes first.
const both = async (pair: typeof WOMAN_CHECK | typeof WOMAN_OTHER | typeof MAN_CHECK, first: 0 | 1 = 0) => {
  const [a, b] = await Promise.all(pair.map(([clip, s]) => keyframe(clip, s)));
  return first === 0 ? [a!, b!] : [b!, a!];
};

describe.skipIf(!HAS_SHARED)('face match queue', () => {
  beforeAll(async () => {
    pool = startFacePool({ size: 2 });
    await pool.ready();
  }, 60_000);
  afterAll(() => pool?.close());
  beforeEach(async () => {
    t = await createTestApp({ deps: { faces: pool } });
  });
  afterEach(async () => t.close());

  const retireeId = async (idNumber: string) => (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;
  const office = () => signIn(t, DEMO.admin);

  async function addPhoto(retiree: number, jpeg: Uint8Array) {
    const res = await (await office()).json(`/api/identity/retirees/${retiree}/references`, { method: 'POST', body: jpeg as Uint8Array<ArrayBuffer>, headers: { 'Content-Type': 'image/jpeg' } });
    expect(res.status).toBe(201);
    return res.body.reference.id as number;
  }

  let seq = 0;
  async function check(c: Client, retiree: number, method: 'self' | 'family' | 'worker', jpegs: Uint8Array[], enrol?: { password: string; userId: number }): Promise<string> {
    const [grant] = (await c.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count: 1 } })).body.challenges;
    const item = makeItem({ seq: ++seq, retireeId: retiree, method, challenge: grant });
    item.blobs = jpegs.map((data) => ({ kind: 'frame', type: 'image/jpeg', data }));
    const { body, headers } = pushBody([item]);
    if (enrol) {
      // The worker's password sealed to the server's key and bound to this attempt and its first frame, as the phone does.
      const key = (await c.json<PullResponse>('/api/sync/pull', { json: { cursor: null } })).body.signatureKey as SignatureKey;
      const frameSha256 = createHash('sha256').update(jpegs[0]!).digest('hex');
      const signature = await sealSignature(key, enrol.password, enrolmentBinding({ id: item.id, retireeId: retiree, userId: enrol.userId, frameSha256 }));
      const batch = JSON.parse((body as FormData).get('batch') as string);
      batch.items[0].enrolment = { signature };
      (body as FormData).set('batch', JSON.stringify(batch));
    }
    const res = await c.json<PushResponse>('/api/sync/push', { method: 'POST', body, headers });
    expect(res.body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'verifying' } });
    return item.id;
  }

  const attempt = (id: string) =>
    t.db.get<{ outcome: string; review_reason: string | null; match_decision: string | null; match_distance: number | null }>(
      'SELECT outcome, review_reason, match_decision, match_distance FROM attempts WHERE id = ?',
      [id],
    );
  const certification = (id: string) => t.db.get<{ status: string; method: string }>('SELECT status, method FROM certifications WHERE evidence_ref = ?', [id]);
  // No worker's check is drawn for the office's sample unless a test asks for it (issue 15).
  const queue = (faces: FaceReader = pool, options = {}) => startMatchQueue({ db: t.db, faces, now: () => t.clock.now, workerAudit: { share: 0, maxPerHour: 20 }, ...options }, { loop: false });

  it('certifies the retiree whose reference face the key frames show, and the phone learns it on its next pull', async () => {
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    await addPhoto(rid, frameAt(...WOMAN));
    const c = await signIn(t, DEMO.retireeOpen, 'phone-0001');
    seq = 0;
    const id = await check(c, rid, 'self', await both(WOMAN_CHECK));
    expect((await c.json('/api/me/status')).body.status.state).toBe('verifying');

    expect(await queue().drain()).toBe(1);
    const a = await attempt(id);
    expect(a).toMatchObject({ outcome: 'certified', review_reason: null, match_decision: 'match' });
    expect(a!.match_distance).toBeLessThan(0.3);
    expect(await certification(id)).toEqual({ status: 'approved', method: 'self' });
    expect((await c.json('/api/me/status')).body.status.state).toBe('certified');
    const pull = await c.json<PullResponse>('/api/sync/pull', { json: { cursor: null, attempts: [id] } });
    expect(pull.body.attempts).toEqual([{ id, outcome: { kind: 'certified', periodId: expect.any(Number), certifiedOn: '2026-11-22' } }]);
    // A strong match keeps its best frame as a newer reference (faces age).
    expect(await t.db.all("SELECT source, status, attempt_id FROM reference_faces WHERE retiree_id = ? ORDER BY id", [rid])).toEqual([
      { source: 'office_photo', status: 'active', attempt_id: null },
      { source: 'certified_check', status: 'active', attempt_id: id },
    ]);
    expect(await t.db.get('SELECT count(*) AS n FROM match_jobs')).toEqual({ n: 0 });
  });

  it('matches a family member’s and a worker’s check against the retiree’s references, not the helper’s face', async () => {
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    await addPhoto(rid, frameAt(...WOMAN));
    const family = await signIn(t, DEMO.family, 'phone-family-1');
    seq = 0;
    const theirs = await check(family, rid, 'family', await both(MAN_CHECK));
    await queue().drain();
    expect(await attempt(theirs)).toMatchObject({ outcome: 'review', review_reason: 'face_mismatch', match_decision: 'mismatch' });
    expect(await certification(theirs)).toEqual({ status: 'pending_review', method: 'family' });
    // The office is checking: the retiree's own phone says so, not "certified" and not "failed".
    const me = await signIn(t, DEMO.retireeOpen, 'phone-0001');
    expect((await me.json('/api/me/status')).body.status).toMatchObject({ state: 'under_review', method: 'family' });

    const ok = await check(family, rid, 'family', await both(WOMAN_CHECK, 1));
    await queue().drain();
    // The period has a pending review, not an approval: a clear match now certifies.
    expect(await attempt(ok)).toMatchObject({ outcome: 'certified', match_decision: 'match' });
    expect(await certification(ok)).toEqual({ status: 'approved', method: 'family' });
  });

  it('one drain decides every waiting job, more jobs than it works at once, each exactly once', async () => {
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    await addPhoto(rid, frameAt(...WOMAN));
    const family = await signIn(t, DEMO.family, 'phone-family-1');
    seq = 0;
    const ids = [
      await check(family, rid, 'family', await both(MAN_CHECK)),
      await check(family, rid, 'family', await both(MAN_CHECK, 1)),
      await check(family, rid, 'family', await both(WOMAN_CHECK)),
    ];
    // Two at a time for three jobs: the drain claims again until nothing is left.
    expect(await queue(pool, { concurrency: 2 }).drain()).toBe(3);
    for (const id of ids) expect((await attempt(id))!.outcome).not.toBe('verifying');
    expect(await t.db.get('SELECT count(*) AS n FROM match_jobs')).toEqual({ n: 0 });
    // Her face certified the period once.
    expect(await Promise.all(ids.map(async (id) => (await attempt(id))!.match_decision))).toEqual(['mismatch', 'mismatch', 'match']);
    expect(await t.db.get("SELECT count(*) AS n FROM certifications WHERE evidence_ref IN (?, ?, ?) AND status = 'approved'", ids)).toEqual({ n: 1 });
  }, 180_000); // six key frames cut and read on a shared 2-core machine

  it('never matches a check whose frames show the retiree and somebody else', async () => {
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    await addPhoto(rid, frameAt(...WOMAN));
    const c = await signIn(t, DEMO.retireeOpen, 'phone-0001');
    seq = 0;
    const id = await check(c, rid, 'self', [await keyframe(...WOMAN_CHECK[0]), await keyframe(...MAN_CHECK[1])]);
    await queue().drain();
    expect(await attempt(id)).toMatchObject({ outcome: 'review', review_reason: 'face_uncertain', match_decision: 'uncertain' });
    expect(await certification(id)).toEqual({ status: 'pending_review', method: 'self' });
  });

  it('sends a first check without any reference to the office, which compares it; approving makes it the reference', async () => {
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    const c = await signIn(t, DEMO.retireeOpen, 'phone-0001');
    seq = 0;
    const first = await check(c, rid, 'self', await both(WOMAN_CHECK));
    await queue().drain();
    expect(await attempt(first)).toMatchObject({ outcome: 'review', review_reason: 'no_reference', match_decision: 'no_reference' });
    expect(await t.db.all('SELECT source, status FROM reference_faces WHERE retiree_id = ?', [rid])).toEqual([{ source: 'first_check', status: 'pending' }]);

    const admin = await office();
    const queueList = await admin.json('/api/identity/reviews?reason=no_reference');
    expect(queueList.body.attempts.map((a: { id: string }) => a.id)).toEqual([first]);
    const detail = await admin.json(`/api/identity/reviews/${first}`);
    expect(detail.body.attempt).toMatchObject({ reviewReason: 'no_reference', method: 'self', blobs: [{ idx: 0, kind: 'frame' }, { idx: 1, kind: 'frame' }] });
    expect(detail.body.references).toMatchObject([{ source: 'first_check', status: 'pending' }]);
    const frame = await admin.request(`/api/identity/attempts/${first}/blobs/0`);
    expect(frame.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await frame.arrayBuffer()).equals(Buffer.from(await keyframe(...WOMAN_CHECK[0])))).toBe(true);

    const decided = await admin.json(`/api/identity/reviews/${first}/decision`, { json: { decision: 'approve' } });
    expect(decided.status).toBe(200);
    expect(await certification(first)).toEqual({ status: 'approved', method: 'self' });
    expect(await t.db.all('SELECT source, status FROM reference_faces WHERE retiree_id = ?', [rid])).toEqual([{ source: 'first_check', status: 'active' }]);
    expect((await admin.json(`/api/identity/reviews/${first}/decision`, { json: { decision: 'reject', reason: 'x' } })).status).toBe(409);
    expect(await t.db.get("SELECT event FROM audit_log WHERE event = 'review_approved' AND details LIKE ?", [`%${first}%`])).toEqual({ event: 'review_approved' });
  });

  it('rejecting a first check erases its pending reference, and the retiree is due again', async () => {
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    const c = await signIn(t, DEMO.retireeOpen, 'phone-0001');
    seq = 0;
    const id = await check(c, rid, 'self', await both(MAN_CHECK));
    await queue().drain();
    const admin = await office();
    expect((await admin.json(`/api/identity/reviews/${id}/decision`, { json: { decision: 'reject', reason: '不是本人' } })).status).toBe(200);
    expect(await certification(id)).toEqual({ status: 'rejected', method: 'self' });
    expect(await t.db.get('SELECT status, length(photo) AS photo FROM reference_faces WHERE retiree_id = ?', [rid])).toEqual({ status: 'removed', photo: 0 });
    expect((await c.json('/api/me/status')).body.status.state).toBe('open');
  });

  it('a worker enrols a retiree without a reference in person: signed, the frame waits for the office, and nothing matches it before', async () => {
    const rid = await retireeId(DEMO.retireeReview.idNumber);
    const worker = await signIn(t, DEMO.worker, 'phone-worker-1');
    const workerId = (await worker.json('/api/me')).body.user.id as number;
    seq = 0;
    const roster = async () => (await worker.json<PullResponse>('/api/sync/pull', { json: { cursor: null } })).body.retirees.find((r) => r.id === rid)!;
    expect((await roster()).hasReference).toBe(false);

    // A wrong password: the claim does not count, the check is an ordinary first check.
    const forged = await check(worker, rid, 'worker', await both(WOMAN_OTHER), { password: 'not-my-password', userId: workerId });
    await queue().drain();
    expect(await t.db.get('SELECT enrolment, review_reason FROM attempts WHERE id = ?', [forged])).toEqual({ enrolment: 'invalid', review_reason: 'no_reference' });
    expect(await t.db.all('SELECT source, status FROM reference_faces WHERE retiree_id = ?', [rid])).toEqual([{ source: 'first_check', status: 'pending' }]);

    const id = await check(worker, rid, 'worker', await both(WOMAN_CHECK, 1), { password: DEMO.worker.password, userId: workerId });
    await queue().drain();
    expect(await t.db.get('SELECT enrolment, outcome, review_reason FROM attempts WHERE id = ?', [id])).toEqual({ enrolment: 'verified', outcome: 'review', review_reason: 'enrolment' });
    expect(await t.db.all("SELECT source, status FROM reference_faces WHERE retiree_id = ? AND attempt_id = ?", [rid, id])).toEqual([{ source: 'enrolment', status: 'pending' }]);
    const admin = await office();
    expect((await admin.json(`/api/identity/reviews/${id}`)).body.attempt).toMatchObject({ reviewReason: 'enrolment', enrolment: 'verified', by: { role: 'worker' } });

    // Until the office confirms it, the enrolled face certifies nobody: a worker who enrolled the
    // wrong face (or his own) cannot follow it up with a check that passes on its own.
    const early = await check(worker, rid, 'worker', await both(WOMAN_CHECK));
    await queue().drain();
    expect(await attempt(early)).toMatchObject({ outcome: 'review', review_reason: 'no_reference' });

    expect((await admin.json(`/api/identity/reviews/${id}/decision`, { json: { decision: 'approve' } })).status).toBe(200);
    expect(await t.db.all("SELECT status FROM reference_faces WHERE attempt_id = ?", [id])).toEqual([{ status: 'active' }]);
    expect((await roster()).hasReference).toBe(true);
    // The enrolment check certified the retiree; its face is what later checks are matched against.
    expect(await certification(id)).toEqual({ status: 'approved', method: 'worker' });

    // Only workers enrol.
    const retiree = await signIn(t, DEMO.retireeOpen, 'phone-0001');
    const own = await retireeId(DEMO.retireeOpen.idNumber);
    const [grant] = (await retiree.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count: 1 } })).body.challenges;
    const item = makeItem({ seq: 1, retireeId: own, method: 'self', challenge: grant, frames: 1 });
    const { body, headers } = pushBody([item]);
    const batch = JSON.parse((body as FormData).get('batch') as string);
    batch.items[0].enrolment = { signature: 's1.x.y.z.w' };
    (body as FormData).set('batch', JSON.stringify(batch));
    expect((await retiree.json<PushResponse>('/api/sync/push', { method: 'POST', body, headers })).body.results[0]).toMatchObject({ status: 'rejected', reason: 'wrong_method' });
  });

  it('rejecting an enrolment erases its reference', async () => {
    const rid = await retireeId(DEMO.retireeReview.idNumber);
    const worker = await signIn(t, DEMO.worker, 'phone-worker-1');
    const workerId = (await worker.json('/api/me')).body.user.id as number;
    seq = 0;
    const id = await check(worker, rid, 'worker', await both(WOMAN_CHECK, 1), { password: DEMO.worker.password, userId: workerId });
    await queue().drain();
    expect((await (await office()).json(`/api/identity/reviews/${id}/decision`, { json: { decision: 'reject', reason: '身份证与本人不符' } })).status).toBe(200);
    expect(await t.db.all('SELECT status FROM reference_faces WHERE retiree_id = ?', [rid])).toEqual([{ status: 'removed' }]);
  });

  it('sends key frames without a usable face to the office as no_face', async () => {
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    await addPhoto(rid, frameAt(...WOMAN));
    const c = await signIn(t, DEMO.retireeOpen, 'phone-0001');
    seq = 0;
    const grey = (level: number) => encodeKeyframe({ width: 256, height: 256, data: new Uint8Array(256 * 256 * 3).fill(level) });
    const id = await check(c, rid, 'self', [grey(90), grey(110)]);
    await queue().drain();
    expect(await attempt(id)).toMatchObject({ outcome: 'review', review_reason: 'no_face', match_decision: 'no_face' });
  });

  it('decides a job exactly once across a crash mid-match and a repeated decision', async () => {
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    await addPhoto(rid, frameAt(...WOMAN));
    const c = await signIn(t, DEMO.retireeOpen, 'phone-0001');
    seq = 0;
    const id = await check(c, rid, 'self', await both(WOMAN_CHECK));
    // A process leases the job and dies: until the lease runs out nobody else takes it…
    expect(await claimJobs(t.db, t.clock.now, 60_000, 10)).toEqual([id]);
    expect(await queue().drain()).toBe(0);
    // …after it, the next run decides it.
    t.clock.advance(60_001);
    expect(await queue().drain()).toBe(1);
    expect(await attempt(id)).toMatchObject({ outcome: 'certified' });
    // A run that had decided it too (its answer lost) changes nothing.
    const again = await recordMatch(t.db, {
      input: { attemptId: id, retireeId: rid, userId: 0, method: 'self', periodId: null, receivedOn: null, receivedAt: 0, tries: 1, enrolment: null, frames: [] },
      decision: { outcome: 'certified', reviewReason: null, certification: 'approved', reference: null },
      match: { decision: 'match', distance: 0.1, referenceId: null },
      reference: null,
      at: t.clock.now,
    });
    expect(again).toBe(false);
    expect(await t.db.get('SELECT count(*) AS n FROM certifications WHERE evidence_ref = ?', [id])).toEqual({ n: 1 });
  });

  it('retries a match that fails on the server, then hands it to the office as match_failed, never certifying', async () => {
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    await addPhoto(rid, frameAt(...WOMAN));
    const c = await signIn(t, DEMO.retireeOpen, 'phone-0001');
    seq = 0;
    const id = await check(c, rid, 'self', await both(WOMAN_CHECK));
    // The real pool, closed: every read fails as it would with the face threads gone.
    const gone = startFacePool({ size: 1 });
    await gone.close();
    const q = queue(gone, { maxTries: 2 });
    expect(await q.drain()).toBe(0);
    expect(await t.db.get('SELECT tries, last_error IS NOT NULL AS error FROM match_jobs WHERE attempt_id = ?', [id])).toEqual({ tries: 1, error: 1 });
    expect(await q.drain()).toBe(0); // waits for its retry time
    t.clock.advance(10_000);
    // The second and last try fails too.
    expect(await q.drain()).toBe(1);
    expect(await attempt(id)).toMatchObject({ outcome: 'review', review_reason: 'match_failed', match_decision: null });
    expect(await certification(id)).toEqual({ status: 'pending_review', method: 'self' });
  });

  it('takes office photos once each, refuses photos it cannot use with the reason, and removes a wrong one', async () => {
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    const admin = await office();
    const photo = frameAt(...WOMAN);
    const post = (body: Uint8Array, type = 'image/jpeg') => admin.json(`/api/identity/retirees/${rid}/references?takenOn=2019-05-01`, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers: { 'Content-Type': type } });
    const first = await post(photo);
    expect(first.status).toBe(201);
    expect(first.body.reference).toMatchObject({ source: 'office_photo', status: 'active', takenOn: '2019-05-01', addedBy: { name: expect.any(String) } });
    expect((await post(photo)).body).toMatchObject({ created: false, reference: { id: first.body.reference.id } });
    expect((await post(new TextEncoder().encode('hello'), 'text/plain')).status).toBe(415);
    const grey = encodeKeyframe({ width: 320, height: 240, data: new Uint8Array(320 * 240 * 3).fill(120) });
    expect((await post(grey)).body.error).toMatchObject({ code: 'validation_failed', details: { problem: 'no_face' } });
    expect((await post(photo.subarray(0, 200))).body.error.details).toEqual({ problem: 'unreadable' });

    const refId = first.body.reference.id;
    expect((await admin.request(`/api/identity/references/${refId}/photo`)).status).toBe(200);
    expect((await admin.json(`/api/identity/references/${refId}`, { method: 'DELETE', json: { reason: '照片不是本人' } })).status).toBe(200);
    expect((await admin.request(`/api/identity/references/${refId}/photo`)).status).toBe(404);
    expect((await admin.json(`/api/identity/retirees/${rid}/references`)).body.references).toEqual([]);
    // Only the office: a worker, a family member and the retiree get nothing.
    for (const who of [await signIn(t, DEMO.worker), await signIn(t, DEMO.family), await signIn(t, DEMO.retireeOpen)]) {
      expect((await who.json(`/api/identity/retirees/${rid}/references`)).status).toBe(403);
    }
  });
  it('holds a matching check for the office when a key frame shows two faces (issue 15)', async () => {
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    await addPhoto(rid, frameAt(...WOMAN));
    const c = await signIn(t, DEMO.retireeOpen, 'phone-0001');
    seq = 0;
    const [a, b] = await both(WOMAN_CHECK);
    // Her key frame twice, side by side: both faces are hers, so the face matches; but a second face
    // in the picture is somebody who could have done the actions.
    const img = decodeImage(a!);
    const pair: RgbImage = { width: img.width * 2, height: img.height, data: new Uint8Array(img.width * 2 * img.height * 3) };
    for (let y = 0; y < img.height; y++) {
      const row = img.data.subarray(y * img.width * 3, (y + 1) * img.width * 3);
      pair.data.set(row, y * pair.width * 3);
      pair.data.set(row, y * pair.width * 3 + img.width * 3);
    }
    const id = await check(c, rid, 'self', [encodeKeyframe(pair), b!]);
    await queue().drain();
    expect(await attempt(id)).toMatchObject({ outcome: 'review', review_reason: 'keyframe_faces', match_decision: 'match' });
    expect(await certification(id)).toEqual({ status: 'pending_review', method: 'self' });
    expect(await t.db.get("SELECT count(*) AS n FROM reference_faces WHERE attempt_id = ?", [id])).toEqual({ n: 0 });
  });

  it('holds a share of a worker’s matching checks, and all of them at an implausible pace, for the office (issue 15)', async () => {
    const open = await retireeId(DEMO.retireeOpen.idNumber);
    const review = await retireeId(DEMO.retireeReview.idNumber);
    for (const rid of [open, review]) await addPhoto(rid, frameAt(...WOMAN));
    const worker = await signIn(t, DEMO.worker, 'phone-worker-1');
    seq = 0;
    // Everything sampled: the face matches, and the office still sees it first.
    const sampled = await check(worker, open, 'worker', await both(WOMAN_CHECK));
    await queue(pool, { workerAudit: { share: 1, maxPerHour: 20 } }).drain();
    expect(await attempt(sampled)).toMatchObject({ outcome: 'review', review_reason: 'worker_sample', match_decision: 'match' });
    // The same worker's next check, one a minute later with a pace limit of one an hour.
    t.clock.advance(60_000);
    const fast = await check(worker, review, 'worker', await both(WOMAN_CHECK, 1));
    await queue(pool, { workerAudit: { share: 0, maxPerHour: 1 } }).drain();
    expect(await attempt(fast)).toMatchObject({ outcome: 'review', review_reason: 'worker_rate' });
    // An hour on, the pace is plausible again and nothing is sampled: a matching check certifies.
    await t.db.run("UPDATE certifications SET status = 'rejected' WHERE evidence_ref = ?", [fast]);
    t.clock.advance(3_600_000);
    const calm = await check(worker, review, 'worker', await both(WOMAN_CHECK));
    await queue(pool, { workerAudit: { share: 0, maxPerHour: 1 } }).drain();
    expect(await attempt(calm)).toMatchObject({ outcome: 'certified' });
  });
});

if (!HAS_SHARED) it.skip(`face match queue (skipped: ${sharedDir()}/fixtures not found; set STILLHERE_SHARED_DIR)`, () => undefined);
