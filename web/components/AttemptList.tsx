// Recent checks on this phone with their sync state: waiting / sending / sent / needs attention,
// and, once sent, what the office's server made of them.
import { For, Show } from 'solid-js';
import { useAttempts, useSyncSummary, type AttemptRecord } from '../data/index.ts';
import { attemptTone } from './attempt-rules.ts';
import { isHeld } from './held.ts';
import { outcomeLines } from './outcome-text.ts';
import { lineText, said, type Line } from './said.ts';

function detail(a: AttemptRecord, held: boolean): Line[] {
  if (held && a.syncState === 'waiting') return [{ key: 'sync.held' }];
  if (a.syncState === 'attention') {
    const known = ['no_access', 'wrong_method', 'bad_image', 'bad_audio', 'too_large'] as const;
    const reason = known.find((r) => r === a.rejectReason);
    return [{ key: reason ? `sync.reason.${reason}` : 'sync.reason.other' }];
  }
  if (a.syncState === 'sent' && a.outcome) return outcomeLines(a.outcome);
  return [{ key: a.result.verdict === 'passed' ? 'sync.result.passed' : 'sync.result.notPassed' }];
}

const text = (line: Line) => <span {...said(line)}>{lineText(line)}</span>;

export function AttemptList(props: { userId: number; limit?: number }) {
  const attempts = useAttempts(() => props.userId, props.limit ?? 10);
  const summary = useSyncSummary(() => props.userId);
  return (
    <Show when={attempts().length > 0}>
      <ul class="attempts" data-testid="attempt-list">
        <For each={attempts()}>
          {(a) => (
            <li class={`attempt tone-${attemptTone(a)}`} data-testid="attempt" data-id={a.id} data-state={a.syncState} data-tone={attemptTone(a)}>
              <span class="attempt-when">{text({ key: 'sync.record', values: { time: { dateTime: a.createdAt } } })}</span>
              <span class="attempt-state">{text({ key: `sync.state.${a.syncState}` })}</span>
              <span class="attempt-detail">
                <For each={detail(a, isHeld(summary()))}>{(line, i) => [i() > 0 ? ' ' : '', text(line)]}</For>
              </span>
              <Show when={a.blobsDropped}>
                <span class="attempt-detail">{text({ key: 'sync.photosDropped' })}</span>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
