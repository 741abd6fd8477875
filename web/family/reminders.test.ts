import { describe, expect, it } from 'vitest';
import type { CertificationState } from '../../shared/certification-rules.ts';
import { deadlineOf, remindersFor } from './reminders.ts';

const open = (daysLeft: number): CertificationState => ({ state: 'open', year: 2026, dueOn: '2026-12-31', daysLeft, phase: { selfService: true, onSite: true } });

describe('family reminders', () => {
  it('says when a window is open, urgently in its last 30 days, past the deadline or paused; nothing once certified', () => {
    const list = remindersFor([
      { retireeId: 1, name: '张桂兰', status: open(45) },
      { retireeId: 2, name: '李建国', status: open(10) },
      { retireeId: 3, name: '赵德明', status: { state: 'certified', year: 2026, certifiedOn: '2026-03-01', method: 'family', validUntil: '2027-06-30', nextOpensOn: null } },
      { retireeId: 4, name: '王秀英', status: { state: 'suspended', year: 2026, since: '2026-10-01' } },
    ]);
    expect(list.map((r) => [r.retireeId, r.urgent])).toEqual([[2, true], [4, true], [1, false]]);
    expect(list[0]!.text).toContain('还有 10 天截止');
    expect(list[2]!.text).toContain('张桂兰 今年的认证已经开始');
  });

  it('names the deadline of an open or overdue period', () => {
    expect(deadlineOf(open(3))).toBe('2026-12-31');
    expect(deadlineOf({ state: 'overdue', year: 2026, since: '2027-01-01', suspendsOn: '2027-03-01', phase: { selfService: false, onSite: true } })).toBe('2027-03-01');
    expect(deadlineOf({ state: 'suspended', year: 2026, since: '2026-10-01' })).toBeNull();
  });
});
