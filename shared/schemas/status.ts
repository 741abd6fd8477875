// A retiree's certification status and certified years, as Home and History show them (the
// retiree's own, or a linked family member's view), and the retiree resource they hang on.
// The contracts of shared/contract.ts (decision 086).
import { answer, endpoint } from '../contract.ts';
import type { CertificationState, YearCertification } from '../certification-rules.ts';
import type { LocalDate } from '../dates.ts';
import type { PensionCategory } from './admin.ts';

export type { YearCertification };

/** Home's status: the region's today, the certification state and whom to call. */
export interface StatusResponse {
  today: LocalDate;
  status: CertificationState;
  officePhone: string | null;
}

/** History's years, newest first. */
export interface CertificationYears {
  years: YearCertification[];
}

/** A retiree as the people who may see them see them: family a masked ID number, staff the address and phone too. */
export interface RetireeSummary {
  id: number;
  name: string;
  idNumber: string;
  communityName: string;
  pensionCategory: PensionCategory;
  enrolment: string;
  address?: string;
  phone?: string | null;
  enrolledOn?: string;
}

/** A one-time code for a retiree's first PIN, or (office only) a reset of the PIN in use. */
export interface IssuedActivationCode {
  code: string;
  expiresAt: number;
  reactivation: boolean;
}

export const STATUS = {
  mine: endpoint({ method: 'GET', path: '/api/me/status', answer: answer<StatusResponse>() }),
  ofRetiree: endpoint({ method: 'GET', path: '/api/retirees/:id/status', answer: answer<StatusResponse>() }),
  /** Query: retireeId. */
  years: endpoint({ method: 'GET', path: '/api/certifications', answer: answer<CertificationYears>() }),
  retiree: endpoint({ method: 'GET', path: '/api/retirees/:id', answer: answer<RetireeSummary>() }),
  issueActivationCode: endpoint({ method: 'POST', path: '/api/retirees/:id/activation-codes', answer: answer<IssuedActivationCode>() }),
};
