// Password and PIN hashing with scrypt from node:crypto: memory-hard, built into Node (no native
// add-on to compile on a fresh machine), and parameters live in the hash string so they can be raised
// later without breaking stored hashes. See docs/decisions/004-password-hashing.md.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface PasswordHasher {
  hash(secret: string): Promise<string>;
  verify(hash: string, secret: string): Promise<boolean>;
  /** Spends the same time as a real verify, for accounts that do not exist. */
  burn(secret: string): Promise<void>;
}

const KEY_LENGTH = 32;

/** scrypt on libuv's thread pool; the server passes its own hashing threads instead (hash-threads.ts). */
export type Derive = (secret: string, salt: Buffer, keyLength: number, options: ScryptOptions) => Promise<Buffer>;

const onLibuvPool: Derive = (secret, salt, keyLength, options) =>
  new Promise((resolve, reject) => scrypt(secret, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));

/**
 * `cost` is log2(N). 17 is OWASP's minimum for scrypt; tests may pass less to stay fast. `run`
 * computes the scrypt itself: libuv's pool unless the server gives its own threads (decision 051).
 */
export function createPasswordHasher(cost = 17, run: Derive = onLibuvPool): PasswordHasher {
  const derive = (secret: string, salt: Buffer, N: number, r: number, p: number) =>
    run(secret.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  const N = 2 ** cost;
  const r = 8;
  const p = 1;
  const dummySalt = randomBytes(16);
  return {
    async hash(secret) {
      const salt = randomBytes(16);
      const key = await derive(secret, salt, N, r, p);
      return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
    },
    async verify(hash, secret) {
      const parts = hash.split('$');
      if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
      const [n, rr, pp] = parts.slice(1, 4).map(Number) as [number, number, number];
      const expected = Buffer.from(parts[5]!, 'base64');
      const key = await derive(secret, Buffer.from(parts[4]!, 'base64'), n, rr, pp);
      return key.length === expected.length && timingSafeEqual(key, expected);
    },
    async burn(secret) {
      await derive(secret, dummySalt, N, r, p);
    },
  };
}
