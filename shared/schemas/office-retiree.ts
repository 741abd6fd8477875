// One retiree's whole record on the office console (issue 16, decision 057): GET
// /api/office/retiree/:id, with the long sections (attempts, visits, the audit trail) a page at a
// time from their own routes. Office (admin) only, scoped to the office's region; the ID number is
// whole here (lists mask it).
import * as v from 'valibot';
import { answer, endpoint } from '../contract.ts';
import type { CertificationMethod, CertificationRecordStatus, CertificationState } from '../certification-rules.ts';
import type { LocalDate } from '../dates.ts';
import type { ActionId, ReasonCode, Verdict } from '../liveness.ts';
import type { CannotCheckReason, ReviewReason, VisitKind } from '../sync.ts';
import type { ReferenceFace } from './identity.ts';
import type { AuditEntryView } from './office-audit.ts';
import type { QueueReason } from './office.ts';

export const ENROLMENTS = ['active', 'suspended', 'deceased', 'moved', 'stopped'] as const;
export type Enrolment = (typeof ENROLMENTS)[number];

/** The next page of a section: pass the last page's `next` as `before`. */
export const PageQuery = v.strictObject({
  before: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}:[0-9A-Za-z-]{1,40}$/, 'before must be the `next` of the page before'))),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'limit must be a whole number'), v.transform(Number), v.minValue(1), v.maxValue(100)), '20'),
});
export type PageQuery = v.InferOutput<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  /** How many there are in all. */
  total: number;
  /** Where the next page starts (`?before=`); null on the last page. */
  next: string | null;
}

export interface Person {
  id: number;
  name: string;
  role: 'retiree' | 'family' | 'worker' | 'admin';
}

export interface RetireeProfile {
  id: number;
  name: string;
  /** Whole: this page is the one place the office reads it in full. */
  idNumber: string;
  /** From the ID number; null when it does not parse (an imported record with an old number). */
  birthDate: LocalDate | null;
  age: number | null;
  sex: 'male' | 'female' | null;
  pensionCategory: 'urban_employee' | 'public_institution' | 'urban_rural_resident';
  community: { id: number; name: string };
  region: { id: number; name: string };
  address: string;
  phone: string | null;
  notes: string | null;
  /** First day a pension was paid. */
  enrolledOn: LocalDate;
  enrolment: Enrolment;
  /**
   * Since when the enrolment is what it is: for `active` the first pension day; for a death or a
   * move the office approved, the decision's time; otherwise the record's last change.
   */
  enrolmentSince: { on: LocalDate } | { at: number };
}

export interface RetireeAccount {
  /** The retiree has a sign-in account (ID number + PIN). */
  exists: boolean;
  /** A PIN was chosen (the activation code was used). */
  activated: boolean;
  disabled: boolean;
  lastSignInAt: number | null;
  /** The phone last seen with this account. */
  lastDevice: { id: string; userAgent: string | null; lastSeenAt: number } | null;
  /** The newest activation (or re-activation) code: when issued, until when, used or not. */
  activationCode: { issuedAt: number; expiresAt: number; usedAt: number | null } | null;
}

/** Something of this retiree waiting in the office's review queue. */
export interface WaitingItem {
  type: 'report' | 'attempt';
  id: string;
  reason: QueueReason;
  receivedAt: number;
}

export interface CertificationEntry {
  id: number;
  year: number;
  status: CertificationRecordStatus;
  method: CertificationMethod;
  certifiedOn: LocalDate;
  /** The attempt or report it came from (an attempt's / report's id), a paper form number, … */
  evidenceRef: string | null;
  recordedBy: Person | null;
  decidedBy: Person | null;
  decidedAt: number | null;
}

export interface AttemptEntry {
  id: string;
  receivedAt: number;
  /** The phone's clock when made: shown, never used for a rule. */
  deviceTime: number;
  method: 'self' | 'family' | 'worker';
  by: Person;
  device: { id: string; userAgent: string | null };
  verdict: Verdict;
  outcome: 'verifying' | 'certified' | 'already_certified' | 'not_passed' | 'review';
  reviewReason: ReviewReason | null;
  liveness: {
    /** Why a check that did not pass ended (the phone's code). */
    reason: ReasonCode | null;
    durationMs: number | null;
    steps: { action: ActionId; passed: boolean; durationMs: number }[];
    restarts: number;
  };
  match: { decision: 'match' | 'uncertain' | 'mismatch' | 'no_reference' | 'no_face' | null; distance: number | null; at: number | null };
  /** A worker's in-person enrolment: whether the signature verified. */
  enrolment: 'verified' | 'invalid' | null;
  /** Key frames and the read-digits recording (GET /api/identity/attempts/:id/blobs/:idx). */
  blobs: { idx: number; kind: 'frame' | 'audio'; type: string; bytes: number; width: number | null; height: number | null; durationMs: number | null }[];
  /** The office's decision on a check that went to review. */
  decision: { decision: 'approved' | 'rejected'; by: Person | null; at: number | null; reason: string | null } | null;
}

export interface VisitEntry {
  id: string;
  /** The recorded visit's kind and its own fields (shared/sync.ts Visit), flattened for the page. */
  kind: VisitKind;
  reason: CannotCheckReason | null;
  note: string;
  deceasedOn: LocalDate | null;
  infoSource: string | null;
  newAddress: string | null;
  location: { lat: number; lon: number; accuracyM: number | null } | null;
  signature: 'verified' | 'invalid' | null;
  worker: Person;
  deviceTime: number;
  receivedAt: number;
  /** GET /api/reviews/:id/photo when there is one. */
  photo: { bytes: number; width: number | null; height: number | null } | null;
  review: 'pending' | 'approved' | 'rejected' | null;
  decidedBy: Person | null;
  decidedAt: number | null;
  decisionReason: string | null;
}

export interface FamilyLinkEntry {
  user: Person & { username: string | null; disabled: boolean };
  relation: string;
  since: number;
}

export interface ConsentEntry {
  id: string;
  choice: 'face' | 'alternative';
  noticeVersion: number;
  by: Person;
  decidedAt: number;
  receivedAt: number;
}

/** GET /api/office/retiree/:id */
export interface RetireeRecord {
  retiree: RetireeProfile;
  account: RetireeAccount;
  /** What the certification rules say today (the same as /api/me/status), and what waits for the office. */
  status: { today: LocalDate; state: CertificationState; waiting: WaitingItem[]; visitRequest?: { requestedAt: number } | null };
  /** The face match's thresholds, so a distance can be said in words. */
  thresholds: { match: number; mismatch: number };
  references: ReferenceFace[];
  certifications: CertificationEntry[];
  attempts: Page<AttemptEntry>;
  visits: Page<VisitEntry>;
  family: FamilyLinkEntry[];
  consents: ConsentEntry[];
  /** The audit log's entries about this retiree (the audit viewer's shape, the ID number whole). */
  audit: Page<AuditEntryView>;
}

// ---------------------------------------------------------------------------------------------
// The contracts (shared/contract.ts, decision 086). Query of each: PageQuery.

export const RETIREE_RECORD = {
  record: endpoint({ method: 'GET', path: '/api/office/retiree/:id', answer: answer<RetireeRecord>() }),
  attempts: endpoint({ method: 'GET', path: '/api/office/retiree/:id/attempts', answer: answer<Page<AttemptEntry>>() }),
  visits: endpoint({ method: 'GET', path: '/api/office/retiree/:id/visits', answer: answer<Page<VisitEntry>>() }),
  audit: endpoint({ method: 'GET', path: '/api/office/retiree/:id/audit', answer: answer<Page<AuditEntryView>>() }),
};
