// Recent checks on this phone with their sync state: waiting / sending / sent / needs attention,
// and, once sent, what the office's server made of them.
import { For, Show } from 'solid-js';
import { useAttempts, useSyncSummary, type AttemptRecord } from '../data/index.ts';
import { attemptTone } from './attempt-rules.ts';
import { isHeld } from './held.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { outcomeText } from './outcome-text.ts';
import { formatDateTime } from './SyncStatus.tsx';

function detail(a: AttemptRecord, held: boolean): string {
  if (held && a.syncState === 'waiting') return t('sync.held');
  if (a.syncState === 'attention') {
    const known = ['no_access', 'wrong_method', 'bad_image', 'bad_audio', 'too_large'];
    return t((a.rejectReason && known.includes(a.rejectReason) ? `sync.reason.${a.rejectReason}` : 'sync.reason.other') as MessageKey);
  }
  if (a.syncState === 'sent' && a.outcome) return outcomeText(a.outcome);
  return t(a.result.verdict === 'passed' ? 'sync.result.passed' : 'sync.result.notPassed');
}

export function AttemptList(props: { userId: number; limit?: number }) {
  const attempts = useAttempts(() => props.userId, props.limit ?? 10);
  const summary = useSyncSummary(() => props.userId);
  return (
    <Show when={attempts().length > 0}>
      <ul class="attempts" data-testid="attempt-list">
        <For each={attempts()}>
          {(a) => (
            <li class={`attempt tone-${attemptTone(a)}`} data-testid="attempt" data-id={a.id} data-state={a.syncState} data-tone={attemptTone(a)}>
              <span class="attempt-when">{t('sync.record', { time: formatDateTime(a.createdAt) })}</span>
              <span class="attempt-state">{t(`sync.state.${a.syncState}`)}</span>
              <span class="attempt-detail">{detail(a, isHeld(summary()))}</span>
              <Show when={a.blobsDropped}>
                <span class="attempt-detail">{t('sync.photosDropped')}</span>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
