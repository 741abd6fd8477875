/**
 * Megabytes with one decimal, in the reader's number format: "4.1" of "17.9" MB. Rounded down, so
 * the bar never shows the total before the last byte is in.
 */
export function megabytes(bytes: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.floor(bytes / 1e5) / 10);
}
