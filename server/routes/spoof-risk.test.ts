// Spoof risk at the server (issue 18 §5, decision 068): a passed check whose spoof-risk score is at
// or above the threshold goes to the office as "spoof_risk" and never certifies, whatever score the
// phone claims; the office's review shows the score and its inputs; a failed check keeps its score
// for history only; a check below the threshold goes on to the face match as before.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LivenessResult } from '../../shared/liveness.ts';
import type { AttemptReview } from '../../shared/schemas/identity.ts';
import type { OfficeQueue } from '../../shared/schemas/office.ts';
import { SPOOF_PARAMS, spoofScore, type SpoofInputs } from '../../shared/spoof-risk.ts';
import type { ChallengeGrant, PushResponse } from '../../shared/sync.ts';
import { DEMO } from '../seed/demo.ts';
import { makeItem, pushBody, type TestItem } from '../sync/test-helpers.ts';
import { createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const DEVICE = 'phone-spoof-0001';
/** What the phone measured on a phone replay (docs/liveness.md): soft face, a bezel on both sides. */
const REPLAY: SpoofInputs = { frames: 45, texture: 0.291, bezel: 12.5, planarity: null, sizeJumps: 0 };
const LIVE: SpoofInputs = { frames: 60, texture: 0.56, bezel: 5, planarity: 0.17, sizeJumps: 0 };

async function retiree(): Promise<{ c: Client; id: number; grants: ChallengeGrant[] }> {
  const c = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, DEVICE);
  const id = (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
  const res = await c.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count: 4 } });
  return { c, id, grants: res.body.challenges };
}

function withSpoof(item: TestItem, inputs: SpoofInputs, claim?: Partial<{ score: number; flagged: boolean }>): TestItem {
  (item.result as LivenessResult).spoofRisk = { ...spoofScore(inputs), ...claim };
  return item;
}

async function push(c: Client, items: TestItem[]): Promise<PushResponse> {
  const { body, headers } = pushBody(items);
  const res = await c.json<PushResponse>('/api/sync/push', { method: 'POST', body, headers });
  expect(res.status).toBe(200);
  return res.body;
}

const count = async (sql: string, params: (string | number)[] = []) => (await t.db.get<{ n: number }>(`SELECT count(*) AS n FROM (${sql}) AS x`, params))!.n;

describe('spoof risk at push', () => {
  it('sends a passed check that looks like a replay to the office as spoof_risk, even when the phone claims a low score, and never certifies it', async () => {
    const { c, id, grants } = await retiree();
    const replay = withSpoof(makeItem({ seq: 1, retireeId: id, method: 'self', challenge: grants[0], frames: 2 }), REPLAY);
    // A phone that lies about its score but sends what it measured: the server scores the inputs itself.
    const lying = withSpoof(makeItem({ seq: 2, retireeId: id, method: 'self', challenge: grants[1], frames: 2 }), REPLAY, { score: 0.05, flagged: false });
    const res = await push(c, [replay, lying]);
    expect(res.results.map((r) => r.status === 'accepted' && r.outcome)).toEqual([
      { kind: 'review', reviewReason: 'spoof_risk' },
      { kind: 'review', reviewReason: 'spoof_risk' },
    ]);
    expect(await count('SELECT 1 FROM match_jobs')).toBe(0);
    expect(await count("SELECT 1 FROM certifications WHERE retiree_id = ? AND status = 'approved' AND evidence_ref <> 'demo'", [id])).toBe(0);

    // The phone hears only that the office is checking (the reason stays on the office's side of the words).
    const status = await c.json<{ status: { state: string } }>('/api/me/status');
    expect(status.body.status.state).not.toBe('certified');

    const admin = await signIn(t, DEMO.admin);
    const queue = (await admin.json<OfficeQueue>('/api/office/queue?reason=spoof_risk')).body;
    expect(queue.items.map((i) => i.id).sort()).toEqual([replay.id, lying.id].sort());
    const detail = (await admin.json<{ attempt: AttemptReview }>(`/api/identity/reviews/${lying.id}`)).body.attempt;
    expect(detail.reviewReason).toBe('spoof_risk');
    expect(detail.spoof).toMatchObject({ flagged: true, threshold: SPOOF_PARAMS.threshold, phoneScore: 0.05, inputs: REPLAY });
    expect(detail.spoof!.score).toBeGreaterThanOrEqual(SPOOF_PARAMS.threshold);
  });

  it('lets a check below the threshold go on to the face match, and keeps a failed check\'s score for history only', async () => {
    const { c, id, grants } = await retiree();
    const live = withSpoof(makeItem({ seq: 1, retireeId: id, method: 'self', challenge: grants[0], frames: 2 }), LIVE);
    const failed = withSpoof(makeItem({ seq: 2, retireeId: id, method: 'self', challenge: grants[1], frames: 2, verdict: 'failed' }), REPLAY);
    const res = await push(c, [live, failed]);
    expect(res.results.map((r) => r.status === 'accepted' && r.outcome)).toEqual([{ kind: 'verifying' }, { kind: 'not_passed' }]);
    expect(await count('SELECT 1 FROM match_jobs WHERE attempt_id = ?', [live.id])).toBe(1);
    const stored = await t.db.get<{ result: string }>('SELECT result FROM attempts WHERE id = ?', [failed.id]);
    expect((JSON.parse(stored!.result) as { spoofRisk: { score: number } }).spoofRisk.score).toBeGreaterThanOrEqual(SPOOF_PARAMS.threshold);
  });

  it('rejects a spoofRisk that does not match the shared schema as an invalid item', async () => {
    const { c, id, grants } = await retiree();
    const bad = makeItem({ seq: 1, retireeId: id, method: 'self', challenge: grants[0], frames: 2 });
    (bad.result as Record<string, unknown>).spoofRisk = { score: 3, threshold: 0.7, flagged: false, inputs: LIVE };
    const res = await push(c, [bad]);
    expect(res.results[0]).toMatchObject({ status: 'rejected', reason: 'invalid' });
  });
});
