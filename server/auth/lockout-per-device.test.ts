// Lockout as a weapon (issue 15): knowing an ID number must not be enough to lock the retiree out of
// their own phone, and the per-IP cap must not lock out the phones behind a carrier NAT that the
// accounts already know. The office sees the accounts under attack. Decision 051.
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO } from '../seed/demo.ts';
import { client, createTestApp, signIn, type TestApp } from '../test-support.ts';

let t: TestApp;
afterEach(async () => t.close());

const NO_DELAY = { baseDelayMs: 0 };
const OWN_PHONE = 'zhang-own-phone-0001';
const who = DEMO.retireeOpen;

const tryPin = (pin: string, opts: { deviceId?: string; ip?: string } = {}) =>
  client(t).json('/api/auth/sign-in/retiree', {
    json: { idNumber: who.idNumber, pin, ...(opts.deviceId ? { deviceId: opts.deviceId } : {}) },
    headers: opts.ip ? { 'X-Forwarded-For': opts.ip } : {},
  });

async function lockFromElsewhere() {
  for (let i = 0; i < 10; i++) await tryPin(String(200_000 + i * 37), { deviceId: `attacker-phone-${String(i).padStart(4, '0')}` });
}

describe('a budget per phone', () => {
  it('guesses from unknown phones lock the account for unknown phones only: the retiree’s own phone still signs in', async () => {
    t = await createTestApp({ deps: { throttle: NO_DELAY } });
    await signIn(t, who, OWN_PHONE);
    await lockFromElsewhere();
    const stranger = await tryPin(who.pin, { deviceId: 'brand-new-phone-0001' });
    expect(stranger.body.error.code).toBe('account_locked');
    const own = await tryPin(who.pin, { deviceId: OWN_PHONE });
    expect(own.status).toBe(200);
    // …and its success does not open the lock for the others.
    expect((await tryPin(who.pin)).body.error.code).toBe('account_locked');
  });

  it('made-up device ids all share the one budget for unknown phones', async () => {
    t = await createTestApp({ deps: { throttle: NO_DELAY } });
    await lockFromElsewhere();
    const row = await t.db.get<{ failures: number; locked_until: number | null }>('SELECT failures, locked_until FROM login_throttle WHERE key = ?', [`retiree:${who.idNumber}`]);
    expect(row).toMatchObject({ failures: 10, locked_until: expect.any(Number) });
  });

  it('wrong PINs on the known phone lock that phone, not the account elsewhere', async () => {
    t = await createTestApp({ deps: { throttle: NO_DELAY } });
    await signIn(t, who, OWN_PHONE);
    for (let i = 0; i < 10; i++) await tryPin('200001', { deviceId: OWN_PHONE });
    expect((await tryPin(who.pin, { deviceId: OWN_PHONE })).body.error.code).toBe('account_locked');
    expect((await tryPin(who.pin, { deviceId: 'new-phone-after-loss-01' })).status).toBe(200);
  });

  it('the per-IP cap does not lock out phones the account knows', async () => {
    t = await createTestApp({ config: { trustProxy: true }, deps: { throttle: { ipMaxFailures: 5 } } });
    const nat = '100.64.0.1';
    await signIn(t, who, OWN_PHONE);
    for (let i = 0; i < 5; i++) {
      const res = await client(t).json('/api/auth/sign-in', { json: { username: `guess${i}.x`, password: 'wrong' }, headers: { 'X-Forwarded-For': nat } });
      expect(res.status).toBe(401);
    }
    expect((await tryPin(who.pin, { ip: nat })).body.error.code).toBe('rate_limited');
    expect((await tryPin(who.pin, { ip: nat, deviceId: OWN_PHONE })).status).toBe(200);
  });
});

describe('the office hears of it', () => {
  it('a lock is audited and the account is listed in GET /api/auth/under-attack, for the office of its region only', async () => {
    t = await createTestApp({ deps: { throttle: NO_DELAY } });
    await lockFromElsewhere();
    // Another region's retiree and a name that is nobody's are attacked too.
    for (let i = 0; i < 4; i++) {
      await client(t).json('/api/auth/sign-in/retiree', { json: { idNumber: DEMO.retireeSuspended.idNumber, pin: '200001' } });
      await client(t).json('/api/auth/sign-in', { json: { username: 'no.such.user', password: 'wrong' } });
    }
    const lock = await t.db.get<{ details: string }>("SELECT details FROM audit_log WHERE event = 'lockout' AND subject = ?", [`retiree:${who.idNumber}`]);
    expect(JSON.parse(lock!.details)).toMatchObject({ budget: 'unknown_devices', until: expect.any(Number) });

    const office = await signIn(t, DEMO.admin);
    const list = await office.json('/api/auth/under-attack');
    expect(list.status).toBe(200);
    expect(list.body.accounts).toEqual([
      {
        account: `retiree:${who.idNumber}`,
        kind: 'retiree',
        name: who.name,
        retireeId: expect.any(Number),
        communityName: expect.any(String),
        unknownDevices: { failures: 10, lockedUntil: expect.any(Number), lastTryAt: expect.any(Number) },
        knownDevices: { busy: 0, locked: 0 },
        lockoutsLastDay: 1,
      },
    ]);
    expect(list.body.unknownAccounts).toBe(1);

    const worker = await signIn(t, DEMO.worker);
    expect((await worker.json('/api/auth/under-attack')).status).toBe(403);
    expect((await client(t).json('/api/auth/under-attack')).status).toBe(401);
  });
});
