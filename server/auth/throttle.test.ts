import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../seed/demo.ts';
import { client, createTestApp, type TestApp } from '../test-support.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const id = DEMO.retireeOpen.idNumber;
const tryPin = (pin: string, ip?: string) =>
  client(t).json('/api/auth/sign-in/retiree', { json: { idNumber: id, pin }, headers: ip ? { 'X-Forwarded-For': ip } : {} });

/** Fails once, waiting out any delay first, as a patient attacker would. */
async function failOnce() {
  for (;;) {
    const res = await tryPin('000001');
    if (res.body.error.code !== 'rate_limited') return res;
    t.clock.now = res.body.error.details.retryAt;
  }
}

describe('per-account throttling', () => {
  it('counts down, then delays with growing waits, then locks at 10 failures', async () => {
    const answers = [];
    const waits = [];
    for (let i = 0; i < 10; i++) {
      const res = await failOnce();
      answers.push(res);
      if (res.body.error.details.retryAt && i < 9) waits.push(res.body.error.details.retryAt - t.clock.now);
    }
    expect(answers.slice(0, 9).map((r) => r.body.error.details.attemptsLeft)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000]);
    expect(answers[9]!.status).toBe(429);
    expect(answers[9]!.body.error.code).toBe('account_locked');
  });

  it('refuses even the right PIN while locked and says until when; works after the lock', async () => {
    for (let i = 0; i < 10; i++) await failOnce();
    const locked = await tryPin(DEMO.retireeOpen.pin);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('account_locked');
    const until = locked.body.error.details.retryAt;
    expect(until - t.clock.now).toBeGreaterThan(59 * 60_000);
    t.clock.now = until;
    expect((await tryPin(DEMO.retireeOpen.pin)).status).toBe(200);
  });

  it('refuses a try during the delay without counting it', async () => {
    for (let i = 0; i < 3; i++) await failOnce();
    const early = await tryPin('000001');
    expect(early.body.error.code).toBe('rate_limited');
    const row = await t.db.get<{ failures: number }>('SELECT failures FROM login_throttle WHERE key = ?', [`retiree:${id}`]);
    expect(row?.failures).toBe(3);
  });

  it('a success clears the count', async () => {
    await failOnce();
    await failOnce();
    expect((await tryPin(DEMO.retireeOpen.pin)).status).toBe(200);
    expect((await failOnce()).body.error.details.attemptsLeft).toBe(9);
  });

  it('locks unknown ID numbers the same way, so locks do not reveal who is enrolled', async () => {
    const stranger = '11010519491231002X';
    let last;
    for (let i = 0; i < 10; i++) {
      last = await client(t).json('/api/auth/sign-in/retiree', { json: { idNumber: stranger, pin: '000001' } });
      if (last.body.error.code === 'rate_limited') {
        t.clock.now = last.body.error.details.retryAt;
        i--;
      }
    }
    expect(last!.body.error.code).toBe('account_locked');
  });

  it('writes failures and the lockout to the audit log', async () => {
    for (let i = 0; i < 10; i++) await failOnce();
    const events = await t.db.all<{ event: string; subject: string }>('SELECT event, subject FROM audit_log WHERE subject = ?', [`retiree:${id}`]);
    expect(events.filter((e) => e.event === 'sign_in_failed')).toHaveLength(10);
    expect(events.filter((e) => e.event === 'lockout')).toHaveLength(1);
  });
});

describe('per-IP throttling', () => {
  it('stops one address from walking through many accounts', async () => {
    const behindProxy = await createTestApp({ config: { trustProxy: true }, deps: { throttle: { ipMaxFailures: 5 } } });
    const attempt = (username: string, ip: string) =>
      client(behindProxy).json('/api/auth/sign-in', { json: { username, password: 'wrong' }, headers: { 'X-Forwarded-For': ip } });
    for (let i = 0; i < 5; i++) expect((await attempt(`user${i}.x`, '203.0.113.9')).status).toBe(401);
    const blocked = await attempt('user9.x', '203.0.113.9');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect((await attempt('user9.x', '198.51.100.7')).status).toBe(401);
    await behindProxy.close();
  });
});
