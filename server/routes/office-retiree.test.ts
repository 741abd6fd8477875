// The office's retiree page API (issue 16, decision 057): who may read a retiree's whole record (an
// office of the retiree's region, nobody else: other roles 403, other regions and unknown ids 404),
// what each section holds from data put there the way phones and clerks put it, the paging of the long
// sections, the audit of the view (once per clerk and retiree an hour), and the evidence endpoint
// serving the read-digits recording in ranges as <audio> asks for it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONSENT_NOTICE_VERSION } from '../../shared/schemas/consent.ts';
import type { AuditEntryView } from '../../shared/schemas/office-audit.ts';
import type { AttemptEntry, Page, RetireeRecord, VisitEntry } from '../../shared/schemas/office-retiree.ts';
import { syntheticJpeg } from '../../shared/sync-fixtures.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { attestation, checkWithEvidence, push, retireeIdOf } from '../retention/test-evidence.ts';
import { DEMO } from '../seed/demo.ts';
import { audit } from '../store/audit.ts';
import { VIEW_AUDIT_WINDOW_MS } from '../store/office-retiree.ts';
import { addReference } from '../store/reference-faces.ts';
import { retireeById } from '../store/retirees.ts';
import { retireeStatus } from '../store/status.ts';
import { createStaffUser } from '../store/users.ts';
import { client, createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';
import { createPasswordHasher } from '../auth/password.ts';

let t: TestApp;
let admin: Client;
let open: number;

beforeEach(async () => {
  t = await createTestApp();
  admin = await signIn(t, DEMO.admin);
  open = await retireeIdOf(t, DEMO.retireeOpen.idNumber);
});
afterEach(async () => t.close());

const record = async (id: number, c: Client = admin) => {
  const res = await c.json<RetireeRecord>(`/api/office/retiree/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

const views = async (id: number) => (await t.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE event = 'retiree_viewed' AND subject = ?", [`retiree:${id}`]))!.n;

/** An office account for the demo county (130199), which holds only 陈淑珍. */
async function countyClerk(): Promise<Client> {
  await createStaffUser(t.db, createPasswordHasher(10), { role: 'admin', username: 'county.clerk', password: 'county-clerk-2026', displayName: '县社保 李明', regionCode: '130199' }, t.clock.now);
  return signIn(t, { username: 'county.clerk', password: 'county-clerk-2026' });
}

describe('who may read a retiree’s record', () => {
  const paths = (id: number) => [`/api/office/retiree/${id}`, `/api/office/retiree/${id}/attempts`, `/api/office/retiree/${id}/visits`, `/api/office/retiree/${id}/audit`];

  it('answers 401 signed out and 403 to the retiree, a family member and a worker, on every route', async () => {
    const others: [string, Client][] = [
      ['anonymous', client(t)],
      ['retiree', await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin })],
      ['family', await signIn(t, DEMO.family)],
      ['worker', await signIn(t, DEMO.worker)],
    ];
    for (const path of paths(open)) {
      for (const [who, c] of others) {
        const res = await c.json(path);
        expect(res.status, `${who} ${path}`).toBe(who === 'anonymous' ? 401 : 403);
        expect(JSON.stringify(res.body), `${who} ${path}`).not.toContain(DEMO.retireeOpen.name);
      }
      expect((await admin.json(path)).status, path).toBe(200);
    }
    expect(await views(open)).toBe(1);
  });

  it('answers 404 for a retiree of another region, as for one that does not exist, and notes no view', async () => {
    const county = await countyClerk();
    const suspended = await retireeIdOf(t, DEMO.retireeSuspended.idNumber);
    for (const path of paths(open)) {
      const res = await county.json(path);
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain(DEMO.retireeOpen.name);
    }
    for (const path of paths(suspended)) expect((await admin.json(path)).status, path).toBe(404);
    for (const path of paths(999_999)) expect((await admin.json(path)).status, path).toBe(404);
    expect((await admin.json('/api/office/retiree/abc')).status).toBe(404);
    expect((await county.json<RetireeRecord>(`/api/office/retiree/${suspended}`)).body.retiree.name).toBe(DEMO.retireeSuspended.name);
    expect(await views(open)).toBe(0);
  });

  it('rejects a malformed page query with 400, before anything is read', async () => {
    for (const q of ['limit=0', 'limit=101', 'before=abc', 'sort=name']) {
      const res = await admin.json(`/api/office/retiree/${open}/attempts?${q}`);
      expect(res.status, q).toBe(400);
    }
    expect(await views(open)).toBe(0);
  });
});

describe('what the record holds', () => {
  it('has the profile from the retiree and their ID number, the account, and the status the rules give today', async () => {
    const body = await record(open);
    expect(body.retiree).toMatchObject({
      id: open,
      name: DEMO.retireeOpen.name,
      idNumber: DEMO.retireeOpen.idNumber,
      birthDate: '1949-03-12',
      sex: 'female',
      pensionCategory: 'urban_employee',
      address: '幸福里 3 号楼 2 单元 401',
      enrolment: 'active',
      enrolmentSince: { on: '2010-01-01' },
      community: { name: '幸福里社区' },
    });
    // 2026-11-22 in Beijing: 77 years after 1949-03-12.
    expect(body.retiree.age).toBe(77);
    expect(body.account).toMatchObject({ exists: true, activated: true, disabled: false });
    const retiree = (await retireeById(t.db, open))!;
    expect(body.status.state).toEqual((await retireeStatus(t.db, retiree, t.clock.now)).status);
    expect(body.status.waiting).toEqual([]);
    expect(body.thresholds.match).toBeLessThan(body.thresholds.mismatch);
    // The demo family member is the retiree's daughter.
    expect(body.family).toEqual([expect.objectContaining({ relation: 'daughter', user: expect.objectContaining({ name: '张小红', role: 'family', username: 'family.demo' }) })]);
    expect(body.certifications.map((c) => [c.status, c.method])).toEqual([['approved', 'self']]);
  });

  it('says since when a retiree is off the rolls, and that a retiree without an account has none yet', async () => {
    const fresh = await retireeIdOf(t, DEMO.retireeNew.idNumber);
    const body = await record(fresh);
    expect(body.account).toMatchObject({ exists: false, activated: false, lastSignInAt: null });
    expect(body.account.activationCode).toMatchObject({ usedAt: null });
    await t.db.run("UPDATE retirees SET enrolment = 'deceased', updated_at = ? WHERE id = ?", [t.clock.now, fresh]);
    expect((await record(fresh)).retiree).toMatchObject({ enrolment: 'deceased', enrolmentSince: { at: t.clock.now } });
  });

  it('shows an attempt with its key frames, audio, steps and review reason; a visit with its photo; a reference face; a consent; and the audit trail', async () => {
    const worker = await signIn(t, DEMO.worker, 'office-retiree-worker-phone');
    // A worker's check without a challenge token: stored with two key frames and the recording, sent to the office.
    const check = checkWithEvidence(1, open, 'passed', 7, null, 'worker');
    expect((await push(worker, [check]))[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'review', reviewReason: 'no_token' } });
    const visit = await attestation(t, worker, open, 2, 40);
    const retireeUser = (await t.db.get<{ id: number }>('SELECT id FROM users WHERE retiree_id = ?', [open]))!.id;
    const ref = await addReference(t.db, {
      retireeId: open,
      source: 'office_photo',
      status: 'active',
      descriptor: new Float32Array(128).fill(0.1),
      photo: syntheticJpeg(240, 320, 8_000, 99),
      photoType: 'image/jpeg',
      sha256: 'a'.repeat(64),
      width: 240,
      height: 320,
      addedBy: null,
      at: t.clock.now - 86_400_000,
      takenOn: '2024-05-01',
    });
    await t.db.run('INSERT INTO consents (id, retiree_id, user_id, choice, notice_version, decided_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      uuidv7(),
      open,
      retireeUser,
      'face',
      CONSENT_NOTICE_VERSION,
      t.clock.now - 7_200_000,
      t.clock.now - 3_600_000,
    ]);
    // A sign-in of the retiree's own account, and a wrong PIN typed for it.
    await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'retiree-own-phone');
    expect((await client(t).json('/api/auth/sign-in/retiree', { json: { idNumber: DEMO.retireeOpen.idNumber, pin: '000000' } })).status).toBe(401);

    const body = await record(open);
    expect(body.status.waiting.map((w) => [w.type, w.id, w.reason])).toEqual([
      ['attempt', check.id, 'no_token'],
      ['report', visit.id, 'cannot_check'],
    ]);
    // A pending home-visit certification: the rules say "under review".
    expect(body.status.state).toMatchObject({ state: 'under_review', method: 'home_visit' });

    expect(body.attempts.total).toBe(1);
    const [a] = body.attempts.items as [AttemptEntry];
    expect(a).toMatchObject({
      id: check.id,
      method: 'worker',
      by: { name: '刘芳', role: 'worker' },
      device: { id: 'office-retiree-worker-phone' },
      verdict: 'passed',
      outcome: 'review',
      reviewReason: 'no_token',
      decision: null,
    });
    expect(a.liveness.steps.length).toBeGreaterThan(0);
    expect(a.liveness.steps.every((s) => s.passed)).toBe(true);
    expect(a.blobs.map((b) => [b.idx, b.kind, b.type])).toEqual([
      [0, 'frame', 'image/jpeg'],
      [1, 'frame', 'image/jpeg'],
      [2, 'audio', 'audio/ogg;codecs=opus'],
    ]);
    expect(a.blobs[2]!.durationMs).toBe(3_000);

    expect(body.visits.items).toEqual([
      expect.objectContaining({ id: visit.id, kind: 'cannot_check', reason: 'bedridden', note: '卧床', signature: 'verified', review: 'pending', worker: expect.objectContaining({ name: '刘芳' }), photo: expect.objectContaining({ bytes: visit.photo.length }) }),
    ]);
    expect(body.certifications.map((c) => [c.status, c.method, c.evidenceRef])).toContainEqual(['pending_review', 'home_visit', visit.id]);

    expect(body.references).toEqual([expect.objectContaining({ id: ref.id, source: 'office_photo', status: 'active', takenOn: '2024-05-01' })]);
    expect(body.consents).toEqual([expect.objectContaining({ choice: 'face', noticeVersion: CONSENT_NOTICE_VERSION, by: expect.objectContaining({ role: 'retiree' }) })]);

    const events = body.audit.items.map((e) => [e.event, e.subject]);
    expect(events).toContainEqual(['retiree_viewed', `retiree:${open}`]);
    expect(events).toContainEqual(['sign_in', null]);
    expect(events).toContainEqual(['sign_in_failed', `retiree:${DEMO.retireeOpen.idNumber}`]);
    expect(body.audit.total).toBe(body.audit.items.length);
    // Nothing about another retiree.
    expect(JSON.stringify(body.audit)).not.toContain(DEMO.retireeCertified.name);

    // The evidence the page shows comes from the existing endpoints, for this office.
    expect((await admin.request(`/api/identity/attempts/${check.id}/blobs/0`)).headers.get('content-type')).toBe('image/jpeg');
    expect((await admin.request(`/api/reviews/${visit.id}/photo`)).status).toBe(200);
    expect((await admin.request(`/api/identity/references/${ref.id}/photo`)).status).toBe(200);
  });

  it('records a decided check with who decided, when and why', async () => {
    const worker = await signIn(t, DEMO.worker, 'office-retiree-worker-phone');
    const check = checkWithEvidence(1, open, 'passed', 11, null, 'worker');
    await push(worker, [check]);
    const decided = await admin.json(`/api/identity/reviews/${check.id}/decision`, { json: { decision: 'reject', reason: '画面不清楚，请到窗口办理' } });
    expect(decided.status).toBe(200);
    const body = await record(open);
    expect(body.attempts.items[0]!.decision).toMatchObject({ decision: 'rejected', by: { name: '周强', role: 'admin' }, reason: '画面不清楚，请到窗口办理' });
    expect(body.status.waiting).toEqual([]);
    expect(body.audit.items.map((e) => e.event)).toContain('review_rejected');
  });
});

describe('the long sections, a page at a time', () => {
  async function all<T>(path: string, limit: number): Promise<T[]> {
    const seen: T[] = [];
    let next: string | null = null;
    do {
      const res: { status: number; body: Page<T> } = await admin.json<Page<T>>(`${path}?limit=${limit}${next ? `&before=${encodeURIComponent(next)}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...res.body.items);
      next = res.body.next;
    } while (next);
    return seen;
  }

  it('pages attempts, visits and the audit trail newest first, each entry once, with the total', async () => {
    const retireeUser = (await t.db.get<{ id: number }>('SELECT id FROM users WHERE retiree_id = ?', [open]))!.id;
    // Some attempts arrive in the same millisecond: the cursor tells them apart.
    for (let i = 0; i < 45; i++) {
      await t.db.run(
        `INSERT INTO attempts (id, retiree_id, user_id, device_id, seq, method, verdict, outcome, device_time, received_at, result)
         VALUES (?, ?, ?, 'phone-a', ?, 'self', 'failed', 'not_passed', ?, ?, '{"steps":[],"restarts":[],"reason":"face_changed"}')`,
        [uuidv7(), open, retireeUser, i + 1, t.clock.now, t.clock.now - Math.floor(i / 3) * 1000],
      );
    }
    const worker = (await t.db.get<{ id: number }>("SELECT id FROM users WHERE username = 'worker.demo'"))!.id;
    for (let i = 0; i < 23; i++) {
      await t.db.run(
        `INSERT INTO visit_outcomes (id, retiree_id, user_id, device_id, seq, kind, received_on, answer, device_time, received_at)
         VALUES (?, ?, ?, 'phone-w', ?, 'not_home', '2026-11-20', '{}', ?, ?)`,
        [uuidv7(), open, worker, i + 1, t.clock.now, t.clock.now - Math.floor(i / 2) * 1000],
      );
    }
    for (let i = 0; i < 30; i++) await audit(t.db, t.clock.now + i, { event: i % 2 ? 'sign_in' : 'pin_changed', userId: retireeUser });
    for (let i = 0; i < 30; i++) await audit(t.db, t.clock.now + i, { event: 'reference_added', subject: `retiree:${open}` });
    // Entries of someone else: never on this page.
    const other = await retireeIdOf(t, DEMO.retireeCertified.idNumber);
    for (let i = 0; i < 5; i++) await audit(t.db, t.clock.now + i, { event: 'reference_added', subject: `retiree:${other}` });

    const base = `/api/office/retiree/${open}`;
    const attempts = await all<AttemptEntry>(`${base}/attempts`, 10);
    expect(attempts).toHaveLength(45);
    expect(new Set(attempts.map((a) => a.id)).size).toBe(45);
    expect(attempts.map((a) => a.receivedAt)).toEqual([...attempts.map((a) => a.receivedAt)].sort((x, y) => y - x));
    expect(attempts[0]!.liveness.reason).toBe('face_changed');

    const visits = await all<VisitEntry>(`${base}/visits`, 7);
    expect(visits).toHaveLength(23);
    expect(new Set(visits.map((v) => v.id)).size).toBe(23);

    const trail = await all<AuditEntryView>(`${base}/audit`, 8);
    expect(new Set(trail.map((e) => e.id)).size).toBe(trail.length);
    const newestFirst = (x: AuditEntryView, y: AuditEntryView) => y.at - x.at || y.id - x.id;
    expect(trail.map((e) => e.id)).toEqual([...trail].sort(newestFirst).map((e) => e.id));
    expect(trail.filter((e) => e.event === 'reference_added')).toHaveLength(30);
    expect(trail.filter((e) => e.event === 'sign_in' || e.event === 'pin_changed')).toHaveLength(30);
    expect(trail.some((e) => e.subject === `retiree:${other}`)).toBe(false);
    const first = (await record(open)).audit;
    expect(first.total).toBe(trail.length);
    expect(first.items).toHaveLength(20);
  });
});

describe('the view in the audit log', () => {
  it('notes a clerk’s reading once an hour per retiree, whatever they page through, and again after', async () => {
    await record(open);
    await admin.json(`/api/office/retiree/${open}/attempts`);
    await admin.json(`/api/office/retiree/${open}/audit`);
    expect(await views(open)).toBe(1);
    const certified = await retireeIdOf(t, DEMO.retireeCertified.idNumber);
    await record(certified);
    expect(await views(certified)).toBe(1);
    // The office's session ends after a while idle; the clerk signs in again, as at the desk.
    t.clock.advance(VIEW_AUDIT_WINDOW_MS - 1);
    admin = await signIn(t, DEMO.admin);
    await record(open);
    expect(await views(open)).toBe(1);
    t.clock.advance(2);
    await record(open);
    expect(await views(open)).toBe(2);
    const row = await t.db.get<{ user_id: number; ip: string | null }>("SELECT user_id, ip FROM audit_log WHERE event = 'retiree_viewed' ORDER BY id DESC LIMIT 1");
    expect(row!.user_id).toBe((await admin.json('/api/me')).body.user.id);
  });
});

describe('the recording, as <audio> asks for it', () => {
  it('answers a range with 206 and the audio type, the whole with Accept-Ranges, and past the end 416', async () => {
    const worker = await signIn(t, DEMO.worker, 'office-retiree-worker-phone');
    const check = checkWithEvidence(1, open, 'passed', 21, null, 'worker');
    await push(worker, [check]);
    const audio = check.blobs[2]!.data;
    const path = `/api/identity/attempts/${check.id}/blobs/2`;

    const whole = await admin.request(path);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/ogg;codecs=opus');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(audio);

    const start = await admin.request(path, { headers: { Range: 'bytes=0-' } });
    expect(start.status).toBe(206);
    expect(start.headers.get('content-range')).toBe(`bytes 0-${audio.length - 1}/${audio.length}`);
    expect(new Uint8Array(await start.arrayBuffer())).toEqual(audio);

    const middle = await admin.request(path, { headers: { Range: 'bytes=100-199' } });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 100-199/${audio.length}`);
    expect(new Uint8Array(await middle.arrayBuffer())).toEqual(audio.subarray(100, 200));

    const tail = await admin.request(path, { headers: { Range: 'bytes=-10' } });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(audio.subarray(audio.length - 10));

    const past = await admin.request(path, { headers: { Range: `bytes=${audio.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${audio.length}`);
    expect((await past.json()).error.code).toBe('bad_request');

    // Another office's clerk gets nothing of it, ranges or not.
    const county = await countyClerk();
    expect((await county.request(path, { headers: { Range: 'bytes=0-' } })).status).toBe(404);
    expect((await (await signIn(t, DEMO.family)).request(path, { headers: { Range: 'bytes=0-' } })).status).toBe(403);
  });
});
