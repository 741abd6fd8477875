// The one range an <audio> or <img> element asks for, as RFC 9110 reads it.
import { describe, expect, it } from 'vitest';
import { byteRange } from './bytes.ts';

describe('byteRange', () => {
  it('reads a start, a start and end, and a suffix', () => {
    expect(byteRange('bytes=0-', 100)).toEqual({ start: 0, end: 99 });
    expect(byteRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
    expect(byteRange('bytes=90-500', 100)).toEqual({ start: 90, end: 99 });
    expect(byteRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(byteRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
  });

  it('answers the whole for no range, several ranges, another unit or nonsense', () => {
    for (const h of [undefined, '', 'bytes=0-1,5-9', 'items=0-1', 'bytes=-', 'bytes=a-b', 'bytes=20-10']) expect(byteRange(h, 100), String(h)).toBeNull();
  });

  it('says a range past the end, or of nothing, cannot be satisfied', () => {
    expect(byteRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(byteRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(byteRange('bytes=0-', 0)).toBe('unsatisfiable');
  });
});
