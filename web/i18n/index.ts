// Language state and lookup. zh-CN unless the browser prefers another language and English fits,
// or the user chose one (kept in localStorage).
import { createSignal } from 'solid-js';
import { en } from './en.ts';
import * as family from './family.ts';
import * as readAloud from './read-aloud.ts';
import type * as office from './office.ts';
import * as retiree from './retiree.ts';
import type * as worker from './worker.ts';
import { zhCN } from './zh-CN.ts';

export type Lang = 'zh-CN' | 'en';

// One catalog per area of the app (shared core, retiree, worker), merged here so that areas can
// grow without touching each other's files. The worker's catalog (`w.*` keys, used only by
// web/worker) comes with the worker app's lazy chunk, which adds it with addCatalog() before any of
// its screens renders; it is not part of the first screen's code (docs/decisions/045). The office
// console's catalog (`o.*`, web/office/catalog.ts) comes the same way with the office's chunk.
// The family service's strings (issue 19) come with the first screen: the retiree's Home asks with them.
const zhAll = { ...zhCN, ...retiree.zh, ...family.zh, ...readAloud.zh };
export type MessageKey = keyof typeof zhAll | keyof typeof worker.zh | keyof typeof office.zh;

const CATALOGS: Record<Lang, Record<string, string>> = {
  'zh-CN': zhAll,
  en: { ...en, ...retiree.en, ...family.en, ...readAloud.en },
};

/** Adds an area's strings (web/worker/catalog.ts does, for the worker app). */
export function addCatalog(catalog: Record<Lang, Record<string, string>>): void {
  Object.assign(CATALOGS['zh-CN'], catalog['zh-CN']);
  Object.assign(CATALOGS.en, catalog.en);
}
const STORAGE_KEY = 'stillhere.lang';

export function initialLang(stored: string | null, browser: readonly string[]): Lang {
  if (stored === 'zh-CN' || stored === 'en') return stored;
  const first = browser[0]?.toLowerCase() ?? 'zh';
  return first.startsWith('zh') || !first.startsWith('en') ? 'zh-CN' : 'en';
}

const [lang, setLangSignal] = createSignal<Lang>(
  initialLang(typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY), typeof navigator === 'undefined' ? [] : navigator.languages),
);

export { lang };

export function setLang(next: Lang): void {
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
  setLangSignal(next);
}

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  // `?? key`: a string of an area whose catalog is not loaded shows its key rather than crashing.
  return (CATALOGS[lang()][key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** 31 December 2026 / 2026年12月31日 */
export function formatDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang(), { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

/** 12月4日 21:43 / December 4 at 09:43 PM: when a record was made or last sent. */
export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(lang(), { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms);
}

export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(lang(), { hour: '2-digit', minute: '2-digit' }).format(ms);
}
