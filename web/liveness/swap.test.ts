// "换一个动作" in the engine (issue 17 §3, decision 076): the person's swap changes the current step
// to another action the challenge rules allow, the step's time starts again, the result says what
// it replaced, and the server's token check accepts exactly such results. No time limit when the
// phone asks for none.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSequence, nextSwap, stepsAnswer, type ActionId, type ChallengeSequence } from '../../shared/liveness.ts';
import { checkToken, encodeToken } from '../../server/sync/tokens.ts';
import { createChallenge, type Challenge, type ChallengeEvent } from './challenge.ts';
import { LIVENESS_PARAMS, type LivenessParams } from './params.ts';
import { frames } from './test-frames.ts';
import type { FaceSignals } from './signals.ts';

const untimed: LivenessParams = { ...LIVENESS_PARAMS, timing: { ...LIVENESS_PARAMS.timing, totalTimeoutMs: Infinity } };

/** Feeds frames from..to with the face doing `face(t)`; returns the events. */
function feed(c: Challenge, from: number, to: number, face: (t: number) => Partial<FaceSignals> | null = () => ({})): ChallengeEvent[] {
  const out: ChallengeEvent[] = [];
  for (const f of frames(from, to, face)) {
    out.push(...c.push(f));
    if (c.state().phase === 'done') break;
  }
  return out;
}

/** The first seed (from `after`) whose sequence is exactly `actions`. */
function seedFor(actions: ActionId[]): ChallengeSequence {
  for (let s = 1; s < 2_000_000; s++) {
    const seq = generateSequence(s);
    if (seq.actions.join() === actions.join()) return seq;
  }
  throw new Error(`no seed gives ${actions.join()}`);
}

describe('the person asks for another action', () => {
  it('nextSwap goes round the actions that keep the rules, never read_digits unless asked, and back to the asked one', () => {
    // [open_mouth, look_up]: look_up may become a turn (a head action must stay), never open_mouth twice.
    expect(nextSwap(['open_mouth', 'look_up'], 1, 'look_up')).toBe('turn_left');
    expect(nextSwap(['open_mouth', 'turn_left'], 1, 'look_up')).toBe('turn_right');
    expect(nextSwap(['open_mouth', 'turn_right'], 1, 'look_up')).toBe('look_up');
    // The face action of [turn_left, read_digits]: open_mouth or blink; read_digits only as asked.
    expect(nextSwap(['turn_left', 'read_digits'], 1, 'read_digits')).toBe('open_mouth');
    expect(nextSwap(['turn_left', 'open_mouth'], 1, 'read_digits')).toBe('blink');
    expect(nextSwap(['turn_left', 'blink'], 1, 'read_digits', ['blink'])).toBe('read_digits');
    expect(nextSwap(['turn_left', 'blink'], 1, 'blink', ['blink'])).toBe('open_mouth');
    // No adjacent turns: in [turn_left, blink, look_up] the last step cannot become turn_right.
    expect(nextSwap(['turn_left', 'blink', 'look_up'], 2, 'look_up')).toBe('open_mouth');
  });

  it('swaps the current step, starts its time again, and the result passes the server token check', () => {
    const seq = seedFor(['open_mouth', 'look_up']);
    const c = createChallenge({ sequence: seq, challengeId: 'tok1', params: untimed });
    feed(c, 0, 1000);
    feed(c, 1000, 2500, () => ({ jaw: 0.6 }));
    expect(c.state()).toMatchObject({ phase: 'action', stepIndex: 1, action: 'look_up', canSwap: true });
    // Far past the engine's 120 s: no verdict without a limit, and the step's waiting time counts.
    feed(c, 2500, 140_000);
    const st = c.state();
    expect(st.phase).toBe('action');
    expect(st.verdict).toBeNull();
    expect(st.stepElapsedMs).toBeGreaterThan(130_000);
    const events = c.swap();
    expect(events.map((e) => e.type)).toEqual(['swapped', 'prompt']);
    expect(c.state()).toMatchObject({ action: 'turn_left', stepIndex: 1, swaps: [{ at: 1, action: 'turn_left' }], stepElapsedMs: 0 });
    feed(c, 140_000, 141_000);
    feed(c, 141_000, 143_000, () => ({ yaw: 35 }));
    const result = c.result();
    expect(result).toMatchObject({ verdict: 'passed', challengeId: 'tok1', seed: seq.seed });
    expect(result!.steps.map((s) => [s.action, s.replaces ?? null, s.swappedBy ?? null])).toEqual([
      ['open_mouth', null, null],
      ['turn_left', 'look_up', 'person'],
    ]);
    expect(stepsAnswer(seq, result!.steps)).toBe(true);

    const secret = randomBytes(32);
    const now = Date.UTC(2026, 11, 4);
    const token = encodeToken(secret, { i: 'tok1', u: 5, d: 'dev', s: seq.seed, t: now - 1000, e: now + 60_000 });
    expect(checkToken(secret, token, result!, 5, 'dev', now).reviewReason).toBeNull();
    // The same step unmarked, or marked as replacing another action, or a swap that breaks the rules: review.
    const unmarked = { ...result!, steps: result!.steps.map(({ replaces: _r, swappedBy: _b, ...s }) => s) };
    expect(checkToken(secret, token, unmarked, 5, 'dev', now).reviewReason).toBe('sequence_mismatch');
    const wrongPlace = { ...result!, steps: result!.steps.map((s, i) => (i === 1 ? { ...s, replaces: 'open_mouth' as const } : s)) };
    expect(checkToken(secret, token, wrongPlace, 5, 'dev', now).reviewReason).toBe('sequence_mismatch');
    const noHead = { ...result!, steps: result!.steps.map((s, i) => (i === 1 ? { ...s, action: 'blink' as const, count: 1 } : s)) };
    expect(checkToken(secret, token, noHead, 5, 'dev', now).reviewReason).toBe('sequence_mismatch');
  });

  it('a swapped read_digits step drops the digits from the result, and the server accepts it without them', () => {
    const seq = seedFor(['turn_left', 'read_digits']);
    const c = createChallenge({ sequence: seq, challengeId: 'tok2', params: untimed });
    feed(c, 0, 1000);
    feed(c, 1000, 2500, () => ({ yaw: 35 }));
    feed(c, 2500, 3500);
    expect(c.state()).toMatchObject({ action: 'read_digits', digits: seq.digits });
    c.swap();
    expect(c.state().action).toBe('open_mouth');
    expect(c.state().digits).toBeUndefined();
    feed(c, 3500, 4500);
    feed(c, 4500, 6000, () => ({ jaw: 0.6 }));
    const result = c.result()!;
    expect(result.verdict).toBe('passed');
    expect(result.digits).toBeUndefined();
    const secret = randomBytes(32);
    const now = Date.UTC(2026, 11, 4);
    const token = encodeToken(secret, { i: 'tok2', u: 5, d: 'dev', s: seq.seed, t: now - 1000, e: now + 60_000 });
    expect(checkToken(secret, token, result, 5, 'dev', now).reviewReason).toBeNull();
  });

  it('the swaps carry over a restart and into the next run of the challenge (after a pause)', () => {
    const seq = seedFor(['open_mouth', 'look_up']);
    const resumed = createChallenge({ sequence: seq, params: untimed, swaps: [{ at: 1, action: 'turn_left' }] });
    feed(resumed, 0, 1000);
    feed(resumed, 1000, 2500, () => ({ jaw: 0.6 }));
    expect(resumed.state()).toMatchObject({ action: 'turn_left', swaps: [{ at: 1, action: 'turn_left' }] });
    // The face gone long enough to start again from "look straight": the swap stays.
    feed(resumed, 2500, 5000, () => null);
    expect(resumed.state().phase).toBe('baseline');
    feed(resumed, 5000, 9000);
    expect(resumed.state()).toMatchObject({ phase: 'action', stepIndex: 0 });
    feed(resumed, 9000, 10_500, () => ({ jaw: 0.6 }));
    expect(resumed.state()).toMatchObject({ stepIndex: 1, action: 'turn_left' });
    // Swaps that would ask one action twice are ignored: the sequence as drawn.
    const bad = createChallenge({ sequence: seq, params: untimed, swaps: [{ at: 1, action: 'open_mouth' }] });
    expect(bad.state().swaps).toEqual([]);
  });

  it('nothing to swap during "look straight"', () => {
    const c = createChallenge({ sequence: seedFor(['open_mouth', 'look_up']), params: untimed });
    feed(c, 0, 200);
    expect(c.state()).toMatchObject({ phase: 'baseline', canSwap: false });
    expect(c.swap()).toEqual([]);
  });
});
