// Issue 18 §3: the verdicts must not depend on the frame rate. Every clip's trace, looped like the
// fake camera, resampled to 8, 15 and 30 analysed frames a second and with random losses, must
// reach the same verdict on every single action, on the sequences it performs and on ones it does
// not, and yield a baseline at every rate. Hand-made cases show the stall rules themselves.
import { describe, expect, it } from 'vitest';
import { ACTION_IDS, type ActionId } from '../../shared/liveness.ts';
import { createActionDetector } from './actions.ts';
import { createBaselineCollector, findBaseline, type Baseline } from './baseline.ts';
import { createChallenge } from './challenge.ts';
import { LIVENESS_PARAMS } from './params.ts';
import type { FrameSignals } from './signals.ts';
import { frames as synthFrames } from './test-frames.ts';
import { TEST_RATES, loopTrace, rateName, resampleFrames, resampleLooped, type FrameRate } from './trace.ts';
import { CLIPS, CLIP_ACTIONS, SKIP_MESSAGE, loadTrace, tracesAvailable, type ClipName } from '../../scripts/harness/trace-fixtures.ts';

const have = tracesAvailable();
const LIMIT = LIVENESS_PARAMS.timing.totalTimeoutMs;

function verdict(name: ClipName, actions: ActionId[], rate: FrameRate | null) {
  const looped = loopTrace(loadTrace(name), LIMIT + 5000);
  const frames = (rate ? resampleLooped(looped, rate) : looped).map((l) => l.signals);
  const sequence = actions.includes('read_digits') ? { seed: 7, actions, digits: '3729' } : { seed: 7, actions };
  const c = createChallenge({ sequence, delegate: 'CPU' });
  for (const f of frames) {
    c.push(f);
    if (c.state().phase === 'done') break;
  }
  return c.result()?.verdict ?? null;
}

/** What the README says each clip does: passed for what it performs, timed_out for the rest; null = not asserted. */
function expected(name: ClipName, action: ActionId): 'passed' | 'timed_out' | null {
  const does = CLIP_ACTIONS[name];
  if (does === 'unasserted') return action === 'blink' || action === 'read_digits' || action === 'open_mouth' ? null : 'timed_out';
  if (name === 'turn_up_man_beard' && action === 'blink') return null;
  return does.includes(action) ? 'passed' : 'timed_out';
}

describe.skipIf(!have)(have ? 'the same verdict at every frame rate' : `the same verdict at every frame rate (${SKIP_MESSAGE})`, () => {
  const singles = CLIPS.flatMap((name) => ACTION_IDS.flatMap((a) => (expected(name, a) ? [[name, a] as const] : [])));
  it.each(singles)('%s, %s', (name, action) => {
    const want = expected(name, action);
    const got = TEST_RATES.map((r) => `${rateName(r)}: ${verdict(name, [action], r)}`);
    expect(got).toEqual(TEST_RATES.map((r) => `${rateName(r)}: ${want}`));
  });

  const sequences: [ClipName, ActionId[], 'passed' | 'timed_out'][] = [
    ['turn_left_right_woman_hijab', ['turn_right', 'turn_left'], 'passed'],
    ['turn_left_right_woman_hijab', ['turn_left', 'turn_right'], 'passed'],
    ['turn_up_man_beard', ['turn_right', 'turn_left'], 'passed'],
    ['mouth_open_man', ['open_mouth', 'blink'], 'passed'],
    ['talking_selfie_man', ['read_digits', 'blink'], 'passed'],
    ['talking_selfie_man', ['turn_left', 'open_mouth'], 'timed_out'],
    ['spoof_phone_replay_man_webcam', ['blink', 'turn_right'], 'timed_out'],
    ['neutral_man_webcam', ['look_up', 'read_digits'], 'timed_out'],
    ['blink_man_glasses', ['blink', 'turn_left'], 'timed_out'],
  ];
  it.each(sequences)('%s %j: %s at every rate', (name, actions, want) => {
    const got = TEST_RATES.map((r) => `${rateName(r)}: ${verdict(name, actions, r)}`);
    expect(got).toEqual(TEST_RATES.map((r) => `${rateName(r)}: ${want}`));
  });

  it.each(CLIPS)('%s: a baseline at every rate', (name) => {
    const looped = loopTrace(loadTrace(name), 30_000).map((l) => l.signals);
    for (const r of TEST_RATES) expect(findBaseline(resampleFrames(looped, r)), rateName(r)).not.toBeNull();
  });
});

describe('a stall restarts a rule, it never completes one', () => {
  const b: Baseline = { yaw: 0, pitch: 0, blink: 0.1, ear: 0.3, blinkNoise: 0.01, earNoise: 0.01, jaw: 0.02, faceWidth: 0.3, atMs: 0, eyesUncertain: false };
  const doneAt = (action: ActionId, fs: FrameSignals[]) => {
    const d = createActionDetector(action, b);
    return fs.find((f) => d.push(f).done)?.tMs ?? null;
  };

  it('an open mouth seen before and after a 400 ms stall is not held (talking at 10 fps, issue 18)', () => {
    const open = (t: number) => ({ jaw: t >= 1000 && t < 1100 ? 0.6 : t >= 1500 && t < 1600 ? 0.6 : 0.02 });
    // Every frame: two short openings, never held.
    expect(doneAt('open_mouth', synthFrames(0, 3000, open))).toBeNull();
    // A stall from 1100 to 1500 ms hides the mouth closing between them.
    const stalled = synthFrames(0, 3000, open).filter((f) => f.tMs < 1050 || f.tMs > 1500);
    expect(doneAt('open_mouth', stalled)).toBeNull();
  });

  it('a turn seen at both ends of a stall is not held across it', () => {
    // Turned 1000-1700 ms; nothing arrives from 1050 to 1550 ms, then 100 ms more of the turn.
    const turned = (t: number) => ({ yaw: t >= 1000 && t < 1700 ? 30 : 0 });
    const fs = synthFrames(0, 3000, turned).filter((f) => !(f.tMs > 1050 && f.tMs < 1550));
    expect(doneAt('turn_left', fs)).toBeNull();
    // The same turn seen throughout passes.
    expect(doneAt('turn_left', synthFrames(0, 3000, turned))).not.toBeNull();
  });

  it('a blink whose closing falls in a stall is unknown, not a blink', () => {
    const eyes = (t: number) => (t >= 1000 && t < 1200 ? { blink: 0.8, ear: 0.03 } : {});
    expect(doneAt('blink', synthFrames(0, 3000, eyes))).not.toBeNull();
    const stalled = synthFrames(0, 3000, eyes).filter((f) => !(f.tMs > 600 && f.tMs < 1050));
    expect(doneAt('blink', stalled)).toBeNull();
  });

  it('a head that never holds still gets no baseline at 8, 15 or 30 fps (a driver, issue 18)', () => {
    // Shaking ±2.8° twice a second and nodding ±3.5°: inside the 6° and 8° ranges a few samples
    // measure, but never still (the old rule, range over ≥ 4 frames, took a baseline from it at
    // 8 fps). Known limit: with a fifth of the frames lost at 8 or 15 fps (gaps to 375 / 200 ms)
    // the few samples in half a second, and the path summed over steps of ≥ 100 ms, can miss a 2 Hz
    // shake; docs/liveness.md says so. The steps keep landmark jitter at 30 fps from making a
    // talking face "moving" (talking_av_woman got no baseline at 30 fps on a fast machine).
    const TAU = 2 * Math.PI;
    const moving = synthFrames(0, 20_000, (t) => ({ yaw: 2.8 * Math.sin((TAU * t) / 500), pitch: 3.5 * Math.sin((TAU * t) / 800) }), 1000 / 60);
    for (const r of TEST_RATES.filter((x) => !(x.fps <= 15 && x.drop))) {
      const c = createBaselineCollector();
      expect(resampleFrames(moving, r).some((f) => c.push(f) !== null), rateName(r)).toBe(false);
    }
    // The same face at rest gets one at every rate.
    const still = synthFrames(0, 3000, (t) => ({ yaw: 0.3 * Math.sin(t / 90) }), 1000 / 60);
    for (const r of TEST_RATES) expect(findBaseline(resampleFrames(still, r)), rateName(r)).not.toBeNull();
  });
});
