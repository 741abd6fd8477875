// Family service on the server (issue 19): sign-up and its limits, link requests that reveal
// nothing, approval by the retiree, a worker of the retiree's community or the office (online, and
// offline through the push), ending a link by each party, and that nobody sees a retiree they are
// not linked to. Every role goes through app.request().
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LinkSync } from '../../shared/schemas/family.ts';
import type { PullResponse, PushResponse } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { DEMO } from '../seed/demo.ts';
import { addWorkerFixture } from '../seed/worker-fixture.ts';
import { client, createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';
import { clientsByRole, demoRetireeIds, type Actor } from './role-clients.ts';

let t: TestApp;
let as: Record<Actor, Client>;
let ids: Awaited<ReturnType<typeof demoRetireeIds>>;

const SON = { displayName: '王小明', phone: '13800138000', username: 'wang.xiaoming', password: 'xiaoming-2026-pw' };
// The demo retiree who has no family member yet: the new son asks to help him.
const FATHER = { idNumber: DEMO.retireeCertified.idNumber, name: DEMO.retireeCertified.name };

beforeEach(async () => {
  t = await createTestApp();
  as = await clientsByRole(t);
  ids = await demoRetireeIds(t);
});
afterEach(async () => t.close());

async function signUp(body: Record<string, unknown> = SON, deviceId = 'phone-son-0001'): Promise<{ status: number; body: any; c: Client }> {
  const c = client(t);
  const res = await c.json('/api/family/sign-up', { json: { ...body, deviceId } });
  return { ...res, c };
}

async function son(): Promise<Client> {
  const r = await signUp();
  expect(r.status).toBe(200);
  return r.c;
}

const request = (c: Client, body: Record<string, unknown>) => c.json('/api/family/requests', { json: body });
const links = async (c: Client) => (await c.json<LinkSync>('/api/family/links')).body;
const auditEvents = async (event: string) => t.db.all<{ user_id: number; retiree_id: number | null; details: string }>('SELECT user_id, retiree_id, details FROM audit_log WHERE event = ? ORDER BY id', [event]);

describe('sign-up', () => {
  it('makes a family account and signs it in; the audit log has it', async () => {
    const r = await signUp();
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ role: 'family', displayName: SON.displayName });
    expect(r.body.retirees).toEqual([]);
    const row = await t.db.get<{ role: string; phone: string; region_id: number | null }>('SELECT role, phone, region_id FROM users WHERE username = ?', [SON.username]);
    expect(row).toEqual({ role: 'family', phone: SON.phone, region_id: null });
    expect(await auditEvents('family_signed_up')).toHaveLength(1);
    // The password works for signing in again.
    await signIn(t, { username: SON.username, password: SON.password });
  });

  it('refuses a taken username, a bad phone, a short password, and says which', async () => {
    await son();
    const taken = await signUp({ ...SON, displayName: '别人' }, 'phone-other-001');
    expect(taken.status).toBe(409);
    expect(taken.body.error.details.reason).toBe('username_taken');
    const demoTaken = await signUp({ ...SON, username: DEMO.family.username }, 'phone-other-002');
    expect(demoTaken.status).toBe(409);
    for (const bad of [{ phone: '12345' }, { password: 'short' }, { displayName: '1' }, { username: 'A B' }]) {
      const r = await signUp({ ...SON, username: 'someone.else', ...bad }, 'phone-other-003');
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
    }
  });

  it('takes a few sign-ups an hour from one address, then says when to try again', async () => {
    for (let i = 0; i < 5; i++) expect((await signUp({ ...SON, username: `relative.${i}` }, `phone-many-00${i}`)).status).toBe(200);
    const sixth = await signUp({ ...SON, username: 'relative.5' }, 'phone-many-005');
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe('rate_limited');
    expect(sixth.body.error.details.retryAt).toBe(t.clock.now + 60 * 60_000);
    expect(await t.db.get('SELECT 1 FROM users WHERE username = ?', ['relative.5'])).toBeUndefined();
    t.clock.advance(60 * 60_000 + 1);
    expect((await signUp({ ...SON, username: 'relative.5' }, 'phone-many-005')).status).toBe(200);
  });
});

describe('link requests', () => {
  it('answers the same whether or not the ID number and name are somebody\'s', async () => {
    const c = await son();
    const real = await request(c, { ...FATHER, relation: 'son' });
    const wrongName = await request(c, { idNumber: FATHER.idNumber, name: '李建民', relation: 'son' });
    const nobody = await request(c, { idNumber: '110101195001010017', name: '张三', relation: 'son' });
    for (const r of [real, wrongName, nobody]) {
      expect(r.status).toBe(201);
      expect(Object.keys(r.body.request).sort()).toEqual(['id', 'name', 'relation', 'requestedAt', 'state']);
      expect(r.body.request.state).toBe('pending');
    }
    // The family member's list says "pending" for all three and names no retiree.
    const mine = (await c.json('/api/family/requests')).body.requests;
    expect(mine.map((m: { state: string; retireeId: number | null }) => [m.state, m.retireeId])).toEqual([['pending', null], ['pending', null], ['pending', null]]);
    // Only the request with the right name reaches the retiree, a worker and the office.
    const father = await signIn(t, { idNumber: DEMO.retireeCertified.idNumber, pin: DEMO.retireeCertified.pin });
    expect((await links(father)).incoming.map((r) => r.id)).toEqual([real.body.request.id]);
    expect((await links(as.worker)).incoming.map((r) => r.id)).toEqual([real.body.request.id]);
    expect((await as.admin.json('/api/family/requests')).body.requests.map((r: { id: number }) => r.id)).toEqual([real.body.request.id]);
    // Asking again for the same person is the same request.
    expect((await request(c, { ...FATHER, relation: 'son' })).body.request.id).toBe(real.body.request.id);
    expect((await auditEvents('family_link_requested')).map((e) => e.retiree_id)).toEqual([ids.certified, null, null]);
  });

  it('never lets a family member see the retiree before approval', async () => {
    const c = await son();
    await request(c, { ...FATHER, relation: 'son' });
    expect((await c.request(`/api/retirees/${ids.certified}`)).status).toBe(404);
    expect((await c.request(`/api/retirees/${ids.certified}/status`)).status).toBe(404);
    expect((await c.request(`/api/certifications?retireeId=${ids.certified}`)).status).toBe(404);
    const pull = (await c.json<PullResponse>('/api/sync/pull', { json: { cursor: null } })).body;
    expect(pull.retirees).toEqual([]);
    expect((await c.json('/api/me')).body.retirees).toEqual([]);
  });

  it('limits how many requests one account has open', async () => {
    const c = await son();
    for (let i = 0; i < 5; i++) expect((await request(c, { idNumber: '110101195001010017', name: `张${'三四五六七'[i]}`, relation: 'other' })).status).toBe(201);
    const r = await request(c, { ...FATHER, relation: 'son' });
    expect(r.status).toBe(429);
    expect(r.body.error.details.reason).toBe('open_requests');
  });

  it('only a family member asks, and bad input is a 400', async () => {
    for (const actor of ['anon', 'retiree', 'worker', 'admin'] as const) {
      expect((await request(as[actor], { ...FATHER, relation: 'son' })).status).toBe(actor === 'anon' ? 401 : 403);
    }
    const c = await son();
    expect((await request(c, { ...FATHER, idNumber: '110199194608010012', relation: 'son' })).status).toBe(400);
    expect((await request(c, { ...FATHER, relation: 'uncle' })).status).toBe(400);
  });
});

describe('approval', () => {
  async function pending() {
    const c = await son();
    const id = (await request(c, { ...FATHER, relation: 'son' })).body.request.id as number;
    return { c, id };
  }
  const decide = (c: Client, id: number, decision: 'approve' | 'decline') => c.json(`/api/family/requests/${id}/decision`, { json: { decision } });

  it('by the retiree: the family member then sees the retiree, with status, in pulls and /api/me', async () => {
    const { c, id } = await pending();
    const father = await signIn(t, { idNumber: DEMO.retireeCertified.idNumber, pin: DEMO.retireeCertified.pin });
    const incoming = (await links(father)).incoming;
    expect(incoming).toEqual([{ id, retireeId: ids.certified, familyUserId: expect.any(Number), familyName: SON.displayName, relation: 'son', requestedAt: t.clock.now }]);
    expect((await decide(father, id, 'approve')).body).toEqual({ state: 'approved' });
    expect((await c.request(`/api/retirees/${ids.certified}`)).status).toBe(200);
    const pull = (await c.json<PullResponse>('/api/sync/pull', { json: { cursor: null } })).body;
    expect(pull.retirees.map((r) => r.id)).toEqual([ids.certified]);
    expect(pull.links!.mine[0]).toMatchObject({ id, state: 'approved', retireeId: ids.certified });
    expect((await links(father)).helpers.map((h) => [h.name, h.relation])).toEqual([[SON.displayName, 'son']]);
    // Decided once: a second decision is a conflict, not a second link.
    expect((await decide(father, id, 'decline')).status).toBe(404);
    const [entry] = await auditEvents('family_linked');
    expect(entry!.retiree_id).toBe(ids.certified);
    expect(JSON.parse(entry!.details)).toMatchObject({ request: id, via: 'retiree', relation: 'son' });
  });

  it('declined by the retiree: no link, and the family member reads "declined"', async () => {
    const { c, id } = await pending();
    const father = await signIn(t, { idNumber: DEMO.retireeCertified.idNumber, pin: DEMO.retireeCertified.pin });
    expect((await decide(father, id, 'decline')).body).toEqual({ state: 'declined' });
    expect((await c.request(`/api/retirees/${ids.certified}`)).status).toBe(404);
    expect((await c.json('/api/family/requests')).body.requests[0].state).toBe('declined');
    expect(await auditEvents('family_link_declined')).toHaveLength(1);
  });

  it('only by the retiree named, a worker of their community, or their office; the same 404 for anyone else', async () => {
    const { id } = await pending();
    // The demo "open" retiree is someone else; family cannot decide at all.
    expect((await decide(as.retiree, id, 'approve')).status).toBe(404);
    expect((await decide(as.family, id, 'approve')).status).toBe(403);
    expect((await decide(as.anon, id, 'approve')).status).toBe(401);
    const other = await addWorkerFixture(t.db, createPasswordHasher(10), t.clock.now, { username: 'li.ming', password: 'li-ming-2026', displayName: '李明', communityName: '东风社区', count: 1, offset: 100 });
    const otherWorker = await signIn(t, { username: other.username, password: other.password });
    expect((await decide(otherWorker, id, 'approve')).status).toBe(404);
    expect((await links(otherWorker)).incoming).toEqual([]);
    expect((await decide(as.worker, id, 'approve')).body).toEqual({ state: 'approved' });
    const [entry] = await auditEvents('family_linked');
    expect(JSON.parse(entry!.details).via).toBe('worker');
  });

  it('by the office, from its list of requests', async () => {
    const { c, id } = await pending();
    const list = (await as.admin.json('/api/family/requests')).body.requests;
    expect(list[0]).toMatchObject({ id, familyName: SON.displayName, familyPhone: SON.phone, retireeName: FATHER.name, relation: 'son' });
    expect(list[0].idNumber).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/);
    expect((await decide(as.admin, id, 'approve')).body).toEqual({ state: 'approved' });
    expect((await c.request(`/api/retirees/${ids.certified}`)).status).toBe(200);
  });

  it('checks the name again: a request whose retiree was renamed since is not approved', async () => {
    const { id } = await pending();
    await t.db.run("UPDATE retirees SET name = '李建民' WHERE id = ?", [ids.certified]);
    expect((await decide(as.worker, id, 'approve')).body.error.details.reason).toBe('request_closed');
    expect(await t.db.get('SELECT 1 FROM family_links WHERE retiree_id = ?', [ids.certified])).toBeUndefined();
  });

  it('expires after 30 days undecided', async () => {
    const { c, id } = await pending();
    t.clock.advance(30 * 24 * 60 * 60_000 + 1);
    // Sessions do not last that long either: sign in again.
    expect((await decide(await signIn(t, DEMO.worker), id, 'approve')).status).toBe(404);
    await c.json('/api/auth/sign-in', { json: { username: SON.username, password: SON.password } });
    expect((await c.json('/api/family/requests')).body.requests[0].state).toBe('expired');
  });

  it('the family member can take a pending request back', async () => {
    const { c, id } = await pending();
    expect((await c.request(`/api/family/requests/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await c.request(`/api/family/requests/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await as.family.request(`/api/family/requests/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await decide(as.worker, id, 'approve')).status).toBe(404);
    expect(await auditEvents('family_link_withdrawn')).toHaveLength(1);
  });
});

describe('decisions through the push (offline at the door, or on the retiree\'s phone)', () => {
  const WORKER_PHONE = 'phone-worker-demo-01';
  const item = (seq: number, retireeId: number, extra: Record<string, unknown>) => ({ type: 'link', id: uuidv7(), seq, retireeId, deviceTime: t.clock.now - 3_600_000, ...extra });
  const push = (c: Client, items: unknown[]) => c.json<PushResponse>('/api/sync/push', { json: { items } });

  it('a worker approves once, however often the phone sends it; the device sequence moves', async () => {
    const c = await son();
    const id = (await request(c, { ...FATHER, relation: 'son' })).body.request.id as number;
    const worker = await signIn(t, DEMO.worker, WORKER_PHONE);
    expect((await worker.json<PullResponse>('/api/sync/pull', { json: { cursor: null } })).body.links!.incoming.map((r) => r.id)).toEqual([id]);
    const approve = item(1, ids.certified, { action: 'approve', requestId: id });
    const first = await push(worker, [approve]);
    expect(first.body.results).toEqual([{ id: approve.id, seq: 1, status: 'accepted', outcome: { kind: 'link_done', action: 'approve' } }]);
    expect(first.body.lastSeq).toBe(1);
    const again = await push(worker, [approve]);
    expect(again.body.results[0]).toMatchObject({ status: 'duplicate', outcome: { kind: 'link_done', action: 'approve' } });
    expect(await auditEvents('family_linked')).toHaveLength(1);
    expect((await c.request(`/api/retirees/${ids.certified}`)).status).toBe(200);
    // A second decision on the same request finds nothing left to decide.
    const late = item(2, ids.certified, { action: 'decline', requestId: id });
    expect((await push(worker, [late])).body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'link_stale' } });
  });

  it('refuses a worker outside the community, a family member, and a worker ending a link', async () => {
    const c = await son();
    const id = (await request(c, { ...FATHER, relation: 'son' })).body.request.id as number;
    const other = await addWorkerFixture(t.db, createPasswordHasher(10), t.clock.now, { username: 'li.ming', password: 'li-ming-2026', displayName: '李明', communityName: '东风社区', count: 1, offset: 100 });
    const otherWorker = await signIn(t, { username: other.username, password: other.password }, 'phone-worker-other1');
    expect((await push(otherWorker, [item(1, ids.certified, { action: 'approve', requestId: id })])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'no_access' });
    const family = await signIn(t, DEMO.family, 'phone-family-demo1');
    expect((await push(family, [item(1, ids.open, { action: 'approve', requestId: id })])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'wrong_method' });
    const worker = await signIn(t, DEMO.worker, WORKER_PHONE);
    const familyId = (await t.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.family.username]))!.id;
    expect((await push(worker, [item(1, ids.open, { action: 'end', familyUserId: familyId })])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'wrong_method' });
    // A request of another retiree, named with this retiree's id, decides nothing.
    expect((await push(worker, [item(2, ids.open, { action: 'approve', requestId: id })])).body.results[0]).toMatchObject({ outcome: { kind: 'link_stale' } });
    expect(await t.db.get('SELECT 1 FROM family_links WHERE retiree_id = ?', [ids.certified])).toBeUndefined();
  });

  it('the retiree ends a link from their phone: the family member can no longer see them', async () => {
    const retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'phone-retiree-open1');
    expect((await as.family.request(`/api/retirees/${ids.open}`)).status).toBe(200);
    const helpers = (await links(retiree)).helpers;
    expect(helpers.map((h) => h.name)).toEqual(['张小红']);
    const end = item(1, ids.open, { action: 'end', familyUserId: helpers[0]!.familyUserId });
    expect((await push(retiree, [end])).body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'link_done', action: 'end' } });
    expect((await as.family.request(`/api/retirees/${ids.open}`)).status).toBe(404);
    const familyPhone = await signIn(t, DEMO.family, 'phone-family-demo1');
    const pull = (await familyPhone.json<PullResponse>('/api/sync/pull', { json: { cursor: null } })).body;
    expect(pull.retirees).toEqual([]);
    const [entry] = await auditEvents('family_link_ended');
    expect(JSON.parse(entry!.details)).toMatchObject({ by: 'retiree' });
  });
});

describe('ending a link online', () => {
  it('the family member stops helping, or the retiree stops them; nobody else can', async () => {
    const familyId = (await t.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.family.username]))!.id;
    // Not theirs: another retiree, a worker, the family member for someone they do not help.
    const certified = await signIn(t, { idNumber: DEMO.retireeCertified.idNumber, pin: DEMO.retireeCertified.pin });
    expect((await certified.request(`/api/family/helpers/${familyId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await as.worker.request(`/api/family/helpers/${familyId}`, { method: 'DELETE' })).status).toBe(403);
    expect((await as.family.request(`/api/family/links/${ids.certified}`, { method: 'DELETE' })).status).toBe(404);
    expect((await as.retiree.request(`/api/family/helpers/${familyId}`, { method: 'DELETE' })).status).toBe(200);
    expect((await as.family.request(`/api/retirees/${ids.open}`)).status).toBe(404);
    expect((await as.retiree.request(`/api/family/helpers/${familyId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('the family member ends their own link', async () => {
    expect((await as.family.request(`/api/family/links/${ids.open}`, { method: 'DELETE' })).status).toBe(200);
    expect((await as.family.request(`/api/retirees/${ids.open}`)).status).toBe(404);
    expect(JSON.parse((await auditEvents('family_link_ended'))[0]!.details)).toMatchObject({ by: 'family' });
  });
});
