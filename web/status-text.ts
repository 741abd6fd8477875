import type { CertificationState } from '../shared/certification-rules.ts';
import { formatDate, t } from './i18n/index.ts';

export interface StatusText {
  title: string;
  detail: string;
  /** How the card looks: done, due (action needed), alert (pension at risk), quiet. */
  tone: 'done' | 'due' | 'alert' | 'quiet';
  /** Whether a face check would help now. */
  checkUseful: boolean;
}

/**
 * The home card's words for a status from the certification rules. `whose`: 'own' speaks to the
 * retiree (您本人); 'other' is for a family member or a worker looking at the retiree (老人本人).
 */
export function statusText(s: CertificationState, whose: 'own' | 'other' = 'own'): StatusText {
  switch (s.state) {
    case 'not_open':
      return s.opensOn
        ? { title: t('status.not_open', { year: s.year ?? '' }), detail: t('status.not_open.detail', { date: formatDate(s.opensOn) }), tone: 'quiet', checkUseful: false }
        : { title: t('status.not_open.unknown'), detail: '', tone: 'quiet', checkUseful: false };
    case 'open':
      return {
        title: t('status.open', { date: formatDate(s.dueOn) }),
        detail: s.daysLeft === 0 ? t('status.open.lastDay') : t('status.open.detail', { days: s.daysLeft }),
        tone: 'due',
        checkUseful: true,
      };
    case 'under_review':
      // A home visit waits for the office's approval; any other method is a check the office
      // looks at (the face match was not clear, issue 14): not a failure, and nothing to redo.
      return s.method === 'home_visit'
        ? { title: t('status.under_review'), detail: t('status.under_review.detail', { date: formatDate(s.submittedOn) }), tone: 'quiet', checkUseful: false }
        : { title: t('status.under_review.check'), detail: t('status.under_review.check.detail', { date: formatDate(s.submittedOn) }), tone: 'quiet', checkUseful: false };
    case 'verifying':
      // Sent and waiting for the server's face match: not certified yet, and nothing to do.
      return {
        title: t(whose === 'own' ? 'status.verifying' : 'status.verifying.other'),
        detail: t('status.verifying.detail', { date: formatDate(s.submittedOn) }),
        tone: 'quiet',
        checkUseful: false,
      };
    case 'certified':
      return {
        title: t('status.certified', { year: s.year }),
        detail: t('status.certified.detail', { date: formatDate(s.certifiedOn), until: formatDate(s.validUntil) }),
        tone: 'done',
        checkUseful: false,
      };
    case 'overdue':
      return { title: t('status.overdue'), detail: t('status.overdue.detail', { date: formatDate(s.suspendsOn) }), tone: 'alert', checkUseful: true };
    case 'suspended':
      return { title: t('status.suspended'), detail: t('status.suspended.detail'), tone: 'alert', checkUseful: true };
  }
}
