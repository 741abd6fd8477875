// Home-visit requests (issue 17, decision 078) through app.request(): the retiree asks after a
// failed check (offline, through the push); the request is stored once however often it is sent,
// puts the retiree first on that community's worker's roster (pull and GET /api/roster) and on no
// other community's, and is answered by the worker's visit outcome or withdrawn by the retiree.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OfficeOverview } from '../../shared/schemas/office.ts';
import type { ChallengeGrant, PullResponse, PushResponse } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { DEMO } from '../seed/demo.ts';
import { addWorkerFixture } from '../seed/worker-fixture.ts';
import { matchInput, recordMatch } from '../store/match-jobs.ts';
import { makeItem, pushBody } from '../sync/test-helpers.ts';
import { signIn, type Client, type TestApp, createTestApp } from '../test-support.ts';
import { demoRetireeIds } from './role-clients.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoRetireeIds>>;
beforeEach(async () => {
  t = await createTestApp();
  ids = await demoRetireeIds(t);
});
afterEach(async () => t.close());

const push = (c: Client, items: unknown[]) => c.json<PushResponse>('/api/sync/push', { json: { items } });
const ask = (seq: number, retireeId: number, action: 'request' | 'withdraw' = 'request') => ({ type: 'visit_request', id: uuidv7(t.clock.now), seq, retireeId, action, deviceTime: t.clock.now - 60_000 });
const pull = async (c: Client, cursor: string | null = null) => (await c.json<PullResponse>('/api/sync/pull', { json: { cursor } })).body;
const events = async (event: string) => t.db.all<{ details: string; retiree_id: number }>('SELECT details, retiree_id FROM audit_log WHERE event = ? ORDER BY id', [event]);
const retireePhone = () => signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'phone-retiree-open1');

describe('home-visit requests', () => {
  it('is stored once even when pushed twice, and puts the retiree first on the worker roster', async () => {
    const worker = await signIn(t, DEMO.worker, 'phone-worker-0001');
    const before = await pull(worker);
    expect(before.retirees.find((r) => r.id === ids.open)!.visitRequest).toBeNull();

    const retiree = await retireePhone();
    const item = ask(1, ids.open);
    const first = await push(retiree, [item]);
    expect(first.body.results).toEqual([{ id: item.id, seq: 1, status: 'accepted', outcome: { kind: 'visit_requested', requestedAt: t.clock.now } }]);
    expect(first.body.lastSeq).toBe(1);
    // The answer was lost on the way: the phone sends it again, and again in the same request.
    const again = await push(retiree, [item, item]);
    expect(again.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(again.body.results[0]).toMatchObject({ outcome: { kind: 'visit_requested', requestedAt: t.clock.now } });
    expect((await t.db.get<{ n: number }>('SELECT count(*) AS n FROM visit_requests'))!.n).toBe(1);
    expect(await events('visit_requested')).toHaveLength(1);

    // The worker's next pull (incremental) carries it; the roster lists this retiree first.
    const inc = await pull(worker, before.cursor);
    expect(inc.full).toBe(false);
    expect(inc.retirees.find((r) => r.id === ids.open)!.visitRequest).toEqual({ requestedAt: t.clock.now });
    const roster = await worker.json<{ retirees: { id: number; visitRequest?: unknown }[] }>('/api/roster?limit=50');
    expect(roster.body.retirees[0]).toMatchObject({ id: ids.open, visitRequest: { requestedAt: t.clock.now } });
    expect(roster.body.retirees.slice(1).every((r) => !r.visitRequest)).toBe(true);
  });

  it('one open request per retiree: asking again says since when, and stores no second one', async () => {
    const retiree = await retireePhone();
    const asked = t.clock.now;
    await push(retiree, [ask(1, ids.open)]);
    t.clock.advance(3_600_000);
    // The retiree's own phone again, and the linked family member's phone.
    expect((await push(retiree, [ask(2, ids.open)])).body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'visit_request_already_open', requestedAt: asked } });
    const family = await signIn(t, DEMO.family, 'phone-family-demo1');
    expect((await push(family, [ask(1, ids.open)])).body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'visit_request_already_open', requestedAt: asked } });
    expect((await t.db.get<{ n: number }>("SELECT count(*) AS n FROM visit_requests WHERE state = 'open'"))!.n).toBe(1);
    expect(await events('visit_requested')).toHaveLength(1);
  });

  it('does not appear on another community worker roster, and only the retiree or family may ask', async () => {
    const other = await addWorkerFixture(t.db, createPasswordHasher(10), t.clock.now, { username: 'li.ming', password: 'li-ming-2026', displayName: '李明', communityName: '东风社区', count: 2, offset: 100 });
    const otherWorker = await signIn(t, { username: other.username, password: other.password }, 'phone-worker-other1');
    const otherBefore = await pull(otherWorker);
    await push(await retireePhone(), [ask(1, ids.open)]);
    const after = await pull(otherWorker, otherBefore.cursor);
    expect(after.retirees.some((r) => r.id === ids.open || r.visitRequest)).toBe(false);
    const list = await otherWorker.json<{ retirees: { id: number; visitRequest?: unknown }[] }>('/api/roster?limit=50');
    expect(list.body.retirees.map((r) => r.id)).not.toContain(ids.open);
    expect(list.body.retirees.every((r) => !r.visitRequest)).toBe(true);

    // A worker records visits, not requests; a retiree asks only for themselves.
    expect((await push(otherWorker, [ask(1, other.retirees[0]!.id)])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'wrong_method' });
    expect((await push(await retireePhone(), [ask(2, ids.certified)])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'no_access' });
  });

  it('is cleared when the worker records a visit outcome for the retiree', async () => {
    await push(await retireePhone(), [ask(1, ids.open)]);
    const worker = await signIn(t, DEMO.worker, 'phone-worker-0001');
    const before = await pull(worker);
    expect(before.retirees.find((r) => r.id === ids.open)!.visitRequest).not.toBeNull();
    // The office sees it on the retiree's record, until it is answered.
    const record = async () => {
      // Signed in each time: an office session ends after a while without use.
      const office = await signIn(t, DEMO.admin);
      const res = await office.json<{ status: { visitRequest: unknown } }>(`/api/office/retiree/${ids.open}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.status.visitRequest;
    };
    expect(await record()).toEqual({ requestedAt: t.clock.now });
    t.clock.advance(3_600_000);
    const visit = { type: 'outcome', id: uuidv7(t.clock.now), seq: 1, retireeId: ids.open, kind: 'not_home', deviceTime: t.clock.now };
    expect((await push(worker, [visit])).body.results[0]).toMatchObject({ status: 'accepted' });
    const after = await pull(worker);
    expect(after.retirees.find((r) => r.id === ids.open)!.visitRequest).toBeNull();
    expect(await t.db.get('SELECT state, closed_by, closed_ref FROM visit_requests')).toEqual({ state: 'closed', closed_by: 'visit', closed_ref: visit.id });
    expect(JSON.parse((await events('visit_request_closed'))[0]!.details)).toMatchObject({ by: 'visit', record: visit.id });
    expect(await record()).toBeNull();
    // Closed: the retiree may ask again, and that is a new request.
    expect((await push(await retireePhone(), [ask(2, ids.open)])).body.results[0]).toMatchObject({ outcome: { kind: 'visit_requested' } });
  });

  it('the retiree withdraws it: off the roster, audited; a second withdrawal finds nothing open', async () => {
    const retiree = await retireePhone();
    await push(retiree, [ask(1, ids.open)]);
    expect((await push(retiree, [ask(2, ids.open, 'withdraw')])).body.results[0]).toMatchObject({ outcome: { kind: 'visit_request_withdrawn' } });
    expect((await push(retiree, [ask(3, ids.open, 'withdraw')])).body.results[0]).toMatchObject({ outcome: { kind: 'visit_request_none_open' } });
    const worker = await signIn(t, DEMO.worker, 'phone-worker-0001');
    expect((await pull(worker)).retirees.find((r) => r.id === ids.open)!.visitRequest).toBeNull();
    expect(await events('visit_request_withdrawn')).toHaveLength(1);
  });

  // A certified retiree needs no visit: their own check or a family member's that certifies answers
  // the request, as a worker's check does (decision 089); a check still waiting for the office does not.
  const challenge = async (c: Client) => (await c.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count: 1 } })).body.challenges[0]!;
  const pushCheck = async (c: Client, method: 'self' | 'family', seq: number) => {
    const item = makeItem({ seq, retireeId: ids.open, method, challenge: await challenge(c), frames: 2 });
    const { body, headers } = pushBody([item]);
    const res = await c.json<PushResponse>('/api/sync/push', { method: 'POST', body, headers });
    expect(res.body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'verifying' } });
    return item.id;
  };
  /** What the face match queue writes for its decision (server/identity/match-queue.ts), without the model. */
  const matched = async (attemptId: string, decision: 'certified' | 'review') =>
    recordMatch(t.db, {
      input: (await matchInput(t.db, attemptId))!,
      decision:
        decision === 'certified'
          ? { outcome: 'certified', reviewReason: null, certification: 'approved', reference: null }
          : { outcome: 'review', reviewReason: 'face_uncertain', certification: 'pending_review', reference: null },
      match: { decision: decision === 'certified' ? 'match' : 'uncertain', distance: 0.3, referenceId: null },
      reference: null,
      at: t.clock.now,
    });
  const openRequest = async (worker: Client) => (await pull(worker)).retirees.find((r) => r.id === ids.open)!.visitRequest;

  it("is answered when the retiree's own later check is certified: off the worker's roster and the office's count", async () => {
    const retiree = await retireePhone();
    await push(retiree, [ask(1, ids.open)]);
    const worker = await signIn(t, DEMO.worker, 'phone-worker-0001');
    expect(await openRequest(worker)).not.toBeNull();
    const where = (await t.db.get<{ community: number; region: number }>('SELECT r.community_id AS community, c.region_id AS region FROM retirees r JOIN communities c ON c.id = r.community_id WHERE r.id = ?', [ids.open]))!;
    // The office's overview counts it, in total and for the retiree's community.
    const overview = async () => {
      const office = await signIn(t, DEMO.admin);
      const res = await office.json<OfficeOverview>('/api/office/overview');
      expect(res.status, t.logs.join('\n')).toBe(200);
      const region = res.body.regions.find((r) => r.region.id === where.region)!;
      return { total: region.totals.visitRequests, byCommunity: region.communities.filter((c) => c.visitRequests).map((c) => [c.id, c.visitRequests]) };
    };
    expect(await overview()).toEqual({ total: 1, byCommunity: [[where.community, 1]] });
    // The count links to the retiree list filtered to them.
    const listed = async () => {
      const res = await (await signIn(t, DEMO.admin)).json<{ items: { id: number }[] }>('/api/office/retirees?visitRequest=1');
      expect(res.status, t.logs.join('\n')).toBe(200);
      return res.body.items.map((r) => r.id);
    };
    expect(await listed()).toEqual([ids.open]);

    t.clock.advance(3_600_000);
    const check = await pushCheck(retiree, 'self', 2);
    // Sent, not certified yet: the worker may still have to come.
    expect(await openRequest(worker)).not.toBeNull();
    expect(await matched(check, 'certified')).toBe(true);
    expect(await openRequest(worker)).toBeNull();
    const roster = await worker.json<{ retirees: { id: number; visitRequest?: unknown }[] }>('/api/roster?limit=50');
    expect(roster.body.retirees.every((r) => !r.visitRequest)).toBe(true);
    expect(await t.db.get('SELECT state, closed_by, closed_ref FROM visit_requests')).toEqual({ state: 'closed', closed_by: 'check', closed_ref: check });
    expect(JSON.parse((await events('visit_request_closed'))[0]!.details)).toMatchObject({ by: 'check', record: check, certified: true });
    expect(await overview()).toEqual({ total: 0, byCommunity: [] });
    expect(await listed()).toEqual([]);
  });

  it('is answered when the office approves a family check it reviewed, not while the check waits for it', async () => {
    await push(await retireePhone(), [ask(1, ids.open)]);
    const worker = await signIn(t, DEMO.worker, 'phone-worker-0001');
    const family = await signIn(t, DEMO.family, 'phone-family-0001');
    const check = await pushCheck(family, 'family', 1);
    expect(await matched(check, 'review')).toBe(true);
    expect(await openRequest(worker)).not.toBeNull();
    expect((await t.db.get<{ state: string }>('SELECT state FROM visit_requests'))!.state).toBe('open');

    const office = await signIn(t, DEMO.admin);
    const res = await office.json(`/api/identity/reviews/${check}/decision`, { json: { decision: 'approve' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await openRequest(worker)).toBeNull();
    expect(await t.db.get('SELECT state, closed_by, closed_ref FROM visit_requests')).toEqual({ state: 'closed', closed_by: 'check', closed_ref: check });
  });
});
