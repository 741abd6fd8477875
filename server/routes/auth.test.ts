import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../seed/demo.ts';
import { client, createTestApp, signIn, type TestApp } from '../test-support.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const retiree = { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin };

describe('retiree sign-in', () => {
  it('creates a session cookie that /api/me accepts', async () => {
    const c = await signIn(t, retiree, 'phone-abc-123');
    expect(c.cookie).toMatch(/^sh_session=[a-z0-9]+\.[a-z0-9]+$/);
    const me = await c.json('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ role: 'retiree', displayName: DEMO.retireeOpen.name });
    expect(me.body.retiree.idNumber).toBe(DEMO.retireeOpen.idNumber);
    const device = await t.db.get<{ id: string }>('SELECT id FROM devices WHERE id = ?', ['phone-abc-123']);
    expect(device?.id).toBe('phone-abc-123');
  });

  it('names the session to the phone by its start, the same on every /api/me, different for the next sign-in', async () => {
    const c = await signIn(t, retiree, 'phone-abc-123');
    const first = (await c.json('/api/me')).body;
    const row = await t.db.get<{ created_at: number }>('SELECT created_at FROM sessions WHERE user_id = ?', [first.user.id]);
    expect(first.sessionStartedAt).toBe(row!.created_at);
    expect((await c.json('/api/me')).body.sessionStartedAt).toBe(first.sessionStartedAt);
    t.clock.advance(1000);
    const again = await signIn(t, retiree, 'phone-abc-123');
    expect((await again.json('/api/me')).body.sessionStartedAt).not.toBe(first.sessionStartedAt);
  });

  it('accepts a lower-case x and surrounding spaces in the ID number', async () => {
    const idWithX = '11010519491231002X';
    const c = client(t);
    // Not enrolled: the point is that validation passes and the answer is invalid_credentials.
    const res = await c.json('/api/auth/sign-in/retiree', { json: { idNumber: ` ${idWithX.toLowerCase()} `, pin: '482913' } });
    expect(res.body.error.code).toBe('invalid_credentials');
  });

  it('stores only a hash of the session secret', async () => {
    const c = await signIn(t, retiree);
    const [id, secret] = c.cookie.split('=')[1]!.split('.');
    const row = await t.db.get<{ secret_hash: Buffer }>('SELECT secret_hash FROM sessions WHERE id = ?', [id!]);
    expect(row!.secret_hash.length).toBe(32);
    expect(row!.secret_hash.toString('utf8')).not.toContain(secret!);
  });

  it('creates a new session on every sign-in', async () => {
    const a = await signIn(t, retiree);
    const b = await signIn(t, retiree);
    expect(a.cookie).not.toBe(b.cookie);
    expect((await a.json('/api/me')).status).toBe(200);
    expect((await b.json('/api/me')).status).toBe(200);
  });

  it('rejects a tampered secret', async () => {
    const c = await signIn(t, retiree);
    c.cookie = c.cookie.slice(0, -1) + (c.cookie.endsWith('a') ? 'b' : 'a');
    const res = await c.json('/api/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });
});
