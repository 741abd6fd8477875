// "不再帮这位老人认证" on a relative's page (issue 19): asked on the page, then ended on the server at
// once (the family member's own phone, online); the next pull takes the retiree off this phone.
import { createSignal, Show } from 'solid-js';
import { FAMILY } from '../../shared/schemas/family.ts';
import { call } from '../api/client.ts';
import { sendNow } from '../data/index.ts';
import { t } from '../i18n/index.ts';
import { loadMe } from '../session.ts';

export function EndLink(props: { retireeId: number; name: string; onEnded(): void }) {
  const [asking, setAsking] = createSignal(false);
  const [error, setError] = createSignal('');

  async function end() {
    setError('');
    try {
      await call(FAMILY.endLink, { params: { retireeId: props.retireeId } });
      await sendNow();
      void loadMe();
      props.onEnded();
    } catch {
      setError(t('fam.needsNetwork'));
    }
  }

  return (
    <section class="end-link">
      <Show
        when={asking()}
        fallback={
          <button class="secondary" type="button" data-testid="end-link" onClick={() => setAsking(true)}>
            {t('fam.end.button')}
          </button>
        }
      >
        <p class="confirm" role="alert">{t('fam.end.confirm', { name: props.name })}</p>
        <button class="primary" type="button" data-testid="end-link-yes" onClick={() => void end()}>
          {t('fam.end.yes')}
        </button>
        <button class="secondary" type="button" onClick={() => setAsking(false)}>
          {t('fam.end.no')}
        </button>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">{error()}</p>
      </Show>
    </section>
  );
}
