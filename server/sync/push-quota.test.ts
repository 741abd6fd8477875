import { describe, expect, it } from 'vitest';
import { localDayBounds } from './push-quota.ts';

describe('localDayBounds', () => {
  it('is the local calendar day as [start, end) instants', () => {
    // 2026-11-22 10:00 in Beijing (UTC+8, no daylight saving).
    expect(localDayBounds('Asia/Shanghai', Date.UTC(2026, 10, 22, 2, 0))).toEqual({ day: '2026-11-22', start: Date.UTC(2026, 10, 21, 16, 0), end: Date.UTC(2026, 10, 22, 16, 0) });
    // The first and the last millisecond of that day.
    expect(localDayBounds('Asia/Shanghai', Date.UTC(2026, 10, 21, 16, 0)).day).toBe('2026-11-22');
    expect(localDayBounds('Asia/Shanghai', Date.UTC(2026, 10, 22, 16, 0) - 1).day).toBe('2026-11-22');
  });

  it('holds on a day of 23 hours (a zone with daylight saving)', () => {
    const b = localDayBounds('Europe/Berlin', Date.UTC(2026, 2, 29, 12, 0));
    expect(b).toEqual({ day: '2026-03-29', start: Date.UTC(2026, 2, 28, 23, 0), end: Date.UTC(2026, 2, 29, 22, 0) });
  });
});
