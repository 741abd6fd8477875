// Re-activation of an account in use (issue 15): a new code for a retiree who already has a PIN
// resets it and signs them out everywhere, so only the office may issue it; it is audited, and the
// retiree's phone is told why it was signed out. Decision 051.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../seed/demo.ts';
import { client, createTestApp, signIn, type TestApp } from '../test-support.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const retireeId = async (idNumber: string) => (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;
const events = async (event: string) => t.db.all<{ user_id: number; subject: string }>('SELECT user_id, subject FROM audit_log WHERE event = ?', [event]);

describe('re-activation', () => {
  it('a worker cannot issue a code for a retiree who already has a PIN: 403 reactivation_needs_office, audited', async () => {
    const worker = await signIn(t, DEMO.worker);
    const id = await retireeId(DEMO.retireeOpen.idNumber);
    const res = await worker.json(`/api/retirees/${id}/activation-codes`, { json: {} });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('reactivation_needs_office');
    expect(await t.db.get('SELECT 1 FROM activation_codes WHERE retiree_id = ?', [id])).toBeUndefined();
    expect(await events('reactivation_refused')).toEqual([{ user_id: expect.any(Number), subject: `retiree:${id}` }]);
  });

  it('a worker still issues the first code of a retiree who never had a PIN', async () => {
    const worker = await signIn(t, DEMO.worker);
    const res = await worker.json(`/api/retirees/${await retireeId(DEMO.retireeNew.idNumber)}/activation-codes`, { json: {} });
    expect(res.status).toBe(201);
    expect(res.body.reactivation).toBe(false);
    expect(await events('activation_code_issued')).toHaveLength(1);
  });

  it('the office may, audited; using the code ends the retiree’s sessions and each phone is told the office reset the PIN', async () => {
    const phone = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'zhang-own-phone-0001');
    const office = await signIn(t, DEMO.admin);
    const id = await retireeId(DEMO.retireeOpen.idNumber);
    const issued = await office.json(`/api/retirees/${id}/activation-codes`, { json: {} });
    expect(issued.status).toBe(201);
    expect(issued.body.reactivation).toBe(true);
    expect(await events('reactivation_code_issued')).toHaveLength(1);
    // Issuing alone changes nothing for the phone.
    expect((await phone.json('/api/me')).status).toBe(200);

    t.clock.advance(60_000);
    const used = await client(t).json('/api/auth/activate', { json: { idNumber: DEMO.retireeOpen.idNumber, code: issued.body.code, pin: '502718' } });
    expect(used.status).toBe(200);
    expect(await events('reactivated')).toHaveLength(1);

    const me = await phone.request('/api/me');
    expect(me.status).toBe(401);
    const body = await me.json();
    expect(body.error).toMatchObject({ code: 'unauthenticated', details: { sessionEnded: 'pin_reset', endedAt: t.clock.now } });
    // The cookie is kept, so the phone hears it again (a sync may ask before the app does)…
    expect(me.headers.getSetCookie()).toEqual([]);
    expect((await phone.json('/api/me/status')).body.error.details.sessionEnded).toBe('pin_reset');
    // …until someone signs in on it again.
    await phone.json('/api/auth/sign-in/retiree', { json: { idNumber: DEMO.retireeOpen.idNumber, pin: '502718' } });
    expect((await phone.json('/api/me')).status).toBe(200);
  });

  it('only the phone holding the session is told: a made-up secret for its id hears nothing', async () => {
    const phone = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin });
    const office = await signIn(t, DEMO.admin);
    const issued = await office.json(`/api/retirees/${await retireeId(DEMO.retireeOpen.idNumber)}/activation-codes`, { json: {} });
    await client(t).json('/api/auth/activate', { json: { idNumber: DEMO.retireeOpen.idNumber, code: issued.body.code, pin: '502718' } });
    const forged = client(t);
    forged.cookie = `${phone.cookie.split('.')[0]}.abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnop`;
    const res = await forged.json('/api/me');
    expect(res.status).toBe(401);
    expect(res.body.error.details).toBeUndefined();
  });

  it('a first activation or a PIN change signs other phones out without that message', async () => {
    const here = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin });
    const other = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin });
    expect((await here.json('/api/me/pin', { json: { currentPin: DEMO.retireeOpen.pin, newPin: '502718' } })).status).toBe(200);
    const res = await other.json('/api/me');
    expect(res.status).toBe(401);
    expect(res.body.error.details).toBeUndefined();
  });
});
