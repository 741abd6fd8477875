// The family links of the office's retirees (GET /api/office/people/links), newest first, and ending
// one (the family member's access ends at once; asking a new link is issue 19's self-service).
import { createResource, createSignal, For, Show } from 'solid-js';
import { PEOPLE, type FamilyLink } from '../../shared/schemas/office-people.ts';
import { call } from '../api/client.ts';
import { errorText } from '../error-text.ts';
import { relationText } from '../family/relation.ts';
import { formatDateTime } from './format.ts';
import { ErrorLine } from './Overview.tsx';
import { pt } from './people-text.ts';
import { retireeHref } from './route.ts';

const keyOf = (l: FamilyLink) => `${l.userId}:${l.retiree.id}`;

export function FamilyLinks() {
  const [q, setQ] = createSignal('');
  const [pageNo, setPageNo] = createSignal(1);
  const [links, { refetch }] = createResource(
    () => ({ q: q(), page: pageNo() }),
    ({ q, page }) => call(PEOPLE.links, { query: new URLSearchParams({ ...(q ? { q } : {}), page: String(page) }) }),
  );
  const [confirming, setConfirming] = createSignal<string | null>(null);
  const [said, setSaid] = createSignal('');
  const [error, setError] = createSignal('');
  const pages = () => Math.max(1, Math.ceil((links()?.total ?? 0) / (links()?.pageSize ?? 25)));

  async function end(l: FamilyLink) {
    setError('');
    try {
      await call(PEOPLE.endLink, { params: { user: l.userId, retiree: l.retiree.id } });
      setConfirming(null);
      setSaid(pt('o.people.links.endedNow', { family: l.displayName, retiree: l.retiree.name }));
      void refetch();
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <section class="o-card" aria-labelledby="o-links-title" data-testid="family-links">
      <h2 id="o-links-title">{pt('o.people.links.title')}</h2>
      <p class="o-muted">{pt('o.people.links.intro')}</p>
      <form role="search" aria-label={pt('o.people.links.searchLabel')} class="o-people-filters" onSubmit={(e) => e.preventDefault()}>
        <label class="o-field">
          <span class="o-field-label">{pt('o.people.links.search')}</span>
          <input class="o-input" type="search" value={q()} onChange={(e) => { setPageNo(1); setQ(e.currentTarget.value.trim()); }} />
        </label>
      </form>
      <p role="status" class="o-ok" data-testid="links-said">{said()}</p>
      <Show when={error()}>
        <p class="o-alert" role="alert">{error()}</p>
      </Show>
      <Show when={!links.error} fallback={<ErrorLine error={links.error} retry={refetch} />}>
        <Show when={links.latest} fallback={<p role="status">{pt('o.people.loading')}</p>}>
          {(page) => (
            <Show when={page().items.length} fallback={<p>{pt('o.people.links.none')}</p>}>
              <p class="o-muted">{pt('o.people.links.count', { total: page().total })}</p>
              <div class="o-table-wrap" tabindex="0" role="region" aria-label={pt('o.people.links.tableLabel')}>
                <table class="o-table o-people-table">
                  <thead>
                    <tr>
                      <For each={['family', 'retiree', 'relation', 'since'] as const}>{(c) => <th scope="col">{pt(`o.people.links.col.${c}`)}</th>}</For>
                      <th scope="col">{pt('o.people.col.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={page().items}>
                      {(l) => (
                        <tr data-testid={`link-${l.username}-${l.retiree.id}`}>
                          <th scope="row">
                            {l.displayName} <span class="o-mono o-muted">{l.username}</span>
                          </th>
                          <td>
                            <a class="o-link" href={retireeHref(l.retiree.id)}>{l.retiree.name}</a> <span class="o-mono">{l.retiree.idNumber}</span> · {l.retiree.community}
                          </td>
                          <td>{relationText(l.relation)}</td>
                          <td>{formatDateTime(l.since)}</td>
                          <td class="o-actions">
                            <Show
                              when={confirming() === keyOf(l)}
                              fallback={
                                <button type="button" class="o-link" aria-label={pt('o.people.links.endLabel', { family: l.displayName, retiree: l.retiree.name })} data-testid="end-link" onClick={() => setConfirming(keyOf(l))}>
                                  {pt('o.people.links.end')}
                                </button>
                              }
                            >
                              <div class="o-confirm" role="group" aria-label={pt('o.people.links.endConfirm', { family: l.displayName, retiree: l.retiree.name })}>
                                <p>{pt('o.people.links.endConfirm', { family: l.displayName, retiree: l.retiree.name })}</p>
                                <div class="o-decide-row">
                                  <button type="button" class="o-button o-danger" data-testid="confirm-end-link" onClick={() => void end(l)}>{pt('o.people.links.endYes')}</button>
                                  <button type="button" class="o-button" onClick={() => setConfirming(null)}>{pt('o.people.panel.no')}</button>
                                </div>
                              </div>
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Show when={pages() > 1}>
                <nav class="o-pager" aria-label={pt('o.people.page', { page: pageNo(), pages: pages() })}>
                  <button type="button" class="o-button" disabled={pageNo() <= 1} onClick={() => setPageNo(pageNo() - 1)}>{pt('o.people.prev')}</button>
                  <span>{pt('o.people.page', { page: pageNo(), pages: pages() })}</span>
                  <button type="button" class="o-button" disabled={pageNo() >= pages()} onClick={() => setPageNo(pageNo() + 1)}>{pt('o.people.next')}</button>
                </nav>
              </Show>
            </Show>
          )}
        </Show>
      </Show>
    </section>
  );
}
