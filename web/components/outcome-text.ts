// What the server (and, for a check in review, the office) made of a sent check, in one line: the
// retiree's and family's records (AttemptList) and the worker's (worker/labels.ts) say the same.
import type { AttemptOutcome } from '../../shared/sync.ts';
import { t, type MessageKey } from '../i18n/index.ts';

export function outcomeText(o: AttemptOutcome): string {
  if (o.kind === 'review' && o.decided) {
    const line = t(o.decided.decision === 'approved' ? 'sync.outcome.review.approved' : 'sync.outcome.review.rejected');
    return o.decided.reason ? `${line} ${t('sync.outcome.review.reason', { reason: o.decided.reason })}` : line;
  }
  return t(`sync.outcome.${o.kind}` as MessageKey);
}
