// The audit log viewer's API (issue 16, decision 059): who may read it, an office of one region sees
// nothing of another's, and each filter (who, what, when, which retiree) alone and combined, newest
// first, a page at a time, with ID numbers masked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../shared/schemas/office-audit.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { DEMO } from '../seed/demo.ts';
import { audit } from '../store/audit.ts';
import { createStaffUser } from '../store/users.ts';
import { client, createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';

let t: TestApp;
let admin: Client;
const COUNTY = { username: 'admin.county', password: 'county-admin-2026' };

beforeEach(async () => {
  t = await createTestApp();
  await createStaffUser(t.db, createPasswordHasher(10), { role: 'admin', ...COUNTY, displayName: '县经办', regionCode: '130199' }, t.clock.now);
  admin = await signIn(t, DEMO.admin);
});
afterEach(async () => t.close());

const idOf = async (sql: string, p: string) => (await t.db.get<{ id: number }>(sql, [p]))!.id;
const userId = (u: string) => idOf('SELECT id FROM users WHERE username = ?', u);
const retireeId = (n: string) => idOf('SELECT id FROM retirees WHERE id_number = ?', n);

async function log(c: Client, query = ''): Promise<AuditPage> {
  const res = await c.json<AuditPage>(`/api/office/audit${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const events = (p: AuditPage) => p.items.map((e) => e.event);

describe('who may read it', () => {
  it('answers 401 without a session and 403 to a retiree, a family member and a worker', async () => {
    expect((await client(t).request('/api/office/audit')).status).toBe(401);
    for (const who of [{ idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, DEMO.family, DEMO.worker]) {
      expect((await (await signIn(t, who)).request('/api/office/audit')).status).toBe(403);
    }
  });

  it("an office sees its region's entries and its own users', and nothing of another region; one without a region sees all", async () => {
    const suspended = await retireeId(DEMO.retireeSuspended.idNumber);
    const open = await retireeId(DEMO.retireeOpen.idNumber);
    const county = await signIn(t, COUNTY);
    await audit(t.db, t.clock.now, { event: 'review_approved', userId: await userId(COUNTY.username), subject: `retiree:${suspended}` });
    await audit(t.db, t.clock.now, { event: 'review_approved', userId: await userId(DEMO.admin.username), subject: `retiree:${open}` });
    await audit(t.db, t.clock.now, { event: 'evidence_expired', details: { photos: 3 } });

    const mine = await log(admin);
    expect(mine.items.map((e) => e.retiree?.id ?? null).filter((x) => x !== null)).toEqual([open]);
    // Its clerk's sign-in (user_id) is in; the county clerk's is not.
    expect(mine.items.filter((e) => e.event === 'sign_in').map((e) => e.actor?.username)).toEqual([DEMO.admin.username]);
    expect(events(mine)).not.toContain('evidence_expired');
    const theirs = await log(county);
    expect(theirs.items.map((e) => e.retiree?.id ?? null).filter((x) => x !== null)).toEqual([suspended]);
    expect(theirs.items.filter((e) => e.event === 'sign_in').map((e) => e.actor?.username)).toEqual([COUNTY.username]);
    // Filters naming the other region's retiree or clerk find nothing (not everything).
    expect((await log(admin, `?retiree=${suspended}`)).items).toEqual([]);
    expect((await log(admin, `?retiree=${DEMO.retireeSuspended.idNumber}`)).resolved.retiree).toBeNull();
    expect((await log(admin, `?user=${COUNTY.username}`)).items).toEqual([]);
    expect((await log(admin, `?user=${COUNTY.username}`)).resolved.user).toBeNull();

    await createStaffUser(t.db, createPasswordHasher(10), { role: 'admin', username: 'admin.city', password: 'city-admin-2026', displayName: '市经办', regionCode: '110199' }, t.clock.now);
    await t.db.run("UPDATE users SET region_id = NULL WHERE username = 'admin.city'");
    const city = await log(await signIn(t, { username: 'admin.city', password: 'city-admin-2026' }), '?event=review_approved');
    expect(city.items.map((e) => e.retiree?.id).sort()).toEqual([open, suspended].sort());
  });
});

describe('filters', () => {
  it('who: what an account did and what was done to it', async () => {
    const created = await admin.json<{ person: { id: number }; password: string }>('/api/office/people', { json: { role: 'worker', username: 'li.ming', displayName: '李明' } });
    const community = await idOf('SELECT id FROM communities WHERE name = ?', '幸福里社区');
    await admin.request(`/api/office/people/${created.body.person.id}/assignments`, { json: { communityId: community } });
    t.clock.advance(60_000);
    await signIn(t, { username: 'li.ming', password: created.body.password });
    t.clock.advance(60_000);
    await admin.request(`/api/office/people/${created.body.person.id}/disable`, { json: {} });
    const byId = await log(admin, `?user=${created.body.person.id}`);
    expect(events(byId)).toEqual(['user_disabled', 'sign_in', 'worker_assigned', 'user_created']);
    expect(byId.items[0]).toMatchObject({ actor: { username: DEMO.admin.username }, subjectUser: { username: 'li.ming' }, subject: 'user:li.ming', details: { sessionsEnded: 1 } });
    expect(byId.resolved.user).toMatchObject({ username: 'li.ming', displayName: '李明' });
    expect(events(await log(admin, '?user=LI.MING'))).toEqual(events(byId));
    expect((await log(admin, '?user=nobody')).items).toEqual([]);
  });

  it('which retiree: by id or ID number, whichever format the entry was written with; ID numbers masked', async () => {
    const open = await retireeId(DEMO.retireeOpen.idNumber);
    // A wrong PIN names the retiree by ID number; a review by id.
    expect((await client(t).request('/api/auth/sign-in/retiree', { json: { idNumber: DEMO.retireeOpen.idNumber, pin: '000000' } })).status).toBe(401);
    await audit(t.db, t.clock.now + 1, { event: 'review_approved', userId: await userId(DEMO.admin.username), subject: `retiree:${open}` });
    for (const q of [String(open), DEMO.retireeOpen.idNumber]) {
      const page = await log(admin, `?retiree=${q}`);
      expect(events(page), q).toEqual(['review_approved', 'sign_in_failed']);
      expect(page.items[1]!.subject).toBe('retiree:1101**********0021');
      expect(page.items[0]!.retiree).toEqual({ id: open, name: DEMO.retireeOpen.name, idNumber: '1101**********0021' });
      expect(page.resolved.retiree?.idNumber).toBe('1101**********0021');
    }
    expect(JSON.stringify(await log(admin))).not.toContain(DEMO.retireeOpen.idNumber);
    expect((await admin.request('/api/office/audit?retiree=12ab')).status).toBe(400);
  });

  it("what and when: an event between two days of the region's calendar, both days included, and combined", async () => {
    const open = await retireeId(DEMO.retireeOpen.idNumber);
    const adminId = await userId(DEMO.admin.username);
    // 2026-11-20 23:59:59 and 2026-11-21 00:00:00 in Beijing, then 2026-11-22 10:00.
    const late = Date.UTC(2026, 10, 20, 15, 59, 59);
    const early = Date.UTC(2026, 10, 20, 16, 0, 0);
    await audit(t.db, late, { event: 'review_rejected', userId: adminId, subject: `retiree:${open}` });
    await audit(t.db, early, { event: 'review_rejected', userId: adminId, subject: `retiree:${open}` });
    await audit(t.db, early + 1, { event: 'review_approved', userId: adminId, subject: `retiree:${open}` });
    const at = (p: AuditPage) => p.items.map((e) => e.at);
    expect(at(await log(admin, '?event=review_rejected'))).toEqual([early, late]);
    expect(at(await log(admin, '?event=review_rejected&from=2026-11-21'))).toEqual([early]);
    expect(at(await log(admin, '?event=review_rejected&to=2026-11-20'))).toEqual([late]);
    expect(at(await log(admin, '?from=2026-11-21&to=2026-11-21'))).toEqual([early + 1, early]);
    expect(at(await log(admin, `?from=2026-11-21&to=2026-11-21&retiree=${open}&user=${adminId}&event=review_approved`))).toEqual([early + 1]);
    expect((await log(admin)).resolved.timeZone).toBe('Asia/Shanghai');
    expect((await admin.request('/api/office/audit?from=2026-13-01')).status).toBe(400);
  });

  it('pages newest first with a cursor', async () => {
    const open = await retireeId(DEMO.retireeOpen.idNumber);
    for (let i = 0; i < 60; i++) await audit(t.db, t.clock.now + i, { event: 'review_approved', userId: await userId(DEMO.admin.username), subject: `retiree:${open}` });
    const first = await log(admin, '?event=review_approved');
    expect(first.items).toHaveLength(50);
    expect(first.next).toBe(first.items[49]!.cursor);
    const second = await log(admin, `?event=review_approved&after=${first.next}`);
    expect(second.items).toHaveLength(10);
    expect(second.next).toBeNull();
    const ats = [...first.items, ...second.items].map((e) => e.at);
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
    expect(new Set(ats).size).toBe(60);
  });
});
