import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAdmin } from '../cli/admin.ts';
import { DEMO } from '../seed/demo.ts';
import { createTestApp, signIn, type TestApp } from '../test-support.ts';
import { SESSION_POLICIES } from './auth_session.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const retiree = { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin };
const meStatus = async (c: Awaited<ReturnType<typeof signIn>>) => (await c.json('/api/me')).status;

describe('session lifetimes by role', () => {
  it('a retiree stays signed in across the yearly cycle when the app is used now and then', async () => {
    const c = await signIn(t, retiree);
    for (let month = 0; month < 14; month++) {
      t.clock.advance(30 * DAY);
      expect(await meStatus(c)).toBe(200);
    }
  });

  it('a retiree session ends after 400 idle days', async () => {
    const c = await signIn(t, retiree);
    t.clock.advance(SESSION_POLICIES.retiree.idleTimeoutMs - DAY);
    expect(await meStatus(c)).toBe(200);
    t.clock.advance(SESSION_POLICIES.retiree.idleTimeoutMs);
    expect(await meStatus(c)).toBe(401);
  });

  it('a worker session lasts a working day, even when used all day', async () => {
    const c = await signIn(t, DEMO.worker);
    for (let h = 0; h < 11; h++) {
      t.clock.advance(HOUR);
      expect(await meStatus(c)).toBe(200);
    }
    t.clock.advance(HOUR + 1);
    expect(await meStatus(c)).toBe(401);
  });

  it('an admin session times out after 30 idle minutes and after 8 hours in any case', async () => {
    const idle = await signIn(t, DEMO.admin);
    t.clock.advance(31 * 60_000);
    expect(await meStatus(idle)).toBe(401);

    const busy = await signIn(t, DEMO.admin);
    for (let i = 0; i < 31; i++) {
      t.clock.advance(15 * 60_000);
      expect(await meStatus(busy)).toBe(200);
    }
    t.clock.advance(15 * 60_000 + 1);
    expect(await meStatus(busy)).toBe(401);
  });

  it('slides the cookie’s Max-Age when use extends the session', async () => {
    const c = await signIn(t, retiree);
    t.clock.advance(2 * DAY);
    const res = await c.request('/api/me');
    const set = res.headers.getSetCookie().find((s) => s.startsWith('sh_session='));
    expect(set).toMatch(/Max-Age=34560000/);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
  });

  it('deletes an expired session row when it is presented', async () => {
    const c = await signIn(t, DEMO.admin);
    t.clock.advance(DAY);
    await c.json('/api/me');
    expect(await t.db.get('SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.role = ?', ['admin'])).toBeUndefined();
  });

  it('a disabled account loses its sessions at once', async () => {
    const c = await signIn(t, DEMO.worker);
    await t.db.run("UPDATE users SET disabled = 1 WHERE username = 'worker.demo'");
    expect(await meStatus(c)).toBe(401);
  });
});

// Validated sessions are kept in memory (decision 046); none of that may outlive a change.
describe('kept sessions', () => {
  it('a session ended by another process (the admin CLI) stops working on the next request', async () => {
    const c = await signIn(t, DEMO.worker);
    expect(await meStatus(c)).toBe(200);
    const cli = await t.reopen();
    try {
      await runAdmin(cli, ['set-role', '--username', DEMO.worker.username, '--role', 'family'], () => undefined, t.clock.now);
    } finally {
      await cli.close();
    }
    expect(await meStatus(c)).toBe(401);
  });

  it('a user disabled by another connection is refused at once, while requests are in flight', async () => {
    const c = await signIn(t, DEMO.worker);
    expect(await meStatus(c)).toBe(200);
    const other = await t.reopen();
    try {
      const before = [meStatus(c), meStatus(c)];
      await other.run('UPDATE users SET disabled = 1 WHERE username = ?', [DEMO.worker.username]);
      await Promise.all(before);
      expect(await Promise.all([meStatus(c), meStatus(c), meStatus(c)])).toEqual([401, 401, 401]);
    } finally {
      await other.close();
    }
  });

  it('signing out on one phone ends only that session, and the same token never works again', async () => {
    const a = await signIn(t, DEMO.worker);
    const b = await signIn(t, DEMO.worker);
    expect([await meStatus(a), await meStatus(b)]).toEqual([200, 200]);
    const signedOutCookie = a.cookie;
    expect((await a.request('/api/auth/sign-out', { method: 'POST' })).status).toBeLessThan(300);
    expect(await meStatus(b)).toBe(200);
    const stale = await t.app.request('/api/me', { headers: { Cookie: signedOutCookie, Origin: 'http://localhost' } });
    expect(stale.status).toBe(401);
  });

  it('a kept session still slides its expiry in the database', async () => {
    const c = await signIn(t, DEMO.worker);
    t.clock.advance(6 * 60_000);
    expect(await meStatus(c)).toBe(200);
    const row = await t.db.get<{ last_verified_at: number }>('SELECT s.last_verified_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ?', [DEMO.worker.username]);
    expect(row!.last_verified_at).toBe(t.clock.now);
  });
});

describe('cookies over HTTPS', () => {
  it('uses a Secure __Host- cookie behind a TLS proxy', async () => {
    const tls = await createTestApp({ config: { trustProxy: true } });
    const res = await tls.app.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://stillhere.example', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'stillhere.example' },
      body: JSON.stringify(DEMO.worker),
    });
    expect(res.status).toBe(200);
    const set = res.headers.getSetCookie()[0]!;
    expect(set).toMatch(/^__Host-sh_session=/);
    expect(set).toMatch(/Secure/);
    await tls.close();
  });
});
