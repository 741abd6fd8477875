// Full state-machine runs: real traces looped like Chromium's fake camera (timestamps keep
// increasing), plus hand-made frames for what the clips do not contain.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ACTION_IDS, LIVENESS_ENGINE_VERSION, LivenessResult, type ActionId } from '../../shared/liveness.ts';
import { createChallenge, type ChallengeConfig, type ChallengeEvent, type ChallengeState } from './challenge.ts';
import { LIVENESS_PARAMS } from './params.ts';
import type { FrameSignals } from './signals.ts';
import { frame, frames as synthFrames } from './test-frames.ts';
import { loopTrace, type LoopedFrame } from './trace.ts';
import { CLIP_ACTIONS, SKIP_MESSAGE, loadTrace, tracesAvailable, type ClipName } from '../../scripts/harness/trace-fixtures.ts';

const have = tracesAvailable();
const clipSuite = have ? describe : describe.skip;
const title = (s: string) => (have ? s : `${s} (${SKIP_MESSAGE})`);
const LIMIT = LIVENESS_PARAMS.timing.totalTimeoutMs;

function seq(actions: ActionId[]): ChallengeConfig['sequence'] {
  return actions.includes('read_digits') ? { seed: 7, actions, digits: '3729' } : { seed: 7, actions };
}

interface Run {
  events: ChallengeEvent[];
  result: LivenessResult | null;
  states: ChallengeState[];
  /** Clip position of each event (when fed from a clip). */
  where: { loop: number; mediaTime: number }[];
}

function runFrames(fs: readonly FrameSignals[], actions: ActionId[], extra: Partial<ChallengeConfig> = {}): Run {
  const c = createChallenge({ sequence: seq(actions), delegate: 'CPU', ...extra });
  const events: ChallengeEvent[] = [];
  const states: ChallengeState[] = [];
  for (const f of fs) {
    events.push(...c.push(f));
    states.push(c.state());
    if (c.state().phase === 'done') break;
  }
  return { events, result: c.result(), states, where: [] };
}

function runClip(name: ClipName, actions: ActionId[], edit?: (f: LoopedFrame) => FrameSignals): Run {
  const looped = loopTrace(loadTrace(name), LIMIT + 5000);
  const c = createChallenge({ sequence: seq(actions), delegate: 'CPU' });
  const run: Run = { events: [], result: null, states: [], where: [] };
  for (const lf of looped) {
    const evs = c.push(edit ? edit(lf) : lf.signals);
    for (const e of evs) {
      run.events.push(e);
      run.where.push({ loop: lf.loop, mediaTime: lf.mediaTime });
    }
    run.states.push(c.state());
    if (c.state().phase === 'done') break;
  }
  run.result = c.result();
  return run;
}

const ofType = <T extends ChallengeEvent['type']>(r: Run, type: T) => r.events.filter((e): e is Extract<ChallengeEvent, { type: T }> => e.type === type);
const whereOf = (r: Run, e: ChallengeEvent) => r.where[r.events.indexOf(e)]!;

clipSuite(title('sequences the clip performs pass'), () => {
  it('turn_left_right_woman_hijab: turn right then left, in the first pass', () => {
    const r = runClip('turn_left_right_woman_hijab', ['turn_right', 'turn_left']);
    expect(r.result?.verdict).toBe('passed');
    expect(r.result?.reason).toBeNull();
    const passed = ofType(r, 'step_passed');
    expect(passed.map((e) => e.action)).toEqual(['turn_right', 'turn_left']);
    const [right, left] = passed.map((e) => whereOf(r, e));
    expect(right).toMatchObject({ loop: 0 });
    expect(right!.mediaTime).toBeGreaterThanOrEqual(1.2);
    expect(right!.mediaTime).toBeLessThanOrEqual(3.9);
    expect(left!.mediaTime).toBeGreaterThanOrEqual(5.5);
    expect(left!.mediaTime).toBeLessThanOrEqual(7.8);
    expect(ofType(r, 'restarted')).toHaveLength(0);
  });

  it('turn_left_right_woman_hijab: left then right needs the next loop, and still passes', () => {
    const r = runClip('turn_left_right_woman_hijab', ['turn_left', 'turn_right']);
    expect(r.result?.verdict).toBe('passed');
    // The overall progress never shrinks, though her head goes back and forth; the step's own does.
    for (let i = 1; i < r.states.length; i++) expect(r.states[i]!.progress).toBeGreaterThanOrEqual(r.states[i - 1]!.progress);
    expect(r.states.some((s, i) => i > 0 && s.stepProgress < r.states[i - 1]!.stepProgress - 0.1)).toBe(true);
    const [left, right] = ofType(r, 'step_passed').map((e) => whereOf(r, e));
    expect(left).toMatchObject({ loop: 0 });
    expect(right).toMatchObject({ loop: 1 });
    expect(right!.mediaTime).toBeLessThanOrEqual(3.9);
  });

  it.each([
    [['turn_right', 'turn_left']],
    [['turn_left', 'turn_right']],
  ] as ActionId[][][])('turn_up_man_beard %j: passes despite losing his face at full profile, without restarting', (actions) => {
    const r = runClip('turn_up_man_beard', actions);
    expect(r.result?.verdict).toBe('passed');
    expect(ofType(r, 'restarted')).toHaveLength(0);
    // Small in frame (width 0.17): advised to come closer, never blocked.
    expect(ofType(r, 'quality').some((e) => e.state === 'too_far')).toBe(true);
  });

  it('nod_up_down_woman_hijab: look up', () => {
    const r = runClip('nod_up_down_woman_hijab', ['look_up']);
    expect(r.result?.verdict).toBe('passed');
    const at = whereOf(r, ofType(r, 'step_passed')[0]!);
    expect(at.mediaTime).toBeGreaterThanOrEqual(0.7);
    expect(at.mediaTime).toBeLessThanOrEqual(3.0);
  });

  it('mouth_open_man: open mouth, then blink', () => {
    const r = runClip('mouth_open_man', ['open_mouth', 'blink']);
    expect(r.result?.verdict).toBe('passed');
    expect(r.result!.steps[0]!.peak).toBeGreaterThanOrEqual(LIVENESS_PARAMS.openMouth.rise);
    expect(r.result!.steps[1]!.count).toBe(1);
  });

  it('a check that passes within about a second still keeps two key frames, mouth closed in both', () => {
    // From 1.5 s into the clip: the baseline settles, then the wide opening at 2.1 s passes the step.
    const rows = loadTrace('mouth_open_man').filter((r) => r.mediaTime >= 1.5);
    const c = createChallenge({ sequence: seq(['open_mouth']), delegate: 'CPU' });
    const looped = loopTrace(rows, LIMIT);
    for (const lf of looped) {
      c.push(lf.signals);
      if (c.state().phase === 'done') break;
    }
    expect(c.result()?.verdict).toBe('passed');
    expect(c.result()!.durationMs).toBeLessThan(2000);
    const chosen = c.keyFrames();
    expect(chosen.length).toBeGreaterThanOrEqual(2);
    expect(chosen[1]!.tMs - chosen[0]!.tMs).toBeGreaterThanOrEqual(300);
    for (const k of chosen) expect(looped.find((lf) => lf.signals.tMs === k.tMs)!.signals.face!.jaw).toBeLessThan(0.2);
  });

  it('talking_selfie_man: read the digits, then blink; the digits travel in the result', () => {
    const r = runClip('talking_selfie_man', ['read_digits', 'blink']);
    expect(r.result?.verdict).toBe('passed');
    expect(r.result!.digits).toBe('3729');
    expect(r.result!.steps[0]!.count).toBeGreaterThanOrEqual(3);
    expect(r.states.some((s) => s.digits === '3729')).toBe(true);
  });

  it('produces a schema-valid compact result with real inference stats', () => {
    const rows = loadTrace('turn_left_right_woman_hijab');
    const r = runClip('turn_left_right_woman_hijab', ['turn_right', 'turn_left']);
    const res = r.result!;
    expect(v.safeParse(LivenessResult, res).success).toBe(true);
    expect(res.engineVersion).toBe(LIVENESS_ENGINE_VERSION);
    expect(res.seed).toBe(7);
    expect(res.steps.every((s) => s.passed && s.durationMs > 0)).toBe(true);
    expect(res.steps[0]!.peak).toBeGreaterThanOrEqual(20);
    expect(res.baselineMs).toBeGreaterThan(0);
    expect(res.inference.delegate).toBe('CPU');
    expect(res.inference.frames).toBe(r.states.length);
    const infer = rows.slice(0, r.states.length).map((x) => x.inferMs).sort((a, b) => a - b);
    expect(res.inference.medianMs).toBeCloseTo(infer[Math.ceil(infer.length / 2) - 1]!, 1);
    expect(res.inference.p95Ms).toBeGreaterThanOrEqual(res.inference.medianMs);
    // Nothing beyond numbers and ids.
    expect(JSON.stringify(res).length).toBeLessThan(2000);
  });

  it('keeps up to 3 key frames, ≥1 s apart, frontal and open-eyed', () => {
    const looped = loopTrace(loadTrace('turn_left_right_woman_hijab'), 20_000);
    const c = createChallenge({ sequence: seq(['turn_right', 'turn_left']) });
    const kept = new Set<number>();
    for (const lf of looped) {
      for (const e of c.push(lf.signals)) {
        if (e.type !== 'keyframe') continue;
        kept.add(e.tMs);
        for (const d of e.drop) kept.delete(d);
      }
      if (c.state().phase === 'done') break;
    }
    const chosen = c.keyFrames();
    expect(chosen.length).toBeGreaterThanOrEqual(2);
    expect(chosen.length).toBeLessThanOrEqual(3);
    expect(new Set(chosen.map((k) => k.tMs))).toEqual(kept);
    for (let i = 1; i < chosen.length; i++) expect(chosen[i]!.tMs - chosen[i - 1]!.tMs).toBeGreaterThanOrEqual(1000);
    for (const k of chosen) {
      const f = looped.find((lf) => lf.signals.tMs === k.tMs)!.signals.face!;
      expect(Math.abs(f.yaw)).toBeLessThan(10);
      expect(f.blink).toBeLessThan(0.3);
      expect(k.score).toBeGreaterThan(0.5);
    }
  });
});

clipSuite(title('sequences the clip does not perform never pass'), () => {
  it.each([
    ['neutral_woman', ['blink', 'turn_left']],
    ['neutral_man_webcam', ['look_up', 'read_digits']],
    ['spoof_phone_replay_man_webcam', ['blink', 'turn_right']],
    ['spoof_phone_replay_man_webcam', ['open_mouth', 'look_up']],
    ['turn_left_right_woman_hijab', ['look_up', 'blink']],
    ['talking_selfie_man', ['turn_left', 'open_mouth']],
    ['blink_man_glasses', ['blink', 'turn_left']],
  ] as [ClipName, ActionId[]][])('%s %j: times out after the full time limit, with re-prompts', (name, actions) => {
    const r = runClip(name, actions);
    expect(r.result?.verdict).toBe('timed_out');
    expect(r.result?.reason).toBe('timeout_action');
    expect(r.result!.durationMs).toBeGreaterThanOrEqual(LIMIT);
    expect(r.result!.durationMs).toBeLessThan(LIMIT + 500);
    expect(r.result!.steps.some((s) => !s.passed)).toBe(true);
    const reprompts = ofType(r, 'reprompt');
    expect(reprompts.length).toBeGreaterThanOrEqual(Math.floor(LIMIT / LIVENESS_PARAMS.timing.repromptMs) - 2);
    for (let i = 1; i < reprompts.length; i++) {
      const gap = reprompts[i]!.atMs - reprompts[i - 1]!.atMs;
      if (reprompts[i]!.stepIndex === reprompts[i - 1]!.stepIndex) expect(gap).toBeGreaterThanOrEqual(LIVENESS_PARAMS.timing.repromptMs);
    }
  });

  // Pairs the README does not list must not pass.
  const performs = CLIP_ACTIONS;
  const matrix = (Object.keys(performs) as ClipName[]).flatMap((name) => ACTION_IDS.map((a) => [name, a] as const));
  it.each(matrix)('%s, single action %s', (name, action) => {
    const does = performs[name];
    // turn_up_man_beard's eye squeezes and the selfie replay's blink-like peaks are not specified
    // by the README; we only assert what it does specify.
    if (does === 'unasserted' && (action === 'blink' || action === 'read_digits' || action === 'open_mouth')) return;
    if (name === 'turn_up_man_beard' && action === 'blink') return;
    const r = runClip(name, [action]);
    expect(r.result?.verdict).toBe(does !== 'unasserted' && does.includes(action) ? 'passed' : 'timed_out');
  });
});

clipSuite(title('face lost mid-sequence'), () => {
  it('restarts from the baseline after 1.5 s without a face, and can still pass afterwards', () => {
    // Blank the face 4.0-6.0 s of the first pass: after the right turn passed, before the left.
    const blank = (lf: LoopedFrame): FrameSignals => (lf.loop === 0 && lf.mediaTime >= 4.0 && lf.mediaTime <= 6.0 ? { ...lf.signals, faceCount: 0, face: null } : lf.signals);
    const r = runClip('turn_left_right_woman_hijab', ['turn_right', 'turn_left'], blank);
    const restarts = ofType(r, 'restarted');
    expect(restarts).toHaveLength(1);
    const at = whereOf(r, restarts[0]!);
    expect(at.loop).toBe(0);
    expect(Math.abs(at.mediaTime - 5.5)).toBeLessThanOrEqual(0.1);
    // After the restart: a new baseline and the sequence from its first step.
    const after = r.events.slice(r.events.indexOf(restarts[0]!));
    expect(after.find((e) => e.type === 'prompt')).toMatchObject({ promptId: 'prompt.look_straight' });
    expect(after.filter((e) => e.type === 'baseline_ready')).toHaveLength(1);
    expect(after.filter((e) => e.type === 'step_passed').map((e) => (e as { action: ActionId }).action)).toEqual(['turn_right', 'turn_left']);
    expect(r.result?.verdict).toBe('passed');
    expect(r.result?.restarts).toEqual([{ reason: 'face_lost', atMs: restarts[0]!.atMs }]);
    // Progress starts over with the sequence.
    const i = r.states.findIndex((s) => s.restarts === 1);
    expect(r.states[i - 1]!.progress).toBeGreaterThan(0.3);
    expect(r.states[i]!.progress).toBeLessThan(0.3);
  });

  it('a short loss (1 s, head frontal) does not restart', () => {
    const blank = (lf: LoopedFrame): FrameSignals => (lf.loop === 0 && lf.mediaTime >= 4.2 && lf.mediaTime <= 5.1 ? { ...lf.signals, faceCount: 0, face: null } : lf.signals);
    const r = runClip('turn_left_right_woman_hijab', ['turn_right', 'turn_left'], blank);
    expect(ofType(r, 'restarted')).toHaveLength(0);
    expect(r.result?.verdict).toBe('passed');
  });

  it('the profile allowance is bounded: lost for 3.4 s while turned does restart', () => {
    const blank = (lf: LoopedFrame): FrameSignals => (lf.loop === 1 && lf.mediaTime >= 4.45 && lf.mediaTime <= 7.9 ? { ...lf.signals, faceCount: 0, face: null } : lf.signals);
    const r = runClip('turn_up_man_beard', ['turn_left', 'turn_right'], blank);
    const restarts = ofType(r, 'restarted');
    expect(restarts.length).toBeGreaterThanOrEqual(1);
    expect(whereOf(r, restarts[0]!).loop).toBe(1);
  });

  it('a frame stream that stalls counts as a loss too', () => {
    const looped = loopTrace(loadTrace('turn_left_right_woman_hijab'), 30_000);
    // Drop every frame between 4.0 and 6.0 s of the first pass (no frames at all).
    const fs = looped.filter((lf) => !(lf.loop === 0 && lf.mediaTime > 4.0 && lf.mediaTime < 6.0)).map((lf) => lf.signals);
    const r = runFrames(fs, ['turn_right', 'turn_left']);
    expect(ofType(r, 'restarted')).toHaveLength(1);
  });
});

clipSuite(title('timing is time-based and deterministic'), () => {
  it('the same frames give exactly the same events and result', () => {
    const a = runClip('mouth_open_man', ['open_mouth', 'blink']);
    const b = runClip('mouth_open_man', ['open_mouth', 'blink']);
    expect(b.events).toEqual(a.events);
    expect(b.result).toEqual(a.result);
  });

  it('duplicated frames (same timestamp again) are ignored', () => {
    const fs = loopTrace(loadTrace('turn_left_right_woman_hijab'), 20_000).map((l) => l.signals);
    const once = runFrames(fs, ['turn_right', 'turn_left']);
    const twice = runFrames(fs.flatMap((f) => [f, { ...f }]), ['turn_right', 'turn_left']);
    expect(twice.events).toEqual(once.events);
    expect(twice.result).toEqual(once.result);
  });

  it('half the frame rate gives the same outcome at about the same time', () => {
    const fs = loopTrace(loadTrace('turn_left_right_woman_hijab'), 20_000).map((l) => l.signals);
    const full = runFrames(fs, ['turn_right', 'turn_left']);
    const half = runFrames(fs.filter((_, i) => i % 2 === 0), ['turn_right', 'turn_left']);
    expect(half.result?.verdict).toBe('passed');
    expect(Math.abs(half.result!.durationMs - full.result!.durationMs)).toBeLessThan(300);
  });
});

describe('synthetic cases', () => {
  const still = (from: number, to: number) => synthFrames(from, to, () => ({}));

  it('an action performed before its prompt does not count (mouth opened during the turn step)', () => {
    const fs = [
      ...still(0, 1000),
      // turn left with the mouth open, back to frontal with the mouth still open
      ...synthFrames(1000, 2000, () => ({ yaw: 30, jaw: 0.7 })),
      ...synthFrames(2000, 4000, () => ({ jaw: 0.7 })),
      // close, then open again: only this opening may count
      ...synthFrames(4000, 4500, () => ({})),
      ...synthFrames(4500, 6000, () => ({ jaw: 0.7 })),
      ...still(6000, 7000),
    ];
    const r = runFrames(fs, ['turn_left', 'open_mouth']);
    const passed = ofType(r, 'step_passed');
    expect(passed.map((e) => e.action)).toEqual(['turn_left', 'open_mouth']);
    const start = fs[0]!.tMs;
    expect(passed[1]!.atMs + start).toBeGreaterThanOrEqual(4500 + LIVENESS_PARAMS.openMouth.holdMs - 40);
  });

  it('no face at all times out as timeout_no_face', () => {
    const r = runFrames(synthFrames(0, LIMIT + 1000, () => null, 100), ['blink', 'turn_left']);
    expect(r.result).toMatchObject({ verdict: 'timed_out', reason: 'timeout_no_face' });
    expect(r.states.at(-2)?.quality).toBe('no_face');
  });

  it('a face that never holds still times out as timeout_baseline, advising to hold still', () => {
    const r = runFrames(synthFrames(0, LIMIT + 1000, (t) => ({ yaw: 15 * Math.sin(t / 100) })), ['blink', 'turn_left']);
    expect(r.result).toMatchObject({ verdict: 'timed_out', reason: 'timeout_baseline' });
    expect(ofType(r, 'quality').some((e) => e.state === 'hold_still')).toBe(true);
  });

  it('eyes closed during the baseline: it waits for them to open, and says "open your eyes"', () => {
    const wait = LIVENESS_PARAMS.timing.repromptMs + 500;
    const params = { ...LIVENESS_PARAMS, baseline: { ...LIVENESS_PARAMS.baseline, eyesClosedMaxWaitMs: 30_000 } };
    const fs = [...synthFrames(0, wait, () => ({ blink: 0.8, ear: 0.02 })), ...still(wait, wait + 1500)];
    const r = runFrames(fs, ['blink', 'turn_left'], { params });
    const ready = ofType(r, 'baseline_ready')[0]!;
    expect(ready.atMs).toBeGreaterThanOrEqual(wait);
    expect(ready.baseline.blink).toBeLessThan(0.2);
    expect(ofType(r, 'reprompt')[0]?.promptId).toBe('baseline.eyes_closed');
    expect(r.states[100]?.displayPromptId).toBe('baseline.eyes_closed');
  });

  it('eyes that never look open are accepted after a while, flagged, so narrow eyes are not locked out', () => {
    const r = runFrames(synthFrames(0, 10_000, () => ({ blink: 0.8, ear: 0.02 })), ['blink', 'turn_left']);
    const ready = ofType(r, 'baseline_ready')[0]!;
    expect(ready.atMs).toBeGreaterThanOrEqual(LIVENESS_PARAMS.baseline.eyesClosedMaxWaitMs);
    expect(ready.baseline.eyesUncertain).toBe(true);
  });

  it('several faces for 5 s in total fail the check; a brief second face does not', () => {
    const two = (t0: number, t1: number) => synthFrames(t0, t1, () => ({})).map((f) => ({ ...f, faceCount: 2 }));
    const failed = runFrames([...still(0, 1000), ...two(1000, 7000)], ['blink', 'turn_left']);
    expect(failed.result).toMatchObject({ verdict: 'failed', reason: 'multiple_faces' });
    const brief = runFrames([...still(0, 1000), ...two(1000, 2000), ...still(2000, 2300), ...synthFrames(2300, 3300, () => ({ yaw: 30 })), ...still(3300, 4000)], ['turn_left', 'blink']);
    expect(brief.result).toBeNull();
    expect(ofType(brief, 'step_passed').map((e) => e.action)).toEqual(['turn_left']);
  });

  it('a face that jumps across the picture between two frames fails as face_changed', () => {
    const fs = [...still(0, 1500), ...synthFrames(1500, 2500, () => ({ box: { x: 0.7, y: 0.3, w: 0.12, h: 0.2, cx: 0.76, cy: 0.4 } }))];
    const r = runFrames(fs, ['blink', 'turn_left']);
    expect(r.result).toMatchObject({ verdict: 'failed', reason: 'face_changed' });
  });

  it('cancel ends as abandoned; an engine error as failed; nothing happens after the end', () => {
    const c = createChallenge({ sequence: seq(['blink', 'look_up']) });
    for (const f of still(0, 2000)) c.push(f);
    const evs = c.abort('user_cancelled');
    expect(evs).toEqual([expect.objectContaining({ type: 'verdict', verdict: 'abandoned', reason: 'user_cancelled' })]);
    expect(c.result()).toMatchObject({ verdict: 'abandoned', reason: 'user_cancelled' });
    expect(c.result()!.steps.map((s) => s.passed)).toEqual([false, false]);
    expect(c.push(frame(3000))).toEqual([]);
    expect(c.abort('engine_error')).toEqual([]);
    const e = createChallenge({ sequence: seq(['blink', 'look_up']) });
    e.abort('engine_error', 50);
    expect(e.result()).toMatchObject({ verdict: 'failed', reason: 'engine_error', durationMs: 0 });
  });

  it('exposes a calm state: prompt ids, progress that only grows, no countdown', () => {
    const fs = [...still(0, 1200), ...synthFrames(1200, 2000, () => ({ yaw: 30 })), ...still(2000, 3000), ...synthFrames(3000, 3800, () => ({ pitch: -25 })), ...still(3800, 4500)];
    const r = runFrames(fs, ['turn_left', 'look_up']);
    expect(r.result?.verdict).toBe('passed');
    expect(r.states[0]).toMatchObject({ phase: 'baseline', stepIndex: null, promptId: 'prompt.look_straight', stepCount: 2 });
    const acts = r.states.filter((s) => s.phase === 'action');
    expect(acts[0]).toMatchObject({ stepIndex: 0, action: 'turn_left', promptId: 'prompt.turn_left', displayPromptId: 'prompt.turn_left' });
    for (let i = 1; i < r.states.length; i++) expect(r.states[i]!.progress).toBeGreaterThanOrEqual(r.states[i - 1]!.progress - 1e-9);
    expect(r.states.at(-1)!.progress).toBe(1);
    expect(Object.keys(r.states[0]!)).not.toContain('remainingMs');
  });
});
