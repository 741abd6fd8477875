// What the retiree page says in words (decision 057). The status sentence is built from the state the
// certification rules gave on the server (the same as /api/me/status), never decided here; the
// review reasons, methods and distances are the review queue's words.
import type { CertificationState } from '../../shared/certification-rules.ts';
import { addDays } from '../../shared/dates.ts';
import type { Enrolment, WaitingItem } from '../../shared/schemas/office-retiree.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { zh } from '../i18n/office-retiree.ts';

export type RetireeKey = keyof typeof zh;

/** The page's own strings (web/i18n/office-retiree.ts, added by ./catalog.ts). */
export const rt = (key: RetireeKey, vars?: Record<string, string | number>): string => t(key as MessageKey, vars);

/** A sentence as a key and its values; dates are ISO days, formatted when said. */
export interface Said {
  key: RetireeKey;
  vars: Record<string, string | number>;
  /** Which of `vars` are dates to format. */
  dates: string[];
}

const said = (key: RetireeKey, vars: Record<string, string | number> = {}, dates: string[] = []): Said => ({ key, vars, dates });

/**
 * "已认证（本人手机，2026-03-14）", "待认证，截止 …", "审核中：人脸不确定": what the rules say today, with
 * the queue's reason when something of this retiree waits there. Off the rolls (dead, moved away,
 * stopped), that comes first: the rules' period says nothing about them any more.
 */
export function statusSentence(state: CertificationState, enrolment: Enrolment, waiting: readonly WaitingItem[]): Said {
  if (enrolment === 'deceased' || enrolment === 'moved' || enrolment === 'stopped') return said('o.retiree.status.offRolls', { state: `enrolment:${enrolment}` });
  switch (state.state) {
    case 'certified':
      return said('o.retiree.status.certified', { how: `via:${state.method}`, date: state.certifiedOn }, ['date']);
    case 'open':
      return state.daysLeft === 0 ? said('o.retiree.status.openToday') : said('o.retiree.status.open', { date: state.dueOn, days: state.daysLeft }, ['date']);
    case 'under_review':
      // The reason of what waits (a check's face match, an attestation), else the method under review.
      return said('o.retiree.status.underReview', { what: waiting[0] ? `reason:${waiting[0].reason}` : `via:${state.method}` });
    case 'verifying':
      return said('o.retiree.status.verifying', { date: state.submittedOn }, ['date']);
    case 'overdue':
      return said('o.retiree.status.overdue', { due: addDays(state.since, -1), date: state.suspendsOn }, ['date', 'due']);
    case 'suspended':
      return said('o.retiree.status.suspended', { date: state.since }, ['date']);
    case 'not_open':
      return state.opensOn ? said('o.retiree.status.notOpen', { date: state.opensOn }, ['date']) : said('o.retiree.status.notOpenNone');
  }
}

/**
 * The sentence in the page's language. A value `via:…`, `reason:…` or `enrolment:…` names a word of
 * the catalogs; `dates` are formatted with `formatDate`.
 */
export function say(s: Said, formatDate: (d: string) => string): string {
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(s.vars)) {
    if (s.dates.includes(k)) vars[k] = formatDate(String(v));
    else if (typeof v === 'string' && v.startsWith('via:')) vars[k] = rt(`o.retiree.via.${v.slice(4)}` as RetireeKey);
    else if (typeof v === 'string' && v.startsWith('reason:')) vars[k] = t(`o.reasonShort.${v.slice(7)}` as MessageKey);
    else if (typeof v === 'string' && v.startsWith('enrolment:')) vars[k] = rt(`o.retiree.enrolment.${v.slice(10)}` as RetireeKey);
    else vars[k] = v;
  }
  return rt(s.key, vars);
}
