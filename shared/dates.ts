// Calendar dates travel as 'YYYY-MM-DD' strings: they compare correctly as strings, survive JSON and
// SQLite unchanged, and carry no time zone that could shift a deadline by a day.
export type LocalDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isValidDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function toUtcMs(date: LocalDate): number {
  const m = DATE_RE.exec(date);
  if (!m || !isValidDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function fromUtcMs(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

export function addYears(date: LocalDate, years: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // 29 February moves to 28 February in a common year rather than rolling into March.
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

// Building an Intl.DateTimeFormat costs far more than using one; the server asks for every request.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date at instant `now` in `timeZone` (e.g. 'Asia/Shanghai'). */
export function localDateIn(timeZone: string, now: Date | number): LocalDate {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(typeof now === 'number' ? new Date(now) : now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The day `n` working days after `date`: Monday to Friday. Public holidays and the weekend days
 * China makes working days (调休) are not known here, so around a holiday this is early, never late.
 */
export function addWorkingDays(date: LocalDate, n: number): LocalDate {
  let day = date;
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    const weekday = new Date(toUtcMs(day)).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return day;
}
