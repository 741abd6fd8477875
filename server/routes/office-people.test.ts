// The office's People screen API (issue 16, decision 059) on the real SQLite: who may call it, an
// office of one region sees and touches nothing of another, and each action does what it says —
// with its audit entry: a new account signs in with the password shown once, a worker assigned to a
// community has its retirees on the roster and loses them when unassigned, a disabled account's
// next request is refused, a reset password replaces the old one, an ended family link ends access.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../shared/sync.ts';
import type { LinksPage, PeopleOptions, PeoplePage, Person, PersonWithPassword } from '../../shared/schemas/office-people.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { DEMO } from '../seed/demo.ts';
import { createStaffUser } from '../store/users.ts';
import { client, createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';

let t: TestApp;
let admin: Client;
const COUNTY = { username: 'admin.county', password: 'county-admin-2026' };

beforeEach(async () => {
  t = await createTestApp();
  await createStaffUser(t.db, createPasswordHasher(10), { role: 'admin', ...COUNTY, displayName: '县经办 孙丽', regionCode: '130199' }, t.clock.now);
  admin = await signIn(t, DEMO.admin);
});
afterEach(async () => t.close());

const idOf = async (username: string) => (await t.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [username]))!.id;
const retireeIdOf = async (idNumber: string) => (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;
const communityIdOf = async (name: string) => (await t.db.get<{ id: number }>('SELECT id FROM communities WHERE name = ?', [name]))!.id;
const lastAudit = () =>
  t.db.get<{ event: string; user_id: number | null; subject: string | null; details: string | null; region_id: number | null; subject_user_id: number | null; retiree_id: number | null }>(
    'SELECT * FROM audit_log ORDER BY id DESC LIMIT 1',
  );
const regionIdOf = async (code: string) => (await t.db.get<{ id: number }>('SELECT id FROM regions WHERE code = ?', [code]))!.id;

async function people(c: Client = admin, query = ''): Promise<PeoplePage> {
  const res = await c.json<PeoplePage>(`/api/office/people${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function createWorker(username = 'li.ming'): Promise<PersonWithPassword> {
  const res = await admin.json<PersonWithPassword>('/api/office/people', { json: { role: 'worker', username, displayName: '李明', phone: '138 0000 1234' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe('who may use it', () => {
  it('answers 401 without a session and 403 to a retiree, a family member and a worker, on every route', async () => {
    const worker = await idOf(DEMO.worker.username);
    const family = await idOf(DEMO.family.username);
    const open = await retireeIdOf(DEMO.retireeOpen.idNumber);
    const routes: [string, string, unknown][] = [
      ['GET', '/api/office/people', undefined],
      ['GET', '/api/office/people/options', undefined],
      ['POST', '/api/office/people', { role: 'worker', username: 'x.y', displayName: 'X' }],
      ['POST', `/api/office/people/${worker}/assignments`, { communityId: 1 }],
      ['DELETE', `/api/office/people/${worker}/assignments/1`, undefined],
      ['POST', `/api/office/people/${worker}/disable`, {}],
      ['POST', `/api/office/people/${worker}/enable`, {}],
      ['POST', `/api/office/people/${worker}/password`, {}],
      ['GET', '/api/office/people/links', undefined],
      ['DELETE', `/api/office/people/links/${family}/${open}`, undefined],
    ];
    const others = {
      anon: [client(t), 401],
      retiree: [await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }), 403],
      family: [await signIn(t, DEMO.family), 403],
      worker: [await signIn(t, DEMO.worker), 403],
    } as const;
    for (const [method, path, json] of routes) {
      for (const [who, [c, status]] of Object.entries(others)) {
        const res = await c.request(path, { method, json });
        expect(res.status, `${who} ${method} ${path}`).toBe(status);
      }
    }
    // Nothing changed on the way.
    expect((await t.db.get<{ n: number }>("SELECT count(*) AS n FROM users WHERE username = 'x.y'"))!.n).toBe(0);
    expect((await t.db.get<{ disabled: number }>('SELECT disabled FROM users WHERE id = ?', [worker]))!.disabled).toBe(0);
  });
});

describe('the accounts of the office', () => {
  it("lists its office, worker and family accounts with region, communities and last sign-in, and none of another region's", async () => {
    await signIn(t, DEMO.worker);
    const page = await people();
    expect(page.items.map((p) => [p.role, p.username])).toEqual([
      ['admin', DEMO.admin.username],
      ['worker', DEMO.worker.username],
      ['family', DEMO.family.username],
    ]);
    const [me, worker, family] = page.items as [Person, Person, Person];
    expect(me).toMatchObject({ self: true, region: { code: '110199' }, disabled: false });
    expect(worker).toMatchObject({ self: false, communities: [{ name: '幸福里社区', regionCode: '110199' }], lastSignInAt: t.clock.now });
    expect(family).toMatchObject({ links: 1, lastSignInAt: null });
    expect(page.total).toBe(3);

    const county = await people(await signIn(t, COUNTY));
    expect(county.items.map((p) => p.username)).toEqual([COUNTY.username]);
  });

  it('searches name, username and phone, and filters by role and by disabled', async () => {
    await createWorker();
    expect((await people(admin, '?q=李')).items.map((p) => p.username)).toEqual(['li.ming']);
    expect((await people(admin, '?q=0000%201234')).items.map((p) => p.username)).toEqual(['li.ming']);
    expect((await people(admin, '?q=family.')).items.map((p) => p.username)).toEqual([DEMO.family.username]);
    // LIKE's wildcards are taken literally.
    expect((await people(admin, '?q=%25')).items).toEqual([]);
    // By name: 刘芳 (the demo worker) sorts before 李明 by code point.
    expect((await people(admin, '?role=worker')).items.map((p) => p.username)).toEqual([DEMO.worker.username, 'li.ming']);
    await admin.request(`/api/office/people/${await idOf('li.ming')}/disable`, { json: {} });
    expect((await people(admin, '?disabled=yes')).items.map((p) => p.username)).toEqual(['li.ming']);
    expect((await people(admin, '?disabled=no&role=worker')).items.map((p) => p.username)).toEqual([DEMO.worker.username]);
    expect((await admin.request('/api/office/people?role=retiree')).status).toBe(400);
  });

  it('pages 25 at a time', async () => {
    const hasher = createPasswordHasher(10);
    for (let i = 0; i < 26; i++) await createStaffUser(t.db, hasher, { role: 'worker', username: `w${String(i).padStart(2, '0')}`, password: 'worker-pass-2026', displayName: `工作人员 ${String(i).padStart(2, '0')}`, regionCode: '110199' }, t.clock.now);
    const first = await people(admin, '?role=worker');
    const second = await people(admin, '?role=worker&page=2');
    expect(first.total).toBe(27);
    expect(first.items).toHaveLength(25);
    expect(second.items).toHaveLength(2);
    expect(new Set([...first.items, ...second.items].map((p) => p.id)).size).toBe(27);
  });

  it('offers the communities and the region of the office', async () => {
    const options = (await admin.json<PeopleOptions>('/api/office/people/options')).body;
    expect(options.communities.map((c) => c.name)).toEqual(['幸福里社区']);
    expect(options.regions.map((r) => r.code)).toEqual(['110199']);
  });
});

describe('creating an account', () => {
  it('makes a worker of the office region with a password shown once, which signs in; audited without the password', async () => {
    const { person, password } = await createWorker();
    expect(person).toMatchObject({ role: 'worker', username: 'li.ming', displayName: '李明', phone: '138 0000 1234', region: { code: '110199' }, communities: [] });
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // Listed at once, before any community is assigned: it belongs to the office that made it.
    expect((await people(admin, '?role=worker')).items.map((p) => p.username)).toContain('li.ming');
    await signIn(t, { username: 'li.ming', password });
    const entry = (await t.db.get<{ event: string; user_id: number; subject: string; details: string; region_id: number; subject_user_id: number }>(
      "SELECT * FROM audit_log WHERE event = 'user_created' ORDER BY id DESC LIMIT 1",
    ))!;
    expect(entry).toMatchObject({ user_id: await idOf(DEMO.admin.username), subject: 'user:li.ming', region_id: await regionIdOf('110199'), subject_user_id: person.id });
    expect(JSON.parse(entry.details)).toEqual({ role: 'worker', region: '110199' });
    const all = (await t.db.all<{ s: string }>("SELECT coalesce(subject, '') || coalesce(details, '') AS s FROM audit_log")).map((r) => r.s).join('\n');
    expect(all).not.toContain(password);
  });

  it('makes office accounts only in its own region; refuses a taken username and bad input', async () => {
    const res = await admin.json<PersonWithPassword>('/api/office/people', { json: { role: 'admin', username: 'zhou.min', displayName: '周敏' } });
    expect(res.status).toBe(201);
    expect(res.body.person).toMatchObject({ role: 'admin', region: { code: '110199' } });
    expect((await admin.request('/api/office/people', { json: { role: 'admin', username: 'sun.li', displayName: '孙丽', regionCode: '130199' } })).status).toBe(403);
    expect((await admin.json('/api/office/people', { json: { role: 'worker', username: DEMO.worker.username, displayName: 'X' } })).status).toBe(409);
    expect((await admin.request('/api/office/people', { json: { role: 'family', username: 'fam.x', displayName: 'X' } })).status).toBe(400);
    expect((await admin.request('/api/office/people', { json: { role: 'worker', username: 'a', displayName: '' } })).status).toBe(400);
    expect((await t.db.get<{ n: number }>("SELECT count(*) AS n FROM users WHERE username IN ('sun.li', 'fam.x', 'a')"))!.n).toBe(0);
  });

  it('an office without a region sees every region and names the region of a new office account', async () => {
    await createStaffUser(t.db, createPasswordHasher(10), { role: 'admin', username: 'admin.city', password: 'city-admin-2026', displayName: '市经办', regionCode: '110199' }, t.clock.now);
    await t.db.run("UPDATE users SET region_id = NULL WHERE username = 'admin.city'");
    const city = await signIn(t, { username: 'admin.city', password: 'city-admin-2026' });
    expect((await people(city, '?role=admin')).items.map((p) => p.username).sort()).toEqual(['admin.city', COUNTY.username, DEMO.admin.username]);
    expect((await city.json<PeopleOptions>('/api/office/people/options')).body.regions.map((r) => r.code)).toEqual(['110199', '130199']);
    expect((await city.request('/api/office/people', { json: { role: 'admin', username: 'sun.li', displayName: '孙丽' } })).status).toBe(400);
    const res = await city.json<PersonWithPassword>('/api/office/people', { json: { role: 'admin', username: 'sun.li', displayName: '孙丽', regionCode: '130199' } });
    expect(res.status).toBe(201);
    expect(res.body.person.region).toEqual({ code: '130199', name: '演示县' });
    expect((await people(await signIn(t, COUNTY), '?role=admin')).items.map((p) => p.username).sort()).toEqual([COUNTY.username, 'sun.li']);
  });
});

describe('worker assignments', () => {
  it("assigning a community puts its retirees on the worker's roster; unassigning takes them off at once", async () => {
    const { person, password } = await createWorker();
    const community = await communityIdOf('幸福里社区');
    const assigned = await admin.json<Person>(`/api/office/people/${person.id}/assignments`, { json: { communityId: community } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.communities.map((c) => c.id)).toEqual([community]);
    expect(await lastAudit()).toMatchObject({ event: 'worker_assigned', user_id: await idOf(DEMO.admin.username), subject: 'user:li.ming', subject_user_id: person.id });

    const worker = await signIn(t, { username: 'li.ming', password }, 'phone-li-ming');
    const roster = await worker.json<{ total: number; retirees: { id: number }[] }>('/api/roster');
    expect(roster.body.total).toBe(4);
    const open = await retireeIdOf(DEMO.retireeOpen.idNumber);
    expect(roster.body.retirees.map((r) => r.id)).toContain(open);
    const cached = (await worker.json<PullResponse>('/api/sync/pull', { json: { cursor: null } })).body;
    expect(cached.retirees.map((r) => r.id)).toContain(open);

    const res = await admin.json<Person>(`/api/office/people/${person.id}/assignments/${community}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body.communities).toEqual([]);
    expect(await lastAudit()).toMatchObject({ event: 'worker_unassigned', subject: 'user:li.ming' });
    expect((await worker.json<{ total: number }>('/api/roster')).body.total).toBe(0);
    expect((await worker.request(`/api/roster/${open}`)).status).toBe(404);
    // The phone's next pull replaces its cached roster with one without the community's retirees (decision 042).
    expect((await worker.json<PullResponse>('/api/sync/pull', { json: { cursor: cached.cursor } })).body).toMatchObject({ full: true, retirees: [] });
    expect((await admin.request(`/api/office/people/${person.id}/assignments/${community}`, { method: 'DELETE' })).status).toBe(404);
  });

  it("refuses another region's community or worker, and a non-worker", async () => {
    const { person } = await createWorker();
    const village = await communityIdOf('东村');
    expect((await admin.request(`/api/office/people/${person.id}/assignments`, { json: { communityId: village } })).status).toBe(404);
    const county = await signIn(t, COUNTY);
    expect((await county.request(`/api/office/people/${person.id}/assignments`, { json: { communityId: village } })).status).toBe(404);
    expect((await admin.request(`/api/office/people/${await idOf(DEMO.family.username)}/assignments`, { json: { communityId: await communityIdOf('幸福里社区') } })).status).toBe(400);
    expect((await t.db.get<{ n: number }>('SELECT count(*) AS n FROM worker_assignments WHERE community_id = ?', [village]))!.n).toBe(0);
  });
});

describe('disabling, enabling and new passwords', () => {
  it("disabling ends the account's sessions at once: the next request with the old cookie is refused, and it cannot sign in", async () => {
    const worker = await signIn(t, DEMO.worker);
    expect((await worker.request('/api/roster')).status).toBe(200);
    const id = await idOf(DEMO.worker.username);
    const res = await admin.json<Person>(`/api/office/people/${id}/disable`, { json: {} });
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    expect(await lastAudit()).toMatchObject({ event: 'user_disabled', user_id: await idOf(DEMO.admin.username), subject: `user:${DEMO.worker.username}`, details: JSON.stringify({ sessionsEnded: 1 }) });
    expect((await worker.request('/api/roster')).status).toBe(401);
    expect((await client(t).json('/api/auth/sign-in', { json: DEMO.worker })).status).not.toBe(200);

    expect((await admin.json<Person>(`/api/office/people/${id}/enable`, { json: {} })).body.disabled).toBe(false);
    expect(await lastAudit()).toMatchObject({ event: 'user_enabled', subject: `user:${DEMO.worker.username}` });
    await signIn(t, DEMO.worker);
  });

  it('nobody disables or resets themselves; another region answers 404', async () => {
    const self = await idOf(DEMO.admin.username);
    expect((await admin.request(`/api/office/people/${self}/disable`, { json: {} })).status).toBe(403);
    expect((await admin.request(`/api/office/people/${self}/password`, { json: {} })).status).toBe(403);
    const county = await signIn(t, COUNTY);
    for (const path of ['disable', 'enable', 'password']) {
      expect((await county.request(`/api/office/people/${await idOf(DEMO.worker.username)}/${path}`, { json: {} })).status, path).toBe(404);
      expect((await admin.request(`/api/office/people/${await idOf(COUNTY.username)}/${path}`, { json: {} })).status, path).toBe(404);
    }
    expect((await t.db.get<{ n: number }>('SELECT count(*) AS n FROM users WHERE disabled = 1'))!.n).toBe(0);
  });

  it('a new password replaces the old one and ends the sessions made with it; audited without it', async () => {
    const worker = await signIn(t, DEMO.worker);
    const id = await idOf(DEMO.worker.username);
    const res = await admin.json<PersonWithPassword>(`/api/office/people/${id}/password`, { json: {} });
    expect(res.status).toBe(200);
    expect((await worker.request('/api/roster')).status).toBe(401);
    expect((await client(t).json('/api/auth/sign-in', { json: DEMO.worker })).status).toBe(401);
    await signIn(t, { username: DEMO.worker.username, password: res.body.password });
    const entry = (await lastAudit())!;
    expect(entry).toMatchObject({ event: 'sign_in' });
    const reset = (await t.db.get<{ details: string; subject: string }>("SELECT details, subject FROM audit_log WHERE event = 'password_reset'"))!;
    expect(reset.subject).toBe(`user:${DEMO.worker.username}`);
    expect(reset.details).not.toContain(res.body.password);
  });
});

describe('family links', () => {
  it("lists the region's links with masked ID numbers, and ending one ends the family member's access at once", async () => {
    const family = await signIn(t, DEMO.family, 'phone-family-links');
    const open = await retireeIdOf(DEMO.retireeOpen.idNumber);
    expect((await family.request(`/api/retirees/${open}`)).status).toBe(200);
    const cached = (await family.json<PullResponse>('/api/sync/pull', { json: { cursor: null } })).body;
    expect(cached.retirees.map((r) => r.id)).toEqual([open]);
    const links = (await admin.json<LinksPage>('/api/office/people/links')).body;
    expect(links.items).toHaveLength(1);
    const [link] = links.items;
    expect(link).toMatchObject({ username: DEMO.family.username, relation: 'daughter', retiree: { id: open, name: DEMO.retireeOpen.name, idNumber: '1101**********0021' } });
    expect((await admin.json<LinksPage>('/api/office/people/links?q=0021')).body.items).toHaveLength(1);
    expect((await admin.json<LinksPage>('/api/office/people/links?q=张小红')).body.items).toHaveLength(1);
    expect((await admin.json<LinksPage>('/api/office/people/links?q=nobody')).body.items).toHaveLength(0);

    // Another region neither sees nor ends it.
    const county = await signIn(t, COUNTY);
    expect((await county.json<LinksPage>('/api/office/people/links')).body.items).toEqual([]);
    expect((await county.request(`/api/office/people/links/${link!.userId}/${open}`, { method: 'DELETE' })).status).toBe(404);

    expect((await admin.request(`/api/office/people/links/${link!.userId}/${open}`, { method: 'DELETE' })).status).toBe(200);
    expect(await lastAudit()).toMatchObject({ event: 'family_link_ended', subject: `retiree:${open}`, retiree_id: open, subject_user_id: link!.userId, region_id: await regionIdOf('110199') });
    expect((await family.request(`/api/retirees/${open}`)).status).toBe(404);
    expect((await family.json<{ retirees: unknown[] }>('/api/me')).body.retirees).toEqual([]);
    expect((await family.json<PullResponse>('/api/sync/pull', { json: { cursor: cached.cursor } })).body).toMatchObject({ full: true, retirees: [] });
    expect((await admin.request(`/api/office/people/links/${link!.userId}/${open}`, { method: 'DELETE' })).status).toBe(404);
  });
});
