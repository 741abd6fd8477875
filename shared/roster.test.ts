import { describe, expect, it } from 'vitest';
import type { CertificationState } from './certification-rules.ts';
import { buildRosterIndex, compareUrgency, matchesFilter, normaliseQuery, type VisitFacts } from './roster.ts';
import type { RosterEntry } from './sync.ts';

const phase = { selfService: true, onSite: true };
const entry = (id: number, name: string, status: CertificationState, idNumber: string, address: string): RosterEntry => ({
  id, name, status, idNumber, address, communityName: '和平社区', today: '2026-11-22', officePhone: null,
});
const roster = [
  entry(1, '张桂兰', { state: 'open', year: 2026, dueOn: '2026-12-31', daysLeft: 39, phase }, '110199194903120021', '幸福里 3 号楼 401'),
  entry(2, '李建国', { state: 'certified', year: 2026, certifiedOn: '2026-11-01', method: 'self', validUntil: '2027-12-31', nextOpensOn: null }, '110199194608010014', '幸福里 5 号楼 102'),
  entry(3, '王秀英', { state: 'overdue', year: 2026, since: '2026-11-01', suspendsOn: '2026-12-01', phase }, '11019919521105004X', '东村 12 号'),
  entry(4, '赵德明', { state: 'open', year: 2026, dueOn: '2026-11-30', daysLeft: 8, phase }, '110199194402190030', '幸福里 1 号楼 101'),
  entry(5, '陈淑珍', { state: 'suspended', year: 2026, since: '2026-10-01' }, '130199195007070028', '东村 3 号'),
];
const none: VisitFacts = { lastVisitKind: null, lastVisitAt: null, visitedToday: false, certifiedHere: false };

describe('roster order, filters and search', () => {
  it('orders by urgency: suspended, overdue, then due soonest, certified last', () => {
    expect([...roster].sort(compareUrgency).map((e) => e.id)).toEqual([5, 3, 4, 1, 2]);
  });

  it('puts retirees who asked for a home visit first, the longest waiting first (decision 078)', () => {
    const asked = roster.map((e) => (e.id === 2 ? { ...e, visitRequest: { requestedAt: 2_000 } } : e.id === 1 ? { ...e, visitRequest: { requestedAt: 1_000 } } : { ...e, visitRequest: null }));
    expect([...asked].sort(compareUrgency).map((e) => e.id)).toEqual([1, 2, 5, 3, 4]);
    expect(buildRosterIndex(asked).search('').map((e) => e.id)).toEqual([1, 2, 5, 3, 4]);
  });

  it('searches by any part of the name, the last digits of the ID number, or the address', () => {
    const index = buildRosterIndex(roster);
    expect(index.search('').map((e) => e.id)).toEqual([5, 3, 4, 1, 2]);
    expect(index.search('桂兰').map((e) => e.id)).toEqual([1]);
    expect(index.search('0021').map((e) => e.id)).toEqual([1]);
    expect(index.search('004x').map((e) => e.id)).toEqual([3]);
    expect(index.search('００４Ｘ').map((e) => e.id)).toEqual([3]); // full-width input
    expect(index.search('幸福里').map((e) => e.id)).toEqual([4, 1, 2]);
    expect(index.search('5号楼').map((e) => e.id)).toEqual([2]);
    expect(index.search('东村 1').map((e) => e.id)).toEqual([3]);
    expect(index.search('nobody')).toEqual([]);
    // Three digits only match the end of an ID number (or an address), never its middle.
    expect(index.search('199').map((e) => e.id)).toEqual([]);
  });

  it('filters: due, overdue, certified, visited today, revisit', () => {
    const ids = (f: Parameters<typeof matchesFilter>[1], facts: () => VisitFacts = () => none) => roster.filter((e) => matchesFilter(e, f, facts())).map((e) => e.id);
    expect(ids('due')).toEqual([1, 4]);
    expect(ids('overdue')).toEqual([3, 5]);
    expect(ids('certified')).toEqual([2]);
    expect(ids('visited_today')).toEqual([]);
    const notHome = { ...none, lastVisitKind: 'not_home', lastVisitAt: 1, visitedToday: true };
    expect(ids('revisit', () => notHome)).toEqual([1, 3, 4, 5]);
    // Certified on this phone: no longer due, counted as certified.
    expect(ids('due', () => ({ ...none, certifiedHere: true }))).toEqual([]);
    expect(normaliseQuery(' Ｚhang ３ ')).toBe('zhang3');
  });
});
