import { describe, expect, it } from 'vitest';
import type { MatchVerdict } from '../face/match-rules.ts';
import { decideAttempt } from './decide-attempt.ts';

const verdict = (v: Partial<MatchVerdict>): MatchVerdict => ({ decision: 'match', distance: 0.3, worst: 0.3, bestFrame: 1, strong: false, ...v });

describe('decideAttempt', () => {
  it('certifies a match, and keeps the best frame of a strong one as a reference', () => {
    expect(decideAttempt({ verdict: verdict({}), alreadyApproved: false, clearestFrame: 0 })).toEqual({ outcome: 'certified', reviewReason: null, certification: 'approved', reference: null });
    expect(decideAttempt({ verdict: verdict({ strong: true }), alreadyApproved: false, clearestFrame: 0 }).reference).toEqual({ frame: 1, source: 'certified_check', status: 'active' });
  });

  it.each([
    ['uncertain', 'face_uncertain'],
    ['mismatch', 'face_mismatch'],
    ['no_reference', 'no_reference'],
    ['no_face', 'no_face'],
  ] as const)('sends %s to the office with a pending certification, never certifying', (decision, reviewReason) => {
    const d = decideAttempt({ verdict: verdict({ decision }), alreadyApproved: false, clearestFrame: 0 });
    expect(d).toMatchObject({ outcome: 'review', reviewReason, certification: 'pending_review' });
  });

  it('keeps a first check’s clearest frame as a pending reference only', () => {
    expect(decideAttempt({ verdict: verdict({ decision: 'no_reference', bestFrame: null }), alreadyApproved: false, clearestFrame: 2 }).reference).toEqual({ frame: 2, source: 'first_check', status: 'pending' });
    expect(decideAttempt({ verdict: verdict({ decision: 'no_face', bestFrame: null }), alreadyApproved: false, clearestFrame: null }).reference).toBeNull();
    expect(decideAttempt({ verdict: verdict({ decision: 'mismatch' }), alreadyApproved: false, clearestFrame: 0 }).reference).toBeNull();
  });

  it('keeps a signed in-person enrolment’s frame as a reference for the office to confirm, and sends the check to it', () => {
    expect(decideAttempt({ verdict: verdict({ decision: 'no_reference', bestFrame: null }), alreadyApproved: false, clearestFrame: 1, enrolled: true })).toEqual({
      outcome: 'review',
      reviewReason: 'enrolment',
      certification: 'pending_review',
      reference: { frame: 1, source: 'enrolment', status: 'pending' },
    });
    // With a reference already there, an enrolment is an ordinary check: the face decides.
    expect(decideAttempt({ verdict: verdict({ decision: 'mismatch' }), alreadyApproved: false, clearestFrame: 1, enrolled: true })).toMatchObject({ reviewReason: 'face_mismatch', reference: null });
  });

  it.each(['keyframe_faces', 'worker_sample', 'worker_rate'] as const)('holds even a strong match for the office when %s, and keeps no reference from it', (hold) => {
    expect(decideAttempt({ verdict: verdict({ strong: true }), alreadyApproved: false, clearestFrame: 0, hold })).toEqual({ outcome: 'review', reviewReason: hold, certification: 'pending_review', reference: null });
    expect(decideAttempt({ verdict: verdict({ strong: true }), alreadyApproved: true, clearestFrame: 0, hold })).toEqual({ outcome: 'already_certified', reviewReason: null, certification: null, reference: null });
    // A check that does not match goes to the office for its face anyway, with that reason.
    expect(decideAttempt({ verdict: verdict({ decision: 'mismatch' }), alreadyApproved: false, clearestFrame: 0, hold })).toMatchObject({ reviewReason: 'face_mismatch' });
  });

  it('records nothing new for a period already certified, whatever the face', () => {
    for (const decision of ['match', 'mismatch', 'no_reference'] as const) {
      expect(decideAttempt({ verdict: verdict({ decision }), alreadyApproved: true, clearestFrame: 0 })).toMatchObject({ outcome: 'already_certified', certification: null });
    }
  });
});
