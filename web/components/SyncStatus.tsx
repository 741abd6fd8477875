// The global sync line: how many records wait, when the last send worked, and "Send now". Calm
// words: waiting for signal is normal, not an error.
import { createSignal, Show } from 'solid-js';
import { sendNow, useSyncSummary } from '../data/index.ts';
import { formatDateTime, t } from '../i18n/index.ts';
import { Dated } from './Dated.tsx';
import { isHeld } from './held.ts';
import { lineText, said, type Line } from './said.ts';

// Where the sync line's date and time format lives for the screens that import it from here.
export { formatDateTime } from '../i18n/index.ts';

export function SyncStatus(props: { userId: number }) {
  const summary = useSyncSummary(() => props.userId);
  const [busy, setBusy] = createSignal(false);
  const line = (): { said: Line; state: string } => {
    const s = summary();
    if (s.needsSignIn && s.waiting + s.sending > 0) return { said: { key: 'sync.signInAgain' }, state: 'signin' };
    if (isHeld(s)) return { said: { key: 'sync.held' }, state: 'held' };
    if (s.sending > 0) return { said: { key: 'sync.sending', values: { n: { number: s.sending } } }, state: 'sending' };
    if (s.waiting === 1) return { said: { key: 'sync.savedOffline' }, state: 'waiting' };
    if (s.waiting > 1) return { said: { key: 'sync.waiting', values: { n: { number: s.waiting } } }, state: 'waiting' };
    if (s.attention > 0) return { said: { key: 'sync.attention', values: { n: { number: s.attention } } }, state: 'attention' };
    if (s.sent > 0) return { said: { key: 'sync.allSent' }, state: 'sent' };
    return { said: { key: 'sync.nothingYet' }, state: 'empty' };
  };
  const send = async () => {
    setBusy(true);
    try {
      await sendNow();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sync-status" data-testid="sync-status" data-state={line().state} data-waiting={summary().waiting + summary().sending} aria-live="polite">
      <p class="sync-line" {...said(line().said)}>
        {lineText(line().said)}
      </p>
      <p class="sync-last" data-testid="sync-last" {...said(summary().lastSuccessAt ? { key: 'sync.lastSuccess', values: { time: { dateTime: summary().lastSuccessAt! } } } : { key: 'sync.never' })}>
        <Show when={summary().lastSuccessAt} fallback={t('sync.never')}>
          {(at) => <Dated text={t('sync.lastSuccess', { time: formatDateTime(at()) })} dates={[formatDateTime(at())]} />}
        </Show>
      </p>
      {/* At the daily limit no 现在发送: it could not send them, and the line says when they go (decision 094). */}
      <Show when={summary().waiting + summary().sending > 0 && !isHeld(summary())}>
        <button class="secondary" type="button" disabled={busy()} onClick={() => void send()} {...said({ key: busy() ? 'sync.sendingNow' : 'sync.sendNow' })}>
          {busy() ? t('sync.sendingNow') : t('sync.sendNow')}
        </button>
      </Show>
    </section>
  );
}
