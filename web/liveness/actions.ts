// One detector per challenge action. Each is created when its prompt is shown and must first see
// the face in a neutral state ("armed") before the action can count, so a head already turned,
// a mouth already open or eyes already closed at the prompt do not pass it. All timing comes
// from frame timestamps and is in milliseconds (frames arrive at 6-30 fps, often duplicated), and
// every rule checks the gap between frames: a gap longer than the rule's maxGapMs restarts it,
// because a stall hides what happened meanwhile (a mouth closing between two open frames).
import type { ActionId } from '../../shared/liveness.ts';
import type { Baseline } from './baseline.ts';
import { createBlinkDetector, type BlinkEvent } from './blink.ts';
import { LIVENESS_PARAMS, type LivenessParams } from './params.ts';
import type { FrameSignals } from './signals.ts';

export interface ActionStatus {
  done: boolean;
  /** 0..1, for a progress ring; never reaches 1 before done. */
  progress: number;
  /** Strongest signal so far (see LivenessStep.peak for units). */
  peak: number;
  /** Blinks (blink) or mouth cycles (read_digits). */
  count?: number;
  /** When the accepted movement began (first frame over threshold / first blink / first cycle). */
  startedAtMs: number | null;
}

export interface ActionDetector {
  readonly action: ActionId;
  push(frame: FrameSignals): ActionStatus;
  status(): ActionStatus;
}

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

interface HoldSpec {
  threshold: number;
  release: number;
  rearm: number;
  holdMs: number;
  minFramesBeyond: number;
  /** Signed amount toward the asked direction, or null when the frame cannot tell. */
  measure: (frame: FrameSignals) => number | null;
  /** Keep a hold running through face loss (full profiles are not detected). */
  holdThroughLoss: boolean;
  /** Frames further apart than this restart the hold. */
  maxGapMs: number;
}

/** Reach a threshold from a neutral start and hold it: turns, look up, open mouth. */
function createHoldDetector(action: ActionId, spec: HoldSpec): ActionDetector {
  let armed = false;
  let holdStart: number | null = null;
  let beyondFrames = 0;
  let peak = 0;
  let done = false;
  let lastT = -Infinity;
  let progress = 0;

  const status = (): ActionStatus => ({ done, progress: done ? 1 : progress, peak, startedAtMs: holdStart });

  function push(frame: FrameSignals): ActionStatus {
    if (done || frame.tMs <= lastT) return status();
    const t = frame.tMs;
    const gap = t - lastT;
    lastT = t;
    // A stall restarts the hold: it may have hidden the movement ending (talking's mouth closing).
    if (gap > spec.maxGapMs) {
      holdStart = null;
      beyondFrames = 0;
    }
    const rel = frame.face ? spec.measure(frame) : null;
    if (rel === null) {
      if (!(frame.face === null && spec.holdThroughLoss && holdStart !== null)) {
        holdStart = null;
        beyondFrames = 0;
      }
    } else {
      if (!armed && rel < spec.rearm) armed = true;
      if (armed) {
        peak = Math.max(peak, rel);
        if (holdStart === null) {
          if (rel >= spec.threshold) {
            holdStart = t;
            beyondFrames = 1;
          }
        } else if (rel >= spec.release) {
          beyondFrames++;
        } else {
          holdStart = null;
          beyondFrames = 0;
        }
      }
    }
    if (holdStart !== null && t - holdStart >= spec.holdMs && beyondFrames >= spec.minFramesBeyond) done = true;
    // 80% for reaching the threshold, the rest for holding; kept as is while a hold runs unseen.
    if (armed && rel !== null) progress = 0.8 * clamp01(rel / spec.threshold) + (holdStart === null ? 0 : 0.19 * clamp01((t - holdStart) / spec.holdMs));
    else if (holdStart === null) progress = 0;
    return status();
  }
  return { action, push, status };
}

function facing(frame: FrameSignals, b: Baseline, maxYaw: number, maxPitch: number): boolean {
  const f = frame.face;
  return !!f && Math.abs(f.yaw - b.yaw) <= maxYaw && Math.abs(f.pitch - b.pitch) <= maxPitch;
}

/**
 * Turns: yaw > 0 is the person's own LEFT (see signals.userTurnDirection). The measure is the
 * turn from the baseline, but never more than the turn away from the camera's axis plus the gap
 * between the two thresholds: a head that started a little turned one way must still end clearly
 * turned the other way (threshold from the baseline AND minAbs from the camera).
 */
function createTurnDetector(action: 'turn_left' | 'turn_right', b: Baseline, p: LivenessParams): ActionDetector {
  const sign = action === 'turn_left' ? 1 : -1;
  const lift = p.turn.threshold - p.turn.minAbs;
  return createHoldDetector(action, {
    ...p.turn,
    measure: (fr) => (fr.face ? Math.min(sign * (fr.face.yaw - b.yaw), sign * fr.face.yaw + lift) : null),
    holdThroughLoss: true,
    maxGapMs: Math.min(p.turn.maxGapMs, p.timing.maxFrameGapMs),
  });
}

/** Chin up = pitch < 0; only while the head is not turned (pitch under big yaw is unreliable). */
function createLookUpDetector(b: Baseline, p: LivenessParams): ActionDetector {
  return createHoldDetector('look_up', {
    ...p.lookUp,
    minFramesBeyond: p.turn.minFramesBeyond,
    measure: (fr) => (fr.face && Math.abs(fr.face.yaw - b.yaw) <= p.lookUp.maxYaw ? -(fr.face.pitch - b.pitch) : null),
    holdThroughLoss: false,
    maxGapMs: Math.min(p.lookUp.maxGapMs, p.timing.maxFrameGapMs),
  });
}

/**
 * Resting jaw = the lower of the baseline and the lowest value seen since the prompt: people who
 * were mid-word during the baseline (talking_selfie_man) close their mouth at some point.
 */
function jawReference(b: Baseline) {
  let ref = b.jaw;
  return (jaw: number) => {
    ref = Math.min(ref, jaw);
    return ref;
  };
}

function createOpenMouthDetector(b: Baseline, p: LivenessParams): ActionDetector {
  const ref = jawReference(b);
  const o = p.openMouth;
  return createHoldDetector('open_mouth', {
    threshold: o.rise,
    release: o.release,
    rearm: o.rearm,
    holdMs: o.holdMs,
    minFramesBeyond: p.turn.minFramesBeyond,
    measure: (fr) => (fr.face && facing(fr, b, o.maxYaw, o.maxPitch) ? fr.face.jaw - ref(fr.face.jaw) : null),
    holdThroughLoss: false,
    maxGapMs: Math.min(o.maxGapMs, p.timing.maxFrameGapMs),
  });
}

/**
 * Reading digits aloud: count jaw open/close cycles (rise over the resting level, then fall back
 * near it) while facing the camera; enough cycles within a short window pass. We cannot hear the
 * digits (no audio is processed), so this proves a moving mouth, not the right digits.
 */
function createMouthCyclesDetector(b: Baseline, p: LivenessParams): ActionDetector {
  const c = p.mouthCycles;
  const ref = jawReference(b);
  let phase: 'unknown' | 'low' | 'high' = 'unknown';
  let riseAt = 0;
  const cycles: { start: number; end: number }[] = [];
  let peak = 0;
  let done = false;
  let lastT = -Infinity;
  let best: { start: number; n: number } | null = null;

  const status = (): ActionStatus => ({
    done,
    progress: done ? 1 : Math.min(0.99, (best?.n ?? 0) / c.minCycles),
    peak,
    count: best?.n ?? 0,
    startedAtMs: best?.start ?? null,
  });

  function push(frame: FrameSignals): ActionStatus {
    if (done || frame.tMs <= lastT) return status();
    const t = frame.tMs;
    const gap = t - lastT;
    lastT = t;
    if (!frame.face || !facing(frame, b, c.maxYaw, c.maxPitch) || gap > Math.min(c.maxGapMs, p.timing.maxFrameGapMs)) {
      phase = 'unknown';
      return status();
    }
    const rel = frame.face.jaw - ref(frame.face.jaw);
    peak = Math.max(peak, rel);
    if (phase === 'unknown') {
      if (rel <= c.fall) phase = 'low';
    } else if (phase === 'low') {
      if (rel >= c.rise) {
        phase = 'high';
        riseAt = t;
      }
    } else if (rel <= c.fall) {
      phase = 'low';
      cycles.push({ start: riseAt, end: t });
      while (cycles.length && t - (cycles[0] as { start: number }).start > c.windowMs) cycles.shift();
      if (!best || cycles.length >= best.n) best = { start: (cycles[0] as { start: number }).start, n: cycles.length };
      if (cycles.length >= c.minCycles) done = true;
    }
    return status();
  }
  return { action: 'read_digits', push, status };
}

/**
 * Blink action: one blink after the prompt (issue 18 §1). The eye must first be seen open after
 * the prompt, so eyes already closed do not pass it. Older people blink once every 8 s or so; two
 * blinks within 4 s, or one 500 ms closure, were more than many could give. Everyone also blinks
 * unasked every few seconds, so this step proves a live eye, not obedience: the head action that
 * every sequence holds, and the spoof-risk score, do the rest (decision 066).
 */
function createBlinkActionDetector(b: Baseline, p: LivenessParams): ActionDetector {
  const eyes = createBlinkDetector(b, p.blink, p.frontal);
  let blink: BlinkEvent | null = null;
  let peak = 0;
  let lastT = -Infinity;

  const status = (): ActionStatus => ({
    done: blink !== null,
    progress: blink ? 1 : eyes.phase() === 'closed' ? 0.5 : 0,
    peak,
    count: blink ? 1 : 0,
    startedAtMs: blink?.closedAtMs ?? null,
  });

  function push(frame: FrameSignals): ActionStatus {
    if (blink || frame.tMs <= lastT) return status();
    lastT = frame.tMs;
    const ev = eyes.push(frame);
    const r = eyes.reading();
    if (r) peak = Math.max(peak, r.rise);
    if (ev) blink = ev;
    return status();
  }
  return { action: 'blink', push, status };
}

/**
 * Whether this person's eyes give a blink room to show (issue 18 §1): the open level leaves room
 * for the rise a blink needs above their own noise, and the baseline did not have to accept eyes
 * that looked closed. When not, the challenge swaps the blink step (shared/liveness.ts
 * blinkSubstitute) rather than wait for a blink it cannot see.
 */
export function blinkUsable(b: Baseline, p: LivenessParams = LIVENESS_PARAMS): boolean {
  if (b.eyesUncertain) return false;
  const room = p.blink.maxClosedBlink - b.blink;
  const noise = p.blink.noiseK * b.blinkNoise;
  const earUsable = b.ear >= p.blink.minUsableEar;
  const need = earUsable ? Math.max(p.blink.closeRise, noise) : Math.max(p.blink.soloRise, noise);
  return room >= need;
}

export function createActionDetector(action: ActionId, baseline: Baseline, params: LivenessParams = LIVENESS_PARAMS): ActionDetector {
  switch (action) {
    case 'turn_left':
    case 'turn_right':
      return createTurnDetector(action, baseline, params);
    case 'look_up':
      return createLookUpDetector(baseline, params);
    case 'open_mouth':
      return createOpenMouthDetector(baseline, params);
    case 'read_digits':
      return createMouthCyclesDetector(baseline, params);
    case 'blink':
      return createBlinkActionDetector(baseline, params);
  }
}

export interface FoundAction {
  action: ActionId;
  startedAtMs: number;
  doneAtMs: number;
  peak: number;
  count?: number;
}

/**
 * Every time a clip performs `action`: a fresh detector after each success, so each occurrence
 * must return to neutral first. For tests and benchmarks (the state machine runs one detector
 * per step instead).
 */
export function findActions(frames: readonly FrameSignals[], action: ActionId, baseline: Baseline, params: LivenessParams = LIVENESS_PARAMS): FoundAction[] {
  const out: FoundAction[] = [];
  let d = createActionDetector(action, baseline, params);
  for (const f of frames) {
    const s = d.push(f);
    if (s.done) {
      const found: FoundAction = { action, startedAtMs: s.startedAtMs ?? f.tMs, doneAtMs: f.tMs, peak: s.peak };
      if (s.count !== undefined) found.count = s.count;
      out.push(found);
      d = createActionDetector(action, baseline, params);
    }
  }
  return out;
}

/** Every individual blink (not the blink action) in a clip. */
export function findBlinks(frames: readonly FrameSignals[], baseline: Baseline, params: LivenessParams = LIVENESS_PARAMS): BlinkEvent[] {
  const eyes = createBlinkDetector(baseline, params.blink, params.frontal);
  const out: BlinkEvent[] = [];
  for (const f of frames) {
    const ev = eyes.push(f);
    if (ev) out.push(ev);
  }
  return out;
}
