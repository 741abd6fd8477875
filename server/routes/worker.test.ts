// Community worker mode on the server (issue 6): roster scoping (list, id, search, pull, push),
// visit outcomes through the idempotent push (not at home, signed attestation, deceased, moved),
// the office's review queue and what its decisions change, and incremental roster removal.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signatureBinding, sealSignature } from '../../shared/signature.ts';
import { syntheticJpeg } from '../../shared/sync-fixtures.ts';
import type { PullResponse, PushResponse, SignatureKey } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { createServices } from '../app.ts';
import { DEMO } from '../seed/demo.ts';
import { addWorkerFixture, type WorkerFixture } from '../seed/worker-fixture.ts';
import { makeItem, pushBody } from '../sync/test-helpers.ts';
import { decideReview } from '../store/visits.ts';
import { createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { createStaffUser } from '../store/users.ts';

let t: TestApp;
let a: WorkerFixture;
let b: WorkerFixture;
let workerA: Client;
let workerB: Client;
let admin: Client;
const DEVICE_A = 'phone-worker-a-01';
const DEVICE_B = 'phone-worker-b-01';

beforeEach(async () => {
  t = await createTestApp();
  const passwords = createPasswordHasher(10);
  a = await addWorkerFixture(t.db, passwords, t.clock.now, { username: 'wang.fang', password: 'wang-fang-2026', displayName: '王芳', communityName: '和平社区', count: 6 });
  b = await addWorkerFixture(t.db, passwords, t.clock.now, { username: 'li.ming', password: 'li-ming-2026', displayName: '李明', communityName: '东风社区', count: 4, offset: 100 });
  workerA = await signIn(t, { username: a.username, password: a.password }, DEVICE_A);
  workerB = await signIn(t, { username: b.username, password: b.password }, DEVICE_B);
  admin = await signIn(t, DEMO.admin);
});
afterEach(async () => t.close());

async function pull(c: Client, cursor: string | null = null): Promise<PullResponse> {
  const res = await c.json<PullResponse>('/api/sync/pull', { json: { cursor } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

interface Outcome {
  id?: string;
  seq: number;
  retireeId: number;
  kind: 'not_home' | 'cannot_check' | 'deceased' | 'moved';
  [k: string]: unknown;
}

/** A push the way the phone sends visit outcomes: JSON, or multipart when there is a photo. */
async function pushOutcomes(c: Client, items: (Outcome & { photo?: Uint8Array })[]): Promise<{ status: number; body: PushResponse }> {
  const files: [string, Uint8Array][] = [];
  const wire = items.map(({ photo, ...o }) => {
    const blobs = photo ? [{ part: `p${files.length}`, kind: 'frame', type: 'image/jpeg', bytes: photo.length, sha256: sha256(photo) }] : [];
    if (photo) files.push([`p${files.length}`, photo]);
    return { type: 'outcome', id: o.id ?? uuidv7(), deviceTime: t.clock.now - 60_000, note: '', blobs, ...o };
  });
  if (!files.length) return c.json<PushResponse>('/api/sync/push', { json: { items: wire } });
  const form = new FormData();
  form.set('batch', JSON.stringify({ items: wire }));
  for (const [name, data] of files) form.set(name, new Blob([data as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), name);
  return c.json<PushResponse>('/api/sync/push', { method: 'POST', body: form });
}

const sha256 = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');

/** An attestation as the phone makes it: photo, reason, and the password sealed to the server's key. */
async function attestation(key: SignatureKey, fx: WorkerFixture, retireeId: number, seq: number, password = fx.password) {
  const id = uuidv7();
  const photo = syntheticJpeg(256, 256, 12_000, seq);
  const signature = await sealSignature(key, password, signatureBinding({ id, retireeId, userId: fx.workerId, photoSha256: sha256(photo) }));
  return { id, seq, retireeId, kind: 'cannot_check' as const, reason: 'bedridden', signature, note: '卧床三年', photo };
}

const statusOf = async (c: Client, retireeId: number) => (await c.json(`/api/retirees/${retireeId}/status`)).body.status.state as string;

describe('roster scoping', () => {
  it('a worker lists, searches and opens only their own communities’ retirees', async () => {
    const list = await workerA.json('/api/roster');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(6);
    expect(list.body.retirees.map((r: { id: number }) => r.id).sort()).toEqual(a.retirees.map((r) => r.id).sort());

    const other = b.retirees[0]!;
    // By name, by the last digits of the ID number, by address: nothing of worker B's.
    for (const q of [other.name, other.idNumber.slice(-6), '东风社区']) {
      const res = await workerA.json(`/api/roster?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.body.retirees.map((r: { id: number }) => r.id)).not.toContain(other.id);
    }
    expect((await workerA.json('/api/roster?q=%E4%B8%9C%E9%A3%8E%E7%A4%BE%E5%8C%BA')).body.total).toBe(0);
    // …while their own are found the same three ways.
    const own = a.retirees[2]!;
    for (const q of [own.name.slice(1), own.idNumber.slice(-4), own.address.split(' ').slice(1, 3).join('')]) {
      const res = await workerA.json(`/api/roster?q=${encodeURIComponent(q)}`);
      expect(res.body.retirees.map((r: { id: number }) => r.id), q).toContain(own.id);
    }

    // By id: 404, exactly as for an id that does not exist.
    const byId = await workerA.json(`/api/roster/${other.id}`);
    expect(byId.status).toBe(404);
    expect(byId.body.error.code).toBe('not_found');
    expect((await workerA.json(`/api/retirees/${other.id}`)).status).toBe(404);
    expect((await workerA.json(`/api/roster/${a.retirees[0]!.id}`)).status).toBe(200);

    // The offline roster (pull) has the same scope.
    const pulled = await pull(workerA);
    expect(pulled.retirees.map((r) => r.id).sort()).toEqual(a.retirees.map((r) => r.id).sort());
    expect(pulled.retirees[0]).toMatchObject({ address: expect.any(String), phone: expect.any(String), lastVisit: null });
    expect(pulled.signatureKey).toMatchObject({ kid: expect.any(String), spki: expect.any(String) });
  });

  it('a worker cannot submit anything for another worker’s retiree', async () => {
    const other = b.retirees[0]!;
    const [grant] = (await workerA.json('/api/sync/challenges', { json: { count: 1 } })).body.challenges;
    const attempt = makeItem({ seq: 1, retireeId: other.id, method: 'worker', challenge: grant });
    const { body, headers } = pushBody([attempt]);
    const res = await workerA.json<PushResponse>('/api/sync/push', { method: 'POST', body, headers });
    expect(res.body.results[0]).toMatchObject({ status: 'rejected', reason: 'no_access' });

    const key = (await pull(workerA)).signatureKey!;
    const outcomes = await pushOutcomes(workerA, [
      { seq: 2, retireeId: other.id, kind: 'not_home' },
      await attestation(key, a, other.id, 3),
      { seq: 4, retireeId: other.id, kind: 'deceased', source: '邻居' },
    ]);
    expect(outcomes.body.results.map((r) => r.status === 'rejected' && r.reason)).toEqual(['no_access', 'no_access', 'no_access']);
    expect((await t.db.get<{ n: number }>('SELECT count(*) AS n FROM visit_outcomes WHERE retiree_id = ?', [other.id]))!.n).toBe(0);
    expect(await statusOf(workerB, other.id)).toBe('open');
  });

  it('only workers record visit outcomes, and the roster API is for workers only', async () => {
    const family = await signIn(t, DEMO.family, 'phone-family-001');
    const rid = (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
    const res = await pushOutcomes(family, [{ seq: 1, retireeId: rid, kind: 'not_home' }]);
    expect(res.body.results[0]).toMatchObject({ status: 'rejected', reason: 'wrong_method' });
    expect((await family.json('/api/roster')).status).toBe(403);
    expect((await admin.json('/api/roster')).status).toBe(403);
  });
});

describe('assisted face checks', () => {
  it('a passed check with the worker’s token goes to the face match, attributed to the worker', async () => {
    const r = a.retirees[0]!;
    const [grant] = (await workerA.json('/api/sync/challenges', { json: { count: 1 } })).body.challenges;
    const item = makeItem({ seq: 1, retireeId: r.id, method: 'worker', challenge: grant, frames: 2 });
    const { body, headers } = pushBody([item]);
    const res = await workerA.json<PushResponse>('/api/sync/push', { method: 'POST', body, headers });
    // Whose face it is, the server decides (server/identity/match-queue.test.ts certifies with real faces).
    expect(res.body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'verifying' } });
    expect(await t.db.get('SELECT method, user_id FROM attempts WHERE id = ?', [item.id])).toEqual({ method: 'worker', user_id: a.workerId });
    expect(await statusOf(workerA, r.id)).toBe('verifying');
    // The retiree page shows it, from the server, to this worker only.
    const page = await workerA.json(`/api/roster/${r.id}`);
    expect(page.body.history.map((h: { type: string }) => h.type)).toEqual(['attempt']);
    expect((await workerB.json(`/api/roster/${r.id}`)).status).toBe(404);
    // Filters on the server list agree with the phone's.
    expect((await workerA.json('/api/roster?filter=certified')).body.retirees).toEqual([]);
    expect((await workerA.json('/api/roster?filter=due')).body.total).toBe(5);
    expect((await workerA.json('/api/roster?filter=nonsense')).status).toBe(400);
  });
});

describe('visit outcomes through the idempotent push', () => {
  it('stores each kind once, with the worker’s attribution, and answers a retry with the same result', async () => {
    const key = (await pull(workerA)).signatureKey!;
    const [r1, r2, r3, r4] = a.retirees;
    const notHome = { id: uuidv7(), seq: 1, retireeId: r1!.id, kind: 'not_home' as const, note: '邻居说去女儿家了', location: { lat: 39.9, lon: 116.4, accuracyM: 25, at: t.clock.now } };
    const attest = await attestation(key, a, r2!.id, 2);
    const dead = { id: uuidv7(), seq: 3, retireeId: r3!.id, kind: 'deceased' as const, deceasedOn: '2026-10-30', source: '家属 (女儿)' };
    const moved = { id: uuidv7(), seq: 4, retireeId: r4!.id, kind: 'moved' as const, newAddress: '河北省保定市 东风路 8 号' };

    const first = await pushOutcomes(workerA, [notHome, dead, moved]);
    expect(first.status).toBe(200);
    const withPhoto = await pushOutcomes(workerA, [attest]);
    expect(first.body.results.map((r) => r.status === 'accepted' && r.outcome)).toEqual([
      { kind: 'recorded' },
      { kind: 'pending_review', periodId: expect.any(Number) },
      { kind: 'pending_review', periodId: expect.any(Number) },
    ]);
    expect(withPhoto.body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'pending_review' } });
    expect(withPhoto.body.lastSeq).toBe(4);

    // Retries (a lost answer) change nothing and get the same answer.
    const again = await pushOutcomes(workerA, [notHome, dead, moved]);
    expect(again.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(again.body.results.map((r) => r.status !== 'rejected' && r.outcome)).toEqual(first.body.results.map((r) => r.status !== 'rejected' && r.outcome));
    expect((await pushOutcomes(workerA, [attest])).body.results[0]).toMatchObject({ status: 'duplicate', outcome: { kind: 'pending_review' } });
    // The same id from another worker is a conflict, not a second row.
    expect((await pushOutcomes(workerB, [{ ...notHome, retireeId: b.retirees[0]!.id }])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'id_conflict' });

    const rows = await t.db.all<{ kind: string; user_id: number; device_id: string; review: string | null; signature: string | null; photo_bytes: number | null; latitude: number | null }>(
      'SELECT kind, user_id, device_id, review, signature, photo_bytes, latitude FROM visit_outcomes WHERE user_id = ? ORDER BY seq',
      [a.workerId],
    );
    expect(rows).toEqual([
      { kind: 'not_home', user_id: a.workerId, device_id: DEVICE_A, review: null, signature: null, photo_bytes: null, latitude: 39.9 },
      { kind: 'cannot_check', user_id: a.workerId, device_id: DEVICE_A, review: 'pending', signature: 'verified', photo_bytes: 12_000, latitude: null },
      { kind: 'deceased', user_id: a.workerId, device_id: DEVICE_A, review: 'pending', signature: null, photo_bytes: null, latitude: null },
      { kind: 'moved', user_id: a.workerId, device_id: DEVICE_A, review: 'pending', signature: null, photo_bytes: null, latitude: null },
    ]);
    // The signed attestation: "certified by home visit, awaiting office approval".
    expect(await statusOf(workerA, r2!.id)).toBe('under_review');
    expect(await t.db.get("SELECT status, method, recorded_by FROM certifications WHERE evidence_ref = ?", [attest.id])).toEqual({ status: 'pending_review', method: 'home_visit', recorded_by: a.workerId });
    // Not at home, death and move reports change no status by themselves.
    for (const r of [r1!, r3!, r4!]) expect(await statusOf(workerA, r.id)).toBe('open');
    // The roster shows the last visit, for the revisit list and "visited today".
    const roster = await pull(workerA);
    expect(roster.retirees.find((r) => r.id === r1!.id)?.lastVisit).toMatchObject({ kind: 'not_home', byName: '王芳', review: null });
    // The password is never stored, only whether it matched.
    const dump = JSON.stringify(await t.db.all('SELECT * FROM visit_outcomes'));
    expect(dump).not.toContain(a.password);
  });

  it('an attestation whose password does not match is kept for the office but certifies nothing', async () => {
    const key = (await pull(workerA)).signatureKey!;
    const r = a.retirees[0]!;
    const wrong = await attestation(key, a, r.id, 1, 'not-my-password');
    const res = await pushOutcomes(workerA, [wrong]);
    expect(res.body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'signature_invalid' } });
    expect(await statusOf(workerA, r.id)).toBe('open');
    expect(await t.db.get('SELECT count(*) AS n FROM certifications WHERE evidence_ref = ?', [wrong.id])).toEqual({ n: 0 });
    // A failed signature counts like a failed sign-in, against the budget of the phone it came from (decision 051).
    expect(await t.db.all("SELECT failures FROM login_throttle WHERE key LIKE 'user:wang.fang#%'")).toEqual([{ failures: 1 }]);

    // A signature copied onto another record does not verify either (it is bound to the record).
    const good = await attestation(key, a, a.retirees[1]!.id, 2);
    const copied = { ...(await attestation(key, a, a.retirees[2]!.id, 3)), signature: good.signature };
    const both = await pushOutcomes(workerA, [good]);
    const other = await pushOutcomes(workerA, [copied]);
    expect(both.body.results[0]).toMatchObject({ outcome: { kind: 'pending_review' } });
    expect(other.body.results[0]).toMatchObject({ outcome: { kind: 'signature_invalid' } });

    // The office cannot approve an unsigned attestation.
    const decision = await admin.json(`/api/reviews/${wrong.id}/decision`, { json: { decision: 'approve' } });
    expect(decision.status).toBe(409);
  });

  it('rejects malformed outcomes item by item, with a reason', async () => {
    const r = a.retirees[0]!;
    const res = await pushOutcomes(workerA, [
      { seq: 1, retireeId: r.id, kind: 'cannot_check', reason: 'bedridden' }, // no photo, no signature
      { seq: 2, retireeId: r.id, kind: 'deceased' }, // no source
      { seq: 3, retireeId: r.id, kind: 'not_home', newAddress: 'x' }, // field of another kind
      { seq: 4, retireeId: r.id, kind: 'not_home' },
    ]);
    expect(res.body.results.map((x) => (x.status === 'rejected' ? x.reason : x.status))).toEqual(['invalid', 'invalid', 'invalid', 'accepted']);
  });
});

describe('the office review queue', () => {
  async function reports() {
    const key = (await pull(workerA)).signatureKey!;
    const [r1, r2, r3, r4] = a.retirees;
    const attest = await attestation(key, a, r1!.id, 1);
    const dead = { id: uuidv7(), seq: 2, retireeId: r2!.id, kind: 'deceased' as const, deceasedOn: null, source: '村委会' };
    const moved = { id: uuidv7(), seq: 3, retireeId: r3!.id, kind: 'moved' as const, newAddress: '天津市 和平区 1 号' };
    const attest2 = await attestation(key, a, r4!.id, 4);
    await pushOutcomes(workerA, [attest]);
    await pushOutcomes(workerA, [dead, moved]);
    await pushOutcomes(workerA, [attest2]);
    return { attest, dead, moved, attest2, r1: r1!, r2: r2!, r3: r3!, r4: r4! };
  }

  it('lists pending reports of the office’s region, with the photo, to the office only', async () => {
    const { attest } = await reports();
    const list = await admin.json('/api/reviews');
    expect(list.status).toBe(200);
    expect(list.body.reports.map((r: { kind: string }) => r.kind).sort()).toEqual(['cannot_check', 'cannot_check', 'cannot_check', 'deceased', 'moved']); // with the seed's attestation for 赵德明
    const item = list.body.reports.find((r: { id: string }) => r.id === attest.id);
    expect(item).toMatchObject({ kind: 'cannot_check', reason: 'bedridden', signature: 'verified', worker: { id: a.workerId, name: '王芳' }, review: 'pending', photoBytes: 12_000 });
    const photo = await admin.request(`/api/reviews/${attest.id}/photo`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await photo.arrayBuffer())).toEqual(attest.photo);
    expect((await admin.json('/api/reviews?kind=deceased')).body.reports).toHaveLength(1);
    expect((await admin.json('/api/reviews?status=bogus')).status).toBe(400);

    for (const c of [workerA, workerB]) {
      expect((await c.json('/api/reviews')).status).toBe(403);
      expect((await c.request(`/api/reviews/${attest.id}/photo`)).status).toBe(403);
    }
  });

  it('a worker can never approve their own attestation (nor anyone decide on their own report)', async () => {
    const { attest } = await reports();
    const res = await workerA.json(`/api/reviews/${attest.id}/decision`, { json: { decision: 'approve' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    // Even with office rights, the person who recorded a report cannot decide on it.
    const services = createServices({ db: t.db, config: t.config, now: () => t.clock.now });
    const asOffice = { id: a.workerId, role: 'admin' as const, displayName: '王芳', retireeId: null, regionId: null };
    await expect(decideReview(services.db, asOffice, attest.id, { decision: 'approve' }, t.clock.now, '127.0.0.1')).rejects.toMatchObject({ status: 403 });
    expect(await statusOf(workerA, a.retirees[0]!.id)).toBe('under_review');
  });

  it('approve / reject change the certification status, the enrolment and the audit log; the roster follows', async () => {
    const { attest, dead, moved, attest2, r1, r2, r3, r4 } = await reports();
    const before = await pull(workerA);

    const ok = await admin.json(`/api/reviews/${attest.id}/decision`, { json: { decision: 'approve' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ review: 'approved', decidedBy: expect.any(Number) });
    expect(await statusOf(workerA, r1.id)).toBe('certified');
    expect((await admin.json(`/api/reviews/${attest.id}/decision`, { json: { decision: 'reject', reason: 'x' } })).status).toBe(409);

    const no = await admin.json(`/api/reviews/${attest2.id}/decision`, { json: { decision: 'reject', reason: '照片看不清，请重新上门' } });
    expect(no.body).toMatchObject({ review: 'rejected', decisionReason: '照片看不清，请重新上门' });
    expect(await statusOf(workerA, r4.id)).toBe('open');
    expect((await admin.json(`/api/reviews/${attest2.id}/decision`, { json: { decision: 'reject' } })).status).toBe(400);

    expect((await admin.json(`/api/reviews/${dead.id}/decision`, { json: { decision: 'approve' } })).status).toBe(200);
    expect((await admin.json(`/api/reviews/${moved.id}/decision`, { json: { decision: 'approve' } })).status).toBe(200);
    expect(await t.db.get('SELECT enrolment FROM retirees WHERE id = ?', [r2.id])).toEqual({ enrolment: 'deceased' });
    expect(await t.db.get('SELECT enrolment, address FROM retirees WHERE id = ?', [r3.id])).toEqual({ enrolment: 'moved', address: '天津市 和平区 1 号' });

    const events = await t.db.all<{ event: string; subject: string }>("SELECT event, subject FROM audit_log WHERE event LIKE 'review_%' ORDER BY id");
    expect(events).toEqual([
      { event: 'review_approved', subject: `retiree:${r1.id}` },
      { event: 'review_rejected', subject: `retiree:${r4.id}` },
      { event: 'review_approved', subject: `retiree:${r2.id}` },
      { event: 'review_approved', subject: `retiree:${r3.id}` },
    ]);

    // The worker's next pull is incremental: the two decided attestations change, the deceased and
    // the moved retiree leave the rounds.
    const after = await pull(workerA, before.cursor);
    expect(after.full).toBe(false);
    expect(after.removed.sort()).toEqual([r2.id, r3.id].sort());
    expect(after.retirees.map((r) => [r.id, r.status.state]).sort()).toEqual([[r1.id, 'certified'], [r4.id, 'open']].sort());
    expect((await workerA.json(`/api/roster/${r2.id}`)).status).toBe(404);
  });

  it('an office of another region sees none of it', async () => {
    const { attest } = await reports();
    const passwords = createPasswordHasher(10);
    await createStaffUser(t.db, passwords, { role: 'admin', username: 'county.admin', password: 'county-admin-2026', displayName: '县社保', regionCode: '130199' }, t.clock.now);
    const county = await signIn(t, { username: 'county.admin', password: 'county-admin-2026' });
    expect((await county.json('/api/reviews')).body.reports).toEqual([]);
    expect((await county.json(`/api/reviews/${attest.id}`)).status).toBe(404);
    expect((await county.json(`/api/reviews/${attest.id}/decision`, { json: { decision: 'approve' } })).status).toBe(404);
  });
});

describe('incremental roster membership', () => {
  it('adds a newly assigned community and removes a retiree who moved away, without a full pull', async () => {
    const first = await pull(workerA);
    expect(first.full).toBe(true);
    // Worker A is also given worker B's community: its retirees arrive incrementally.
    await t.db.run('INSERT INTO worker_assignments (user_id, community_id, created_at) VALUES (?, ?, ?)', [a.workerId, b.communityId, t.clock.now]);
    const joined = await pull(workerA, first.cursor);
    expect(joined.full).toBe(false);
    expect(joined.retirees.map((r) => r.id).sort()).toEqual(b.retirees.map((r) => r.id).sort());
    // A retiree of A's own community is moved to a community A does not cover: removed.
    const leaving = a.retirees[5]!;
    const elsewhere = (await t.db.get<{ id: number }>("SELECT id FROM communities WHERE name LIKE '东村%'"))!.id;
    await t.db.run('UPDATE retirees SET community_id = ? WHERE id = ?', [elsewhere, leaving.id]);
    const moved = await pull(workerA, joined.cursor);
    expect(moved).toMatchObject({ full: false, removed: [leaving.id], retirees: [] });
    // Worker B never hears about A's retirees, not even as removals.
    const bFirst = await pull(workerB);
    await t.db.run('UPDATE retirees SET community_id = ? WHERE id = ?', [elsewhere, a.retirees[4]!.id]);
    expect(await pull(workerB, bFirst.cursor)).toMatchObject({ full: false, removed: [], retirees: [] });
    // Leaving a community is a full pull (rare; the whole roster is re-sent).
    await t.db.run('DELETE FROM worker_assignments WHERE user_id = ? AND community_id = ?', [a.workerId, b.communityId]);
    const left = await pull(workerA, moved.cursor);
    expect(left.full).toBe(true);
    expect(left.retirees.map((r) => r.id)).not.toContain(b.retirees[0]!.id);
  });
});
