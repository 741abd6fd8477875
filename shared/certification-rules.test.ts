import { describe, expect, it } from 'vitest';
import {
  certificationStatus,
  periodFor,
  periodProblems,
  type CertificationPeriod,
  type CertificationRecord,
} from './certification-rules.ts';

// A typical region: self-service 1 Mar – 30 Jun, on-site 1 Jun – 30 Jun, paused from 1 July.
function period(id: number, year: number, overrides: Partial<CertificationPeriod> = {}): CertificationPeriod {
  return {
    id,
    year,
    selfStart: `${year}-03-01`,
    selfEnd: `${year}-06-30`,
    onsiteStart: `${year}-06-01`,
    onsiteEnd: `${year}-06-30`,
    deadline: `${year}-06-30`,
    suspensionDate: `${year}-07-01`,
    ...overrides,
  };
}

const P2024 = period(24, 2024, { selfStart: '2024-02-29' }); // leap-day start
const P2025 = period(25, 2025);
const P2026 = period(26, 2026);
const periods = [P2026, P2024, P2025]; // order must not matter

const approved = (periodId: number, certifiedOn: string, method: CertificationRecord['method'] = 'self'): CertificationRecord => ({
  periodId,
  certifiedOn,
  method,
  status: 'approved',
});

describe('certificationStatus', () => {
  it.each<[string, string, CertificationRecord[], object]>([
    ['before any period', '2023-12-31', [], { state: 'not_open', year: 2024, opensOn: '2024-02-29' }],
    ['first day of a window (leap day)', '2024-02-29', [], { state: 'open', year: 2024, dueOn: '2024-06-30', daysLeft: 122, phase: { selfService: true, onSite: false } }],
    ['day before the window opens', '2025-02-28', [approved(24, '2024-04-03')], { state: 'certified', year: 2024 }],
    ['opening day, not yet certified this year', '2025-03-01', [approved(24, '2024-04-03')], { state: 'open', year: 2025, daysLeft: 121 }],
    ['on-site phase starts', '2025-06-01', [], { state: 'open', phase: { selfService: true, onSite: true }, daysLeft: 29 }],
    ['deadline day counts as on time', '2025-06-30', [], { state: 'open', dueOn: '2025-06-30', daysLeft: 0 }],
    ['day after the deadline', '2026-01-15', [], { state: 'suspended', year: 2025, since: '2025-07-01' }],
    ['suspension day', '2025-07-01', [], { state: 'suspended', year: 2025, since: '2025-07-01' }],
    ['certified this year', '2025-05-10', [approved(25, '2025-04-03', 'family')], {
      state: 'certified', year: 2025, certifiedOn: '2025-04-03', method: 'family', validUntil: '2026-06-30', nextOpensOn: '2026-03-01',
    }],
    ['last year’s certification does not count this year', '2026-03-02', [approved(25, '2025-04-03')], { state: 'open', year: 2026 }],
    ['a late certification lifts the suspension', '2025-08-20', [approved(25, '2025-08-20', 'on_site')], { state: 'certified', certifiedOn: '2025-08-20', method: 'on_site' }],
    ['last known period: valid for a year after its deadline', '2026-09-01', [approved(26, '2026-03-05')], { state: 'certified', validUntil: '2027-06-30', nextOpensOn: null }],
    ['rejected attempts do not count', '2026-04-01', [{ ...approved(26, '2026-03-05'), status: 'rejected' }], { state: 'open' }],
    ['home visit awaiting approval', '2026-04-01', [{ ...approved(26, '2026-03-20', 'home_visit'), status: 'pending_review' }], {
      state: 'under_review', method: 'home_visit', submittedOn: '2026-03-20', dueOn: '2026-06-30',
    }],
    ['approval wins over a pending record', '2026-04-01', [{ ...approved(26, '2026-03-20', 'home_visit'), status: 'pending_review' }, approved(26, '2026-03-25')], { state: 'certified', certifiedOn: '2026-03-25' }],
  ])('%s (%s)', (_name, today, certifications, expected) => {
    expect(certificationStatus({ periods, certifications, today })).toMatchObject(expected);
  });

  it('shows a passed check waiting for its face match as verifying, only for this period and below a decision', () => {
    const at = (today: string, verifyingSince: string, certifications: CertificationRecord[] = []) => certificationStatus({ periods, certifications, today, verifyingSince });
    expect(at('2026-04-01', '2026-04-01')).toEqual({ state: 'verifying', year: 2026, submittedOn: '2026-04-01', dueOn: '2026-06-30' });
    // After the deadline too: the check reached the server in time; the match decides, not the wait.
    expect(at('2026-08-01', '2026-06-30').state).toBe('verifying');
    expect(at('2026-04-01', '2025-05-01').state).toBe('open');
    expect(at('2026-04-01', '2026-04-01', [approved(26, '2026-04-01')]).state).toBe('certified');
    expect(at('2026-04-01', '2026-04-01', [{ ...approved(26, '2026-03-20'), status: 'pending_review' }]).state).toBe('under_review');
  });

  it('distinguishes overdue (grace days) from suspended when the suspension comes later', () => {
    const grace = [period(1, 2026, { deadline: '2026-06-30', suspensionDate: '2026-07-15' })];
    expect(certificationStatus({ periods: grace, certifications: [], today: '2026-07-01' })).toEqual({
      state: 'overdue', year: 2026, since: '2026-07-01', suspendsOn: '2026-07-15', phase: { selfService: false, onSite: false },
    });
    expect(certificationStatus({ periods: grace, certifications: [], today: '2026-07-14' }).state).toBe('overdue');
    expect(certificationStatus({ periods: grace, certifications: [], today: '2026-07-15' }).state).toBe('suspended');
  });

  it('counts days left across a leap day', () => {
    const p = [period(1, 2028, { selfStart: '2028-02-01' })];
    expect(certificationStatus({ periods: p, certifications: [], today: '2028-02-28' })).toMatchObject({ daysLeft: 123 });
  });

  it('does not apply a period to someone enrolled after its deadline', () => {
    const s = certificationStatus({ periods, certifications: [], today: '2026-08-10', enrolledOn: '2026-07-20' });
    expect(s).toEqual({ state: 'not_open', year: null, opensOn: null });
    const withNext = certificationStatus({ periods: [...periods, period(27, 2027)], certifications: [], today: '2026-08-10', enrolledOn: '2026-07-20' });
    expect(withNext).toEqual({ state: 'not_open', year: 2027, opensOn: '2027-03-01' });
  });

  it('an on-site window that opens before self-service starts the period', () => {
    const early = [period(1, 2026, { onsiteStart: '2026-02-15' })];
    expect(certificationStatus({ periods: early, certifications: [], today: '2026-02-15' })).toMatchObject({
      state: 'open', phase: { selfService: false, onSite: true },
    });
  });

  it('with no periods at all there is nothing to do yet', () => {
    expect(certificationStatus({ periods: [], certifications: [], today: '2026-01-01' })).toEqual({ state: 'not_open', year: null, opensOn: null });
  });
});

describe('periodFor', () => {
  it.each([
    ['2024-02-28', null],
    ['2024-02-29', 2024],
    ['2025-02-28', 2024],
    ['2025-03-01', 2025],
    ['2030-01-01', 2026],
  ])('%s belongs to %s', (date, year) => {
    expect(periodFor(periods, date)?.year ?? null).toBe(year);
  });
});

describe('periodProblems', () => {
  it('accepts a consistent period', () => expect(periodProblems(P2025)).toEqual([]));
  it.each([
    [{ selfEnd: '2025-02-01' }, 'self-service window ends before it starts'],
    [{ onsiteEnd: '2025-05-01' }, 'on-site window ends before it starts'],
    [{ selfEnd: '2025-07-10' }, 'a window ends after the deadline'],
    [{ suspensionDate: '2025-06-30' }, 'suspension date must come after the deadline'],
  ])('flags %o', (change, problem) => {
    expect(periodProblems({ ...P2025, ...change })).toContain(problem);
  });
});
