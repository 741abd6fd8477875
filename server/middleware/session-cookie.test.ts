// On HTTPS only the __Host- cookie is a session (issue 15): the bare name can be set by any
// subdomain or over plain HTTP by a network attacker (cookie tossing), the __Host- prefix cannot.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../seed/demo.ts';
import { createTestApp, type TestApp } from '../test-support.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ config: { trustProxy: true } });
});
afterEach(async () => t.close());

const HTTPS = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'stillhere.example.org' };

async function tokenOverHttps(): Promise<string> {
  const res = await t.app.request('/api/auth/sign-in/retiree', {
    method: 'POST',
    headers: { ...HTTPS, Origin: 'https://stillhere.example.org', 'Content-Type': 'application/json' },
    body: JSON.stringify({ idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }),
  });
  expect(res.status).toBe(200);
  const set = res.headers.getSetCookie()[0]!;
  expect(set).toMatch(/^__Host-sh_session=/);
  expect(set).toMatch(/; Secure/);
  return set.split(';')[0]!.split('=')[1]!;
}

const me = (cookie: string, headers: Record<string, string> = HTTPS) => t.app.request('/api/me', { headers: { ...headers, Cookie: cookie } });

describe('the session cookie on HTTPS', () => {
  it('accepts the __Host- cookie', async () => {
    expect((await me(`__Host-sh_session=${await tokenOverHttps()}`)).status).toBe(200);
  });

  it('refuses the bare sh_session cookie, even carrying a valid session, when __Host- is absent', async () => {
    const res = await me(`sh_session=${await tokenOverHttps()}`);
    expect(res.status).toBe(401);
  });

  it('does not let a bare cookie stand in for, or beside, the __Host- one', async () => {
    const token = await tokenOverHttps();
    expect((await me(`sh_session=${token}; __Host-sh_session=nonsense.token`)).status).toBe(401);
  });

  it('over plain HTTP (local development) the bare name is the session', async () => {
    const token = await tokenOverHttps();
    expect((await me(`sh_session=${token}`, {})).status).toBe(200);
  });
});
