// The progress chart's data: certifications per day, their running total, and the number to
// certify, on one day axis from the period's first day to its deadline (or today, when later).
// Days after today have no values, so the lines stop at today.
import { addDays, type LocalDate } from '../../shared/dates.ts';

export interface ProgressSeries {
  /** Each day at 00:00 UTC, in seconds (the chart's x axis). */
  days: number[];
  perDay: (number | null)[];
  cumulative: (number | null)[];
  due: number[];
}

const seconds = (day: LocalDate) => Date.parse(`${day}T00:00:00Z`) / 1000;

export function progressSeries(daily: readonly { on: LocalDate; certified: number }[], expected: number, deadline: LocalDate | null): ProgressSeries {
  const out: ProgressSeries = { days: [], perDay: [], cumulative: [], due: [] };
  let total = 0;
  for (const d of daily) {
    total += d.certified;
    out.days.push(seconds(d.on));
    out.perDay.push(d.certified);
    out.cumulative.push(total);
    out.due.push(expected);
  }
  const last = daily.at(-1)?.on;
  if (last && deadline) {
    for (let day = addDays(last, 1); day <= deadline; day = addDays(day, 1)) {
      out.days.push(seconds(day));
      out.perDay.push(null);
      out.cumulative.push(null);
      out.due.push(expected);
    }
  }
  return out;
}

/** 12-31 style labels for the day axis, read in UTC as the days were written. */
export function dayLabel(secondsUtc: number): string {
  const d = new Date(secondsUtc * 1000);
  return `${d.getUTCMonth() + 1}-${d.getUTCDate()}`;
}
