// Schemas and types of the community worker's roster API and the office's review queue (issue 6).
// Sync items (visit outcomes) are in shared/sync.ts with the rest of the wire format.
import * as v from 'valibot';
import { answer, endpoint } from '../contract.ts';
import type { CertificationMethod, CertificationRecordStatus } from '../certification-rules.ts';
import { ROSTER_FILTERS } from '../roster.ts';
import { VISIT_KINDS, type CannotCheckReason, type RosterEntry, type VisitKind, type VisitResult } from '../sync.ts';

const int = (min: number, max: number) => v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'must be a whole number'), v.transform(Number), v.minValue(min), v.maxValue(max));

/** GET /api/roster query string. */
export const RosterQuery = v.strictObject({
  q: v.optional(v.pipe(v.string(), v.maxLength(50)), ''),
  filter: v.optional(v.picklist(ROSTER_FILTERS, `filter must be one of ${ROSTER_FILTERS.join(', ')}`), 'all'),
  limit: v.optional(int(1, 500), '100'),
  offset: v.optional(int(0, 1_000_000), '0'),
});
export type RosterQuery = v.InferOutput<typeof RosterQuery>;

export interface RosterList {
  total: number;
  retirees: RosterEntry[];
}

export type HistoryEvent =
  | { type: 'attempt'; id: string; at: number; byName: string; method: string; verdict: string; outcome: string }
  | { type: 'visit'; id: string; at: number; byName: string; kind: VisitKind; reason: CannotCheckReason | null; note: string; review: 'pending' | 'approved' | 'rejected' | null }
  | { type: 'certification'; at: number; year: number; on: string; method: CertificationMethod; status: CertificationRecordStatus };

/** GET /api/roster/:id: the retiree page when online. */
export interface RetireeDetail {
  retiree: RosterEntry;
  history: HistoryEvent[];
}

export const REVIEW_STATUSES = ['pending', 'approved', 'rejected', 'all'] as const;
export const REVIEW_KINDS = VISIT_KINDS.filter((k) => k !== 'not_home') as ('cannot_check' | 'deceased' | 'moved')[];

/** GET /api/reviews query string. */
export const ReviewFilter = v.strictObject({
  status: v.optional(v.picklist(REVIEW_STATUSES), 'pending'),
  kind: v.optional(v.picklist(REVIEW_KINDS)),
  /** Paging: only reports received before this time (ms). */
  before: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'before must be a time in ms'), v.transform(Number))),
  limit: v.optional(int(1, 200), '50'),
});
export type ReviewFilter = v.InferOutput<typeof ReviewFilter>;

/** POST /api/reviews/:id/decision */
export const ReviewDecision = v.variant('decision', [
  v.strictObject({ decision: v.literal('approve') }),
  v.strictObject({ decision: v.literal('reject'), reason: v.pipe(v.string(), v.trim(), v.minLength(1, 'Say why the report is rejected'), v.maxLength(500)) }),
]);
export type ReviewDecision = v.InferOutput<typeof ReviewDecision>;

export interface ReviewItem {
  id: string;
  kind: 'cannot_check' | 'deceased' | 'moved';
  retiree: { id: number; name: string; idNumber: string; communityName: string; address: string };
  worker: { id: number; name: string };
  reason: CannotCheckReason | null;
  note: string;
  deceasedOn: string | null;
  source: string | null;
  newAddress: string | null;
  location: { lat: number; lon: number; accuracyM: number } | null;
  signature: 'verified' | 'invalid' | null;
  result: VisitResult;
  review: 'pending' | 'approved' | 'rejected';
  decidedBy: number | null;
  decidedAt: number | null;
  decisionReason: string | null;
  /** When the worker recorded it (phone clock, never later than its arrival) and when it arrived. */
  recordedAt: number;
  receivedAt: number;
  photoBytes: number | null;
}

// ---------------------------------------------------------------------------------------------
// The contracts (shared/contract.ts, decision 086) of the worker's roster when online. The
// reports' review lives with the office's contracts (shared/schemas/office.ts OFFICE).

export const ROSTER = {
  /** Query: RosterQuery. */
  list: endpoint({ method: 'GET', path: '/api/roster', answer: answer<RosterList>() }),
  retiree: endpoint({ method: 'GET', path: '/api/roster/:id', answer: answer<RetireeDetail>() }),
};
