// The office's list of retirees (issue 16, decision 056): everyone on the rolls of the office's
// region, a page at a time from GET /api/office/retirees (filtered, sorted and counted on the
// server), with the filters in the URL (#/retirees?status=overdue&community=3&page=2) so a number
// on the overview opens this list filtered, a list can be bookmarked or sent, and Back works.
// Typing in the search box replaces the URL (no history entry per letter); choosing a filter, a
// sort or a page adds one. Each name opens the retiree's page (#/retirees/:id).
import { createEffect, createMemo, createResource, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { CERTIFICATION_METHODS } from '../../shared/certification-rules.ts';
import { PENSION_CATEGORIES } from '../../shared/schemas/admin.ts';
import { AGE_BANDS, RETIREES, STATUS_FILTERS, type RetireeSort } from '../../shared/schemas/office-retirees.ts';
import { call } from '../api/client.ts';
import { formatDate } from '../i18n/index.ts';
import { formatCount } from './format.ts';
import { ageText, categoryText, lt, methodText, statusText } from './lists-text.ts';
import { ErrorLine } from './Overview.tsx';
import { apiQuery, filtered, filtersFrom, listHref, NO_FILTERS, type ListFilters } from './retiree-filters.ts';
import { retireeHref } from './route.ts';
import './lists.css';

const SIZE = 50;

export function Retirees(props: { params: URLSearchParams; go(href: string): void; replace(href: string): void }) {
  const filters = createMemo(() => filtersFrom(props.params));
  const [list, { refetch }] = createResource(() => apiQuery(filters(), SIZE), (q) => call(RETIREES.list, { query: q }));
  const current = () => list.latest;
  const pages = () => Math.max(1, Math.ceil((current()?.total ?? 0) / SIZE));
  const set = (change: Partial<ListFilters>) => props.go(listHref({ ...filters(), page: 1, ...change }));

  // The search box: what is typed goes into the URL a moment after the last key, replacing it.
  const [typed, setTyped] = createSignal(filters().q);
  let searchBox: HTMLInputElement | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const typing = (value: string) => {
    setTyped(value);
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      props.replace(listHref({ ...filters(), q: value, page: 1 }));
    }, 300);
  };
  // A link or Back changed the search: the box shows it (unless the clerk is typing in it).
  createEffect(on(() => filters().q, (q) => (document.activeElement !== searchBox || !timer) && setTyped(q)));

  const sortBy = (key: RetireeSort) => {
    const f = filters();
    set({ sort: key, dir: f.sort === key && f.dir === 'asc' ? 'desc' : 'asc' });
  };
  const ariaSort = (key: RetireeSort) => (filters().sort === key ? (filters().dir === 'asc' ? 'ascending' : 'descending') : undefined);
  const header = (key: RetireeSort, label: string) => (
    <th scope="col" aria-sort={ariaSort(key)}>
      <button type="button" class="o-sort" data-testid={`retirees-sort-${key}`} onClick={() => sortBy(key)}>
        {label}
        <span aria-hidden="true" class="o-sort-mark">
          {filters().sort === key ? (filters().dir === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );
  const pageLink = (page: number, label: string, testid: string, enabled: boolean) => (
    <Show when={enabled} fallback={<span class="o-page-link" aria-disabled="true">{label}</span>}>
      <a class="o-page-link" href={listHref({ ...filters(), page })} data-testid={testid}>
        {label}
      </a>
    </Show>
  );

  return (
    <div class="o-page o-retirees" data-testid="office-retirees">
      <div class="o-title-row">
        <h1>{lt('o.rl.title')}</h1>
        <p class="o-muted" role="status" data-testid="retirees-total" data-value={current()?.total ?? ''}>
          {current() ? lt('o.rl.count', { n: formatCount(current()!.total) }) : lt('o.rl.loading')}
        </p>
      </div>

      <form class="o-card o-rl-filters" role="search" aria-label={lt('o.rl.filters')} onSubmit={(e) => e.preventDefault()}>
        <label class="o-rl-field o-rl-search">
          <span class="o-field-label">{lt('o.rl.search')}</span>
          <input
            ref={searchBox}
            class="o-input"
            type="search"
            value={typed()}
            maxLength={40}
            autocomplete="off"
            data-testid="retirees-search"
            onInput={(e) => typing(e.currentTarget.value)}
          />
        </label>
        <Show when={(current()?.regions.length ?? 0) > 1}>
          <label class="o-rl-field">
            <span class="o-field-label">{lt('o.rl.region')}</span>
            <select class="o-select" value={current()!.region.id} data-testid="retirees-region" onChange={(e) => set({ region: Number(e.currentTarget.value), community: null })}>
              <For each={current()!.regions}>{(r) => <option value={r.id} selected={r.id === current()!.region.id}>{r.name}</option>}</For>
            </select>
          </label>
        </Show>
        <label class="o-rl-field">
          <span class="o-field-label">{lt('o.rl.status')}</span>
          <select class="o-select" value={filters().status ?? ''} data-testid="retirees-status" onChange={(e) => set({ status: (e.currentTarget.value || null) as ListFilters['status'] })}>
            <option value="">{lt('o.rl.any')}</option>
            <For each={STATUS_FILTERS}>{(s) => <option value={s} selected={s === filters().status}>{statusText(s)}</option>}</For>
          </select>
        </label>
        <label class="o-rl-field">
          <span class="o-field-label">{lt('o.rl.method')}</span>
          <select class="o-select" value={filters().method ?? ''} data-testid="retirees-method" onChange={(e) => set({ method: (e.currentTarget.value || null) as ListFilters['method'] })}>
            <option value="">{lt('o.rl.any')}</option>
            <For each={CERTIFICATION_METHODS}>{(m) => <option value={m} selected={m === filters().method}>{methodText(m)}</option>}</For>
          </select>
        </label>
        <label class="o-rl-field">
          <span class="o-field-label">{lt('o.rl.community')}</span>
          <select class="o-select" value={filters().community ?? ''} data-testid="retirees-community" onChange={(e) => set({ community: e.currentTarget.value ? Number(e.currentTarget.value) : null })}>
            <option value="">{lt('o.rl.any')}</option>
            <For each={current()?.communities ?? []}>{(c) => <option value={c.id} selected={c.id === filters().community}>{c.name}</option>}</For>
          </select>
        </label>
        <label class="o-rl-field">
          <span class="o-field-label">{lt('o.rl.age')}</span>
          <select class="o-select" value={filters().age ?? ''} data-testid="retirees-age" onChange={(e) => set({ age: (e.currentTarget.value || null) as ListFilters['age'] })}>
            <option value="">{lt('o.rl.any')}</option>
            <For each={AGE_BANDS}>{(a) => <option value={a} selected={a === filters().age}>{ageText(a)}</option>}</For>
          </select>
        </label>
        <label class="o-rl-field">
          <span class="o-field-label">{lt('o.rl.category')}</span>
          <select class="o-select" value={filters().category ?? ''} data-testid="retirees-category" onChange={(e) => set({ category: (e.currentTarget.value || null) as ListFilters['category'] })}>
            <option value="">{lt('o.rl.any')}</option>
            <For each={PENSION_CATEGORIES}>{(c) => <option value={c} selected={c === filters().category}>{categoryText(c)}</option>}</For>
          </select>
        </label>
        <div class="o-rl-checks">
          <label class="o-check">
            <input type="checkbox" checked={filters().noReference} data-testid="retirees-no-reference" onChange={(e) => set({ noReference: e.currentTarget.checked })} />
            {lt('o.rl.noReference')}
          </label>
          <label class="o-check">
            <input type="checkbox" checked={filters().neverSignedIn} data-testid="retirees-never-signed-in" onChange={(e) => set({ neverSignedIn: e.currentTarget.checked })} />
            {lt('o.rl.neverSignedIn')}
          </label>
          <label class="o-check">
            <input type="checkbox" checked={filters().visitRequest} data-testid="retirees-visit-request" onChange={(e) => set({ visitRequest: e.currentTarget.checked })} />
            {lt('o.rl.visitRequest')}
          </label>
          <Show when={filtered(filters())}>
            <a class="o-link o-rl-clear" href={listHref({ ...NO_FILTERS, region: filters().region, sort: filters().sort, dir: filters().dir })} data-testid="retirees-clear">
              {lt('o.rl.clear')}
            </a>
          </Show>
        </div>
      </form>

      <Show when={!list.error} fallback={<ErrorLine error={list.error} retry={refetch} />}>
        <Show when={current()} fallback={<p>{lt('o.rl.loading')}</p>}>
          {(body) => (
            <Show
              when={body().items.length}
              fallback={
                <div class="o-card o-rl-empty" data-testid="retirees-empty">
                  <p>{filtered(filters()) || filters().page > 1 ? lt('o.rl.empty') : lt('o.rl.emptyAll')}</p>
                  <Show when={filters().page > 1 && body().total > 0}>
                    <a class="o-link o-rl-clear" href={listHref({ ...filters(), page: 1 })}>
                      {lt('o.rl.first')}
                    </a>
                  </Show>
                  <Show when={filtered(filters())}>
                    <a class="o-link o-rl-clear" href={listHref({ ...NO_FILTERS, region: filters().region })}>
                      {lt('o.rl.clear')}
                    </a>
                  </Show>
                </div>
              }
            >
              <div class="o-table-wrap" tabindex="0" role="region" aria-label={lt('o.rl.caption', { page: body().page, pages: pages() })} aria-busy={list.loading}>
                <table class="o-table o-rl-table" data-testid="retirees-table">
                  <caption class="visually-hidden">{lt('o.rl.caption', { page: body().page, pages: pages() })}</caption>
                  <thead>
                    <tr>
                      {header('name', lt('o.rl.col.name'))}
                      <th scope="col">{lt('o.rl.col.idNumber')}</th>
                      {header('community', lt('o.rl.col.community'))}
                      {header('age', lt('o.rl.col.age'))}
                      <th scope="col">{lt('o.rl.col.category')}</th>
                      {header('status', lt('o.rl.col.status'))}
                      <th scope="col">{lt('o.rl.col.method')}</th>
                      {header('last_certified', lt('o.rl.col.lastCertified'))}
                      <th scope="col">{lt('o.rl.col.phone')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={body().items}>
                      {(r) => (
                        <tr data-testid="retiree-row" data-retiree={r.id} data-status={r.status}>
                          <th scope="row">
                            <a class="o-rl-name" href={retireeHref(r.id)}>
                              {r.name}
                            </a>
                          </th>
                          <td class="o-mono">{r.idNumber}</td>
                          <td>{r.communityName}</td>
                          <td class="o-num">{r.age ?? lt('o.rl.none')}</td>
                          <td>{categoryText(r.pensionCategory)}</td>
                          <td class={`o-rl-status ${r.status}`}>{statusText(r.status)}</td>
                          <td>{r.method ? methodText(r.method) : lt('o.rl.none')}</td>
                          <td>{r.lastCertifiedOn ? formatDate(r.lastCertifiedOn) : lt('o.rl.never')}</td>
                          <td class="o-mono">{r.phone ?? lt('o.rl.none')}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <nav class="o-rl-pager" aria-label={lt('o.rl.pages')} data-testid="retirees-pager">
                {pageLink(1, lt('o.rl.first'), 'retirees-first', body().page > 1)}
                {pageLink(body().page - 1, lt('o.rl.previous'), 'retirees-previous', body().page > 1)}
                <span class="o-rl-page-of" data-testid="retirees-page">
                  {lt('o.rl.pageOf', { page: formatCount(body().page), pages: formatCount(pages()) })}
                  <span class="o-muted">
                    {' · '}
                    {lt('o.rl.showing', { from: formatCount((body().page - 1) * SIZE + 1), to: formatCount((body().page - 1) * SIZE + body().items.length), total: formatCount(body().total) })}
                  </span>
                </span>
                {pageLink(body().page + 1, lt('o.rl.next'), 'retirees-next', body().page < pages())}
                {pageLink(pages(), lt('o.rl.last'), 'retirees-last', body().page < pages())}
              </nav>
            </Show>
          )}
        </Show>
      </Show>
    </div>
  );
}

