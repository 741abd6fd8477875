// Home asks the server for the status again when the phone learns something that changes it: a
// record was sent, or a later pull brought the face match's decision for a sent check (issue 14).
import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../shared/sync.ts';
import { statusRefreshKey } from './status.ts';

const a = (id: string, outcome?: AttemptOutcome) => ({ id, ...(outcome ? { outcome } : {}) });

describe('statusRefreshKey', () => {
  it('changes when more is sent and when a check stops waiting for its face match, not otherwise', () => {
    const waiting = statusRefreshKey(1, [a('x', { kind: 'verifying' }), a('y')]);
    expect(statusRefreshKey(1, [a('y'), a('x', { kind: 'verifying' })])).toBe(waiting);
    expect(statusRefreshKey(2, [a('x', { kind: 'verifying' }), a('y')])).not.toBe(waiting);
    // Same number sent; the pull replaced 'verifying' with the decision.
    expect(statusRefreshKey(1, [a('x', { kind: 'certified', periodId: 1, certifiedOn: '2026-04-01' }), a('y')])).not.toBe(waiting);
    expect(statusRefreshKey(1, [a('x', { kind: 'review', reviewReason: 'face_mismatch' }), a('y')])).not.toBe(waiting);
  });
});
