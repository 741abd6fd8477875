// What the server (and, for a check in review, the office) made of a sent check, in one line: the
// retiree's and family's records (AttemptList) and the worker's (worker/labels.ts) say the same.
import type { AttemptOutcome } from '../../shared/sync.ts';
import { lineText, type Line } from './said.ts';

/** The outcome as lines (decision 093): the office's decision, then its note when it wrote one. */
export function outcomeLines(o: AttemptOutcome): Line[] {
  if (o.kind === 'review' && o.decided) {
    const line: Line = { key: o.decided.decision === 'approved' ? 'sync.outcome.review.approved' : 'sync.outcome.review.rejected' };
    return o.decided.reason ? [line, { key: 'sync.outcome.review.reason', values: { reason: { text: o.decided.reason } } }] : [line];
  }
  return [{ key: `sync.outcome.${o.kind}` }];
}

export function outcomeText(o: AttemptOutcome): string {
  return outcomeLines(o).map(lineText).join(' ');
}
