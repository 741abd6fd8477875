// History with no signal shows the certified years the phone knows (issue 17 §2): the years kept
// from the last visit, and the year the kept Home status names, never "nothing certified" next to
// a certified Home.
import { describe, expect, it } from 'vitest';
import type { CertificationState } from '../../shared/certification-rules.ts';
import { yearsOnPhone, type YearCertification } from './years-on-phone.ts';

const certified: CertificationState = { state: 'certified', year: 2026, certifiedOn: '2026-05-02', method: 'worker', validUntil: '2027-06-30', nextOpensOn: '2027-04-01' };
const y2025: YearCertification = { year: 2025, status: 'approved', method: 'self', certifiedOn: '2025-05-10' };

describe('yearsOnPhone', () => {
  it('adds the certified year of the kept status when History was never opened with signal', () => {
    expect(yearsOnPhone(undefined, certified)).toEqual([{ year: 2026, status: 'approved', method: 'worker', certifiedOn: '2026-05-02' }]);
    expect(yearsOnPhone([y2025], certified).map((y) => y.year)).toEqual([2026, 2025]);
  });

  it('shows a check with the office as pending, and the status’s approval over an older pending year', () => {
    const review: CertificationState = { state: 'under_review', year: 2026, method: 'self', submittedOn: '2026-05-03', dueOn: '2026-06-30' };
    expect(yearsOnPhone([y2025], review)[0]).toEqual({ year: 2026, status: 'pending_review', method: 'self', certifiedOn: '2026-05-03' });
    const pending: YearCertification = { year: 2026, status: 'pending_review', method: 'self', certifiedOn: '2026-05-03' };
    expect(yearsOnPhone([pending, y2025], certified)[0]!.status).toBe('approved');
  });

  it('adds nothing for a year still open, and keeps what was kept', () => {
    const open: CertificationState = { state: 'open', year: 2026, dueOn: '2026-06-30', daysLeft: 40, phase: { selfService: true, onSite: true } };
    expect(yearsOnPhone(undefined, open)).toEqual([]);
    expect(yearsOnPhone([y2025], undefined)).toEqual([y2025]);
  });
});
