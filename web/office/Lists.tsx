// Lists and exports (issue 16, decision 056): the lists an office works from — not yet certified
// (for a phone or visit campaign), to be suspended at the deadline, suspended, certified this
// period, resumed after a late certification — each with how many it holds today (GET
// /api/office/lists) and two downloads, CSV and XLSX, plain links to GET
// /api/office/exports/:list.(csv|xlsx) that the browser saves (the session cookie goes with them,
// and the server streams the file from the database). The community chosen is in the URL.
import { createMemo, createResource, For, Show } from 'solid-js';
import { EXPORT_LISTS, RETIREES, type ExportFormat, type ExportList } from '../../shared/schemas/office-retirees.ts';
import { call } from '../api/client.ts';
import { formatDate, lang } from '../i18n/index.ts';
import { formatCount } from './format.ts';
import { listText, listWhat, lt } from './lists-text.ts';
import { ErrorLine } from './Overview.tsx';
import { filtersFrom, listHref, NO_FILTERS } from './retiree-filters.ts';
import { officeHref } from './route.ts';
import './lists.css';

/** Lists that are one state of the Retirees list, so their count opens it. */
const AS_STATUS: Partial<Record<ExportList, 'suspended' | 'certified'>> = { suspended: 'suspended', certified: 'certified' };

export function Lists(props: { params: URLSearchParams; go(href: string): void }) {
  const scope = createMemo(() => {
    const f = filtersFrom(props.params);
    return { region: f.region, community: f.community };
  });
  const query = (extra: Record<string, string> = {}) => {
    const q = new URLSearchParams(extra);
    if (scope().region !== null) q.set('region', String(scope().region));
    if (scope().community !== null) q.set('community', String(scope().community));
    return q.toString();
  };
  const [lists, { refetch }] = createResource(() => query(), (q) => call(RETIREES.lists, { query: q }));
  const current = () => lists.latest;
  const exportHref = (list: ExportList, format: ExportFormat) => `/api/office/exports/${list}.${format}?${query({ lang: lang() })}`;
  const set = (change: { region?: number | null; community?: number | null }) => props.go(officeHref('lists', { ...scope(), ...change }));

  return (
    <div class="o-page o-lists" data-testid="office-lists">
      <div class="o-title-row">
        <h1>{lt('o.lists.title')}</h1>
      </div>
      <p class="o-notice">{lt('o.lists.intro')}</p>

      <Show when={!lists.error} fallback={<ErrorLine error={lists.error} retry={refetch} />}>
        <Show when={current()} fallback={<p role="status">{lt('o.lists.loading')}</p>}>
          {(body) => (
            <div class="o-card">
              <div class="o-lists-bar">
                <Show when={body().regions.length > 1}>
                  <label class="o-rl-field">
                    <span class="o-field-label">{lt('o.rl.region')}</span>
                    <select class="o-select" value={body().region.id} data-testid="lists-region" onChange={(e) => set({ region: Number(e.currentTarget.value), community: null })}>
                      <For each={body().regions}>{(r) => <option value={r.id} selected={r.id === body().region.id}>{r.name}</option>}</For>
                    </select>
                  </label>
                </Show>
                <label class="o-rl-field">
                  <span class="o-field-label">{lt('o.lists.community')}</span>
                  <select class="o-select" value={scope().community ?? ''} data-testid="lists-community" onChange={(e) => set({ community: e.currentTarget.value ? Number(e.currentTarget.value) : null })}>
                    <option value="">{lt('o.lists.allCommunities')}</option>
                    <For each={body().communities}>{(c) => <option value={c.id} selected={c.id === scope().community}>{c.name}</option>}</For>
                  </select>
                </label>
                <p data-testid="lists-dates">
                  {body().period
                    ? lt('o.lists.today', { date: formatDate(body().today), deadline: formatDate(body().period!.deadline), suspension: formatDate(body().period!.suspensionDate) })
                    : lt('o.lists.noPeriod')}
                </p>
              </div>
              <div class="o-table-wrap" tabindex="0" role="region" aria-labelledby="o-lists-caption">
                <table class="o-table o-lists-table" data-testid="lists-table">
                  <caption id="o-lists-caption" class="visually-hidden">
                    {lt('o.lists.caption')}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{lt('o.lists.col.list')}</th>
                      <th scope="col" class="o-num">
                        {lt('o.lists.col.count')}
                      </th>
                      <th scope="col">{lt('o.lists.col.download')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={EXPORT_LISTS}>
                      {(list) => {
                        const count = () => body().lists.find((l) => l.list === list)?.count ?? 0;
                        const status = AS_STATUS[list];
                        return (
                          <tr data-testid={`list-${list}`} data-count={count()}>
                            <th scope="row">
                              <h2 id={`o-list-${list}`}>{listText(list)}</h2>
                              <p class="o-muted">{listWhat(list)}</p>
                            </th>
                            <td class="o-num" data-testid={`list-count-${list}`}>
                              <Show when={status && count() > 0} fallback={formatCount(count())}>
                                <a
                                  class="o-count-link"
                                  href={listHref({ ...NO_FILTERS, region: scope().region, community: scope().community, status: status! })}
                                  aria-label={lt('o.link.tile', { label: listText(list), n: formatCount(count()) })}
                                >
                                  {formatCount(count())}
                                </a>
                              </Show>
                            </td>
                            <td>
                              <div class="o-downloads">
                                <For each={['csv', 'xlsx'] as const}>
                                  {(format) => (
                                    <a class="o-download" href={exportHref(list, format)} download="" data-testid={`download-${list}-${format}`}>
                                      <span class="visually-hidden">{lt('o.lists.downloadOf', { list: listText(list) })}</span>
                                      {lt(format === 'csv' ? 'o.lists.csv' : 'o.lists.xlsx')}
                                    </a>
                                  )}
                                </For>
                              </div>
                            </td>
                          </tr>
                        );
                      }}
                    </For>
                  </tbody>
                </table>
              </div>
              <p class="o-muted">{lt('o.lists.formats')}</p>
            </div>
          )}
        </Show>
      </Show>
    </div>
  );
}
