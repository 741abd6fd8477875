// The global sync line: how many records wait, when the last send worked, and "Send now". Calm
// words: waiting for signal is normal, not an error.
import { createSignal, Show } from 'solid-js';
import { sendNow, useSyncSummary } from '../data/index.ts';
import { lang, t } from '../i18n/index.ts';
import { Dated } from './Dated.tsx';
import { isHeld } from './held.ts';

export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(lang(), { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms);
}

export function SyncStatus(props: { userId: number }) {
  const summary = useSyncSummary(() => props.userId);
  const [busy, setBusy] = createSignal(false);
  const line = () => {
    const s = summary();
    if (s.needsSignIn && s.waiting + s.sending > 0) return { text: t('sync.signInAgain'), state: 'signin' };
    if (isHeld(s)) return { text: t('sync.held'), state: 'held' };
    if (s.sending > 0) return { text: t('sync.sending', { n: s.sending }), state: 'sending' };
    if (s.waiting === 1) return { text: t('sync.savedOffline'), state: 'waiting' };
    if (s.waiting > 1) return { text: t('sync.waiting', { n: s.waiting }), state: 'waiting' };
    if (s.attention > 0) return { text: t('sync.attention', { n: s.attention }), state: 'attention' };
    if (s.sent > 0) return { text: t('sync.allSent'), state: 'sent' };
    return { text: t('sync.nothingYet'), state: 'empty' };
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
      <p class="sync-line">{line().text}</p>
      <p class="sync-last" data-testid="sync-last">
        <Show when={summary().lastSuccessAt} fallback={t('sync.never')}>
          {(at) => <Dated text={t('sync.lastSuccess', { time: formatDateTime(at()) })} dates={[formatDateTime(at())]} />}
        </Show>
      </p>
      <Show when={summary().waiting + summary().sending > 0}>
        <button class="secondary" type="button" disabled={busy()} onClick={() => void send()}>
          {busy() ? t('sync.sendingNow') : t('sync.sendNow')}
        </button>
      </Show>
    </section>
  );
}
