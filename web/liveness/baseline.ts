// The "look straight" baseline: the person's own resting head pose, open-eye level and jaw, from
// a short window of frontal, still frames with the eyes open. Every action threshold is relative
// to it, because old faces differ: hooded eyes, glasses, a phone held low.
import { LIVENESS_PARAMS } from './params.ts';
import type { FaceSignals, FrameSignals } from './signals.ts';

export interface Baseline {
  yaw: number;
  pitch: number;
  /** Open-eye blink score and EAR. */
  blink: number;
  ear: number;
  /**
   * The person's own frame-to-frame noise in the window (standard deviation of the blink score,
   * and of EAR as a fraction of the open EAR): a blink must stand out of it (issue 18 §1).
   */
  blinkNoise: number;
  earNoise: number;
  jaw: number;
  faceWidth: number;
  /** When the window was complete. */
  atMs: number;
  /** True if the eyes looked closed throughout and we accepted after eyesClosedMaxWaitMs. */
  eyesUncertain: boolean;
}

export type BaselineProblem = 'no_face' | 'not_frontal' | 'moving' | 'eyes_closed' | 'mouth_open' | 'collecting';

/** Which way the person should move to face the camera, in their own terms (signals.userTurnDirection). */
export type FrontalHint = 'turn_left' | 'turn_right' | 'chin_down' | 'chin_up' | 'straighten';

export interface BaselineCollector {
  /** Feed every frame; returns the baseline once ready (then keeps returning it). */
  push(frame: FrameSignals, usable?: boolean): Baseline | null;
  /** Why it is not ready yet: drives "look straight at the screen" vs "open your eyes". */
  problem(): BaselineProblem;
  /** While the problem is 'not_frontal': which way to move to face the camera. */
  frontalHint(): FrontalHint | null;
  /** 0..1 fill of the window, for a calm progress ring. */
  progress(): number;
  reset(): void;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return 0;
  return n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
};
const range = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
/**
 * Robust spread (median absolute deviation, scaled to a standard deviation): the tail of a blink
 * that reopens just before the window must not pass for noise (blink_man_glasses 1.5-2.0 s).
 */
const spread = (xs: number[]) => {
  const m = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)));
};

/** Head speed is measured over steps at least this long: shorter ones are mostly landmark and timing jitter. */
const STEP_MS = 200;
/** The head's path over the window is summed over steps at least this long: every other frame at 30 frames a second (see violation). */
const PATH_STEP_MS = 100;

interface Sample {
  t: number;
  f: FaceSignals;
}

/**
 * `usable` lets the caller veto frames for reasons outside this module (blocking quality,
 * several faces). Frames are kept only while consecutive; any unusable frame or a gap restarts
 * the window, so the baseline is one continuous look at the camera. Stillness is judged over
 * time, so the frame rate does not change the answer: the window must span windowMs with no gap
 * over maxGapMs, and the head's mean speed over it (path / time) must stay low as well as its range.
 */
export function createBaselineCollector(params = LIVENESS_PARAMS.baseline): BaselineCollector {
  let window: Sample[] = [];
  let ready: Baseline | null = null;
  let lastProblem: BaselineProblem = 'no_face';
  let closedSince: number | null = null;
  let lastT = -Infinity;
  let hint: FrontalHint | null = null;

  /** Null when frontal; otherwise the biggest correction, as the person would make it. */
  function frontalCorrection(f: FaceSignals): FrontalHint | null {
    const over = [Math.abs(f.yaw) / params.maxAbsYaw, Math.abs(f.pitch) / params.maxAbsPitch, Math.abs(f.roll) / params.maxAbsRoll];
    const worst = Math.max(...over);
    if (worst <= 1) return null;
    // yaw > 0 is turned to their own left, so they turn back to their right; pitch > 0 is chin down.
    if (worst === over[0]) return f.yaw > 0 ? 'turn_right' : 'turn_left';
    if (worst === over[1]) return f.pitch > 0 ? 'chin_up' : 'chin_down';
    return 'straighten';
  }

  /** Why this window is not one still look with open eyes and a closed mouth; null when it is. */
  function violation(w: readonly Sample[], t: number): BaselineProblem | null {
    const fs = w.map((s) => s.f);
    const moved = (a: Sample, b: Sample) => Math.hypot(b.f.yaw - a.f.yaw, b.f.pitch - a.f.pitch);
    // The path sums steps of at least PATH_STEP_MS: summed frame by frame, the landmarks' own
    // jitter grows with the frame rate (a fast phone at 30 frames a second found a talking woman
    // "moving" whom 13 frames a second found still).
    let path = 0;
    let from = w[0] as Sample;
    for (const s of w) {
      if (s.t - from.t < PATH_STEP_MS) continue;
      path += moved(from, s);
      from = s;
    }
    path += moved(from, w[w.length - 1] as Sample);
    let fastStep = false;
    for (let i = 0; i < w.length && !fastStep; i++) {
      const a = w[i] as Sample;
      const b = w.find((s) => s.t - a.t >= STEP_MS);
      if (b && (moved(a, b) * 1000) / (b.t - a.t) > params.maxStepDegPerSec) fastStep = true;
    }
    const span = t - (w[0] as Sample).t;
    const tooFast = fastStep || (span > 0 && (path * 1000) / Math.max(span, params.windowMs) > params.maxDegPerSec);
    if (range(fs.map((s) => s.yaw)) > params.maxYawRange || range(fs.map((s) => s.pitch)) > params.maxPitchRange || tooFast) return 'moving';
    // A blink or a word inside the window.
    if (range(fs.map((s) => s.blink)) > params.maxBlinkRange || range(fs.map((s) => s.jaw)) > params.maxJawRange) return 'collecting';
    return null;
  }

  function push(frame: FrameSignals, usable = true): Baseline | null {
    if (ready) return ready;
    const t = frame.tMs;
    if (t <= lastT) return null;
    const gap = t - lastT;
    lastT = t;
    const f = frame.face;
    if (!f || frame.faceCount !== 1 || !usable) {
      window = [];
      lastProblem = 'no_face';
      return null;
    }
    hint = frontalCorrection(f);
    if (hint) {
      window = [];
      lastProblem = 'not_frontal';
      return null;
    }
    if (gap > params.maxGapMs) window = [];
    window.push({ t, f });
    // Keep the newest windowMs (+ one frame, so the span can reach windowMs).
    while (window.length > 2 && t - (window[1] as Sample).t >= params.windowMs) window.shift();

    // Keep the longest recent stretch that is still, with no blink and no word in it: what came
    // before the movement is dropped, not the stillness since (turn_up_man_beard's only still
    // half-second follows a flicker of his eyes).
    let why: BaselineProblem | null = violation(window, t);
    const first = why;
    while (why !== null && window.length > 1) {
      window.shift();
      why = violation(window, t);
    }
    if (first !== null) lastProblem = first;
    const fs = window.map((s) => s.f);
    const blinks = fs.map((s) => s.blink);
    const jaws = fs.map((s) => s.jaw);
    const yaws = fs.map((s) => s.yaw);
    const pitches = fs.map((s) => s.pitch);
    if (first !== null) return null;
    const span = t - (window[0] as Sample).t;
    if (span < params.windowMs || window.length < 2) {
      lastProblem = 'collecting';
      return null;
    }
    const mBlink = median(blinks);
    const mEar = median(fs.map((s) => s.ear));
    // Resting mouth = its most closed moment; speech only ever raises jawOpen.
    const mJaw = Math.min(...jaws);
    if (mJaw > params.maxJaw) {
      lastProblem = 'mouth_open';
      return null;
    }
    // Do not learn closed eyes as the "open" level (blink_eyes_closed_man starts with eyes
    // closed). If they never look open, accept after a while so narrow or hooded eyes are not
    // locked out; the blink detector then adapts its open level when they open wider.
    const looksClosed = mBlink >= params.closedBlink && mEar <= params.closedEar;
    let eyesUncertain = false;
    if (looksClosed) {
      closedSince ??= t;
      if (t - closedSince < params.eyesClosedMaxWaitMs) {
        lastProblem = 'eyes_closed';
        return null;
      }
      eyesUncertain = true;
    }
    ready = {
      yaw: median(yaws),
      pitch: median(pitches),
      blink: mBlink,
      ear: mEar,
      blinkNoise: spread(blinks),
      earNoise: mEar > 0 ? spread(fs.map((s) => s.ear)) / mEar : 0,
      jaw: mJaw,
      faceWidth: median(fs.map((s) => s.box.w)),
      atMs: t,
      eyesUncertain,
    };
    return ready;
  }

  return {
    push,
    problem: () => lastProblem,
    frontalHint: () => (lastProblem === 'not_frontal' ? hint : null),
    progress: () => {
      if (ready) return 1;
      if (window.length < 2) return 0;
      return Math.min(1, (lastT - (window[0] as Sample).t) / params.windowMs);
    },
    reset: () => {
      window = [];
      ready = null;
      closedSince = null;
      hint = null;
      lastProblem = 'no_face';
      lastT = -Infinity;
    },
  };
}

/** First baseline a clip yields, scanning from its start: the tests' and benches' reference. */
export function findBaseline(frames: readonly FrameSignals[], params = LIVENESS_PARAMS.baseline): Baseline | null {
  const c = createBaselineCollector(params);
  for (const f of frames) {
    const b = c.push(f);
    if (b) return b;
  }
  return null;
}
