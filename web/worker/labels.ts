// Short worker-facing words for statuses, visit kinds, methods and sync results.
import { REVIEW_ANSWER_WORKING_DAYS, type CertificationState } from '../../shared/certification-rules.ts';
import type { AttemptOutcome, VisitResult } from '../../shared/sync.ts';
import type { SyncState } from '../data/index.ts';
import { outcomeText } from '../components/outcome-text.ts';
import { formatDate, t, type MessageKey } from '../i18n/index.ts';
import type { LocalMark } from './roster-view.ts';

export function stateLabel(s: CertificationState): { text: string; tone: 'done' | 'due' | 'alert' | 'quiet' } {
  switch (s.state) {
    case 'open':
      return { text: t('w.state.open', { date: formatDate(s.dueOn) }), tone: 'due' };
    case 'overdue':
      return { text: t('w.state.overdue'), tone: 'alert' };
    case 'suspended':
      return { text: t('w.state.suspended'), tone: 'alert' };
    case 'certified':
      return { text: t('w.state.certified'), tone: 'done' };
    case 'under_review':
      return { text: t('w.state.under_review'), tone: 'quiet' };
    case 'verifying':
      // Sent, the server's face match is running (minutes): settled for the worker, like a review.
      return { text: t('w.state.verifying'), tone: 'quiet' };
    case 'not_open':
      return { text: t('w.state.not_open'), tone: 'quiet' };
  }
}

export function markLabel(m: LocalMark): { text: string; tone: 'done' | 'due' | 'alert' | 'quiet' } | null {
  switch (m) {
    case 'certified':
      return { text: t('w.local.certified'), tone: 'done' };
    case 'attested':
      return { text: t('w.local.attested'), tone: 'quiet' };
    case 'review':
      return { text: t('w.local.review'), tone: 'quiet' };
    case 'verifying':
      return { text: t('w.local.verifying'), tone: 'quiet' };
    case 'not_home':
      return { text: t('w.local.not_home'), tone: 'due' };
    case 'reported':
      return { text: t('w.local.reported'), tone: 'quiet' };
    default:
      return null;
  }
}

export const visitKindText = (kind: string) => t(`w.visit.${kind}` as MessageKey);
export const methodText = (method: string) => t(`w.method.${method}` as MessageKey);
export const visitResultText = (r: VisitResult) => t(`w.result.${r.kind}` as MessageKey);

export function formatDateTime(ms: number, lang: string): string {
  return new Intl.DateTimeFormat(lang, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** The server has a worker's check as an in-person enrolment (issue 14): the office confirms the new reference. */
export function isEnrolled(a: { syncState: SyncState; outcome?: AttemptOutcome } | undefined): boolean {
  const o = a?.syncState === 'sent' ? a.outcome : undefined;
  return o?.kind === 'review' && o.reviewReason === 'enrolment';
}

/** What the server made of a sent check, for the worker's records ('' before the answer). */
export function attemptOutcomeText(a: { syncState: SyncState; outcome?: AttemptOutcome }): string {
  if (a.syncState !== 'sent' || !a.outcome) return '';
  return isEnrolled(a) ? t('w.enrol.done') : outcomeText(a.outcome);
}

/** The worker's line for a check the server sent to the office: when it answers, by the number its queue is held to (decision 084). */
export const reviewLine = (): string => t('w.certify.review', { n: REVIEW_ANSWER_WORKING_DAYS });
