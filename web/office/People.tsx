// The office's People screen (issue 16, decision 059): its accounts (office, worker, family), found
// by name, username or phone and filtered by role and state, a page at a time (GET
// /api/office/people); a new worker or office account; the chosen account's communities, disabling
// and new password (AccountPanel); and the family links of the region (FamilyLinks). Filters live
// in the URL (#/people?q=…&role=…&disabled=…&page=…). Confirmations are inline, never pop-ups.
import { createResource, createSignal, For, Show } from 'solid-js';
import { PEOPLE, type Person } from '../../shared/schemas/office-people.ts';
import { call } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { AccountPanel } from './AccountPanel.tsx';
import { FamilyLinks } from './FamilyLinks.tsx';
import { formatDateTime } from './format.ts';
import { NewAccount } from './NewAccount.tsx';
import { ErrorLine } from './Overview.tsx';
import { pt, type PeopleKey } from './people-text.ts';
import { officeHref } from './route.ts';

export function People(props: { params: URLSearchParams; replace(href: string): void }) {
  const filters = () => ({
    q: props.params.get('q') ?? '',
    role: props.params.get('role') ?? '',
    disabled: props.params.get('disabled') ?? '',
    page: Math.max(1, Number(props.params.get('page')) || 1),
  });
  const setFilter = (change: Partial<ReturnType<typeof filters>>) => props.replace(officeHref('people', { ...filters(), page: 1, ...change }));
  const query = () => {
    const f = filters();
    const q = new URLSearchParams();
    if (f.q) q.set('q', f.q);
    if (f.role) q.set('role', f.role);
    if (f.disabled) q.set('disabled', f.disabled);
    if (f.page > 1) q.set('page', String(f.page));
    return q.toString();
  };
  const [page, { refetch, mutate }] = createResource(query, (q) => call(PEOPLE.page, { query: q }));
  const [options] = createResource(() => call(PEOPLE.options));
  const [selectedId, setSelectedId] = createSignal<number | null>(null);
  const selected = () => page()?.items.find((p) => p.id === selectedId()) ?? null;
  const pages = () => Math.max(1, Math.ceil((page()?.total ?? 0) / (page()?.pageSize ?? 25)));

  /** An action's answer replaces the row, so the list shows it without a reload. */
  const updated = (person: Person) => {
    const current = page();
    if (current) mutate({ ...current, items: current.items.map((p) => (p.id === person.id ? person : p)) });
  };

  return (
    <div class="o-page o-people" data-testid="office-people">
      <div class="o-title-row">
        <h1>{pt('o.people.title')}</h1>
        <NewAccount options={options() ?? null} created={() => void refetch()} />
      </div>
      <p class="o-muted">{pt('o.people.intro')}</p>

      <section class="o-card" aria-labelledby="o-people-list-title">
        <h2 id="o-people-list-title" class="visually-hidden">{pt('o.people.listTitle')}</h2>
        <form class="o-people-filters" role="search" aria-labelledby="o-people-list-title" onSubmit={(e) => e.preventDefault()}>
          <label class="o-field">
            <span class="o-field-label">{pt('o.people.search')}</span>
            <input class="o-input" type="search" value={filters().q} data-testid="people-search" onChange={(e) => setFilter({ q: e.currentTarget.value.trim() })} />
          </label>
          <label class="o-field">
            <span class="o-field-label">{pt('o.people.role')}</span>
            <select class="o-select" value={filters().role} data-testid="people-role" onChange={(e) => setFilter({ role: e.currentTarget.value })}>
              <option value="">{pt('o.people.role.all')}</option>
              <For each={['admin', 'worker', 'family'] as const}>{(r) => <option value={r}>{pt(`o.people.role.${r}`)}</option>}</For>
            </select>
          </label>
          <label class="o-field">
            <span class="o-field-label">{pt('o.people.state')}</span>
            <select class="o-select" value={filters().disabled} data-testid="people-disabled" onChange={(e) => setFilter({ disabled: e.currentTarget.value })}>
              <option value="">{pt('o.people.state.all')}</option>
              <option value="no">{pt('o.people.state.active')}</option>
              <option value="yes">{pt('o.people.state.disabled')}</option>
            </select>
          </label>
        </form>

        <Show when={!page.error} fallback={<ErrorLine error={page.error} retry={refetch} />}>
          <Show when={page.latest} fallback={<p role="status">{pt('o.people.loading')}</p>}>
            {(current) => (
              <>
                <p class="o-muted" role="status" data-testid="people-count">{pt('o.people.count', { total: current().total })}</p>
                <Show when={current().items.length} fallback={<p>{pt('o.people.none')}</p>}>
                  <div class="o-table-wrap" tabindex="0" role="region" aria-label={pt('o.people.tableLabel')}>
                    <table class="o-table o-people-table">
                      <thead>
                        <tr>
                          <For each={['name', 'role', 'username', 'phone', 'where', 'lastSignIn', 'state', 'actions'] as const}>
                            {(c) => <th scope="col">{pt(`o.people.col.${c}`)}</th>}
                          </For>
                        </tr>
                      </thead>
                      <tbody>
                        <For each={current().items}>
                          {(p) => (
                            <tr data-testid={`person-${p.username}`}>
                              <th scope="row">
                                {p.displayName}
                                {p.self ? pt('o.people.self') : ''}
                              </th>
                              <td>{pt(`o.people.role.${p.role}` as PeopleKey)}</td>
                              <td class="o-mono">{p.username}</td>
                              <td class="o-mono">{p.phone ?? ''}</td>
                              <td class="o-wrap">
                                {p.role === 'family'
                                  ? pt('o.people.links', { n: p.links })
                                  : [p.region?.name, ...p.communities.map((c) => c.name)].filter(Boolean).join(t('o.p.list'))}
                              </td>
                              <td>{p.lastSignInAt ? formatDateTime(p.lastSignInAt) : pt('o.people.never')}</td>
                              <td class={p.disabled ? 'o-bad' : ''} data-testid="person-state">{pt(p.disabled ? 'o.people.state.disabled' : 'o.people.state.active')}</td>
                              <td class="o-actions">
                                <button type="button" class="o-link" aria-expanded={selectedId() === p.id} aria-label={pt('o.people.manage', { name: p.displayName })} data-testid={`manage-${p.username}`} onClick={() => setSelectedId(selectedId() === p.id ? null : p.id)}>
                                  {pt('o.people.manageShort')}
                                </button>
                                <a class="o-link" href={officeHref('audit', { user: p.id })} aria-label={pt('o.people.history', { name: p.displayName })}>
                                  {pt('o.audit.nav')}
                                </a>
                              </td>
                            </tr>
                          )}
                        </For>
                      </tbody>
                    </table>
                  </div>
                  <Show when={pages() > 1}>
                    <nav class="o-pager" aria-label={pt('o.people.page', { page: filters().page, pages: pages() })}>
                      <button type="button" class="o-button" disabled={filters().page <= 1} onClick={() => setFilter({ page: filters().page - 1 })}>{pt('o.people.prev')}</button>
                      <span>{pt('o.people.page', { page: filters().page, pages: pages() })}</span>
                      <button type="button" class="o-button" disabled={filters().page >= pages()} onClick={() => setFilter({ page: filters().page + 1 })}>{pt('o.people.next')}</button>
                    </nav>
                  </Show>
                </Show>
              </>
            )}
          </Show>
        </Show>
      </section>

      <Show when={selected()}>
        {(person) => <AccountPanel person={person()} communities={options()?.communities ?? []} updated={updated} close={() => setSelectedId(null)} />}
      </Show>

      <FamilyLinks />
    </div>
  );
}
