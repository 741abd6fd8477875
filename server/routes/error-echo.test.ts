// An error answer says what was wrong without echoing the request back: valibot's messages quote
// the received value, and a 79 KB push once came back as a 158 KB error (issue 15).
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors.ts';
import type { AppError } from '../errors.ts';
import { validate } from '../http/json.ts';
import { DEMO } from '../seed/demo.ts';
import { client, createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';

let t: TestApp;
let phone: Client;
beforeAll(async () => {
  t = await createTestApp();
  phone = await signIn(t, DEMO.retireeOpen, 'device-echo-0001');
});
afterAll(async () => t.close());

const HUGE = 'x'.repeat(78_000);
// Far below what any of these requests sends, far above a useful explanation.
const MAX_ERROR_BYTES = 4096;

async function expectSmallError(res: Response, status: number) {
  const text = await res.text();
  expect(res.status).toBe(status);
  expect(text.length).toBeLessThan(MAX_ERROR_BYTES);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(ERROR_CODES).toContain(body.error.code);
  expect(typeof body.error.message).toBe('string');
  return body;
}

describe('error answers stay small whatever was sent', () => {
  it('a huge string where an array belongs', async () => {
    const body = await expectSmallError(await phone.request('/api/sync/push', { json: { items: HUGE } }), 400);
    expect(body.error.message).toMatch(/^items: /);
  });

  it('a huge unknown key', async () => {
    await expectSmallError(await phone.request('/api/sync/push', { json: { items: [1], [HUGE]: 1 } }), 400);
  });

  it('thousands of bad fields: the first few are listed, the rest counted', () => {
    let error: AppError | undefined;
    try {
      validate(v.array(v.string()), Array.from({ length: 5000 }, (_, i) => i));
    } catch (err) {
      error = err as AppError;
    }
    expect(error?.details?.issues).toHaveLength(10);
    expect(error?.details?.omittedIssues).toBe(4990);
  });

  it('a huge multipart batch', async () => {
    const form = new FormData();
    form.set('batch', JSON.stringify({ items: HUGE }));
    await expectSmallError(await phone.request('/api/sync/push', { body: form }), 400);
  });

  it('a long unknown API path', async () => {
    await expectSmallError(await client(t).request(`/api/${'y'.repeat(8000)}`), 404);
  });
});
