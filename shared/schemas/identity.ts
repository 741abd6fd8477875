// The office's identity API (issue 14, docs/identity.md): reference faces, and the review of
// attempts the server did not certify on its own (face uncertain or different, no reference yet, no
// usable face, token problems). Office (admin) only; scoped to the office's region.
import * as v from 'valibot';
import { answer, endpoint } from '../contract.ts';
import type { CertificationMethod } from '../certification-rules.ts';
import { localDate } from './admin.ts';
import { REVIEW_REASONS, type ReviewReason } from '../sync.ts';
import type { SpoofAssessment } from '../spoof-risk.ts';
import type { VoiceAssessment } from '../voice-check.ts';

const int = (min: number, max: number) => v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'must be a whole number'), v.transform(Number), v.minValue(min), v.maxValue(max));

export const REFERENCE_SOURCES = ['office_photo', 'enrolment', 'first_check', 'certified_check'] as const;
export type ReferenceSourceName = (typeof REFERENCE_SOURCES)[number];

export interface ReferenceFace {
  id: number;
  retireeId: number;
  source: ReferenceSourceName;
  status: 'active' | 'pending' | 'removed';
  width: number;
  height: number;
  attemptId: string | null;
  addedBy: { id: number; name: string } | null;
  createdAt: number;
  takenOn: string | null;
}

/** POST /api/identity/retirees/:id/references?takenOn=YYYY-MM-DD (body: the JPEG or PNG itself). */
export const AddReferenceQuery = v.strictObject({ takenOn: v.optional(localDate) });

/** DELETE /api/identity/references/:id */
export const RemoveReference = v.strictObject({
  reason: v.pipe(v.string(), v.trim(), v.minLength(1, 'Say why the reference is removed'), v.maxLength(500)),
});

/**
 * POST /api/identity/retirees/:id/erase-biometrics: the retiree (or someone for them) asked the
 * office to erase their biometric data (decision 052). The reason says who asked and how.
 */
export const EraseBiometrics = v.strictObject({
  reason: v.pipe(v.string(), v.trim(), v.minLength(1, 'Say who asked for the erasure, and how'), v.maxLength(500)),
});

/** What an erasure removed; every decision stays. */
export interface BiometricsErasure {
  retireeId: number;
  /** Key frames, digit recordings and home-visit photos deleted, and their bytes. */
  frames: number;
  audio: number;
  photos: number;
  bytes: number;
  /** Reference faces (photo and descriptor) erased. */
  references: number;
  /** Checks that were waiting for their face match, now with the office as `biometrics_erased`. */
  withdrawn: number;
}

export const ATTEMPT_REVIEW_STATUSES = ['pending', 'decided', 'all'] as const;

/** GET /api/identity/reviews */
export const AttemptReviewFilter = v.strictObject({
  status: v.optional(v.picklist(ATTEMPT_REVIEW_STATUSES), 'pending'),
  reason: v.optional(v.picklist(REVIEW_REASONS)),
  /** Paging, oldest first: only attempts received after this time (ms). */
  after: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'after must be a time in ms'), v.transform(Number))),
  limit: v.optional(int(1, 200), '50'),
});
export type AttemptReviewFilter = v.InferOutput<typeof AttemptReviewFilter>;

/** POST /api/identity/reviews/:attemptId/decision */
export const AttemptReviewDecision = v.variant('decision', [
  v.strictObject({ decision: v.literal('approve') }),
  v.strictObject({ decision: v.literal('reject'), reason: v.pipe(v.string(), v.trim(), v.minLength(1, 'Say why the attempt is rejected'), v.maxLength(500)) }),
]);
export type AttemptReviewDecision = v.InferOutput<typeof AttemptReviewDecision>;

export interface AttemptReview {
  id: string;
  retiree: { id: number; name: string; idNumber: string; communityName: string };
  method: CertificationMethod;
  /** Who made the check: the retiree, a family member or a worker. */
  by: { id: number; name: string; role: string };
  reviewReason: ReviewReason;
  /** A worker's in-person enrolment: whether the worker's signature verified; null for other checks. */
  enrolment: 'verified' | 'invalid' | null;
  match: { decision: string | null; distance: number | null; referenceId: number | null; at: number | null };
  /** The key frames and audio the phone sent (GET …/attempts/:id/blobs/:idx). */
  blobs: { idx: number; kind: 'frame' | 'audio'; type: string; bytes: number; width: number | null; height: number | null }[];
  receivedAt: number;
  deviceTime: number;
  decision: 'approved' | 'rejected' | null;
  decidedBy: number | null;
  decidedAt: number | null;
  decisionReason: string | null;
  /** How much the check looks like a replayed screen or a print, as the server scores it (GET …/reviews/:id only). */
  spoof?: SpoofAssessment | null;
  /** Read-digits checks: whether the digits were heard in step with the mouth, as the server draws it (GET …/reviews/:id only). */
  voice?: VoiceAssessment | null;
}

// ---------------------------------------------------------------------------------------------
// The contracts (shared/contract.ts, decision 086). Photos and key frames are bytes, not JSON:
// /api/identity/references/:id/photo and /api/identity/attempts/:id/blobs/:idx are plain links.

export const IDENTITY = {
  references: endpoint({ method: 'GET', path: '/api/identity/retirees/:id/references', answer: answer<{ references: ReferenceFace[] }>() }),
  /** The body is the photo itself (image/jpeg or image/png); query: takenOn (AddReferenceQuery). */
  addReference: endpoint({ method: 'POST', path: '/api/identity/retirees/:id/references', answer: answer<{ created: boolean; reference: ReferenceFace }>() }),
  removeReference: endpoint({ method: 'DELETE', path: '/api/identity/references/:id', body: RemoveReference, answer: answer<{ removed: number }>() }),
  eraseBiometrics: endpoint({ method: 'POST', path: '/api/identity/retirees/:id/erase-biometrics', body: EraseBiometrics, answer: answer<BiometricsErasure>() }),
  /** Query: AttemptReviewFilter. */
  reviews: endpoint({ method: 'GET', path: '/api/identity/reviews', answer: answer<{ attempts: AttemptReview[] }>() }),
  review: endpoint({ method: 'GET', path: '/api/identity/reviews/:id', answer: answer<{ attempt: AttemptReview; references: ReferenceFace[] }>() }),
  decide: endpoint({ method: 'POST', path: '/api/identity/reviews/:id/decision', body: AttemptReviewDecision, answer: answer<{ attempt: AttemptReview }>() }),
};
