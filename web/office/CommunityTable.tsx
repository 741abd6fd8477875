// The per-community table of the overview, sortable by any column (aria-sort on the sorted one).
// Wider than a tablet: it scrolls sideways in its own focusable box, the community name staying put.
import { createMemo, createSignal, For, Show } from 'solid-js';
import type { CommunityOverview, StatusCounts } from '../../shared/schemas/office.ts';
import { lang, t } from '../i18n/index.ts';
import { formatCount, percent } from './format.ts';
import { completion, nextSort, sortCommunities, type SortDir, type SortKey } from './sort.ts';

interface Column {
  key: SortKey;
  label: () => string;
  cell: (c: StatusCounts) => string;
}

// Short headings (the tiles above say each in full), so the whole table fits a desk screen.
const COLUMNS: Column[] = [
  { key: 'retirees', label: () => t('o.col.retirees'), cell: (c) => formatCount(c.retirees) },
  { key: 'certifiedTotal', label: () => t('o.col.certifiedTotal'), cell: (c) => formatCount(c.certifiedTotal) },
  { key: 'rate', label: () => t('o.col.rate'), cell: (c) => `${percent(completion(c))}%` },
  ...(['self', 'family', 'worker', 'home_visit', 'on_site'] as const).map((m): Column => ({ key: m, label: () => t(`o.col.${m}`), cell: (c) => formatCount(c.certified[m]) })),
  { key: 'underReview', label: () => t('o.col.underReview'), cell: (c) => formatCount(c.underReview) },
  { key: 'verifying', label: () => t('o.col.verifying'), cell: (c) => formatCount(c.verifying) },
  { key: 'due', label: () => t('o.col.due'), cell: (c) => formatCount(c.due) },
  { key: 'overdue', label: () => t('o.col.overdue'), cell: (c) => formatCount(c.overdue) },
  { key: 'suspended', label: () => t('o.col.suspended'), cell: (c) => formatCount(c.suspended) },
  { key: 'queue', label: () => t('o.col.queue'), cell: (c) => formatCount(c.queue) },
];

export function CommunityTable(props: { rows: CommunityOverview[]; totals: StatusCounts }) {
  const [sort, setSort] = createSignal<{ key: SortKey; dir: SortDir }>({ key: 'name', dir: 'ascending' });
  const rows = createMemo(() => sortCommunities(props.rows, sort().key, sort().dir, lang()));
  const ariaSort = (key: SortKey) => (sort().key === key ? sort().dir : undefined);
  const header = (key: SortKey, label: string) => (
    <button type="button" class="o-sort" data-testid={`sort-${key}`} onClick={() => setSort(nextSort(sort(), key))}>
      {label}
      <span aria-hidden="true" class="o-sort-mark">
        {sort().key === key ? (sort().dir === 'ascending' ? '▲' : '▼') : ''}
      </span>
    </button>
  );

  return (
    <Show when={props.rows.length} fallback={<p>{t('o.table.empty')}</p>}>
      <div class="o-table-wrap" tabindex="0" role="region" aria-label={t('o.table.caption')}>
        <table class="o-table" data-testid="community-table">
          <caption class="visually-hidden">{t('o.table.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" class="o-sticky" aria-sort={ariaSort('name')}>
                {header('name', t('o.table.community'))}
              </th>
              <For each={COLUMNS}>
                {(col) => (
                  <th scope="col" aria-sort={ariaSort(col.key)}>
                    {header(col.key, col.label())}
                  </th>
                )}
              </For>
            </tr>
          </thead>
          <tbody>
            <For each={rows()}>
              {(row) => (
                <tr data-testid="community-row" data-community={row.id}>
                  <th scope="row" class="o-sticky">
                    {row.name}
                  </th>
                  <For each={COLUMNS}>{(col) => <td data-column={col.key}>{col.cell(row)}</td>}</For>
                </tr>
              )}
            </For>
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" class="o-sticky">
                {t('o.table.total')}
              </th>
              <For each={COLUMNS}>{(col) => <td data-column={col.key}>{col.cell(props.totals)}</td>}</For>
            </tr>
          </tfoot>
        </table>
      </div>
    </Show>
  );
}
