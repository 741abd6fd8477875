import type { CertificationState } from '../shared/certification-rules.ts';
import { lineText, type Line } from './components/said.ts';

export interface StatusText {
  title: string;
  detail: string;
  /** The title and detail as lines that 读给我听 reads (decision 093); `detail` is null when empty. */
  lines: { title: Line; detail: Line | null };
  /** How the card looks: done, due (action needed), alert (pension at risk), quiet. */
  tone: 'done' | 'due' | 'alert' | 'quiet';
  /** Whether a face check would help now. */
  checkUseful: boolean;
}

const text = (title: Line, detail: Line | null, tone: StatusText['tone'], checkUseful: boolean): StatusText => ({
  title: lineText(title),
  detail: detail ? lineText(detail) : '',
  lines: { title, detail },
  tone,
  checkUseful,
});

/**
 * The home card's words for a status from the certification rules. `whose`: 'own' speaks to the
 * retiree (您本人); 'other' is for a family member or a worker looking at the retiree (老人本人).
 */
export function statusText(s: CertificationState, whose: 'own' | 'other' = 'own'): StatusText {
  switch (s.state) {
    case 'not_open':
      return s.opensOn
        ? text({ key: 'status.not_open', values: s.year ? { year: { year: s.year } } : { year: { text: '' } } }, { key: 'status.not_open.detail', values: { date: { date: s.opensOn } } }, 'quiet', false)
        : text({ key: 'status.not_open.unknown' }, null, 'quiet', false);
    case 'open':
      return text(
        { key: 'status.open', values: { date: { date: s.dueOn } } },
        s.daysLeft === 0 ? { key: 'status.open.lastDay' } : { key: 'status.open.detail', values: { days: { number: s.daysLeft } } },
        'due',
        true,
      );
    case 'under_review':
      // A home visit waits for the office's approval; any other method is a check the office
      // looks at (the face match was not clear, issue 14): not a failure, and nothing to redo.
      return s.method === 'home_visit'
        ? text({ key: 'status.under_review' }, { key: 'status.under_review.detail', values: { date: { date: s.submittedOn } } }, 'quiet', false)
        : text({ key: 'status.under_review.check' }, { key: 'status.under_review.check.detail', values: { date: { date: s.submittedOn } } }, 'quiet', false);
    case 'verifying':
      // Sent and waiting for the server's face match: not certified yet, and nothing to do.
      return text({ key: whose === 'own' ? 'status.verifying' : 'status.verifying.other' }, { key: 'status.verifying.detail', values: { date: { date: s.submittedOn } } }, 'quiet', false);
    case 'certified':
      return text(
        { key: 'status.certified', values: { year: { year: s.year } } },
        { key: 'status.certified.detail', values: { date: { date: s.certifiedOn }, until: { date: s.validUntil } } },
        'done',
        false,
      );
    case 'overdue':
      return text({ key: 'status.overdue' }, { key: 'status.overdue.detail', values: { date: { date: s.suspendsOn } } }, 'alert', true);
    case 'suspended':
      return text({ key: 'status.suspended' }, { key: 'status.suspended.detail' }, 'alert', true);
  }
}
