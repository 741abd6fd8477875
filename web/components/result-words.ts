// What the result screen says after a check that passed on the phone, stage by stage: kept on the
// phone, sent and waiting for the server's face match (issue 14), certified, or handed to the
// office; or kept on the phone because the server's daily quota is used up (issue 15), to be sent
// tomorrow. "认证成功" only once the server has certified it. Every word shown is also spoken: each
// stage's `say` key holds its title and its body (web/components/result-words.test.ts checks it).
import type { CertificationState } from '../../shared/certification-rules.ts';
import type { AttemptOutcome } from '../../shared/sync.ts';
import type { SyncState } from '../data/db.ts';
import type { MessageKey } from '../i18n/index.ts';

export type PassedStage = 'saved' | 'held' | 'verifying' | 'certified' | 'review' | 'not_passed';

/** `held`: the server's daily quota keeps this user's waiting records on the phone until tomorrow. */
export function passedStage(attempt: { syncState: SyncState; outcome?: AttemptOutcome } | undefined, held = false): PassedStage {
  if (!attempt || attempt.syncState !== 'sent' || !attempt.outcome) return held && attempt?.syncState === 'waiting' ? 'held' : 'saved';
  switch (attempt.outcome.kind) {
    case 'verifying':
      return 'verifying';
    case 'certified':
    case 'already_certified':
      return 'certified';
    case 'review':
      return 'review';
    case 'not_passed':
      return 'not_passed';
  }
}

export interface PassedWords {
  title: MessageKey;
  /** The line under the title; the certified one takes `{year}` (and, as before issue 14, is not spoken). */
  body: MessageKey | null;
  say: Extract<MessageKey, `say.${string}`>;
  /**
   * The big picture: a green tick only once certified, a clock while anything is still to come (the
   * signal, the server's face match, the office): decision 063's colour rule, as History draws the
   * same check. A green tick over "已经发送" read as success before the face match had run.
   */
  icon: 'check' | 'wait' | 'none';
}

/** `whose`: 'own' speaks to the retiree; 'other' to a family member checking the retiree. */
export function passedWords(stage: PassedStage, whose: 'own' | 'other'): PassedWords {
  switch (stage) {
    case 'saved':
      return { title: 'result.done.title', body: 'result.passed.saved', say: 'say.result.saved', icon: 'wait' };
    case 'held':
      return { title: 'result.done.title', body: 'result.passed.held', say: 'say.result.held', icon: 'wait' };
    case 'verifying':
      return whose === 'own'
        ? { title: 'result.verifying.title', body: 'result.verifying.body', say: 'say.result.verifying', icon: 'wait' }
        : { title: 'result.verifying.title', body: 'result.verifying.body.other', say: 'say.result.verifying.other', icon: 'wait' };
    case 'certified':
      return { title: 'result.passed.title', body: 'result.passed.sent', say: 'say.result.passed', icon: 'check' };
    case 'review':
      return { title: 'result.review.title', body: 'result.review.body', say: 'say.result.review', icon: 'wait' };
    case 'not_passed':
      return { title: 'result.failed.title', body: null, say: 'say.result.failed', icon: 'none' };
  }
}

/**
 * The year "认证完成了" names: the certified period's own year from the status (a late check in
 * January certifies the year before), never the phone's clock; null while the phone does not know it.
 */
export function certifiedYear(status: CertificationState | null | undefined): number | null {
  return status?.state === 'certified' ? status.year : null;
}
