import { describe, expect, it } from 'vitest';
import { dayLabel, progressSeries } from './series.ts';

describe('the progress chart’s series', () => {
  it('runs the total day by day, then carries the number to certify on to the deadline with no values after today', () => {
    const s = progressSeries(
      [
        { on: '2026-12-29', certified: 2 },
        { on: '2026-12-30', certified: 0 },
        { on: '2026-12-31', certified: 3 },
      ],
      40,
      '2027-01-02',
    );
    expect(s.days.map(dayLabel)).toEqual(['12-29', '12-30', '12-31', '1-1', '1-2']);
    expect(s.perDay).toEqual([2, 0, 3, null, null]);
    expect(s.cumulative).toEqual([2, 2, 5, null, null]);
    expect(s.due).toEqual([40, 40, 40, 40, 40]);
    expect(s.days[1]! - s.days[0]!).toBe(86_400);
  });

  it('after the deadline the days go on to today and nothing is added', () => {
    const s = progressSeries([{ on: '2027-01-01', certified: 1 }, { on: '2027-01-02', certified: 1 }], 3, '2027-01-01');
    expect(s.cumulative).toEqual([1, 2]);
  });
});
