import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../seed/demo.ts';
import { client, createTestApp, signIn, type TestApp } from '../test-support.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const fresh = DEMO.retireeNew;
const activate = (code: string, pin = '502718', idNumber: string = fresh.idNumber) =>
  client(t).json('/api/auth/activate', { json: { idNumber, code, pin } });

describe('activation', () => {
  it('sets the first PIN with the code, signs in, and the code works only once', async () => {
    const res = await activate(fresh.activationCode);
    expect(res.status).toBe(200);
    expect(res.body.user.role).toBe('retiree');
    expect((await signIn(t, { idNumber: fresh.idNumber, pin: '502718' })).cookie).toBeTruthy();
    const again = await activate(fresh.activationCode, '692041');
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('invalid_activation_code');
  });

  it('refuses a wrong code and counts it against the account', async () => {
    const res = await activate('11111111');
    expect(res.body.error).toMatchObject({ code: 'invalid_activation_code', details: { attemptsLeft: 9 } });
  });

  it('refuses weak PINs, including the birthday', async () => {
    for (const pin of ['123456', '888888', '521105']) {
      const res = await activate(fresh.activationCode, pin);
      expect(res.body.error.code, pin).toBe('weak_pin');
    }
    // The code was not used up by the refused tries.
    expect((await activate(fresh.activationCode)).status).toBe(200);
  });

  it('an expired code no longer works', async () => {
    t.clock.advance(31 * 24 * 3_600_000);
    expect((await activate(fresh.activationCode)).body.error.code).toBe('invalid_activation_code');
  });

  it('the office issues a new code that replaces the old one, and it re-activates a forgotten PIN', async () => {
    const worker = await signIn(t, DEMO.admin);
    const retireeId = (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
    const old = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin });
    const issued = await worker.json(`/api/retirees/${retireeId}/activation-codes`, { json: {} });
    expect(issued.status).toBe(201);
    expect(issued.body.code).toMatch(/^\d{8}$/);
    const second = await worker.json(`/api/retirees/${retireeId}/activation-codes`, { json: {} });
    expect((await activate(issued.body.code, '502718', DEMO.retireeOpen.idNumber)).body.error.code).toBe('invalid_activation_code');
    expect((await activate(second.body.code, '502718', DEMO.retireeOpen.idNumber)).status).toBe(200);
    // Sessions made with the forgotten PIN end when a new one is set.
    expect((await old.json('/api/me')).status).toBe(401);
    const codes = await t.db.all<{ code_hash: string }>('SELECT code_hash FROM activation_codes WHERE retiree_id = ?', [retireeId]);
    expect(codes.every((c) => !c.code_hash.includes(second.body.code))).toBe(true);
  });
});

describe('change PIN', () => {
  const who = { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin };

  it('needs the current PIN, keeps this phone signed in, signs out the others', async () => {
    const here = await signIn(t, who);
    const elsewhere = await signIn(t, who);
    const wrong = await here.json('/api/me/pin', { json: { currentPin: '000000', newPin: '502718' } });
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const ok = await here.json('/api/me/pin', { json: { currentPin: who.pin, newPin: '502718' } });
    expect(ok.status).toBe(200);
    expect((await here.json('/api/me')).status).toBe(200);
    expect((await elsewhere.json('/api/me')).status).toBe(401);
    expect((await client(t).json('/api/auth/sign-in/retiree', { json: { idNumber: who.idNumber, pin: who.pin } })).status).toBe(401);
    expect((await signIn(t, { idNumber: who.idNumber, pin: '502718' })).cookie).toBeTruthy();
    expect(await t.db.get("SELECT 1 FROM audit_log WHERE event = 'pin_changed'")).toBeTruthy();
  });

  it('refuses a weak new PIN', async () => {
    const here = await signIn(t, who);
    const res = await here.json('/api/me/pin', { json: { currentPin: who.pin, newPin: '000000' } });
    expect(res.body.error.code).toBe('weak_pin');
  });
});
