// The office console's API (issue 16): who may read it, that an office sees only its own region,
// that the overview's counts are the certification rules' states of the real retirees (counted in
// SQL, never decided a second way), and the one review queue of reports and checks, oldest first.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { certificationStatus } from '../../shared/certification-rules.ts';
import { addDays } from '../../shared/dates.ts';
import type { OfficeOverview, OfficeQueue, StatusCounts } from '../../shared/schemas/office.ts';
import { signatureBinding, sealSignature } from '../../shared/signature.ts';
import { syntheticJpeg } from '../../shared/sync-fixtures.ts';
import type { ChallengeGrant, PullResponse, PushResponse, SignatureKey } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { DEMO } from '../seed/demo.ts';
import { addWorkerFixture, type WorkerFixture } from '../seed/worker-fixture.ts';
import { emptyCounts, tally } from '../store/office-overview.ts';
import { periodsOfRegion, setPeriod } from '../store/regions.ts';
import { retireeById } from '../store/retirees.ts';
import { retireeStatus } from '../store/status.ts';
import { createStaffUser } from '../store/users.ts';
import { makeItem, pushBody } from '../sync/test-helpers.ts';
import { client, createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';
import { REVIEW_ANSWER_WORKING_DAYS } from '../../shared/certification-rules.ts';

let t: TestApp;
let fx: WorkerFixture;
let admin: Client;
let worker: Client;
const WORKER_DEVICE = 'phone-office-test-w1';

beforeEach(async () => {
  t = await createTestApp();
  fx = await addWorkerFixture(t.db, createPasswordHasher(10), t.clock.now, { username: 'wang.fang', password: 'wang-fang-2026', displayName: '王芳', communityName: '和平社区', count: 6 });
  admin = await signIn(t, DEMO.admin);
  worker = await signIn(t, { username: fx.username, password: fx.password }, WORKER_DEVICE);
});
afterEach(async () => t.close());

const retireeIdOf = async (idNumber: string) => (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;
/** The seed's one report in the queue: the worker's attestation for bedridden 赵德明, three days old. */
const seededReport = async () => (await t.db.get<{ id: string }>('SELECT o.id FROM visit_outcomes o JOIN retirees r ON r.id = o.retiree_id WHERE r.id_number = ?', [DEMO.retireeReview.idNumber]))!.id;
const sha256 = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');

async function push(c: Client, items: ReturnType<typeof makeItem>[]): Promise<PushResponse> {
  const { body, headers } = pushBody(items);
  const res = await c.json<PushResponse>('/api/sync/push', { method: 'POST', body, headers });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function challenges(c: Client, count: number): Promise<ChallengeGrant[]> {
  return (await c.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count } })).body.challenges;
}

/** A signed home-visit attestation pushed the way the worker's phone sends it. */
async function attest(retireeId: number, seq: number): Promise<string> {
  const key = (await worker.json<PullResponse>('/api/sync/pull', { json: { cursor: null } })).body.signatureKey as SignatureKey;
  const id = uuidv7();
  const photo = syntheticJpeg(256, 256, 12_000, seq);
  const signature = await sealSignature(key, fx.password, signatureBinding({ id, retireeId, userId: fx.workerId, photoSha256: sha256(photo) }));
  const wire = { type: 'outcome', id, seq, retireeId, kind: 'cannot_check', reason: 'bedridden', signature, note: '卧床三年', deviceTime: t.clock.now - 60_000, blobs: [{ part: 'p0', kind: 'frame', type: 'image/jpeg', bytes: photo.length, sha256: sha256(photo) }] };
  const form = new FormData();
  form.set('batch', JSON.stringify({ items: [wire] }));
  form.set('p0', new Blob([photo as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), 'p0');
  const res = await worker.json<PushResponse>('/api/sync/push', { method: 'POST', body: form });
  expect(res.body.results[0], JSON.stringify(res.body)).toMatchObject({ status: 'accepted' });
  return id;
}

/** A passed check with no challenge token: stored, and sent to the office as `no_token`. */
async function tokenlessCheck(c: Client, retireeId: number, method: 'self' | 'family' | 'worker', seq: number): Promise<string> {
  const item = makeItem({ seq, retireeId, method, frames: 2 });
  expect((await push(c, [item])).results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'review', reviewReason: 'no_token' } });
  return item.id;
}

const certify = (retireeId: number, method: string, status = 'approved') =>
  t.db.run(
    `INSERT INTO certifications (retiree_id, period_id, status, method, certified_on, certified_at, evidence_ref, created_at)
     SELECT ?, p.id, ?, ?, '2026-11-20', ?, 'test', ? FROM certification_periods p JOIN regions g ON g.id = p.region_id
      WHERE g.code = '110199' ORDER BY p.self_start DESC LIMIT 1`,
    [retireeId, status, method, t.clock.now, t.clock.now],
  );

/** What the rules say of each retiree on the rolls of the region, one by one as /api/me/status does, counted. */
async function countedOneByOne(regionCode: string): Promise<{ totals: StatusCounts; byCommunity: Map<number, StatusCounts> }> {
  const rows = await t.db.all<{ id: number; community_id: number }>(
    `SELECT r.id, r.community_id FROM retirees r JOIN communities c ON c.id = r.community_id JOIN regions g ON g.id = c.region_id
      WHERE g.code = ? AND r.enrolment NOT IN ('deceased', 'moved', 'stopped')`,
    [regionCode],
  );
  const totals = emptyCounts();
  const byCommunity = new Map<number, StatusCounts>();
  for (const r of rows) {
    const { status } = await retireeStatus(t.db, (await retireeById(t.db, r.id))!, t.clock.now);
    tally(totals, status, 1);
    if (!byCommunity.has(r.community_id)) byCommunity.set(r.community_id, emptyCounts());
    tally(byCommunity.get(r.community_id)!, status, 1);
  }
  return { totals, byCommunity };
}

const withoutQueue = ({ queue: _queue, ...counts }: StatusCounts) => counts;

async function overview(c: Client = admin): Promise<OfficeOverview> {
  const res = await c.json<OfficeOverview>('/api/office/overview');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function expectSameAsRules(): Promise<OfficeOverview> {
  const body = await overview();
  expect(body.regions.map((r) => r.region.code)).toEqual(['110199']);
  const [region] = body.regions;
  const one = await countedOneByOne('110199');
  expect(withoutQueue(region!.totals)).toEqual(withoutQueue(one.totals));
  for (const { id, name, ...community } of region!.communities) {
    expect(withoutQueue(community), name).toEqual(withoutQueue(one.byCommunity.get(id) ?? emptyCounts()));
  }
  // The chart's running total ends on the number certified.
  expect(region!.daily.reduce((sum, d) => sum + d.certified, 0)).toBe(region!.totals.certifiedTotal);
  return body;
}

describe('who may use the office API', () => {
  it('answers 401 signed out and 403 to retirees, family members and workers, on every route', async () => {
    const others: [string, Client][] = [
      ['anonymous', client(t)],
      ['retiree', await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin })],
      ['family', await signIn(t, DEMO.family)],
      ['worker', worker],
    ];
    for (const path of ['/api/office/overview', '/api/office/queue', '/api/office/queue?reason=cannot_check']) {
      for (const [who, c] of others) {
        const res = await c.json(path);
        expect(res.status, `${who} ${path}`).toBe(who === 'anonymous' ? 401 : 403);
        expect(JSON.stringify(res.body), `${who} ${path}`).not.toContain('和平社区');
      }
      expect((await admin.json(path)).status, path).toBe(200);
    }
  });

  it('rejects a malformed filter with 400', async () => {
    for (const q of ['reason=nope', 'community=abc', 'after=yesterday', 'limit=0', 'limit=5000', 'extra=1']) {
      expect((await admin.json(`/api/office/queue?${q}`)).status, q).toBe(400);
    }
  });
});

describe('an office sees only its own region', () => {
  it('region A’s office sees nothing of region B, in the overview or the queue, and B’s nothing of A', async () => {
    const rA = fx.retirees[0]!.id;
    const reportA = await attest(rA, 1);
    const suspended = await signIn(t, { idNumber: DEMO.retireeSuspended.idNumber, pin: DEMO.retireeSuspended.pin }, 'phone-office-test-r2');
    const attemptB = await tokenlessCheck(suspended, await retireeIdOf(DEMO.retireeSuspended.idNumber), 'self', 1);
    await createStaffUser(t.db, createPasswordHasher(10), { role: 'admin', username: 'county.office', password: 'county-office-2026', displayName: '县社保 吴敏', regionCode: '130199' }, t.clock.now);
    const adminB = await signIn(t, { username: 'county.office', password: 'county-office-2026' });

    const a = await overview(admin);
    expect(a.regions.map((r) => r.region.code)).toEqual(['110199']);
    expect(a.regions[0]!.communities.map((c) => c.name).sort()).toEqual(['和平社区', '幸福里社区']);
    expect(JSON.stringify(a)).not.toContain('东村');
    const b = await overview(adminB);
    expect(b.regions.map((r) => r.region.code)).toEqual(['130199']);
    expect(b.regions[0]!.communities.map((c) => c.name)).toEqual(['东村']);
    expect(b.regions[0]!.totals).toMatchObject({ retirees: 1, suspended: 1, certifiedTotal: 0, queue: 1 });
    expect(JSON.stringify(b)).not.toContain('幸福里');

    const qa = (await admin.json<OfficeQueue>('/api/office/queue')).body;
    expect(qa.items.map((i) => i.id)).toEqual([await seededReport(), reportA]);
    expect(qa.byCommunity.map((c) => c.name).sort()).toEqual(['和平社区', '幸福里社区']);
    const qb = (await adminB.json<OfficeQueue>('/api/office/queue')).body;
    expect(qb.items.map((i) => i.id)).toEqual([attemptB]);
    expect(qb.byReason).toEqual({ no_token: 1 });
    // A community of the other region as a filter finds nothing either.
    const dongcun = (await t.db.get<{ id: number }>("SELECT id FROM communities WHERE name = '东村'"))!.id;
    expect((await admin.json<OfficeQueue>(`/api/office/queue?community=${dongcun}`)).body.items).toEqual([]);

    // An office over every region (no region of its own) sees both.
    await t.db.run("UPDATE users SET region_id = NULL WHERE username = 'county.office'");
    const all = await signIn(t, { username: 'county.office', password: 'county-office-2026' });
    expect((await overview(all)).regions.map((r) => r.region.code)).toEqual(['110199', '130199']);
    expect((await all.json<OfficeQueue>('/api/office/queue')).body.items.map((i) => i.id)).toEqual([await seededReport(), reportA, attemptB]);
  });
});

describe('the overview', () => {
  it('counts each state as the certification rules decide it for every retiree, per community and in total, before and after the deadline', async () => {
    const [r0, r1, r2, r3, r4, r5] = fx.retirees.map((r) => r.id) as [number, number, number, number, number, number];
    await certify(r0, 'family');
    await certify(r1, 'worker');
    await certify(r2, 'on_site');
    // A worker's passed check with a valid token: waits for its face match.
    const [grant] = await challenges(worker, 1);
    expect((await push(worker, [makeItem({ seq: 1, retireeId: r3, method: 'worker', challenge: grant, frames: 2 })])).results[0]).toMatchObject({ outcome: { kind: 'verifying' } });
    // A signed attestation: under review, and in the queue.
    await attest(r4, 2);
    // A death the office approved takes r5 off the rolls.
    await t.db.run("UPDATE retirees SET enrolment = 'deceased' WHERE id = ?", [r5]);
    // Somebody whose pension began after this period's deadline: the period does not apply to them.
    const [current] = (await periodsOfRegion(t.db, 1)).slice(-1);
    await t.db.run("UPDATE retirees SET enrolled_on = ? WHERE id_number = ?", [addDays(current!.deadline, 10), DEMO.retireeNew.idNumber]);
    // The demo retiree's own check without a token: in the queue, but no certification waits: still due.
    const retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'phone-office-test-r1');
    await tokenlessCheck(retiree, await retireeIdOf(DEMO.retireeOpen.idNumber), 'self', 1);

    const body = await expectSameAsRules();
    const region = body.regions[0]!;
    // …and the numbers themselves, worked out by hand from the seed and the setup above.
    expect(region.totals).toEqual({
      retirees: 9,
      certified: { self: 1, family: 1, worker: 1, home_visit: 0, on_site: 1 },
      certifiedTotal: 4,
      underReview: 2,
      verifying: 1,
      due: 1,
      overdue: 0,
      suspended: 0,
      notOpen: 1,
      queue: 3,
      // No home visit asked for in the seed or above.
      visitRequests: 0,
    });
    const heping = region.communities.find((c) => c.name === '和平社区')!;
    expect(heping).toMatchObject({ retirees: 5, certifiedTotal: 3, underReview: 1, verifying: 1, due: 0, queue: 1 });
    expect(region.period).toMatchObject({ year: current!.year, deadline: current!.deadline });
    expect(region.uncertified).toEqual(certificationStatus({ periods: await periodsOfRegion(t.db, 1), certifications: [], today: region.today }));
    expect(region.uncertified.state).toBe('open');
    expect(region.daily[0]!.on).toBe(current!.selfStart);
    expect(region.daily.at(-1)!.on).toBe(region.today);
    expect(region.daily.find((d) => d.on === '2026-11-20')!.certified).toBe(3);

    // A month more between the deadline and the suspension, then past both.
    await setPeriod(t.db, { regionCode: '110199', year: current!.year, selfStart: current!.selfStart, selfEnd: current!.selfEnd, onsiteStart: current!.onsiteStart, onsiteEnd: current!.onsiteEnd, deadline: current!.deadline, suspensionDate: addDays(current!.deadline, 30) });
    t.clock.now = Date.parse(`${addDays(current!.deadline, 2)}T04:00:00Z`);
    admin = await signIn(t, DEMO.admin); // the clerk's session has long timed out
    const overdue = (await expectSameAsRules()).regions[0]!;
    expect(overdue.uncertified.state).toBe('overdue');
    expect(overdue.totals).toMatchObject({ due: 0, overdue: 1, suspended: 0, certifiedTotal: 4 });
    t.clock.now = Date.parse(`${addDays(current!.deadline, 31)}T04:00:00Z`);
    admin = await signIn(t, DEMO.admin);
    const suspended = (await expectSameAsRules()).regions[0]!;
    expect(suspended.uncertified.state).toBe('suspended');
    expect(suspended.totals).toMatchObject({ due: 0, overdue: 0, suspended: 1 });
  });
});

describe('the review queue', () => {
  it('lists reports and doubtful checks together, oldest first, with filters, pages and masked ID numbers; decided items leave it', async () => {
    const [r0, r1, r2] = fx.retirees.map((r) => r.id) as [number, number, number];
    const first = await attest(r0, 1);
    t.clock.advance(60_000);
    const second = await tokenlessCheck(worker, r1, 'worker', 2);
    t.clock.advance(60_000);
    const third = await attest(r2, 3);
    t.clock.advance(60_000);
    const retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'phone-office-test-r1');
    const fourth = await tokenlessCheck(retiree, await retireeIdOf(DEMO.retireeOpen.idNumber), 'self', 1);

    const seeded = await seededReport();
    const all = (await admin.json<OfficeQueue>('/api/office/queue')).body;
    expect(all.items.map((i) => [i.id, i.type, i.reason])).toEqual([
      [seeded, 'report', 'cannot_check'],
      [first, 'report', 'cannot_check'],
      [second, 'attempt', 'no_token'],
      [third, 'report', 'cannot_check'],
      [fourth, 'attempt', 'no_token'],
    ]);
    expect(all.more).toBe(false);
    expect(all.byReason).toEqual({ cannot_check: 3, no_token: 2 });
    expect(all.byCommunity).toEqual([
      { id: fx.communityId, name: '和平社区', waiting: 3 },
      { id: expect.any(Number), name: '幸福里社区', waiting: 2 },
    ]);
    expect(all.thresholds).toEqual({ match: 0.45, mismatch: 0.6 });
    const item = all.items[1]!;
    expect(item.by).toEqual({ id: fx.workerId, name: '王芳', role: 'worker' });
    expect(item.retiree).toMatchObject({ id: r0, communityId: fx.communityId, communityName: '和平社区' });
    expect(item.retiree.idNumber).toBe(`${fx.retirees[0]!.idNumber.slice(0, 4)}**********${fx.retirees[0]!.idNumber.slice(14)}`);

    expect((await admin.json<OfficeQueue>('/api/office/queue?reason=no_token')).body.items.map((i) => i.id)).toEqual([second, fourth]);
    expect((await admin.json<OfficeQueue>(`/api/office/queue?community=${fx.communityId}`)).body.items.map((i) => i.id)).toEqual([first, second, third]);
    expect((await admin.json<OfficeQueue>(`/api/office/queue?community=${fx.communityId}&reason=cannot_check`)).body.items.map((i) => i.id)).toEqual([first, third]);

    const page1 = (await admin.json<OfficeQueue>('/api/office/queue?limit=4')).body;
    expect(page1.items.map((i) => i.id)).toEqual([seeded, first, second, third]);
    expect(page1.more).toBe(true);
    const page2 = (await admin.json<OfficeQueue>(`/api/office/queue?limit=4&after=${encodeURIComponent(page1.items.at(-1)!.cursor)}`)).body;
    expect(page2.items.map((i) => i.id)).toEqual([fourth]);
    expect(page2.more).toBe(false);

    // Decided through the routes that own the decisions: gone from the queue and its counts.
    expect((await admin.json(`/api/reviews/${first}/decision`, { json: { decision: 'approve' } })).status).toBe(200);
    expect((await admin.json(`/api/identity/reviews/${second}/decision`, { json: { decision: 'reject', reason: '没有认证码，请上门复核' } })).status).toBe(200);
    const after = (await admin.json<OfficeQueue>('/api/office/queue')).body;
    expect(after.items.map((i) => i.id)).toEqual([seeded, third, fourth]);
    expect(after.byReason).toEqual({ cannot_check: 2, no_token: 1 });
    expect((await overview()).regions[0]!.totals.queue).toBe(3);
  });

  it('holds the office to what the phone promised: an item is late once REVIEW_ANSWER_WORKING_DAYS working days have passed', async () => {
    expect(REVIEW_ANSWER_WORKING_DAYS).toBe(5);
    // Received on Sunday 22 November 2026 (Beijing): five working days run Monday to Friday the 27th.
    const id = await attest(fx.retirees[0]!.id, 1);
    const item = async () => (await admin.json<OfficeQueue>('/api/office/queue')).body.items.find((i) => i.id === id)!;
    expect(await item()).toMatchObject({ answerBy: '2026-11-27', late: false });
    t.clock.advance(5 * 86_400_000); // Friday the 27th: due today, not late
    admin = await signIn(t, DEMO.admin); // the clerk's session has long timed out
    expect(await item()).toMatchObject({ answerBy: '2026-11-27', late: false });
    t.clock.advance(86_400_000); // Saturday the 28th
    admin = await signIn(t, DEMO.admin);
    expect(await item()).toMatchObject({ answerBy: '2026-11-27', late: true });
  });
});
