// The real listening server cuts off clients that send slowly (issue 15): a request whose headers
// or body trickle in past the limits gets a 408 in the API's error shape and its socket closed, and
// an idle keep-alive connection is closed.
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support.ts';
import { listen } from './serve.ts';

let t: TestApp;
let server: ReturnType<typeof listen>;
let port: number;
const LIMITS = { headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 300 };

beforeAll(async () => {
  t = await createTestApp({ seed: false });
  server = listen(t.app, { port: 0, host: '127.0.0.1', ...LIMITS });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.close();
  await t.close();
});

/** A raw connection: what it received and when the server closed it. */
function open(): { socket: Socket; received: () => string; closed: Promise<number> } {
  const socket = connect({ port, host: '127.0.0.1' });
  let data = '';
  const started = performance.now();
  socket.on('data', (d) => (data += d.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now() - started)));
  return { socket, received: () => data, closed };
}

/** Writes `line` every `ms` until the socket closes. */
function trickle(socket: Socket, line: string, ms: number) {
  const timer = setInterval(() => {
    if (socket.writable) socket.write(line);
  }, ms);
  socket.on('close', () => clearInterval(timer));
}

function expectTimeoutAnswer(text: string) {
  expect(text).toMatch(/^HTTP\/1\.1 408 /);
  const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('request_timeout');
}

describe('slow clients are cut off', () => {
  it('headers that never finish: 408 and closed', async () => {
    const c = open();
    c.socket.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\n');
    trickle(c.socket, 'X-Slow: a\r\n', 50);
    const after = await c.closed;
    expect(after).toBeLessThan(LIMITS.headersTimeoutMs + 1500);
    expectTimeoutAnswer(c.received());
  });

  it('a body that trickles in: 408 and closed', async () => {
    const c = open();
    c.socket.write('POST /api/auth/sign-in HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{"username":"');
    trickle(c.socket, 'a', 50);
    const after = await c.closed;
    expect(after).toBeGreaterThanOrEqual(LIMITS.requestTimeoutMs - 50);
    expect(after).toBeLessThan(LIMITS.requestTimeoutMs + 1500);
    expectTimeoutAnswer(c.received());
  });

  it('an idle keep-alive connection is closed after its answer', async () => {
    const c = open();
    c.socket.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const after = await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(after).toBeLessThan(LIMITS.keepAliveTimeoutMs + 1500);
  });

  it('CONNECT gets a 405 in the error shape, not a silently closed socket', async () => {
    const c = open();
    c.socket.write('CONNECT /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await c.closed;
    const text = c.received();
    expect(text).toMatch(/^HTTP\/1\.1 405 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).error.code).toBe('bad_request');
  });

  /**
   * The server answers before it has read the body and closes. Unread bytes at the close make the
   * kernel reset the connection, and a client that had not yet read the answer loses it: this one
   * keeps sending, as clients do until they see the answer, and reads only after a pause.
   */
  async function answerToLargeBody(head: string): Promise<string> {
    const c = open();
    c.socket.pause();
    c.socket.write(head);
    const chunk = Buffer.alloc(65_536, 120);
    void (async () => {
      for (let sent = 0; sent < 9_000_000 && !c.socket.destroyed; sent += chunk.length) {
        if (!c.socket.write(chunk)) await new Promise((r) => c.socket.once('drain', r).once('close', r));
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    c.socket.resume();
    await Promise.race([c.closed, new Promise((resolve) => c.socket.once('data', resolve))]);
    c.socket.destroy();
    return c.received();
  }

  it('a body far over the limit, sent with Connection: close, still gets its 413', async () => {
    expect(await answerToLargeBody('POST /api/sync/challenges HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 9000000\r\n\r\n')).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('a malformed request with a large body still gets its 400', async () => {
    expect(await answerToLargeBody('GET /api/a b HTTP/1.1\r\nHost: localhost\r\nContent-Length: 9000000\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('malformed HTTP gets a 400 in the error shape', async () => {
    const c = open();
    c.socket.write('GARBAGE\r\n\r\n');
    await c.closed;
    const text = c.received();
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).error.code).toBe('bad_request');
  });
});
