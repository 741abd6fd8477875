// Every route × every role, including object-level access: a family member or worker sees only
// their own retirees, an admin only their region. Inaccessible objects answer 404, not 403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../seed/demo.ts';
import { client, createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';

type Actor = 'anon' | 'retiree' | 'family' | 'worker' | 'admin';
let t: TestApp;
const clients = {} as Record<Actor, Client>;
const ids = {} as Record<'open' | 'certified' | 'suspended', number>;

beforeAll(async () => {
  t = await createTestApp();
  clients.anon = client(t);
  clients.retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin });
  clients.family = await signIn(t, DEMO.family);
  clients.worker = await signIn(t, DEMO.worker);
  clients.admin = await signIn(t, DEMO.admin);
  for (const [key, demo] of [
    ['open', DEMO.retireeOpen],
    ['certified', DEMO.retireeCertified],
    ['suspended', DEMO.retireeSuspended],
  ] as const) {
    ids[key] = (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [demo.idNumber]))!.id;
  }
});
afterAll(async () => t.close());

const period = { selfStart: '2027-03-01', selfEnd: '2027-06-30', onsiteStart: '2027-06-01', onsiteEnd: '2027-06-30', deadline: '2027-06-30', suspensionDate: '2027-07-01' };

// [method, path(ids), body, expected status per actor]
const routes: [string, string, (() => string), unknown, Record<Actor, number>][] = [
  ['health', 'GET', () => '/api/health', undefined, { anon: 200, retiree: 200, family: 200, worker: 200, admin: 200 }],
  ['me', 'GET', () => '/api/me', undefined, { anon: 401, retiree: 200, family: 200, worker: 200, admin: 200 }],
  ['own status', 'GET', () => '/api/me/status', undefined, { anon: 401, retiree: 200, family: 403, worker: 403, admin: 403 }],
  ['change PIN (bad current PIN)', 'POST', () => '/api/me/pin', { currentPin: '000000', newPin: '582931' }, { anon: 401, retiree: 401, family: 403, worker: 403, admin: 403 }],
  ['the retiree linked / assigned / in region', 'GET', () => `/api/retirees/${ids.open}`, undefined, { anon: 401, retiree: 200, family: 200, worker: 200, admin: 200 }],
  ['status of linked / assigned / in region', 'GET', () => `/api/retirees/${ids.open}/status`, undefined, { anon: 401, retiree: 200, family: 200, worker: 200, admin: 200 }],
  ['another retiree of the same community', 'GET', () => `/api/retirees/${ids.certified}`, undefined, { anon: 401, retiree: 404, family: 404, worker: 200, admin: 200 }],
  ['status of another retiree, same community', 'GET', () => `/api/retirees/${ids.certified}/status`, undefined, { anon: 401, retiree: 404, family: 404, worker: 200, admin: 200 }],
  ['a retiree of another region', 'GET', () => `/api/retirees/${ids.suspended}`, undefined, { anon: 401, retiree: 404, family: 404, worker: 404, admin: 404 }],
  ['status in another region', 'GET', () => `/api/retirees/${ids.suspended}/status`, undefined, { anon: 401, retiree: 404, family: 404, worker: 404, admin: 404 }],
  ['a retiree that does not exist', 'GET', () => '/api/retirees/999999', undefined, { anon: 401, retiree: 404, family: 404, worker: 404, admin: 404 }],
  // The retiree has a PIN: a new code would reset it, which only the office may do (decision 051).
  ['re-activation code, own community', 'POST', () => `/api/retirees/${ids.certified}/activation-codes`, {}, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 201 }],
  ['activation code, other region', 'POST', () => `/api/retirees/${ids.suspended}/activation-codes`, {}, { anon: 401, retiree: 403, family: 403, worker: 404, admin: 404 }],
  ['periods of own region', 'GET', () => '/api/regions/110199/periods', undefined, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 200 }],
  ['periods of another region', 'GET', () => '/api/regions/130199/periods', undefined, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 404 }],
  ['set a period, own region', 'PUT', () => '/api/regions/110199/periods/2027', period, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 200 }],
  ['set a period, other region', 'PUT', () => '/api/regions/130199/periods/2027', period, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 404 }],
  ['worker roster', 'GET', () => '/api/roster', undefined, { anon: 401, retiree: 403, family: 403, worker: 200, admin: 403 }],
  ['worker roster search', 'GET', () => '/api/roster?q=0021&filter=due', undefined, { anon: 401, retiree: 403, family: 403, worker: 200, admin: 403 }],
  ['roster entry, own community', 'GET', () => `/api/roster/${ids.open}`, undefined, { anon: 401, retiree: 403, family: 403, worker: 200, admin: 403 }],
  ['roster entry, other region', 'GET', () => `/api/roster/${ids.suspended}`, undefined, { anon: 401, retiree: 403, family: 403, worker: 404, admin: 403 }],
  ['office review queue', 'GET', () => '/api/reviews', undefined, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 200 }],
  ['a review that does not exist', 'GET', () => '/api/reviews/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', undefined, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 404 }],
  ['decide on a review that does not exist', 'POST', () => '/api/reviews/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/decision', { decision: 'approve' }, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 404 }],
  ['unknown API route', 'GET', () => '/api/nope', undefined, { anon: 404, retiree: 404, family: 404, worker: 404, admin: 404 }],
];

describe.each(routes)('%s', (_name, method, path, body, expected) => {
  it.each(Object.keys(expected) as Actor[])('as %s', async (actor) => {
    const res = await clients[actor].json(path(), { method, json: body });
    expect(res.status, JSON.stringify(res.body)).toBe(expected[actor]);
    if (res.status >= 400) expect(res.body.error.code).toMatch(/^[a-z_]+$/);
  });
});

describe('what each role sees', () => {
  it('family members see a masked ID number, workers the whole one with address', async () => {
    const fam = await clients.family.json(`/api/retirees/${ids.open}`);
    expect(fam.body.idNumber).toMatch(/^\d{4}\*{10}\d{3}[\dX]$/);
    expect(fam.body.address).toBeUndefined();
    const wk = await clients.worker.json(`/api/retirees/${ids.open}`);
    expect(wk.body.idNumber).toBe(DEMO.retireeOpen.idNumber);
    expect(wk.body.address).toContain('幸福里');
  });

  it('me lists only the family member’s own retirees and the worker’s own communities', async () => {
    const fam = await clients.family.json('/api/me');
    expect(fam.body.retirees.map((r: { id: number }) => r.id)).toEqual([ids.open]);
    const wk = await clients.worker.json('/api/me');
    expect(wk.body.communities.map((c: { name: string }) => c.name)).toEqual(['幸福里社区']);
  });

  it('sign-out everywhere works for every role and ends all their sessions', async () => {
    for (const actor of ['retiree', 'family', 'worker', 'admin'] as const) {
      const second = await signIn(t, actor === 'retiree' ? { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin } : DEMO[actor]);
      const res = await second.json('/api/auth/sign-out-everywhere', { method: 'POST', json: {} });
      expect(res.status).toBe(200);
      expect(res.body.sessionsEnded).toBeGreaterThanOrEqual(2);
      expect((await clients[actor].json('/api/me')).status).toBe(401);
      clients[actor] = await signIn(t, actor === 'retiree' ? { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin } : DEMO[actor]);
    }
    expect((await clients.anon.json('/api/auth/sign-out-everywhere', { method: 'POST', json: {} })).status).toBe(401);
  });
});
