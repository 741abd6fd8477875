// The push's certification decision without a database (issue 20): submissions and what the
// database said about them in, each answer and the rows to write out. The same decisions through
// the real server and SQLite are in server/routes/sync.test.ts; here every rule is one small case.
import { describe, expect, it } from 'vitest';
import type { CertificationPeriod } from '../../shared/certification-rules.ts';
import type { PushResult } from '../../shared/sync.ts';
import type { GroupState } from '../store/ingest-read.ts';
import type { LiveSessionRow } from '../store/sessions.ts';
import { decideGroup, groupKeys } from './ingest-decide.ts';
import type { Submission } from './ingest.ts';
import type { PreparedItem } from './prepare.ts';

type Attempt = Extract<PreparedItem, { kind: 'attempt' }>;

// 2026-05-10 12:00 in Beijing: inside the 2026 period below.
const AT = Date.UTC(2026, 4, 10, 4, 0);
const PERIOD: CertificationPeriod = { id: 7, year: 2026, selfStart: '2026-03-01', selfEnd: '2026-06-30', onsiteStart: '2026-03-01', onsiteEnd: '2026-06-30', deadline: '2026-06-30', suspensionDate: '2026-07-01' };
const RETIREE = 11;
const USER = 5;
const DEVICE = 'phone-a';

function state(over: Partial<GroupState> = {}): GroupState {
  const session: LiveSessionRow = { user_id: USER, device_id: DEVICE, created_at: AT - 1000, last_verified_at: AT - 1000, role: 'retiree', disabled: 0, retiree_id: RETIREE, region_id: null };
  return {
    known: new Map(),
    usedTokens: new Set(),
    retirees: new Map([[RETIREE, { id: RETIREE, enrolment: 'active', region_id: 1, time_zone: 'Asia/Shanghai' }]]),
    periods: new Map([[1, [PERIOD]]]),
    approved: new Set(),
    storedSeq: new Map(),
    sessions: new Map([['s1', session]]),
    ...over,
  };
}

function attempt(over: Partial<Attempt> = {}): Attempt {
  return {
    kind: 'attempt',
    id: `a${over.seq ?? 1}`,
    seq: 1,
    retireeId: RETIREE,
    method: 'self',
    verdict: 'passed',
    reviewReason: null,
    evidence: null,
    spoof: null,
    voice: null,
    token: { i: 'tok-1', u: USER, d: DEVICE, s: 42, t: AT - 60_000 } as Attempt['token'],
    enrolment: null,
    deviceTime: AT - 5000,
    resultJson: '{}',
    blobs: [{ idx: 0, kind: 'frame', type: 'image/jpeg', sha256: 'f'.repeat(64), bytes: 3, width: 256, height: 256, durationMs: null, data: Buffer.from([1, 2, 3]) }],
    blobBytes: 3,
    ...over,
  };
}

function sub(items: PreparedItem[], over: Partial<Submission> = {}): Submission {
  return {
    userId: USER,
    deviceId: DEVICE,
    receivedAt: AT,
    items,
    auth: {
      session: { id: 's1', userId: USER, deviceId: DEVICE, createdAt: AT - 1000, lastVerifiedAt: AT - 1000, expiresAt: AT + 1e9 },
      user: { id: USER, role: 'retiree', displayName: '王秀英', retireeId: RETIREE, regionId: null },
    },
    ...over,
  };
}

const outcomes = (results: ReturnType<typeof decideGroup>['results']) =>
  results.flatMap((r) => r?.results ?? []).map((a: PushResult) => (a.status === 'rejected' ? `${a.status}:${a.reason}` : `${a.status}:${a.outcome.kind}${'reviewReason' in a.outcome ? `:${a.outcome.reviewReason}` : ''}`));

describe('decideGroup', () => {
  it('stores a passed check with a fresh token as verifying, for the face match to decide, with its key frames', () => {
    const { results, writes } = decideGroup([sub([attempt()])], state());
    expect(outcomes(results)).toEqual(['accepted:verifying']);
    expect(writes.attempts).toMatchObject([{ id: 'a1', outcome: 'verifying', periodId: 7, certifiedOn: '2026-05-10', challengeId: 'tok-1', reviewReason: null }]);
    expect(writes.blobs.map((b) => b.attemptId)).toEqual(['a1']);
    expect(results[0]!.lastSeq).toBe(1);
  });

  it('sends to the office, in this order: a token problem, then missing evidence, then spoof risk', () => {
    const both = attempt({ reviewReason: 'token_invalid', evidence: 'evidence_missing', spoof: 'spoof_risk' });
    const evidence = attempt({ seq: 2, evidence: 'evidence_missing', spoof: 'spoof_risk', token: null });
    const spoof = attempt({ seq: 3, spoof: 'spoof_risk', token: null });
    const { results } = decideGroup([sub([both, evidence, spoof])], state());
    expect(outcomes(results)).toEqual(['accepted:review:token_invalid', 'accepted:review:evidence_missing', 'accepted:review:spoof_risk']);
  });

  it('sends a check whose read digits were not heard, or heard out of step, to the office after spoof risk', () => {
    const spoof = attempt({ spoof: 'spoof_risk', voice: 'digits_not_heard', token: null });
    const unheard = attempt({ seq: 2, voice: 'digits_not_heard', token: null });
    const dubbed = attempt({ seq: 3, voice: 'voice_out_of_step', token: null });
    const { results, writes } = decideGroup([sub([spoof, unheard, dubbed])], state());
    expect(outcomes(results)).toEqual(['accepted:review:spoof_risk', 'accepted:review:digits_not_heard', 'accepted:review:voice_out_of_step']);
    expect(writes.attempts.map((a) => a.reviewReason)).toEqual(['spoof_risk', 'digits_not_heard', 'voice_out_of_step']);
  });

  it('lets a token be used once: again in the same group, or claimed by an earlier group, is token_used', () => {
    const first = decideGroup([sub([attempt(), attempt({ seq: 2 })])], state());
    expect(outcomes(first.results)).toEqual(['accepted:verifying', 'accepted:review:token_used']);
    const later = decideGroup([sub([attempt({ seq: 3 })])], state({ usedTokens: new Set(['tok-1']) }));
    expect(outcomes(later.results)).toEqual(['accepted:review:token_used']);
  });

  it('says not passed, off the rolls, outside any period and already certified for what they are', () => {
    const failed = attempt({ verdict: 'failed' });
    expect(outcomes(decideGroup([sub([failed])], state()).results)).toEqual(['accepted:not_passed']);
    const gone = state({ retirees: new Map([[RETIREE, { id: RETIREE, enrolment: 'deceased', region_id: 1, time_zone: 'Asia/Shanghai' }]]) });
    expect(outcomes(decideGroup([sub([attempt()])], gone).results)).toEqual(['accepted:review:not_active']);
    expect(outcomes(decideGroup([sub([attempt()])], state({ periods: new Map() })).results)).toEqual(['accepted:review:no_period']);
    const done = decideGroup([sub([attempt()])], state({ approved: new Set([`${RETIREE}:7`]) }));
    expect(outcomes(done.results)).toEqual(['accepted:already_certified']);
    expect(done.writes.attempts[0]).toMatchObject({ outcome: 'already_certified', periodId: 7, certifiedOn: null });
  });

  it('answers an id it has seen with the stored answer (duplicate), and another user’s id as a conflict, writing nothing', () => {
    const prior: PushResult = { id: 'a1', seq: 1, status: 'accepted', outcome: { kind: 'not_passed' } };
    const mine = decideGroup([sub([attempt()])], state({ known: new Map([['a1', { userId: USER, answer: prior }]]) }));
    expect(outcomes(mine.results)).toEqual(['duplicate:not_passed']);
    expect(mine.writes.attempts).toEqual([]);
    const theirs = decideGroup([sub([attempt()])], state({ known: new Map([['a1', { userId: 99, answer: prior }]]) }));
    expect(outcomes(theirs.results)).toEqual(['rejected:id_conflict']);
  });

  it('applies nothing of a submission whose session ended after it was let in', () => {
    const { results, writes } = decideGroup([sub([attempt()])], state({ sessions: new Map() }));
    expect(results).toEqual([null]);
    expect(writes.attempts).toEqual([]);
  });

  it('counts the sequence numbers a phone skipped as gaps, from the last one applied', () => {
    const { results, writes } = decideGroup([sub([attempt({ seq: 4, token: null }), attempt({ seq: 9, token: null })])], state({ storedSeq: new Map([[`${DEVICE}\u0000${USER}`, 2]]) }));
    expect(results[0]!.lastSeq).toBe(9);
    expect(writes.gaps).toEqual([{ deviceId: DEVICE, userId: USER, gaps: 1 + 4 }]);
  });

  it('stores a rejection that the phone must not resend, and not one about the request itself', () => {
    const kept: PreparedItem = { kind: 'reject', id: 'r1', seq: 1, reason: 'invalid', detail: 'no blobs', storable: true };
    const passing: PreparedItem = { kind: 'reject', id: 'r2', seq: 2, reason: 'no_access', detail: null, storable: false };
    const { results, writes } = decideGroup([sub([kept, passing])], state());
    expect(outcomes(results)).toEqual(['rejected:invalid', 'rejected:no_access']);
    expect(writes.rejections.map((r) => r.id)).toEqual(['r1']);
  });

  it('leaves a family link decision for the writer, whose outcome completes every answer to it', () => {
    const link: PreparedItem = { kind: 'link', id: 'l1', seq: 1, retireeId: RETIREE, action: 'approve', requestId: 3, familyUserId: null, via: 'retiree', deviceTime: AT };
    const { results, writes } = decideGroup([sub([link]), sub([link])], state({ sessions: new Map([['s1', state().sessions.get('s1')!]]) }));
    expect(writes.links).toHaveLength(1);
    expect(writes.links[0]!.input).toMatchObject({ id: 'l1', userId: USER, deviceId: DEVICE, receivedAt: AT });
    for (const a of writes.links[0]!.answers) a.outcome = { kind: 'applied' } as never;
    expect(results.map((r) => r!.results[0])).toMatchObject([{ status: 'accepted', outcome: { kind: 'applied' } }, { status: 'duplicate', outcome: { kind: 'applied' } }]);
  });

  it('reads only what it needs: the retirees a passed check or a visit may certify, each list once', () => {
    const keys = groupKeys([sub([attempt(), attempt({ seq: 2, verdict: 'failed', token: null }), attempt({ seq: 3, retireeId: 12, reviewReason: 'token_invalid', token: null })]), sub([attempt({ seq: 4, token: null })])]);
    expect(keys).toEqual({ ids: ['a1', 'a2', 'a3', 'a4'], linkIds: [], visitRequestIds: [], consentIds: [], tokenIds: ['tok-1'], deviceIds: [DEVICE], retireeIds: [RETIREE], sessionIds: ['s1'] });
  });
});
