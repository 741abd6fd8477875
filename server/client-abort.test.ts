// A client that goes away while sending its body is not a server error (issue 15, fuzz bench): it
// was logged as "unhandled error" with a stack and answered 500 to nobody.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO } from './seed/demo.ts';
import { createTestApp, ORIGIN, signIn, type TestApp } from './test-support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

it('a body cut off by the client is a 400, logged as what it is', async () => {
  const phone = await signIn(t, DEMO.retireeOpen, 'device-abort-0001');
  // What Node's HTTP server does to a request whose socket closed mid-body.
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"items":['));
      controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    },
  });
  const res = await t.app.request('/api/sync/push', {
    method: 'POST',
    headers: { Origin: ORIGIN, Cookie: phone.cookie, 'Content-Type': 'application/json' },
    body,
    duplex: 'half',
  } as RequestInit);
  expect(res.status).toBe(400);
  expect((await res.json()).error.code).toBe('bad_request');
  expect(t.logs.filter((l) => l.includes('unhandled error'))).toEqual([]);
});
