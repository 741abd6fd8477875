// History: certifications by year (from the server, kept on the phone for offline use) and the
// checks done on this phone with their sync state. With no signal it shows what the phone knows:
// the years kept from the last visit here, and the year the kept Home status says is certified or
// with the office, so History never says "nothing certified" next to a certified Home.
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { STATUS, type YearCertification } from '../../shared/schemas/status.ts';
import { call } from '../api/client.ts';
import { keepYears, readKeptYears, useAttempts } from '../data/index.ts';
import { AttemptList } from '../components/AttemptList.tsx';
import { Dated } from '../components/Dated.tsx';
import { ReadAloud } from '../components/ReadAloud.tsx';
import { lineText, said, type Line } from '../components/said.ts';
import { formatDate, t } from '../i18n/index.ts';

export function CertificationYears(props: { retireeId: number }) {
  const [years, setYears] = createSignal<YearCertification[] | null>(null);
  createEffect(
    on(
      () => props.retireeId,
      async (id) => {
        const onPhone = await readKeptYears(id).catch(() => null);
        if (onPhone) setYears(onPhone);
        try {
          const fresh = await call(STATUS.years, { query: new URLSearchParams({ retireeId: String(id) }) });
          setYears(fresh.years);
          await keepYears(id, fresh.years).catch(() => undefined);
        } catch {
          setYears(onPhone ?? []);
        }
      },
    ),
  );
  const line = (y: YearCertification): Line => {
    const year = { year: y.year };
    if (y.status === 'approved') return { key: 'history.yearDone', values: { year, date: { date: y.certifiedOn }, method: { key: `method.${y.method}` } } };
    // Pending: a home visit waits for approval; any other check is one the office is looking at.
    const pending = y.method === 'home_visit' ? 'status.under_review' : 'status.under_review.check';
    // The colon is the catalog's: a Chinese full-width one in Chinese, ": " in English.
    return { key: 'history.yearState', values: { year, state: { key: y.status === 'pending_review' ? pending : 'sync.outcome.not_passed' } } };
  };
  return (
    <section aria-labelledby="years-title" data-testid="history-years">
      <h2 id="years-title" {...said({ key: 'history.years' })}>
        {t('history.years')}
      </h2>
      <Show
        when={years()?.length}
        fallback={
          <p {...said({ key: 'history.noYears' })}>
            {t('history.noYears')}
          </p>
        }
      >
        <ul class="plain-list years">
          <For each={years()!}>
            {(y) => (
              <li data-year={y.year} data-status={y.status} {...said(line(y))}>
                <Dated text={lineText(line(y))} dates={y.status === 'approved' ? [formatDate(y.certifiedOn)] : []} />
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

export function History(props: { userId: number; retireeId: number; onHome(): void }) {
  return (
    <main class="screen history" data-testid="history">
      <h1 {...said({ key: 'history.title' })}>{t('history.title')}</h1>
      <ReadAloud />
      <CertificationYears retireeId={props.retireeId} />
      <section aria-labelledby="attempts-title">
        <h2 id="attempts-title" {...said({ key: 'history.attempts' })}>
          {t('history.attempts')}
        </h2>
        <AttemptList userId={props.userId} limit={30} />
        <EmptyAttempts userId={props.userId} />
      </section>
      <button class="primary" type="button" onClick={() => props.onHome()} {...said({ key: 'nav.home' })}>
        {t('nav.home')}
      </button>
    </main>
  );
}

function EmptyAttempts(props: { userId: number }) {
  const attempts = useAttempts(() => props.userId, 1);
  return (
    <Show when={attempts().length === 0}>
      <p {...said({ key: 'history.noAttempts' })}>{t('history.noAttempts')}</p>
    </Show>
  );
}
