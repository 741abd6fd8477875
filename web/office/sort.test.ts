import { describe, expect, it } from 'vitest';
import type { CommunityOverview } from '../../shared/schemas/office.ts';
import { completion, nextSort, sortCommunities } from './sort.ts';

const row = (name: string, certified: number, retirees: number, due: number, notOpen = 0): CommunityOverview => ({
  id: name.length,
  name,
  retirees,
  certified: { self: certified, family: 0, worker: 0, home_visit: 0, on_site: 0 },
  certifiedTotal: certified,
  underReview: 0,
  verifying: 0,
  due,
  overdue: 0,
  suspended: 0,
  notOpen,
  queue: 0,
  visitRequests: 0,
});

const rows = [row('幸福里', 5, 10, 5), row('东风', 9, 10, 1), row('安居', 0, 2, 0, 2), row('和平', 5, 20, 15)];

describe('sorting the community table', () => {
  it('sorts names in pinyin order for Chinese, and counts with ties broken by name', () => {
    expect(sortCommunities(rows, 'name', 'ascending', 'zh-CN').map((r) => r.name)).toEqual(['安居', '东风', '和平', '幸福里']);
    expect(sortCommunities(rows, 'name', 'descending', 'zh-CN').map((r) => r.name)).toEqual(['幸福里', '和平', '东风', '安居']);
    expect(sortCommunities(rows, 'certifiedTotal', 'descending', 'zh-CN').map((r) => r.name)).toEqual(['东风', '和平', '幸福里', '安居']);
    expect(sortCommunities(rows, 'self', 'ascending', 'zh-CN').map((r) => r.name)).toEqual(['安居', '和平', '幸福里', '东风']);
    expect(sortCommunities(rows, 'due', 'descending', 'zh-CN').map((r) => r.name)).toEqual(['和平', '幸福里', '东风', '安居']);
  });

  it('sorts by completion of those the period applies to; a community it applies to nobody in comes last', () => {
    expect(completion(rows[1]!)).toBe(0.9);
    expect(completion(rows[2]!)).toBeNull();
    expect(sortCommunities(rows, 'rate', 'descending', 'zh-CN').map((r) => r.name)).toEqual(['东风', '幸福里', '和平', '安居']);
  });

  it('a first click on a count puts the biggest first, on the name A to Z; a second click turns it round', () => {
    expect(nextSort({ key: 'name', dir: 'ascending' }, 'overdue')).toEqual({ key: 'overdue', dir: 'descending' });
    expect(nextSort({ key: 'overdue', dir: 'descending' }, 'overdue')).toEqual({ key: 'overdue', dir: 'ascending' });
    expect(nextSort({ key: 'overdue', dir: 'descending' }, 'name')).toEqual({ key: 'name', dir: 'ascending' });
  });
});
