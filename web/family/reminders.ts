// The family member's in-app reminders (issue 19): for each relative, one sentence when their
// window is open and not yet certified (urgent in the last 30 days), past the deadline, or paused.
// From the cached roster, so it reads the same without signal.
import type { CertificationState } from '../../shared/certification-rules.ts';
import { lineText, type Line } from '../components/said.ts';

/** Within this many days of the deadline a reminder becomes urgent. */
export const SOON_DAYS = 30;

export interface Reminder {
  retireeId: number;
  text: string;
  /** The same words as a line 读给我听 reads (decision 093). */
  line: Line;
  urgent: boolean;
}

const reminder = (retireeId: number, urgent: boolean, line: Line): Reminder => ({ retireeId, urgent, line, text: lineText(line) });

export function reminderFor(retireeId: number, name: string, s: CertificationState): Reminder | null {
  const who = { text: name };
  switch (s.state) {
    case 'open':
      return s.daysLeft <= SOON_DAYS
        ? reminder(retireeId, true, { key: 'fam.remind.soon', values: { name: who, days: { number: s.daysLeft }, date: { date: s.dueOn } } })
        : reminder(retireeId, false, { key: 'fam.remind.open', values: { name: who, date: { date: s.dueOn } } });
    case 'overdue':
      return reminder(retireeId, true, { key: 'fam.remind.overdue', values: { name: who, date: { date: s.suspendsOn } } });
    case 'suspended':
      return reminder(retireeId, true, { key: 'fam.remind.suspended', values: { name: who } });
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
