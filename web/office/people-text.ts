// The People and Audit log screens' strings (web/i18n/office-people.ts), typed by their own keys.
import { t, type MessageKey } from '../i18n/index.ts';
import type { zh } from '../i18n/office-people.ts';

export type PeopleKey = keyof typeof zh;

export const pt = (key: PeopleKey, vars?: Record<string, string | number>): string => t(key as MessageKey, vars);

/** An event in words; one this screen has no words for yet is shown by its name. */
export function eventText(event: string): string {
  const key = `o.audit.ev.${event}` as PeopleKey;
  const text = pt(key);
  return text === key ? event : text;
}
