// A flood of sign-ins and activations cannot stall the API (issue 15): the throttle is asked before
// any hashing, only a few hashes run at once, and tries beyond the queue are answered 503 with
// Retry-After at once, while /api/health answers. Real SQLite, the real scrypt (cheap cost).
import { afterEach, describe, expect, it } from 'vitest';
import { createPasswordHasher, type PasswordHasher } from '../auth/password.ts';
import { DEMO } from '../seed/demo.ts';
import { client, createTestApp, type TestApp } from '../test-support.ts';

let t: TestApp;
afterEach(async () => t.close());

/** The real hasher; after hold(), each scrypt starts only once the test calls open(). Counts the hashes. */
function gatedHasher() {
  const real = createPasswordHasher(10);
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  const hold = () => {
    gate = new Promise<void>((r) => (open = r));
  };
  const counts = { hash: 0, verify: 0, burn: 0 };
  const hasher: PasswordHasher = {
    hash: async (s) => (counts.hash++, await gate, real.hash(s)),
    verify: async (h, s) => (counts.verify++, await gate, real.verify(h, s)),
    burn: async (s) => (counts.burn++, await gate, real.burn(s)),
  };
  return { hasher, counts, hold, open: () => open() };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('hashing under a flood', () => {
  it('answers 503 server_busy with Retry-After beyond the queue, gives those tries back, and health stays quick', async () => {
    const { hasher, counts, hold, open } = gatedHasher();
    t = await createTestApp({ deps: { passwords: hasher }, config: { hashQueue: { running: 1, waiting: 1 } } });
    hold();
    const c = client(t);
    let answered = 0;
    const tries = Array.from({ length: 6 }, (_, i) =>
      c.request('/api/auth/sign-in', { json: { username: `nobody${i}.x`, password: 'wrong' } }).finally(() => answered++),
    );
    // While the first hash is held: one runs, one waits, the four others are turned away.
    for (let i = 0; i < 250 && answered < 4; i++) await tick();
    expect(answered).toBe(4);
    const started = performance.now();
    const health = await c.request('/api/health');
    expect(health.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(200);
    expect(counts.burn).toBe(1);
    open();
    const answers = await Promise.all(tries);
    const busy = answers.filter((r) => r.status === 503);
    expect(busy).toHaveLength(4);
    expect(answers.filter((r) => r.status === 401)).toHaveLength(2);
    for (const res of busy) {
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
      const body = await res.json();
      expect(body.error).toMatchObject({ code: 'server_busy', details: { retryAfter: expect.any(Number) } });
      expect(typeof body.error.message).toBe('string');
    }
    // A refused try was never checked: it left nothing counted against its account.
    const counted = await t.db.all<{ key: string }>('SELECT key FROM login_throttle ORDER BY key');
    expect(counted).toHaveLength(2);
  });

  it('activation asks the throttle before hashing: tries on a locked account and made-up codes hash nothing', async () => {
    const { hasher, counts } = gatedHasher();
    t = await createTestApp({ deps: { passwords: hasher, throttle: { baseDelayMs: 0 } } });
    counts.hash = 0;
    const c = client(t);
    const activate = (code: string) => c.json('/api/auth/activate', { json: { idNumber: DEMO.retireeNew.idNumber, code, pin: '502718' } });
    for (let i = 0; i < 10; i++) await activate(String(11_111_111 + i));
    expect(counts.hash).toBe(0);
    const flood = await Promise.all(Array.from({ length: 48 }, () => activate(DEMO.retireeNew.activationCode)));
    expect(flood.every((a) => a.status === 429)).toBe(true);
    expect(counts.hash).toBe(0);
  });

  it('someone signed in changing their PIN is not turned away while the queue is full of sign-ins', async () => {
    const real = createPasswordHasher(10);
    t = await createTestApp({ deps: { passwords: real }, config: { hashQueue: { running: 1, waiting: 0 } } });
    const me = client(t);
    expect((await me.json('/api/auth/sign-in/retiree', { json: { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin } })).status).toBe(200);
    const flood = Array.from({ length: 10 }, (_, i) => client(t).request('/api/auth/sign-in', { json: { username: `nobody${i}.x`, password: 'wrong' } }));
    const change = await me.json('/api/me/pin', { json: { currentPin: DEMO.retireeOpen.pin, newPin: '502718' } });
    expect(change.status).toBe(200);
    await Promise.all(flood);
  });
});
