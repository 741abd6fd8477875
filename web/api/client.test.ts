// The web's side of the contracts (decision 086): `call` fills the path's parameters and the query,
// sends the body the contract takes and answers with the contract's type, through the REAL server
// app (the page's fetch is routed into app.request, cookies kept as a browser keeps them); the
// server's error reads as ApiError by its code. The compiler half: wrong parameters or bodies do
// not compile (the @ts-expect-error lines below fail the typecheck if they ever do).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTH } from '../../shared/schemas/auth.ts';
import { STATUS } from '../../shared/schemas/status.ts';
import { DEMO } from '../../server/seed/demo.ts';
import { client, createTestApp, type TestApp } from '../../server/test-support.ts';
import { ApiError, call } from './client.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
  const browser = client(t);
  vi.stubGlobal('fetch', (input: string, init: RequestInit = {}) =>
    browser.request(input, { method: init.method, body: init.body ?? undefined, headers: { ...(init.headers as Record<string, string>) } }),
  );
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await t.close();
});

describe('call(contract)', () => {
  it('signs in, reads Me, the status by path parameter and the years by query, as the contracts type them', async () => {
    const me = await call(AUTH.signInRetiree, { json: { idNumber: DEMO.retireeCertified.idNumber, pin: DEMO.retireeCertified.pin } });
    expect(me.user.role).toBe('retiree');
    const id = me.retiree!.id;
    expect((await call(AUTH.me)).sessionStartedAt).toBe(me.sessionStartedAt);
    const own = await call(STATUS.mine);
    expect(await call(STATUS.ofRetiree, { params: { id } })).toEqual(own);
    expect(own.status.state).toBe('certified');
    const { years } = await call(STATUS.years, { query: new URLSearchParams({ retireeId: String(id) }) });
    expect(years.some((y) => y.status === 'approved')).toBe(true);
    expect(await call(AUTH.signOut)).toEqual({ ok: true });
    await expect(call(AUTH.me)).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('reads a refusal by its code', async () => {
    const refused = await call(AUTH.signInRetiree, { json: { idNumber: DEMO.retireeCertified.idNumber, pin: '000000' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('invalid_credentials');
  });
});

/** Never run: it only has to compile, or fail to where it says so. */
export function typeChecks() {
  // @ts-expect-error the path names :id
  void call(STATUS.ofRetiree);
  // @ts-expect-error no such parameter
  void call(STATUS.ofRetiree, { params: { retireeId: 1 } });
  // @ts-expect-error the body is the schema's: a PIN, not a password
  void call(AUTH.signInRetiree, { json: { idNumber: '1', password: 'x' } });
  // @ts-expect-error GET /api/me takes no body
  void call(AUTH.me, { json: {} });
  // @ts-expect-error the answer is Me, which has no `status`
  void call(AUTH.me).then((me) => me.status);
}
