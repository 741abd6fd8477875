// Signing out on a shared phone: unsent records are never deleted. With records still waiting the
// button first says so (inline, no pop-up) and offers to send them; they stay bound to this worker
// and go out the next time they sign in with signal.
import { createSignal, Show } from 'solid-js';
import { sendNow, unsentRecords } from '../data/index.ts';
import { t } from '../i18n/index.ts';
import { signOut } from '../session.ts';

export function SignOutButton(props: { userId: number }) {
  const [pending, setPending] = createSignal<number | null>(null);
  const ask = async () => {
    const n = await unsentRecords(props.userId);
    if (n === 0) return void signOut();
    setPending(n);
  };
  return (
    <>
      <button type="button" class="w-tab" data-testid="sign-out" onClick={() => void ask()}>{t('w.signOut')}</button>
      <Show when={pending() !== null}>
        <div class="w-warn" role="alert" data-testid="sign-out-warning">
          <p>{t('w.signOut.warn', { n: pending()! })}</p>
          <button type="button" class="w-primary" onClick={() => { setPending(null); void sendNow(); }}>{t('w.signOut.sendFirst')}</button>
          <button type="button" class="w-secondary" data-testid="sign-out-confirm" onClick={() => { setPending(null); void signOut(); }}>{t('w.signOut.confirm')}</button>
          <button type="button" class="w-secondary" onClick={() => setPending(null)}>{t('w.signOut.cancel')}</button>
        </div>
      </Show>
    </>
  );
}
