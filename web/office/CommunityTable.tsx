// The per-community table of the overview, sortable by any column (aria-sort on the sorted one).
// Wider than a tablet: it scrolls sideways in its own focusable box, the community name staying put.
// Each count other than 0 is a link to the people it counts: the Retirees list filtered by state,
// method and community (decision 056), or the review queue of that community.
import { createMemo, createSignal, For, Show } from 'solid-js';
import type { CommunityOverview, StatusCounts } from '../../shared/schemas/office.ts';
import { lang, t } from '../i18n/index.ts';
import { formatCount, percent } from './format.ts';
import { lt } from './lists-text.ts';
import { listHref, NO_FILTERS, type ListFilters } from './retiree-filters.ts';
import { officeHref } from './route.ts';
import { completion, nextSort, sortCommunities, type SortDir, type SortKey } from './sort.ts';

interface Column {
  key: SortKey;
  label: () => string;
  cell: (c: StatusCounts) => string;
  /** The count, when the cell is one. */
  count?: (c: StatusCounts) => number;
  /** Whom it counts: the list's filters, or the review queue. */
  link?: Partial<ListFilters> | 'queue';
}

const countColumn = (key: SortKey, label: () => string, count: (c: StatusCounts) => number, link: Column['link']): Column => ({ key, label, cell: (c) => formatCount(count(c)), count, link });

// Short headings (the tiles above say each in full), so the whole table fits a desk screen.
const COLUMNS: Column[] = [
  countColumn('retirees', () => t('o.col.retirees'), (c) => c.retirees, {}),
  countColumn('certifiedTotal', () => t('o.col.certifiedTotal'), (c) => c.certifiedTotal, { status: 'certified' }),
  { key: 'rate', label: () => t('o.col.rate'), cell: (c) => `${percent(completion(c))}%` },
  ...(['self', 'family', 'worker', 'home_visit', 'on_site'] as const).map((m) => countColumn(m, () => t(`o.col.${m}`), (c) => c.certified[m], { status: 'certified', method: m })),
  countColumn('underReview', () => t('o.col.underReview'), (c) => c.underReview, { status: 'under_review' }),
  countColumn('verifying', () => t('o.col.verifying'), (c) => c.verifying, { status: 'verifying' }),
  countColumn('due', () => t('o.col.due'), (c) => c.due, { status: 'due' }),
  countColumn('overdue', () => t('o.col.overdue'), (c) => c.overdue, { status: 'overdue' }),
  countColumn('suspended', () => t('o.col.suspended'), (c) => c.suspended, { status: 'suspended' }),
  countColumn('queue', () => t('o.col.queue'), (c) => c.queue, 'queue'),
];

/** A count as a link to the people it counts (a 0 stays plain text: nobody to see). */
function Cell(props: { col: Column; counts: StatusCounts; community: { id: number; name: string } | null; region: number | null }) {
  const href = () => {
    const link = props.col.link!;
    const community = props.community?.id ?? null;
    return link === 'queue' ? officeHref('queue', { community }) : listHref({ ...NO_FILTERS, region: props.region, community, ...link });
  };
  const where = () => props.community?.name ?? t('o.table.total');
  return (
    <Show when={props.col.link && props.col.count && props.col.count(props.counts) > 0} fallback={props.col.cell(props.counts)}>
      <a
        class="o-count-link"
        href={href()}
        aria-label={lt(props.col.link === 'queue' ? 'o.link.queue' : 'o.link.cell', { community: where(), column: props.col.label(), n: props.col.cell(props.counts) })}
      >
        {props.col.cell(props.counts)}
      </a>
    </Show>
  );
}

export function CommunityTable(props: { rows: CommunityOverview[]; totals: StatusCounts; region?: number | null }) {
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
                  <For each={COLUMNS}>
                    {(col) => (
                      <td data-column={col.key}>
                        <Cell col={col} counts={row} community={row} region={props.region ?? null} />
                      </td>
                    )}
                  </For>
                </tr>
              )}
            </For>
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" class="o-sticky">
                {t('o.table.total')}
              </th>
              <For each={COLUMNS}>
                {(col) => (
                  <td data-column={col.key}>
                    <Cell col={col} counts={props.totals} community={null} region={props.region ?? null} />
                  </td>
                )}
              </For>
            </tr>
          </tfoot>
        </table>
      </div>
    </Show>
  );
}
