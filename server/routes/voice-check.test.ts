// Read the 4 digits heard (issue 18 §4, decisions 079-080): a passed check whose digits the
// microphone did not hear (nothing recorded, too few syllables) goes to the office as
// "digits_not_heard", one whose voice the mouth did not follow as "voice_out_of_step"; the server
// draws the outcome again from the phone's numbers, whatever outcome the phone claims; a check
// heard in step goes on to the face match.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSequence, type LivenessResult } from '../../shared/liveness.ts';
import type { AttemptReview } from '../../shared/schemas/identity.ts';
import type { OfficeQueue } from '../../shared/schemas/office.ts';
import type { ChallengeGrant, PushResponse } from '../../shared/sync.ts';
import { SYNC_LIMITS } from '../../shared/sync.ts';
import { VOICE_PARAMS, type VoiceCheck } from '../../shared/voice-check.ts';
import { DEMO } from '../seed/demo.ts';
import { makeItem, pushBody, type TestItem } from '../sync/test-helpers.ts';
import { createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const DEVICE = 'phone-voice-0001';
const HEARD: VoiceCheck = { outcome: 'heard', syllables: 6, sync: 0.48, lagMs: 40, floorDb: -62, peakDb: -26, windowMs: 5600 };

/** A signed-in retiree and challenges whose sequences ask to read digits. */
async function retiree(): Promise<{ c: Client; id: number; grants: ChallengeGrant[] }> {
  const c = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, DEVICE);
  const id = (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
  const grants: ChallengeGrant[] = [];
  for (let i = 0; i < 10 && grants.length < 5; i++) {
    const res = await c.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count: SYNC_LIMITS.maxChallengesPerRequest } });
    grants.push(...res.body.challenges.filter((g) => generateSequence(g.seed).actions.includes('read_digits')));
  }
  expect(grants.length).toBeGreaterThanOrEqual(5);
  return { c, id, grants };
}

function withVoice(item: TestItem, voice: VoiceCheck | undefined): TestItem {
  const r = item.result as LivenessResult;
  if (voice) r.voice = voice;
  else delete r.voice;
  return item;
}

async function push(c: Client, items: TestItem[]): Promise<PushResponse> {
  const { body, headers } = pushBody(items);
  const res = await c.json<PushResponse>('/api/sync/push', { method: 'POST', body, headers });
  expect(res.status).toBe(200);
  return res.body;
}

describe('read digits heard, at push', () => {
  it('sends unheard digits and a voice out of step to the office, whatever the phone claims, and lets a heard check go to the face match', async () => {
    const { c, id, grants } = await retiree();
    const item = (seq: number, voice: VoiceCheck | undefined) => withVoice(makeItem({ seq, retireeId: id, method: 'self', challenge: grants[seq - 1], frames: 2, frameBytes: 4_000 }), voice);
    const heard = item(1, HEARD);
    const noMic = item(2, { outcome: 'no_microphone', syllables: null, sync: null, lagMs: null, floorDb: null, peakDb: null, windowMs: 0 });
    // A phone that sent no voice measurement at all (an older app): nothing was heard.
    const older = item(3, undefined);
    // A phone claiming "heard" over one syllable (a silent replay) or a voice the mouth did not follow.
    const silent = item(4, { ...HEARD, syllables: 1 });
    const dubbed = item(5, { ...HEARD, sync: 0.04 });
    const res = await push(c, [heard, noMic, older, silent, dubbed]);
    expect(res.results.map((r) => r.status === 'accepted' && r.outcome)).toEqual([
      { kind: 'verifying' },
      { kind: 'review', reviewReason: 'digits_not_heard' },
      { kind: 'review', reviewReason: 'digits_not_heard' },
      { kind: 'review', reviewReason: 'digits_not_heard' },
      { kind: 'review', reviewReason: 'voice_out_of_step' },
    ]);
    const jobs = await t.db.all<{ attempt_id: string }>('SELECT attempt_id FROM match_jobs');
    expect(jobs.map((j) => j.attempt_id)).toEqual([heard.id]);

    const admin = await signIn(t, DEMO.admin);
    const unheard = (await admin.json<OfficeQueue>('/api/office/queue?reason=digits_not_heard')).body;
    expect(unheard.items.map((i) => i.id).sort()).toEqual([noMic.id, older.id, silent.id].sort());
    const outOfStep = (await admin.json<OfficeQueue>('/api/office/queue?reason=voice_out_of_step')).body;
    expect(outOfStep.items.map((i) => i.id)).toEqual([dubbed.id]);
    const detail = (await admin.json<{ attempt: AttemptReview }>(`/api/identity/reviews/${dubbed.id}`)).body.attempt;
    expect(detail.reviewReason).toBe('voice_out_of_step');
    // The clerk sees the server's outcome beside the phone's claim, and the numbers behind it.
    expect(detail.voice).toMatchObject({ outcome: 'out_of_step', claimed: 'heard', syllables: 6, sync: 0.04, minSync: VOICE_PARAMS.minSync, minSyllables: VOICE_PARAMS.minSyllables });
    const olderDetail = (await admin.json<{ attempt: AttemptReview }>(`/api/identity/reviews/${older.id}`)).body.attempt;
    expect(olderDetail.voice).toMatchObject({ outcome: 'no_microphone', claimed: null, syllables: null });
  });

  it('keeps a failed check as not passed whatever its voice, and rejects a voice that does not match the schema', async () => {
    const { c, id, grants } = await retiree();
    const failed = withVoice(makeItem({ seq: 1, retireeId: id, method: 'self', challenge: grants[0], frames: 2, verdict: 'failed' }), undefined);
    const bad = withVoice(makeItem({ seq: 2, retireeId: id, method: 'self', challenge: grants[1], frames: 2 }), { ...HEARD, sync: 7 });
    const res = await push(c, [failed, bad]);
    expect(res.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'not_passed' } });
    expect(res.results[1]).toMatchObject({ status: 'rejected', reason: 'invalid' });
  });
});
