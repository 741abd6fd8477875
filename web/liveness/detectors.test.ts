// The signal rules against real per-frame traces of FaceLandmarker (../shared/fixtures). Expected
// times are the fixtures README's (clip seconds), with ±0.3 s tolerance.
import { describe, expect, it } from 'vitest';
import { ACTION_IDS, type ActionId } from '../../shared/liveness.ts';
import { createActionDetector, findActions, findBlinks } from './actions.ts';
import { createBaselineCollector, findBaseline, type Baseline } from './baseline.ts';
import { LIVENESS_PARAMS } from './params.ts';
import { userTurnDirection, type FrameSignals } from './signals.ts';
import { frames as synthFrames } from './test-frames.ts';
import { fromTraceRow, loopTrace, type TraceRow } from './trace.ts';
import { CLIPS, SKIP_MESSAGE, loadTrace, tracesAvailable, type ClipName } from '../../scripts/harness/trace-fixtures.ts';

const have = tracesAvailable();
const clipSuite = have ? describe : describe.skip;
const title = (s: string) => (have ? s : `${s} (${SKIP_MESSAGE})`);
const TOL = 0.3;

interface Clip {
  rows: TraceRow[];
  frames: FrameSignals[];
  baseline: Baseline;
  /** Clip time (s) of a frame timestamp of the single pass. */
  at(tMs: number): number;
}

const clips = new Map<ClipName, Clip>();
function clip(name: ClipName): Clip {
  let c = clips.get(name);
  if (!c) {
    const rows = loadTrace(name);
    const frames = rows.map((r) => fromTraceRow(r));
    // The baseline the state machine would take: first one in the looping clip.
    const baseline = findBaseline(loopTrace(rows, 30_000).map((l) => l.signals));
    if (!baseline) throw new Error(`${name}: no baseline`);
    const at = (tMs: number) => {
      const i = frames.findIndex((f) => f.tMs >= tMs);
      return (rows[i < 0 ? rows.length - 1 : i] as TraceRow).mediaTime;
    };
    c = { rows, frames, baseline, at };
    clips.set(name, c);
  }
  return c;
}

const found = (name: ClipName, action: ActionId) => {
  const c = clip(name);
  return findActions(c.frames, action, c.baseline).map((f) => ({ ...f, start: c.at(f.startedAtMs), done: c.at(f.doneAtMs) }));
};

function expectTimes(actual: number[], expected: number[]) {
  expect(actual.length, `found at ${actual.map((t) => t.toFixed(2)).join(', ')}`).toBe(expected.length);
  expected.forEach((t, i) => expect(Math.abs((actual[i] ?? -99) - t), `event ${i}: ${actual[i]} vs ${t}`).toBeLessThanOrEqual(TOL));
}

clipSuite(title('baseline'), () => {
  it('blink_eyes_closed_man: waits for the eyes to open before taking the open-eye level', () => {
    const c = clip('blink_eyes_closed_man');
    const b = findBaseline(c.frames);
    expect(b).not.toBeNull();
    // Eyes are closed 0-1.0 s (blink 0.77-0.82); they are open from 1.1 s.
    expect(c.at(b!.atMs)).toBeGreaterThanOrEqual(1.1);
    expect(b!.blink).toBeLessThan(0.4);
    expect(b!.ear).toBeGreaterThan(0.2);
    expect(b!.eyesUncertain).toBe(false);
  });

  it('blink_eyes_closed_man: without the closed-eye rule it would learn closed eyes (the rule matters)', () => {
    const c = clip('blink_eyes_closed_man');
    const naive = createBaselineCollector({ ...LIVENESS_PARAMS.baseline, closedBlink: 2 });
    let b: Baseline | null = null;
    for (const f of c.frames) b ??= naive.push(f);
    expect(c.at(b!.atMs)).toBeLessThan(1.0);
    expect(b!.blink).toBeGreaterThan(0.7);
  });

  it.each(CLIPS)('%s: a frontal, still baseline is found', (name) => {
    const b = clip(name).baseline;
    expect(Math.abs(b.yaw)).toBeLessThanOrEqual(LIVENESS_PARAMS.baseline.maxAbsYaw);
    expect(Math.abs(b.pitch)).toBeLessThanOrEqual(LIVENESS_PARAMS.baseline.maxAbsPitch);
    expect(b.jaw).toBeLessThanOrEqual(LIVENESS_PARAMS.baseline.maxJaw);
  });

  it('nod_up_down_woman_hijab: not taken mid-nod', () => {
    const b = clip('nod_up_down_woman_hijab').baseline;
    expect(Math.abs(b.pitch)).toBeLessThan(10);
  });
});

clipSuite(title('blinks (open → closed → open, relative to the open-eye level)'), () => {
  const cases: [ClipName, number[]][] = [
    // His 0.45 s blink is seen only across the model's 410 ms first inference (0.07 → 0.47 s), a
    // stall longer than blink.maxGapMs: what the eye did then is unknown (issue 18 §3).
    ['blink_man_glasses', [1.24, 4.7, 6.5]],
    ['blink_gaze_woman', [0.5, 1.7, 2.2, 3.1, 3.6, 4.2, 4.5]],
    ['mouth_open_man', [3.1, 6.2]],
    ['talking_selfie_man', [1.4, 2.6, 3.4]],
    ['neutral_woman', [3.2]],
    ['neutral_man_webcam', []],
    ['spoof_phone_replay_man_webcam', []],
  ];
  it.each(cases)('%s: blinks at %j', (name, times) => {
    const c = clip(name);
    expectTimes(
      findBlinks(c.frames, c.baseline).map((e) => c.at(e.closedAtMs)),
      times,
    );
  });

  it('blink_gaze_woman: the long closure 4.5-6.8 s is one blink, reopening at 6.8', () => {
    const c = clip('blink_gaze_woman');
    const long = findBlinks(c.frames, c.baseline).filter((e) => e.openedAtMs - e.closedAtMs > 1000);
    expect(long).toHaveLength(1);
    expect(Math.abs(c.at(long[0]!.openedAtMs) - 6.8)).toBeLessThanOrEqual(TOL);
  });

  it('blink_eyes_closed_man: the 1.8 s closure ending at 6.3 s is one (slow) blink', () => {
    const c = clip('blink_eyes_closed_man');
    const blinks = findBlinks(c.frames, c.baseline);
    expect(blinks).toHaveLength(1);
    const b = blinks[0]!;
    expect(Math.abs(c.at(b.openedAtMs) - 6.3)).toBeLessThanOrEqual(TOL);
    expect(Math.abs((b.openedAtMs - b.closedAtMs) / 1000 - 1.8)).toBeLessThanOrEqual(TOL);
    expect(b.fullClosedMs).toBeGreaterThanOrEqual(500);
  });

  it('turn_up_man_beard: an absolute threshold would see him blinking all the time; ours does not', () => {
    const c = clip('turn_up_man_beard');
    const open = c.frames.filter((f) => f.face && Math.abs(f.face.yaw - c.baseline.yaw) < 10);
    // Evidence of the problem: his open-eye blink score sits at 0.5-0.8.
    expect(open.filter((f) => f.face!.blink >= 0.5).length / open.length).toBeGreaterThan(0.7);
    // Ours fires at most on his two real squeezes (0.8 s and 8.0 s), never on the open frames.
    expect(findBlinks(c.frames, c.baseline).length).toBeLessThanOrEqual(2);
  });

  it('blinks while the head is turned are ignored (turn_left_right_woman_hijab blinks at 7.6 s at yaw 33°)', () => {
    const c = clip('turn_left_right_woman_hijab');
    expect(findBlinks(c.frames, c.baseline)).toHaveLength(0);
  });
});

clipSuite(title('blink action: one blink after the prompt'), () => {
  it.each([
    ['blink_man_glasses', [1.24, 4.7, 6.5]],
    ['blink_eyes_closed_man', [4.5]],
    ['mouth_open_man', [3.1, 6.2]],
    ['talking_selfie_man', [1.4, 2.6, 3.4]],
  ] as [ClipName, number[]][])('%s passes at %j', (name, times) => {
    expectTimes(
      found(name, 'blink').map((f) => f.start),
      times,
    );
  });
  it('a single natural blink (neutral_woman 3.2 s) is a live eye, so it passes: the trade-off of decision 066', () => {
    const c = clip('neutral_woman');
    expect(findBlinks(c.frames, c.baseline)).toHaveLength(1);
    expectTimes(found('neutral_woman', 'blink').map((f) => f.start), [3.2]);
  });
  it('eyes that never close pass nothing: the squint (neutral_man_webcam) and the stuck replay, over 30 s', () => {
    for (const name of ['neutral_man_webcam', 'spoof_phone_replay_man_webcam'] as const) {
      const c = clip(name);
      expect(findActions(loopTrace(c.rows, 30_000).map((l) => l.signals), 'blink', c.baseline)).toEqual([]);
    }
  });
});

clipSuite(title('head turns'), () => {
  it('turn_left_right_woman_hijab: right turn at 1.2 s, left turn at 5.5 s, each held', () => {
    const right = found('turn_left_right_woman_hijab', 'turn_right');
    const left = found('turn_left_right_woman_hijab', 'turn_left');
    expectTimes(right.map((f) => f.start), [1.2]);
    expectTimes(left.map((f) => f.start), [5.5]);
    expect(right[0]!.done).toBeLessThanOrEqual(3.9);
    expect(left[0]!.done).toBeLessThanOrEqual(7.8);
    expect(right[0]!.peak).toBeGreaterThanOrEqual(20);
    expect(left[0]!.peak).toBeGreaterThanOrEqual(20);
  });

  it('turn_left_right_woman_hijab: yaw < 0 is her own right, yaw > 0 her own left', () => {
    const c = clip('turn_left_right_woman_hijab');
    const during = (a: number, b: number) => c.rows.filter((r) => r.mediaTime >= a && r.mediaTime <= b).map((r) => r.values.yaw ?? 0);
    expect(userTurnDirection(Math.min(...during(1.2, 3.9)), 20)).toBe('right');
    expect(userTurnDirection(Math.max(...during(5.5, 7.8)), 20)).toBe('left');
  });

  it('turn_up_man_beard: right at 1.9 s and left at 4.2 s, although the face is lost at full profile', () => {
    const c = clip('turn_up_man_beard');
    const right = found('turn_up_man_beard', 'turn_right');
    const left = found('turn_up_man_beard', 'turn_left');
    expectTimes(right.map((f) => f.start), [1.9]);
    expectTimes(left.map((f) => f.start), [4.2]);
    // The left turn completed only because the hold continued through the lost frames.
    const holdRows = c.rows.filter((r) => r.mediaTime >= left[0]!.start && r.mediaTime <= left[0]!.done);
    expect(holdRows.some((r) => r.faces === 0)).toBe(true);
    const seen = holdRows.filter((r) => r.faces > 0);
    expect(seen[seen.length - 1]!.tMs - seen[0]!.tMs).toBeLessThan(LIVENESS_PARAMS.turn.holdMs);
  });

  it('neutral_woman: the slow drift (yaw to -16.7°) is not a turn', () => {
    const c = clip('neutral_woman');
    const yaws = c.frames.flatMap((f) => (f.face ? [f.face.yaw] : []));
    expect(Math.min(...yaws)).toBeLessThan(-15); // the drift is really there
    expect(Math.min(...yaws) - c.baseline.yaw).toBeGreaterThan(-LIVENESS_PARAMS.turn.threshold);
    expect(found('neutral_woman', 'turn_right')).toHaveLength(0);
    expect(found('neutral_woman', 'turn_left')).toHaveLength(0);
  });

  it('blink_gaze_woman: eyes looking sideways without turning the head are not turns', () => {
    const c = clip('blink_gaze_woman');
    const gaze = c.rows.filter((r) => (r.values.eyeLookOutLeft ?? 0) > 0.9 || (r.values.eyeLookOutRight ?? 0) > 0.9);
    expect(gaze.some((r) => r.mediaTime >= 2.5 && r.mediaTime <= 3.0)).toBe(true);
    expect(gaze.some((r) => r.mediaTime >= 7.0 && r.mediaTime <= 7.5)).toBe(true);
    for (const r of gaze) expect(Math.abs(r.values.yaw ?? 99)).toBeLessThan(8);
    expect(found('blink_gaze_woman', 'turn_left')).toHaveLength(0);
    expect(found('blink_gaze_woman', 'turn_right')).toHaveLength(0);
  });

  it('blink_man_glasses: the -12° drift at 4.5-7.5 s is not a turn', () => {
    expect(found('blink_man_glasses', 'turn_right')).toHaveLength(0);
    expect(found('blink_man_glasses', 'turn_left')).toHaveLength(0);
  });
});

clipSuite(title('look up'), () => {
  it('nod_up_down_woman_hijab: chin up at 0.7 s; chin down (4.1 s) and tilt (6.5 s) are not "look up"', () => {
    const up = found('nod_up_down_woman_hijab', 'look_up');
    expectTimes(up.map((f) => f.start), [0.7]);
    expect(up[0]!.done).toBeLessThanOrEqual(3.0);
    expect(found('nod_up_down_woman_hijab', 'turn_left')).toHaveLength(0);
    expect(found('nod_up_down_woman_hijab', 'turn_right')).toHaveLength(0);
  });
  it('spoof_phone_replay_selfie: the phone tilting (pitch to +17°, chin down) is not "look up"', () => {
    expect(found('spoof_phone_replay_selfie', 'look_up')).toHaveLength(0);
  });
  it('turn_up_man_beard: pitch -20..-28° during his turns is not "look up"', () => {
    expect(found('turn_up_man_beard', 'look_up')).toHaveLength(0);
  });
});

clipSuite(title('mouth'), () => {
  it('mouth_open_man: openings at 0.6, 2.1 and 3.9 s', () => {
    expectTimes(found('mouth_open_man', 'open_mouth').map((f) => f.start), [0.6, 2.1, 3.9]);
  });
  it('talking (peaks 0.21-0.46) and jaw blips (blink_man_glasses 0.49, 0.40) are not "open mouth"', () => {
    expect(found('talking_selfie_man', 'open_mouth')).toHaveLength(0);
    expect(found('blink_man_glasses', 'open_mouth')).toHaveLength(0);
  });
  it('talking_selfie_man: at least 3 mouth cycles, so reading digits passes, more than once in 8 s', () => {
    const reads = found('talking_selfie_man', 'read_digits');
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const r of reads) expect(r.count).toBeGreaterThanOrEqual(LIVENESS_PARAMS.mouthCycles.minCycles);
    expect(reads[0]!.start).toBeLessThanOrEqual(1.0);
  });
  it('two isolated jaw blips (blink_man_glasses) are not reading, even over several loops', () => {
    const c = clip('blink_man_glasses');
    expect(findActions(loopTrace(c.rows, 30_000).map((l) => l.signals), 'read_digits', c.baseline)).toHaveLength(0);
  });
  it('known limit: three deliberate openings also count as reading (we do not process audio)', () => {
    expect(found('mouth_open_man', 'read_digits')).toHaveLength(1);
  });
});

clipSuite(title('clips where nothing happens pass nothing'), () => {
  const still: ClipName[] = ['neutral_woman', 'neutral_man_webcam', 'spoof_phone_replay_man_webcam'];
  // neutral_woman blinks once a pass, which is a blink (above).
  const cases = still.flatMap((name) => ACTION_IDS.filter((a) => !(name === 'neutral_woman' && a === 'blink')).map((a) => [name, a] as const));
  it.each(cases)('%s: no %s, over 30 s of looping', (name, action) => {
    const c = clip(name);
    const looped = loopTrace(c.rows, 30_000).map((l) => l.signals);
    expect(findActions(looped, action, c.baseline)).toEqual([]);
  });
  it('the stuck phone replay has no blink at all and a stuck blink score (0.48-0.64)', () => {
    const c = clip('spoof_phone_replay_man_webcam');
    expect(findBlinks(loopTrace(c.rows, 30_000).map((l) => l.signals), c.baseline)).toEqual([]);
  });
});

describe('an action only counts if it starts after its prompt', () => {
  const b: Baseline = { yaw: 0, pitch: 0, blink: 0.1, ear: 0.3, jaw: 0.02, faceWidth: 0.3, atMs: 0, eyesUncertain: false, blinkNoise: 0, earNoise: 0 };
  const run = (action: ActionId, fs: FrameSignals[]) => {
    const d = createActionDetector(action, b);
    return fs.find((f) => d.push(f).done)?.tMs ?? null;
  };

  it('a head already turned at the prompt must come back first', () => {
    const stayTurned = synthFrames(0, 3000, () => ({ yaw: 30 }));
    expect(run('turn_left', stayTurned)).toBeNull();
    const backAndAgain = synthFrames(0, 4000, (t) => ({ yaw: t < 1000 ? 30 : t < 2000 ? 0 : 30 }));
    const done = run('turn_left', backAndAgain);
    expect(done).not.toBeNull();
    expect(done!).toBeGreaterThanOrEqual(2000 + LIVENESS_PARAMS.turn.holdMs - 33);
  });

  it('eyes already closed at the prompt must open first; a slow closure then counts', () => {
    const closedThenOpen = synthFrames(0, 2000, (t) => (t < 800 ? { blink: 0.8, ear: 0.02 } : {}));
    expect(run('blink', closedThenOpen)).toBeNull();
    const slow = synthFrames(0, 3000, (t) => (t < 800 ? { blink: 0.8, ear: 0.02 } : t > 1500 && t < 2200 ? { blink: 0.8, ear: 0.02 } : {}));
    expect(run('blink', slow)).toBeGreaterThan(2200);
  });

  it('a mouth already open at the prompt must close first', () => {
    expect(run('open_mouth', synthFrames(0, 3000, () => ({ jaw: 0.7 })))).toBeNull();
    expect(run('open_mouth', synthFrames(0, 3000, (t) => ({ jaw: t < 1000 ? 0.7 : t < 1500 ? 0.02 : 0.7 })))).toBeGreaterThan(1500);
  });

  it('a short movement is not held long enough (time-based, not frame-based)', () => {
    // 8 frames duplicated 4x at 120 fps still only span 60 ms.
    const blip = synthFrames(0, 2000, (t) => ({ yaw: t >= 1000 && t < 1070 ? 35 : 0 }), 8);
    expect(run('turn_left', blip)).toBeNull();
  });
});
