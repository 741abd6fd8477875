// The roster: search (name, last ID digits, address) over an in-memory index of the cached
// roster, filters, urgency order. Answers per keystroke without touching IndexedDB.
import { createMemo, createSignal, For, Show } from 'solid-js';
import { ROSTER_FILTERS, type RosterFilter } from '../../shared/roster.ts';
import { Dated, statusDates } from '../components/Dated.tsx';
import { lang, t, type MessageKey } from '../i18n/index.ts';
import { formatDateTime, markLabel, stateLabel, visitKindText } from './labels.ts';
import type { RosterView } from './roster-view.ts';

const PAGE = 50;

export function RosterScreen(props: { view: RosterView; workerName: string; open: (id: number) => void }) {
  const [query, setQuery] = createSignal('');
  const [filter, setFilter] = createSignal<RosterFilter>('all');
  const [limit, setLimit] = createSignal(PAGE);
  const hits = createMemo(() => props.view.search(query(), filter()));
  const newest = createMemo(() => props.view.entries().reduce((m, e) => Math.max(m, e.pulledAt), 0));

  return (
    <main class="w-screen" data-testid="roster">
      {/* On a shared phone the heading says whose roster (and whose unsent items) this is. */}
      <h1 class="w-title">{t('w.rosterTitle', { name: props.workerName })}</h1>
      <label class="w-visually-hidden" for="w-search">{t('w.searchLabel')}</label>
      <input
        id="w-search"
        class="w-search"
        type="search"
        data-testid="roster-search"
        placeholder={t('w.search')}
        autocomplete="off"
        value={query()}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          setLimit(PAGE);
        }}
      />
      <div class="w-filters" role="group">
        <For each={ROSTER_FILTERS}>
          {(f) => (
            <button type="button" class="w-chip" data-filter={f} aria-pressed={filter() === f} onClick={() => { setFilter(f); setLimit(PAGE); }}>
              {t(`w.filter.${f}` as MessageKey)}
            </button>
          )}
        </For>
      </div>
      <Show when={props.view.entries().length > 0} fallback={<p class="w-note">{t('w.rosterEmpty')}</p>}>
        <p class="w-note" data-testid="roster-count" data-total={hits().length}>
          {t('w.count', { shown: Math.min(limit(), hits().length), total: hits().length })} · <Dated text={t('w.rosterAge', { time: formatDateTime(newest(), lang()) })} dates={[formatDateTime(newest(), lang())]} />
        </p>
        <Show when={hits().length > 0} fallback={<p class="w-note">{t('w.empty')}</p>}>
          <ul class="w-list">
            <For each={hits().slice(0, limit())}>
              {(e) => {
                const mark = () => markLabel(props.view.mark(e));
                const state = () => mark() ?? stateLabel(e.status);
                return (
                  <li>
                    <button type="button" class="w-row" data-testid="roster-row" data-id={e.retireeId} onClick={() => props.open(e.retireeId)}>
                      <span class="w-row-name">{e.name}</span>
                      <Show when={e.visitRequest}>
                        {(q) => (
                          <span class="w-tag alert" data-testid="row-visit-request">
                            <Dated text={t('w.visitRequested', { date: formatDateTime(q().requestedAt, lang()) })} dates={[formatDateTime(q().requestedAt, lang())]} />
                          </span>
                        )}
                      </Show>
                      <span class={`w-tag ${state().tone}`} data-testid="row-state">
                        <Dated text={state().text} dates={statusDates(e.status)} />
                      </span>
                      <span class="w-row-line">{e.address}</span>
                      <span class="w-row-line">{t('w.idTail', { tail: e.idNumber.slice(-4) })}</span>
                      <Show when={e.lastVisit}>
                        {(v) => (
                          <span class="w-row-line">
                            <Dated text={t('w.lastVisit', { kind: visitKindText(v().kind), time: formatDateTime(v().at, lang()), name: v().byName })} dates={[formatDateTime(v().at, lang())]} />
                          </span>
                        )}
                      </Show>
                    </button>
                  </li>
                );
              }}
            </For>
          </ul>
          <Show when={hits().length > limit()}>
            <button type="button" class="w-secondary" onClick={() => setLimit(limit() + PAGE)}>{t('w.more')}</button>
          </Show>
        </Show>
      </Show>
    </main>
  );
}
