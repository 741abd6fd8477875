// The overview of the certification year for the office's region(s): the period's windows and
// deadline, counts by state and method, the progress chart and the table per community. Every
// number comes from GET /api/office/overview (counted in SQL on the server), and each count is a
// link to the Retirees list filtered to exactly the people it counts (decision 056).
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import type { CertificationMethod } from '../../shared/certification-rules.ts';
import { OFFICE, type RegionOverview } from '../../shared/schemas/office.ts';
import { call } from '../api/client.ts';
import { errorText } from '../error-text.ts';
import { formatDate, t } from '../i18n/index.ts';
import { CommunityTable } from './CommunityTable.tsx';
import { formatCount, percent } from './format.ts';
import { lt } from './lists-text.ts';
import { listHref, NO_FILTERS, type ListFilters } from './retiree-filters.ts';
import { ProgressChart } from './ProgressChart.tsx';


export const METHODS: readonly CertificationMethod[] = ['self', 'family', 'worker', 'home_visit', 'on_site'];

function phaseText(r: RegionOverview): string {
  const s = r.uncertified;
  switch (s.state) {
    case 'open':
      return s.daysLeft === 0 ? t('o.phase.openToday') : t('o.phase.open', { days: s.daysLeft });
    case 'overdue':
      return t('o.phase.overdue', { date: formatDate(s.suspendsOn) });
    case 'suspended':
      return t('o.phase.suspended', { date: formatDate(s.since) });
    case 'not_open':
      return s.opensOn ? t('o.phase.notOpen', { date: formatDate(s.opensOn) }) : t('o.phase.notOpenNone');
    default:
      return '';
  }
}

export function Overview(props: { openQueue: () => void }) {
  const [data, { refetch }] = createResource(() => call(OFFICE.overview));
  const [regionId, setRegionId] = createSignal<number | null>(null);
  const region = createMemo(() => {
    const regions = data()?.regions ?? [];
    return regions.find((r) => r.region.id === regionId()) ?? regions[0] ?? null;
  });

  return (
    <div class="o-page" data-testid="office-overview">
      <Show when={!data.error} fallback={<ErrorLine error={data.error} retry={refetch} />}>
        <Show when={region()} fallback={<p>{t('o.loading')}</p>}>
          {(r) => {
            const expected = () => r().totals.retirees - r().totals.notOpen;
            // An office over several regions names the region in each link.
            const region = () => ((data()?.regions.length ?? 0) > 1 ? r().region.id : null);
            const list = (f: Partial<ListFilters>) => listHref({ ...NO_FILTERS, region: region(), ...f });
            const share = () => (expected() > 0 ? r().totals.certifiedTotal / expected() : null);
            return (
              <>
                <div class="o-title-row">
                  <h1>{r().period ? t('o.overview.title', { year: r().period!.year }) : t('o.overview.titleNone')}</h1>
                  <Show when={(data()?.regions.length ?? 0) > 1}>
                    <label class="o-inline-field">
                      {t('o.overview.region')}
                      <select value={r().region.id} onChange={(e) => setRegionId(Number(e.currentTarget.value))}>
                        <For each={data()!.regions}>{(x) => <option value={x.region.id}>{x.region.name}</option>}</For>
                      </select>
                    </label>
                  </Show>
                </div>

                <section class="o-card o-period" aria-labelledby="o-period-title" data-testid="office-period">
                  <h2 id="o-period-title">
                    {t('o.period.title')} · {r().region.name}
                  </h2>
                  <p class="o-phase" data-testid="office-phase">
                    {phaseText(r())} <span class="o-muted">{t('o.today', { date: formatDate(r().today) })}</span>
                  </p>
                  <Show when={r().period} fallback={<p>{t('o.period.none')}</p>}>
                    {(p) => (
                      <dl class="o-facts">
                        <dt>{t('o.period.self')}</dt>
                        <dd>{t('o.period.range', { from: formatDate(p().selfStart), to: formatDate(p().selfEnd) })}</dd>
                        <dt>{t('o.period.onsite')}</dt>
                        <dd>{t('o.period.range', { from: formatDate(p().onsiteStart), to: formatDate(p().onsiteEnd) })}</dd>
                        <dt>{t('o.period.deadline')}</dt>
                        <dd data-testid="office-deadline">{formatDate(p().deadline)}</dd>
                        <dt>{t('o.period.suspension')}</dt>
                        <dd>{formatDate(p().suspensionDate)}</dd>
                      </dl>
                    )}
                  </Show>
                </section>

                <section class="o-card" aria-labelledby="o-counts-title">
                  <h2 id="o-counts-title">{t('o.counts.title')}</h2>
                  <dl class="o-tiles" data-testid="office-counts">
                    <Tile id="expected" label={t('o.counts.expected')} value={expected()} href={list({ status: 'expected' })} />
                    <Tile id="certified" label={t('o.counts.certified')} value={r().totals.certifiedTotal} note={t('o.counts.certifiedShare', { pct: percent(share()) })} tone="done" href={list({ status: 'certified' })} />
                    <Tile id="due" label={t('o.counts.due')} value={r().totals.due} tone="due" href={list({ status: 'due' })} />
                    <Tile id="overdue" label={t('o.counts.overdue')} value={r().totals.overdue} tone="alert" href={list({ status: 'overdue' })} />
                    <Tile id="suspended" label={t('o.counts.suspended')} value={r().totals.suspended} tone="alert" href={list({ status: 'suspended' })} />
                    <Tile id="underReview" label={t('o.counts.underReview')} value={r().totals.underReview} href={list({ status: 'under_review' })} />
                    <Tile id="verifying" label={t('o.counts.verifying')} value={r().totals.verifying} href={list({ status: 'verifying' })} />
                    <Tile id="notOpen" label={t('o.counts.notOpen')} value={r().totals.notOpen} href={list({ status: 'not_open' })} />
                    <Tile id="visitRequests" label={t('o.counts.visitRequests')} value={r().totals.visitRequests} href={list({ visitRequest: true })} />
                  </dl>
                  <h3 class="o-subtitle">{t('o.counts.byMethod')}</h3>
                  <dl class="o-tiles o-tiles-small" data-testid="office-methods">
                    <For each={METHODS}>{(m) => <Tile id={`method-${m}`} label={t(`o.method.${m}`)} value={r().totals.certified[m]} href={list({ status: 'certified', method: m })} />}</For>
                  </dl>
                  <p class="o-queue-line">
                    <span data-testid="office-count-queue" data-value={r().totals.queue}>
                      {t('o.p.labelValue', { label: t('o.counts.queue'), value: '' })}<strong>{formatCount(r().totals.queue)}</strong>
                    </span>
                    <button type="button" class="o-link" data-testid="office-open-queue" onClick={() => props.openQueue()}>
                      {t('o.counts.openQueue')}
                    </button>
                  </p>
                </section>

                <section class="o-card" aria-labelledby="o-chart-title">
                  <h2 id="o-chart-title">{t('o.chart.title')}</h2>
                  <Show when={r().period} fallback={<p>{t('o.chart.none')}</p>}>
                    <p id="o-chart-summary" data-testid="office-chart-summary">
                      {t('o.chart.summary', { date: formatDate(r().today), done: formatCount(r().totals.certifiedTotal), due: formatCount(expected()), pct: percent(share()) })}
                    </p>
                    <ProgressChart daily={r().daily} expected={expected()} deadline={r().period!.deadline} />
                  </Show>
                </section>

                <section class="o-card" aria-labelledby="o-table-title">
                  <h2 id="o-table-title">{t('o.table.title')}</h2>
                  <CommunityTable rows={r().communities} totals={r().totals} region={region()} />
                </section>
              </>
            );
          }}
        </Show>
      </Show>
    </div>
  );
}

function Tile(props: { id: string; label: string; value: number; note?: string; tone?: 'done' | 'due' | 'alert'; href?: string }) {
  return (
    <div class={`o-tile ${props.tone && props.value > 0 ? props.tone : ''}`} data-testid={`office-count-${props.id}`} data-value={props.value}>
      <dt>{props.label}</dt>
      <dd>
        <Show when={props.href} fallback={<span class="o-tile-value">{formatCount(props.value)}</span>}>
          {/* The number opens the list of exactly these people; its name says which (and holds the number shown). */}
          <a class="o-tile-value o-count-link" href={props.href} data-testid={`office-link-${props.id}`} aria-label={lt('o.link.tile', { label: props.label, n: formatCount(props.value) })}>
            {formatCount(props.value)}
          </a>
        </Show>
        <Show when={props.note}>
          <span class="o-tile-note">{props.note}</span>
        </Show>
      </dd>
    </div>
  );
}

export function ErrorLine(props: { error: unknown; retry: () => void }) {
  return (
    <div class="o-error" role="alert">
      <p>{errorText(props.error)}</p>
      <button type="button" class="o-button" onClick={() => props.retry()}>
        {t('o.retry')}
      </button>
    </div>
  );
}
