// The retiree's answer to a family member's request (issue 19), at the top of Home: one request at a
// time, "王小明（儿子）想帮您做每年的认证。同意吗？" with two large buttons, said aloud. The answer is
// saved on the phone and sent through the outbox (decision 071), so it works without signal too.
import { createEffect, createSignal, on, Show } from 'solid-js';
import { recordLinkDecision, useLinks } from '../data/index.ts';
import { relationText, relationValue } from '../family/relation.ts';
import { said } from '../components/said.ts';
import { say } from '../components/speech.ts';
import { t } from '../i18n/index.ts';
import './family-ask.css';

export function FamilyRequestPrompt(props: { userId: number; retireeId: number }) {
  const links = useLinks(() => props.userId);
  const request = () => links().incoming.find((r) => r.retireeId === props.retireeId) ?? null;
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  createEffect(on(() => request()?.id, (id) => id !== undefined && say('say.family.ask')));

  async function answer(decision: 'approve' | 'decline') {
    const r = request();
    if (!r) return;
    setBusy(true);
    setError('');
    try {
      await recordLinkDecision({ userId: props.userId, retireeId: props.retireeId, action: decision, requestId: r.id });
      say(decision === 'approve' ? 'say.family.approved' : 'say.family.declined');
    } catch {
      setError(t('fam.err.server'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Show when={request()}>
      {(r) => (
        <section class="status-card due family-ask" data-testid="family-ask" data-request-id={r().id} aria-live="polite">
          <h2 {...said({ key: 'fam.ask.title', values: { name: { text: r().familyName }, relation: relationValue(r().relation) } })}>
            {t('fam.ask.title', { name: r().familyName, relation: relationText(r().relation) })}
          </h2>
          <p {...said({ key: 'fam.ask.detail', values: { name: { text: r().familyName } } })}>{t('fam.ask.detail', { name: r().familyName })}</p>
          <Show when={error()}>
            <p class="error" role="alert">{error()}</p>
          </Show>
          <div class="family-ask-buttons">
            <button class="primary huge" type="button" data-testid="family-ask-yes" disabled={busy()} onClick={() => void answer('approve')} {...said({ key: 'fam.ask.yes' })}>
              {t('fam.ask.yes')}
            </button>
            <button class="secondary huge" type="button" data-testid="family-ask-no" disabled={busy()} onClick={() => void answer('decline')} {...said({ key: 'fam.ask.no' })}>
              {t('fam.ask.no')}
            </button>
          </div>
        </section>
      )}
    </Show>
  );
}
