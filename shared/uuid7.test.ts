import { describe, expect, it } from 'vitest';
import { UUID7_RE, uuidv7, uuidv7Time } from './uuid7.ts';

describe('uuidv7', () => {
  it('has the v7 layout, carries its millisecond time and sorts by it', () => {
    const t = Date.UTC(2026, 10, 22, 2, 0, 0, 123);
    const id = uuidv7(t);
    expect(id).toMatch(UUID7_RE);
    expect(uuidv7Time(id)).toBe(t);
    expect(uuidv7(t) < uuidv7(t + 1)).toBe(true);
  });

  it('stays unique when many are made in the same millisecond (a phone with a stuck clock)', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => uuidv7(0)));
    expect(ids.size).toBe(10_000);
  });
});
