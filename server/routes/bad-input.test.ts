// Bad input gets a 4xx with a clear message in the one error shape, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../seed/demo.ts';
import { client, createTestApp, signIn, type TestApp } from '../test-support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const valid = { idNumber: DEMO.retireeOpen.idNumber, pin: '000001' };

describe('request bodies', () => {
  it.each<[string, { body?: string; json?: unknown; headers?: Record<string, string> }, number, string, RegExp]>([
    ['malformed JSON', { body: '{"idNumber": "1101', headers: { 'Content-Type': 'application/json' } }, 400, 'malformed_json', /not valid JSON/],
    ['a JSON array', { json: [valid] }, 400, 'validation_failed', /must be a JSON object/],
    ['a bare string', { json: 'hello' }, 400, 'validation_failed', /must be a JSON object/],
    ['a wrong type', { json: { ...valid, pin: 123456 } }, 400, 'validation_failed', /^pin: PIN must be text/],
    ['a missing field', { json: { idNumber: valid.idNumber } }, 400, 'validation_failed', /^pin:/],
    ['an unknown field', { json: { ...valid, isAdmin: true } }, 400, 'validation_failed', /isAdmin/],
    ['an ID number with a wrong check digit', { json: { ...valid, idNumber: DEMO.retireeOpen.idNumber.slice(0, 17) + '0' } }, 400, 'validation_failed', /checksum/],
    ['an impossible birth date in the ID', { json: { ...valid, idNumber: '110199194902300021' } }, 400, 'validation_failed', /birth_date/],
    ['a 5-digit PIN', { json: { ...valid, pin: '12345' } }, 400, 'validation_failed', /6 digits/],
    ['form data instead of JSON', { body: 'idNumber=1&pin=2', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type', /application\/json/],
    ['an oversized body', { json: { ...valid, pad: 'x'.repeat(10_000) } }, 413, 'payload_too_large', /larger than/],
  ])('%s', async (_name, init, status, code, message) => {
    const res = await client(t).json('/api/auth/sign-in/retiree', { method: 'POST', ...init });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
  });

  it('lists every field problem in details.issues', async () => {
    const res = await client(t).json('/api/auth/sign-in', { json: { username: 'A', password: 5 } });
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['password', 'username']);
  });

  it('rejects an inconsistent period with the reason', async () => {
    const admin = await signIn(t, DEMO.admin);
    const res = await admin.json('/api/regions/110199/periods/2028', {
      method: 'PUT',
      json: { selfStart: '2028-03-01', selfEnd: '2028-02-01', onsiteStart: '2028-06-01', onsiteEnd: '2028-06-30', deadline: '2028-06-30', suspensionDate: '2028-07-01' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('self-service window ends before it starts');
    const leap = await admin.json('/api/regions/110199/periods/2028', {
      method: 'PUT',
      json: { selfStart: '2028-02-30', selfEnd: '2028-06-30', onsiteStart: '2028-06-01', onsiteEnd: '2028-06-30', deadline: '2028-06-30', suspensionDate: '2028-07-01' },
    });
    expect(leap.body.error.message).toMatch(/^selfStart: Date must be a real date/);
  });

  it('refuses a period that overlaps another year', async () => {
    const admin = await signIn(t, DEMO.admin);
    const res = await admin.json('/api/regions/110199/periods/2027', {
      method: 'PUT',
      json: { selfStart: '2026-12-01', selfEnd: '2027-06-30', onsiteStart: '2027-06-01', onsiteEnd: '2027-06-30', deadline: '2027-06-30', suspensionDate: '2027-07-01' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/overlaps the 2026 period/);
  });
});

describe('paths', () => {
  it.each(['/api/retirees/abc', '/api/retirees/-1', '/api/retirees/0', '/api/retirees/1e3', '/api/retirees/99999999999999999999'])('%s is a 404, not a crash', async (path) => {
    const worker = await signIn(t, DEMO.worker);
    const res = await worker.json(path);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('cross-site requests', () => {
  it.each<[string, Record<string, string>, number]>([
    ['another Origin', { Origin: 'https://evil.example' }, 403],
    ['Sec-Fetch-Site: cross-site without Origin', { Origin: '', 'Sec-Fetch-Site': 'cross-site' }, 403],
    ['same-origin fetch metadata', { Origin: '', 'Sec-Fetch-Site': 'same-origin' }, 200],
  ])('%s', async (_name, headers, status) => {
    const c = await signIn(t, DEMO.worker);
    const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
    const res = await t.app.request('/api/auth/sign-out', { method: 'POST', headers: { Cookie: c.cookie, ...clean } });
    expect(res.status).toBe(status);
    if (status === 403) expect((await res.json()).error.code).toBe('csrf_rejected');
  });

  it('refuses a cookie-carrying POST with neither Origin nor Sec-Fetch-Site', async () => {
    const c = await signIn(t, DEMO.worker);
    const res = await t.app.request('/api/auth/sign-out-everywhere', { method: 'POST', headers: { Cookie: c.cookie } });
    expect(res.status).toBe(403);
    expect((await c.json('/api/me')).status).toBe(200);
  });

  it('lets a header-less tool sign in (no cookie, nothing to forge)', async () => {
    const res = await t.app.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(DEMO.worker),
    });
    expect(res.status).toBe(200);
  });
});

describe('unknown errors', () => {
  it('answers 500 without details and logs the cause', async () => {
    const broken = await createTestApp();
    // PostgreSQL also drops the view that reads it (SQLite's views are checked only when read).
    await broken.db.exec(`DROP TABLE audit_log${broken.db.engine === 'postgres' ? ' CASCADE' : ''}`);
    const res = await client(broken).json('/api/auth/sign-in', { json: { username: 'nobody.here', password: 'x' } });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'Something went wrong on the server' } });
    expect(broken.logs.join('\n')).toMatch(broken.db.engine === 'postgres' ? /relation \W+audit_log\W+ does not exist/ : 'no such table: audit_log');
    await broken.close();
  });
});
