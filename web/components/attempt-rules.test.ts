// A check is drawn green only once it is certified (issue 17 §2): not while it waits or is being
// checked, and never when it did not pass or the office rejected it, sent or not.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../shared/liveness.ts';
import type { AttemptOutcome } from '../../shared/sync.ts';
import { syntheticResult } from '../../shared/sync-fixtures.ts';
import type { SyncState } from '../data/index.ts';
import { attemptTone } from './attempt-rules.ts';

const a = (verdict: Verdict, syncState: SyncState, outcome?: AttemptOutcome) => ({ result: syntheticResult({ seed: 3 }, verdict), syncState, ...(outcome ? { outcome } : {}) });

describe('attemptTone', () => {
  it('is green only for a certified check or one the office approved', () => {
    expect(attemptTone(a('passed', 'sent', { kind: 'certified', periodId: 1, certifiedOn: '2026-05-01' }))).toBe('done');
    expect(attemptTone(a('passed', 'sent', { kind: 'already_certified', periodId: 1 }))).toBe('done');
    expect(attemptTone(a('passed', 'sent', { kind: 'review', reviewReason: 'face_uncertain', decided: { decision: 'approved', reason: null } }))).toBe('done');
  });

  it('waits while the check is on the phone, being sent, matched or with the office', () => {
    expect(attemptTone(a('passed', 'waiting'))).toBe('wait');
    expect(attemptTone(a('passed', 'sending'))).toBe('wait');
    expect(attemptTone(a('passed', 'sent', { kind: 'verifying' }))).toBe('wait');
    expect(attemptTone(a('passed', 'sent', { kind: 'review', reviewReason: 'face_mismatch' }))).toBe('wait');
  });

  it('never draws a failed check green, sent or not', () => {
    for (const verdict of ['failed', 'timed_out', 'abandoned'] as const) {
      expect(attemptTone(a(verdict, 'waiting'))).toBe('failed');
      expect(attemptTone(a(verdict, 'sent', { kind: 'not_passed' }))).toBe('failed');
    }
    expect(attemptTone(a('passed', 'sent', { kind: 'not_passed' }))).toBe('failed');
    expect(attemptTone(a('passed', 'sent', { kind: 'review', reviewReason: 'no_face', decided: { decision: 'rejected', reason: '看不清' } }))).toBe('failed');
    expect(attemptTone(a('passed', 'attention'))).toBe('attention');
  });
});
