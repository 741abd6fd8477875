// The family member's in-app reminders (issue 19): for each relative, one sentence when their
// window is open and not yet certified (urgent in the last 30 days), past the deadline, or paused.
// From the cached roster, so it reads the same without signal.
import type { CertificationState } from '../../shared/certification-rules.ts';
import { formatDate, t } from '../i18n/index.ts';

/** Within this many days of the deadline a reminder becomes urgent. */
export const SOON_DAYS = 30;

export interface Reminder {
  retireeId: number;
  text: string;
  urgent: boolean;
}

export function reminderFor(retireeId: number, name: string, s: CertificationState): Reminder | null {
  switch (s.state) {
    case 'open':
      return s.daysLeft <= SOON_DAYS
        ? { retireeId, urgent: true, text: t('fam.remind.soon', { name, days: s.daysLeft, date: formatDate(s.dueOn) }) }
        : { retireeId, urgent: false, text: t('fam.remind.open', { name, date: formatDate(s.dueOn) }) };
    case 'overdue':
      return { retireeId, urgent: true, text: t('fam.remind.overdue', { name, date: formatDate(s.suspendsOn) }) };
    case 'suspended':
      return { retireeId, urgent: true, text: t('fam.remind.suspended', { name }) };
    default:
      return null;
  }
}

/** The deadline to show next to a relative, when the rules name one. */
export function deadlineOf(s: CertificationState): string | null {
  return 'dueOn' in s ? s.dueOn : s.state === 'overdue' ? s.suspendsOn : null;
}

export function remindersFor(list: readonly { retireeId: number; name: string; status: CertificationState }[]): Reminder[] {
  return list
    .map((r) => reminderFor(r.retireeId, r.name, r.status))
    .filter((r): r is Reminder => r !== null)
    .sort((a, b) => Number(b.urgent) - Number(a.urgent));
}
