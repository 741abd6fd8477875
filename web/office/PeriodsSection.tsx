// The region's certification periods (past, current, next) and the form to create next year's or
// edit one. GET/PUT /api/regions/:code/periods; the rules are shared/certification-rules.ts.
import { createResource, createSignal, For, Show } from 'solid-js';
import { earliestStart, periodFor, type CertificationPeriod } from '../../shared/certification-rules.ts';
import { addYears } from '../../shared/dates.ts';
import { SETUP, type SetupRegions } from '../../shared/schemas/office-setup.ts';
import { call } from '../api/client.ts';
import { formatDate, t } from '../i18n/index.ts';
import { ErrorLine } from './Overview.tsx';
import { PeriodForm, type PeriodDraft } from './PeriodForm.tsx';
import { st } from './setup-text.ts';

type Region = SetupRegions['regions'][number];

function stateOf(p: CertificationPeriod, all: CertificationPeriod[], today: string): 'past' | 'current' | 'next' | null {
  if (periodFor(all, today)?.id === p.id) return p.suspensionDate <= today ? 'past' : 'current';
  if (earliestStart(p) > today) return 'next';
  return 'past';
}

export function PeriodsSection(props: { region: Region }) {
  const [data, { refetch }] = createResource(() => props.region.code, (code) => call(SETUP.periods, { params: { code } }));
  const [draft, setDraft] = createSignal<PeriodDraft | null>(null);
  const [saved, setSaved] = createSignal<number | null>(null);
  const periods = () => [...(data()?.periods ?? [])].sort((a, b) => a.year - b.year);

  const nextDraft = (): PeriodDraft => {
    const last = periods().at(-1);
    if (!last) {
      const year = Number(data()!.today.slice(0, 4)) + 1;
      return { isNew: true, year, selfStart: `${year}-03-01`, selfEnd: `${year}-06-30`, onsiteStart: `${year}-06-01`, onsiteEnd: `${year}-06-30`, deadline: `${year}-06-30`, suspensionDate: `${year}-07-01` };
    }
    const y = (d: string) => addYears(d, 1);
    return { isNew: true, year: last.year + 1, selfStart: y(last.selfStart), selfEnd: y(last.selfEnd), onsiteStart: y(last.onsiteStart), onsiteEnd: y(last.onsiteEnd), deadline: y(last.deadline), suspensionDate: y(last.suspensionDate) };
  };

  return (
    <section class="o-card" aria-labelledby="o-periods-title" data-testid="setup-periods">
      <h2 id="o-periods-title">{st('o.setup.periods.title')}</h2>
      <Show when={!data.error} fallback={<ErrorLine error={data.error} retry={refetch} />}>
        <Show when={data()} fallback={<p>{t('o.loading')}</p>}>
          {(d) => (
            <>
              <Show when={periods().length} fallback={<p>{st('o.setup.periods.none')}</p>}>
                <div class="o-table-wrap">
                  <table class="o-table o-setup-table">
                    <caption class="visually-hidden">{st('o.setup.periods.caption', { region: d().region.name })}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{st('o.setup.periods.year')}</th>
                        <th scope="col">{st('o.setup.periods.state')}</th>
                        <th scope="col">{st('o.setup.periods.self')}</th>
                        <th scope="col">{st('o.setup.periods.onsite')}</th>
                        <th scope="col">{st('o.setup.periods.deadline')}</th>
                        <th scope="col">{st('o.setup.periods.suspension')}</th>
                        <td />
                      </tr>
                    </thead>
                    <tbody>
                      <For each={periods()}>
                        {(p) => {
                          const state = () => stateOf(p, periods(), d().today);
                          return (
                            <tr data-testid={`setup-period-${p.year}`}>
                              <th scope="row">{p.year}</th>
                              <td>{state() ? st(`o.setup.periods.${state()!}`) : ''}</td>
                              <td>{t('o.period.range', { from: formatDate(p.selfStart), to: formatDate(p.selfEnd) })}</td>
                              <td>{t('o.period.range', { from: formatDate(p.onsiteStart), to: formatDate(p.onsiteEnd) })}</td>
                              <td>{formatDate(p.deadline)}</td>
                              <td>{formatDate(p.suspensionDate)}</td>
                              <td>
                                <button type="button" class="o-button" data-testid={`setup-period-edit-${p.year}`} onClick={() => (setSaved(null), setDraft({ isNew: false, ...p }))}>
                                  {st('o.setup.periods.edit', { year: p.year })}
                                </button>
                              </td>
                            </tr>
                          );
                        }}
                      </For>
                    </tbody>
                  </table>
                </div>
              </Show>
              <Show when={saved()}>
                {(year) => (
                  <p class="o-ok" role="status" data-testid="setup-period-saved">
                    {st('o.setup.periods.saved', { year: year() })}
                  </p>
                )}
              </Show>
              <Show
                when={draft()}
                fallback={
                  <p>
                    <button type="button" class="o-button o-primary" data-testid="setup-period-new" onClick={() => (setSaved(null), setDraft(nextDraft()))}>
                      {st('o.setup.periods.create', { year: nextDraft().year })}
                    </button>
                  </p>
                }
              >
                {(dr) => (
                  <PeriodForm
                    draft={dr()}
                    regionCode={props.region.code}
                    today={d().today}
                    onCancel={() => setDraft(null)}
                    onSaved={(year) => {
                      setDraft(null);
                      setSaved(year);
                      void refetch();
                    }}
                  />
                )}
              </Show>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}
