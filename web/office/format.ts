// Numbers and times on the office's screens, in the page's language.
import { lang } from '../i18n/index.ts';

/** 2026年11月22日 10:05 / 22 Nov 2026, 10:05 */
export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(lang(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** A share as a percentage with one decimal at most ("42.5"); "–" when there is nothing to divide. */
export function percent(share: number | null): string {
  return share === null ? '–' : String(Math.round(share * 1000) / 10);
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat(lang()).format(n);
}
