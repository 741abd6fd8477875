import { afterAll, describe, expect, it } from 'vitest';
import { hashThreads } from './hash-threads.ts';
import { createPasswordHasher } from './password.ts';

const threads = hashThreads(2);
afterAll(() => threads.close());

describe('scrypt on hashing threads', () => {
  it('derives the same keys as on libuv’s pool: hashes made either way verify the other way', async () => {
    const onThreads = createPasswordHasher(12, threads.derive);
    const onPool = createPasswordHasher(12);
    expect(await onPool.verify(await onThreads.hash('135790'), '135790')).toBe(true);
    expect(await onThreads.verify(await onPool.hash('135790'), '135790')).toBe(true);
    expect(await onThreads.verify(await onPool.hash('135790'), '135791')).toBe(false);
  });

  it('runs more hashes than threads, each answered', async () => {
    const hasher = createPasswordHasher(10, threads.derive);
    const hashes = await Promise.all(Array.from({ length: 7 }, (_, i) => hasher.hash(`pin${i}`)));
    const checks = await Promise.all(hashes.map((h, i) => hasher.verify(h, `pin${i}`)));
    expect(checks).toEqual(Array(7).fill(true));
  });

  it('a scrypt that fails (too little memory allowed) rejects instead of hanging', async () => {
    await expect(threads.derive('x', Buffer.alloc(16), 32, { N: 2 ** 20, r: 8, p: 1, maxmem: 1024 })).rejects.toThrow(/memory/i);
  });
});
