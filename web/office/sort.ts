// Sorting the per-community table: by any count column or by name, either way. Names sort in the
// page's language (pinyin order for Chinese), ties by name so the order never jumps.
import type { CommunityOverview } from '../../shared/schemas/office.ts';

export type SortKey = 'name' | 'retirees' | 'certifiedTotal' | 'rate' | 'self' | 'family' | 'worker' | 'home_visit' | 'on_site' | 'underReview' | 'verifying' | 'due' | 'overdue' | 'suspended' | 'queue';
export type SortDir = 'ascending' | 'descending';

/** Certified as a share of those the period applies to; null when it applies to nobody. */
export function completion(c: Pick<CommunityOverview, 'certifiedTotal' | 'retirees' | 'notOpen'>): number | null {
  const expected = c.retirees - c.notOpen;
  return expected > 0 ? c.certifiedTotal / expected : null;
}

function value(c: CommunityOverview, key: Exclude<SortKey, 'name'>): number {
  switch (key) {
    case 'rate':
      return completion(c) ?? -1;
    case 'self':
    case 'family':
    case 'worker':
    case 'home_visit':
    case 'on_site':
      return c.certified[key];
    default:
      return c[key];
  }
}

export function sortCommunities(rows: readonly CommunityOverview[], key: SortKey, dir: SortDir, locale: string): CommunityOverview[] {
  const byName = (a: CommunityOverview, b: CommunityOverview) => a.name.localeCompare(b.name, locale);
  const sign = dir === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (key === 'name') return sign * byName(a, b);
    return sign * (value(a, key) - value(b, key)) || byName(a, b);
  });
}

/** A first click on a count sorts the biggest first (what a clerk looks for); on the name, A to Z. */
export function nextSort(current: { key: SortKey; dir: SortDir }, clicked: SortKey): { key: SortKey; dir: SortDir } {
  if (current.key === clicked) return { key: clicked, dir: current.dir === 'ascending' ? 'descending' : 'ascending' };
  return { key: clicked, dir: clicked === 'name' ? 'ascending' : 'descending' };
}
