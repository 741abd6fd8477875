// Home keeps saying a home-visit request is on its way or open (issue 17 §3, decision 078) until a
// worker answers it, in the words of the result screen, and lets the retiree take it back: the
// withdrawal goes through the same outbox and push as the request, so it works without signal.
import { createSignal, Show } from 'solid-js';
import { Dated } from '../components/Dated.tsx';
import { localDay } from '../components/OtherRoutes.tsx';
import { recordVisitRequest, useVisitRequest } from '../data/index.ts';
import { formatDate, t } from '../i18n/index.ts';
import { said } from '../components/said.ts';
import { say } from '../components/speech.ts';

export function VisitRequestLine(props: { userId: number; retireeId: number }) {
  const request = useVisitRequest(() => ({ userId: props.userId, retireeId: props.retireeId }));
  const [busy, setBusy] = createSignal(false);
  const shown = () => {
    const r = request();
    return r?.state === 'waiting' || r?.state === 'open' ? r : null;
  };

  async function withdraw() {
    setBusy(true);
    try {
      await recordVisitRequest({ userId: props.userId, retireeId: props.retireeId, action: 'withdraw' });
      say('say.home.visitWithdrawn');
    } catch {
      say('say.route.worker.refused');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Show when={shown()}>
      {(r) => (
        <section class="visit-request" data-testid="home-visit-request" data-state={r().state} aria-live="polite">
          <p {...said({ key: r().state === 'waiting' ? 'result.route.worker.waiting' : 'result.route.worker.open' })}>
            {r().state === 'waiting' ? t('result.route.worker.waiting') : t('result.route.worker.open')}
          </p>
          <Show when={r().state === 'open' ? (r() as { requestedAt: number }) : null}>
            {(open) => (
              <p {...said({ key: 'result.route.worker.openOn', values: { date: { date: localDay(open().requestedAt) } } })}>
                <Dated text={t('result.route.worker.openOn', { date: formatDate(localDay(open().requestedAt)) })} dates={[formatDate(localDay(open().requestedAt))]} />
              </p>
            )}
          </Show>
          <button class="secondary" type="button" data-testid="home-visit-withdraw" disabled={busy()} onClick={() => void withdraw()} {...said({ key: 'home.visit.withdraw' })}>
            {t('home.visit.withdraw')}
          </button>
        </section>
      )}
    </Show>
  );
}
