// What History shows of the certified years with no signal: what the phone knows (issue 17 §2).
import type { CertificationState, YearCertification } from '../../shared/certification-rules.ts';

export type { YearCertification };

/** The kept years, with the kept status's year added when it is certified or under review and missing. */
export function yearsOnPhone(kept: readonly YearCertification[] | undefined, status: CertificationState | undefined): YearCertification[] {
  const years = [...(kept ?? [])];
  const fromStatus: YearCertification | null =
    status?.state === 'certified'
      ? { year: status.year, status: 'approved', method: status.method, certifiedOn: status.certifiedOn }
      : status?.state === 'under_review'
        ? { year: status.year, status: 'pending_review', method: status.method, certifiedOn: status.submittedOn }
        : null;
  if (fromStatus) {
    const i = years.findIndex((y) => y.year === fromStatus.year);
    // The status is the newer word on its own year: a review the office has since approved.
    if (i < 0) years.push(fromStatus);
    else if (years[i]!.status !== 'approved') years[i] = fromStatus;
  }
  return years.sort((a, b) => b.year - a.year);
}
