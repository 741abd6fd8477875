// The audit log (issue 16, decision 059): who, what, when and which retiree, newest first, with
// older entries a page at a time (GET /api/office/audit, keyset cursor). The filters live in the URL
// (#/audit?user=…&event=…&from=…&to=…&retiree=…), so a person's row or a retiree's page links here.
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { AUDIT, AUDIT_EVENTS, type AuditEntryView, type AuditPage } from '../../shared/schemas/office-audit.ts';
import { call } from '../api/client.ts';
import { formatDateTime } from './format.ts';
import { ErrorLine } from './Overview.tsx';
import { eventText, pt } from './people-text.ts';
import { officeHref, retireeHref } from './route.ts';

const FILTERS = ['user', 'event', 'retiree', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

function Who(props: { e: AuditEntryView }) {
  return (
    <Show when={props.e.actor} fallback={<span class="o-muted">{pt('o.audit.system')}</span>}>
      {(a) => (
        <>
          {a().displayName} <span class="o-mono o-muted">{a().username ?? ''}</span>
        </>
      )}
    </Show>
  );
}

function About(props: { e: AuditEntryView }) {
  return (
    <Show
      when={props.e.retiree}
      fallback={
        <Show when={props.e.subjectUser} fallback={<span class="o-mono">{props.e.subject ?? ''}</span>}>
          {(u) => (
            <>
              {u().displayName} <span class="o-mono o-muted">{u().username ?? ''}</span>
            </>
          )}
        </Show>
      }
    >
      {(r) => (
        <>
          <a class="o-link" href={retireeHref(r().id)}>{r().name}</a> <span class="o-mono">{r().idNumber}</span>
        </>
      )}
    </Show>
  );
}

export function AuditLog(props: { params: URLSearchParams; go(href: string): void }) {
  const filters = (): Filters => Object.fromEntries(FILTERS.map((k) => [k, props.params.get(k) ?? ''])) as Filters;
  const [items, setItems] = createSignal<AuditEntryView[]>([]);
  const [meta, setMeta] = createSignal<Omit<AuditPage, 'items'> | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [loading, setLoading] = createSignal(false);
  let request = 0;

  async function load(after: string | null) {
    const mine = ++request;
    const q = new URLSearchParams(Object.entries(filters()).filter(([, v]) => v));
    if (after) q.set('after', after);
    setLoading(true);
    try {
      const body = await call(AUDIT.page, { query: q });
      if (mine !== request) return;
      const { items: page, ...rest } = body;
      setItems(after ? [...items(), ...page] : page);
      setMeta(rest);
      setError(null);
    } catch (err) {
      if (mine === request) setError(err);
    } finally {
      if (mine === request) setLoading(false);
    }
  }
  createEffect(on(() => props.params.toString(), () => void load(null)));

  function submit(e: SubmitEvent) {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    props.go(officeHref('audit', Object.fromEntries(FILTERS.map((k) => [k, String(form.get(k) ?? '').trim()]))));
  }

  return (
    <div class="o-page o-audit" data-testid="office-audit">
      <h1>{pt('o.audit.title')}</h1>
      <p class="o-muted">{pt('o.audit.intro', { tz: meta()?.resolved.timeZone ?? 'Asia/Shanghai' })}</p>

      <form class="o-card o-audit-filters" aria-labelledby="o-audit-filters-title" onSubmit={submit} data-testid="audit-filters">
        <h2 id="o-audit-filters-title">{pt('o.audit.filters')}</h2>
        <div class="o-audit-fields">
          <label class="o-field">
            <span class="o-field-label">{pt('o.audit.user')}</span>
            <input class="o-input" name="user" value={filters().user} autocomplete="off" spellcheck={false} data-testid="audit-user" />
          </label>
          <label class="o-field">
            <span class="o-field-label">{pt('o.audit.event')}</span>
            <select class="o-select" name="event" data-testid="audit-event">
              <option value="">{pt('o.audit.event.all')}</option>
              <For each={[...AUDIT_EVENTS].sort((a, b) => eventText(a).localeCompare(eventText(b)))}>
                {(ev) => <option value={ev} selected={filters().event === ev}>{eventText(ev)}</option>}
              </For>
            </select>
          </label>
          <label class="o-field">
            <span class="o-field-label">{pt('o.audit.retiree')}</span>
            <input class="o-input" name="retiree" value={filters().retiree} autocomplete="off" inputmode="numeric" data-testid="audit-retiree" />
          </label>
          <label class="o-field">
            <span class="o-field-label">{pt('o.audit.from')}</span>
            <input class="o-input" name="from" type="date" value={filters().from} data-testid="audit-from" />
          </label>
          <label class="o-field">
            <span class="o-field-label">{pt('o.audit.to')}</span>
            <input class="o-input" name="to" type="date" value={filters().to} data-testid="audit-to" />
          </label>
        </div>
        <div class="o-decide-row">
          <button type="submit" class="o-button o-primary" data-testid="audit-apply">{pt('o.audit.apply')}</button>
          <a class="o-button o-tab" href={officeHref('audit')}>{pt('o.audit.clear')}</a>
        </div>
        <Show when={meta()}>
          {(m) => (
            <>
              <Show when={filters().user}>
                <p data-testid="audit-for-user">{m().resolved.user ? pt('o.audit.forUser', { name: m().resolved.user!.displayName, username: m().resolved.user!.username ?? '' }) : pt('o.audit.userUnknown')}</p>
              </Show>
              <Show when={filters().retiree}>
                <p>{m().resolved.retiree ? pt('o.audit.forRetiree', { name: m().resolved.retiree!.name, idNumber: m().resolved.retiree!.idNumber }) : pt('o.audit.retireeUnknown')}</p>
              </Show>
            </>
          )}
        </Show>
      </form>

      <section class="o-card" aria-labelledby="o-audit-list-title">
        <h2 id="o-audit-list-title" class="visually-hidden">{pt('o.audit.tableLabel')}</h2>
        <Show when={!error()} fallback={<ErrorLine error={error()} retry={() => void load(null)} />}>
          <Show when={meta()} fallback={<p role="status">{pt('o.people.loading')}</p>}>
            <Show when={items().length} fallback={<p data-testid="audit-none">{pt('o.audit.none')}</p>}>
              <p class="o-muted" role="status">{pt('o.audit.shown', { n: items().length })}</p>
              <div class="o-table-wrap" tabindex="0" role="region" aria-label={pt('o.audit.title')}>
                <table class="o-table o-audit-table" data-testid="audit-table">
                  <thead>
                    <tr>
                      <For each={['when', 'event', 'who', 'about', 'details'] as const}>{(c) => <th scope="col">{pt(`o.audit.col.${c}`)}</th>}</For>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={items()}>
                      {(e) => (
                        <tr data-testid="audit-row" data-event={e.event}>
                          <td class="o-mono">{formatDateTime(e.at)}</td>
                          <th scope="row">{eventText(e.event)}</th>
                          <td><Who e={e} /></td>
                          <td><About e={e} /></td>
                          <td class="o-wrap">
                            <Show when={e.details || e.ip}>
                              <details class="o-audit-details">
                                <summary>{pt('o.audit.detailsShow')}</summary>
                                <Show when={e.ip}>{(ip) => <p>{pt('o.audit.ip', { ip: ip() })}</p>}</Show>
                                <Show when={e.details}>{(d) => <pre>{JSON.stringify(d(), null, 2)}</pre>}</Show>
                              </details>
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Show when={meta()?.next}>
                {(next) => (
                  <button type="button" class="o-button" disabled={loading()} data-testid="audit-more" onClick={() => void load(next())}>
                    {pt('o.audit.more')}
                  </button>
                )}
              </Show>
            </Show>
          </Show>
        </Show>
      </section>
    </div>
  );
}
