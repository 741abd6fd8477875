// What a face match makes of a passed check that was stored as `verifying` (decision 050): data in,
// data out, no database. The office sees everything that is not a clear match; nothing doubtful is
// certified, and nothing is rejected without a person looking at it.
import type { ReviewReason } from '../../shared/sync.ts';
import type { MatchDecision, MatchVerdict } from '../face/match-rules.ts';
import type { ReferenceSource } from '../store/reference-faces.ts';

export interface AttemptDecision {
  outcome: 'certified' | 'already_certified' | 'review';
  reviewReason: ReviewReason | null;
  /** The certification the attempt records for its period: none, approved, or waiting for the office. */
  certification: 'approved' | 'pending_review' | null;
  /** A key frame to keep as a reference face (its index among the attempt's frames), and how. */
  reference: { frame: number; source: ReferenceSource; status: 'active' | 'pending' } | null;
}

const REVIEW_REASON: { [K in Exclude<MatchDecision, 'match'>]: ReviewReason } = {
  uncertain: 'face_uncertain',
  mismatch: 'face_mismatch',
  no_reference: 'no_reference',
  no_face: 'no_face',
};

export interface DecideInput {
  verdict: MatchVerdict;
  /** The retiree's period is already certified by something else (another check, a visit). */
  alreadyApproved: boolean;
  /** The frame with the clearest face, for a first reference when there is none yet. */
  clearestFrame: number | null;
  /** A worker's in-person enrolment whose signature verified (the ID card was checked). */
  enrolled?: boolean;
  /**
   * Why even a clear match goes to the office first (issue 15): a key frame without exactly one
   * usable face, or a worker's assisted check held for audit (sampled, or an implausible pace).
   */
  hold?: HoldReason | null;
}

export type HoldReason = Extract<ReviewReason, 'keyframe_faces' | 'worker_sample' | 'worker_rate'>;

export function decideAttempt({ verdict, alreadyApproved, clearestFrame, enrolled = false, hold = null }: DecideInput): AttemptDecision {
  if (verdict.decision === 'match' && hold) {
    // Nothing of a held check becomes a reference: its frames are doubtful or its taker is audited.
    if (alreadyApproved) return { outcome: 'already_certified', reviewReason: null, certification: null, reference: null };
    return { outcome: 'review', reviewReason: hold, certification: 'pending_review', reference: null };
  }
  if (verdict.decision === 'match') {
    // A strong match keeps its best frame as a new reference, so a face that changes slowly over
    // the years keeps matching (the store keeps the newest few).
    const reference = verdict.strong && verdict.bestFrame !== null ? { frame: verdict.bestFrame, source: 'certified_check' as const, status: 'active' as const } : null;
    if (alreadyApproved) return { outcome: 'already_certified', reviewReason: null, certification: null, reference };
    return { outcome: 'certified', reviewReason: null, certification: 'approved', reference };
  }
  // A worker enrolled the retiree in person, signed: the frame becomes the reference once the office
  // confirms it, as it confirms an attestation. Not before: a worker who enrolled the wrong face
  // (or his own) could otherwise follow it with a check that certifies on its own.
  if (verdict.decision === 'no_reference' && enrolled && clearestFrame !== null) {
    const reference = { frame: clearestFrame, source: 'enrolment' as const, status: 'pending' as const };
    if (alreadyApproved) return { outcome: 'already_certified', reviewReason: null, certification: null, reference };
    return { outcome: 'review', reviewReason: 'enrolment', certification: 'pending_review', reference };
  }
  const reviewReason: ReviewReason = REVIEW_REASON[verdict.decision];
  // A first check before any reference exists: its face becomes a pending reference the office
  // compares with what it holds; it is never trusted on its own.
  const reference = verdict.decision === 'no_reference' && clearestFrame !== null ? { frame: clearestFrame, source: 'first_check' as const, status: 'pending' as const } : null;
  if (alreadyApproved) return { outcome: 'already_certified', reviewReason: null, certification: null, reference: null };
  return { outcome: 'review', reviewReason, certification: 'pending_review', reference };
}
