// Guesses sent all at once (issue 15): the throttle reserves each try before its secret is checked,
// so no more than the limit is ever checked however many arrive together, and the right secret sent
// after them finds the account locked. Real SQLite, the real scrypt (cheap cost), app.request().
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO } from '../seed/demo.ts';
import { client, createTestApp, type TestApp } from '../test-support.ts';
import { createPasswordHasher, type PasswordHasher } from './password.ts';

const GUESSES = 120;

/** The real hasher, counting the secrets it checks (verify, and burn for unknown accounts). */
function countingHasher(): PasswordHasher & { checks: number } {
  const real = createPasswordHasher(10);
  const counted = {
    checks: 0,
    hash: (s: string) => real.hash(s),
    verify: (h: string, s: string) => {
      counted.checks++;
      return real.verify(h, s);
    },
    burn: (s: string) => {
      counted.checks++;
      return real.burn(s);
    },
  };
  return counted;
}

let t: TestApp;
afterEach(async () => t.close());

/** No waits between tries, so the lock itself is what is raced. */
const NO_DELAY = { baseDelayMs: 0 };

const wrongPins = (n: number) => Array.from({ length: n }, (_, i) => String(100_000 + i * 7919).slice(0, 6));

describe('guesses sent together', () => {
  it(`${GUESSES} PIN guesses on one account: at most maxFailures are checked, and the right PIN after them is locked out`, async () => {
    const hasher = countingHasher();
    t = await createTestApp({ deps: { passwords: hasher, throttle: NO_DELAY } });
    hasher.checks = 0;
    const c = client(t);
    const answers = await Promise.all(
      wrongPins(GUESSES).map((pin) => c.json('/api/auth/sign-in/retiree', { json: { idNumber: DEMO.retireeOpen.idNumber, pin } })),
    );
    expect(hasher.checks).toBeLessThanOrEqual(10);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(9);
    // The rest are refused unchecked: locked, or (holding the address's places meanwhile) rate-limited.
    expect(answers.filter((a) => a.status === 429)).toHaveLength(GUESSES - 9);
    const right = await c.json('/api/auth/sign-in/retiree', { json: { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin } });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('account_locked');
    const locks = await t.db.all("SELECT 1 FROM audit_log WHERE event = 'lockout'");
    expect(locks).toHaveLength(1);
  });

  it('with the default waits, only the free tries are checked and the right PIN after them has to wait', async () => {
    const hasher = countingHasher();
    t = await createTestApp({ deps: { passwords: hasher } });
    hasher.checks = 0;
    const c = client(t);
    const answers = await Promise.all(
      wrongPins(GUESSES).map((pin) => c.json('/api/auth/sign-in/retiree', { json: { idNumber: DEMO.retireeOpen.idNumber, pin } })),
    );
    expect(hasher.checks).toBe(3);
    expect(answers.filter((a) => a.body.error.code === 'rate_limited')).toHaveLength(GUESSES - 3);
    const right = await c.json('/api/auth/sign-in/retiree', { json: { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin } });
    expect(right.body.error.code).toBe('rate_limited');
  });

  it(`${GUESSES} activation codes on one account: at most maxFailures are checked, the right code after them is locked out`, async () => {
    t = await createTestApp({ deps: { throttle: NO_DELAY } });
    const c = client(t);
    const codes = Array.from({ length: GUESSES }, (_, i) => String(10_000_000 + i * 104_729).slice(0, 8));
    const answers = await Promise.all(
      codes.map((code) => c.json('/api/auth/activate', { json: { idNumber: DEMO.retireeNew.idNumber, code, pin: '502718' } })),
    );
    const checked = await t.db.all("SELECT 1 FROM audit_log WHERE event = 'sign_in_failed' AND details LIKE '%\"activate\"%'");
    expect(checked.length).toBeLessThanOrEqual(10);
    expect(answers.filter((a) => a.body.error.code === 'invalid_activation_code')).toHaveLength(9);
    const right = await c.json('/api/auth/activate', { json: { idNumber: DEMO.retireeNew.idNumber, code: DEMO.retireeNew.activationCode, pin: '502718' } });
    expect(right.body.error.code).toBe('account_locked');
    // The code was not used up: it works once the lock is over.
    t.clock.advance(60 * 60_000);
    expect((await c.json('/api/auth/activate', { json: { idNumber: DEMO.retireeNew.idNumber, code: DEMO.retireeNew.activationCode, pin: '502718' } })).status).toBe(200);
  });

  it(`${GUESSES} guesses from one address over many accounts: at most ipMaxFailures are checked`, async () => {
    const hasher = countingHasher();
    t = await createTestApp({ config: { trustProxy: true }, deps: { passwords: hasher, throttle: { ipMaxFailures: 20 } } });
    hasher.checks = 0;
    const c = client(t);
    const answers = await Promise.all(
      Array.from({ length: GUESSES }, (_, i) =>
        c.json('/api/auth/sign-in', { json: { username: `guess${i}.x`, password: 'wrong' }, headers: { 'X-Forwarded-For': '203.0.113.9' } }),
      ),
    );
    expect(hasher.checks).toBeLessThanOrEqual(20);
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(20);
    expect(answers.filter((a) => a.body.error.code === 'rate_limited').length).toBeGreaterThanOrEqual(GUESSES - 20);
  });

  it('a right PIN among the guesses signs in and starts the budget again; its place is not lost', async () => {
    t = await createTestApp({ deps: { throttle: NO_DELAY } });
    const c = client(t);
    const tries = [...wrongPins(4), DEMO.retireeOpen.pin];
    const answers = await Promise.all(tries.map((pin) => c.json('/api/auth/sign-in/retiree', { json: { idNumber: DEMO.retireeOpen.idNumber, pin } })));
    expect(answers.at(-1)!.status).toBe(200);
  });
});
