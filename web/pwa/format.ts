/**
 * Megabytes with one decimal, in the reader's number format: "4.1" of "17.9" MB. Rounded down, so
 * the bar never shows the total before the last byte is in.
 */
export function megabytes(bytes: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.floor(bytes / 1e5) / 10);
}

/** A slow village connection (Slow 3G, 500 kbit/s) as the yardstick for "how long will it take". */
const SLOW_BITS_PER_SECOND = 500_000;

/** Whole minutes (at least 1) to download `bytes` on a slow connection. */
export function slowMinutes(bytes: number): number {
  return Math.max(1, Math.ceil((bytes * 8) / SLOW_BITS_PER_SECOND / 60));
}
