import { describe, expect, it } from 'vitest';
import { addDays, addWorkingDays, addYears, daysBetween, isValidDate, isValidTimeZone, localDateIn } from './dates.ts';

describe('dates', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2100-02-29', false],
    ['2000-02-29', true],
    ['2026-04-31', false],
    ['2026-4-1', false],
    ['20260401', false],
  ])('isValidDate(%s) = %s', (d, ok) => expect(isValidDate(d)).toBe(ok));

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('counts days between dates', () => {
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-06-30', '2026-06-01')).toBe(-29);
  });

  it('moves 29 February to 28 February in a common year', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('takes the date in the region’s time zone, not UTC', () => {
    // 2026-06-30 17:30 UTC is already 1 July in Beijing: the deadline has passed there.
    const instant = Date.UTC(2026, 5, 30, 17, 30);
    expect(localDateIn('Asia/Shanghai', instant)).toBe('2026-07-01');
    expect(localDateIn('UTC', instant)).toBe('2026-06-30');
    expect(localDateIn('Asia/Urumqi', instant)).toBe('2026-06-30');
  });

  it('recognises time zones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('rejects impossible dates instead of rolling them over', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('counts Monday to Friday only', () => {
    // 2027-03-01 is a Monday.
    expect(addWorkingDays('2027-03-01', 5)).toBe('2027-03-08');
    expect(addWorkingDays('2027-03-05', 1)).toBe('2027-03-08'); // Friday → Monday
    expect(addWorkingDays('2027-03-06', 1)).toBe('2027-03-08'); // Saturday → Monday
    expect(addWorkingDays('2027-03-03', 0)).toBe('2027-03-03');
    expect(addWorkingDays('2027-12-30', 5)).toBe('2028-01-06');
  });
});
