// Capture-quality guidance as explicit states. Each frame gets an instantaneous assessment; a
// tracker adds persistence so the shown (and spoken) prompt changes calmly instead of flickering.
import type { QualityState } from '../../shared/liveness.ts';
import { LIVENESS_PARAMS } from './params.ts';
import type { FaceBox, FrameSignals } from './signals.ts';

export interface QualityAssessment {
  state: QualityState;
  /**
   * Blocking states make the frame unusable for the baseline (we cannot trust the person's
   * resting values from it). Advisory states (e.g. "a little closer" at face width 0.12-0.18)
   * are shown but nothing waits for them: turn_up_man_beard at width 0.17 must still pass.
   */
  blocking: boolean;
}

type QualityParams = typeof LIVENESS_PARAMS.quality;

/** Fraction of the box that lies outside the image (0 = fully inside). */
export function boxOutsideFraction(box: FaceBox): number {
  const area = box.w * box.h;
  if (area <= 0) return 0;
  const ix = Math.max(0, Math.min(1, box.x + box.w) - Math.max(0, box.x));
  const iy = Math.max(0, Math.min(1, box.y + box.h) - Math.max(0, box.y));
  return 1 - (ix * iy) / area;
}

export interface QualityContext {
  /** Face present in this fraction of the last ~1.5 s of frames (1 when unknown). */
  presence?: number;
  /** The face vanished while turned far (a profile the model cannot see): nothing to tell. */
  turnedAway?: boolean;
  /** Head angular speed in °/s over the last ~300 ms; checked only when `wantStill`. */
  headSpeed?: number;
  wantStill?: boolean;
}

/**
 * Order = priority: the first problem found is the one the person hears about, the one that
 * most likely explains the others (no face before lighting, distance before centring).
 */
export function assessFrameQuality(frame: FrameSignals, ctx: QualityContext = {}, p: QualityParams = LIVENESS_PARAMS.quality): QualityAssessment {
  const presence = ctx.presence ?? 1;
  const f = frame.face;
  if (frame.faceCount > 1) return { state: 'multiple_faces', blocking: true };
  if (!f || frame.faceCount === 0) {
    // The person is doing a turn: the frame is unusable but there is nothing to correct.
    if (ctx.turnedAway) return { state: 'ok', blocking: true };
    // Detection that keeps dropping in and out while the head is frontal usually means a hand,
    // mask or scarf over part of the face (the mesh is fitted to whatever is visible).
    return { state: presence >= 0.25 && presence <= 0.7 ? 'face_covered' : 'no_face', blocking: true };
  }
  if (presence < 0.7 && Math.abs(f.yaw) < p.profileYaw) return { state: 'face_covered', blocking: true };
  if (f.box.w > p.close) return { state: 'too_close', blocking: true };
  if (f.box.w < p.farBlocking) return { state: 'too_far', blocking: true };
  if (boxOutsideFraction(f.box) > p.cutFraction || f.box.cx < p.centreMin || f.box.cx > p.centreMax || f.box.cy < p.centreMin || f.box.cy > p.centreMax) {
    return { state: 'off_centre', blocking: true };
  }
  if (f.luma !== null || frame.frameLuma !== null) {
    const face = f.luma;
    const all = frame.frameLuma;
    if ((face !== null && face < p.darkFace) || (all !== null && all < p.darkFrame)) {
      // Very dark faces give unreliable landmarks; a dim but readable face is only advice.
      return { state: 'too_dark', blocking: face !== null ? face < p.darkFace * 0.6 : true };
    }
    if (face !== null && all !== null && all >= p.backlitFrame && face < all * p.backlitRatio) return { state: 'too_bright', blocking: false };
    if (face !== null && face > p.brightFace) return { state: 'too_bright', blocking: false };
  }
  if (ctx.wantStill && (ctx.headSpeed ?? 0) > p.stillDegPerSec) return { state: 'hold_still', blocking: false };
  if (f.box.w < p.farAdvice) return { state: 'too_far', blocking: false };
  return { state: 'ok', blocking: false };
}

export interface QualityUpdate {
  /** The state to show and speak (persisted, calm). */
  shown: QualityState;
  /** This frame's own assessment. */
  instant: QualityAssessment;
  /** True on the frame where `shown` changed. */
  changed: boolean;
}

export interface QualityTracker {
  update(frame: FrameSignals, opts?: { wantStill?: boolean }): QualityUpdate;
  shown(): QualityState;
  reset(): void;
}

/**
 * Hysteresis: a new state must hold for enterMs (ok for exitMs) before it is shown, and a shown
 * state stays at least minShowMs, so one odd frame never flashes a prompt and speech can finish.
 */
export function createQualityTracker(p: QualityParams = LIVENESS_PARAMS.quality): QualityTracker {
  let shown: QualityState = 'ok';
  let shownSince = -Infinity;
  let candidate: QualityState = 'ok';
  let candidateSince = -Infinity;
  let history: { t: number; face: boolean; excused: boolean; yaw: number; pitch: number }[] = [];
  let lastSeenYaw = 0;
  let lastSeenT = -Infinity;
  let lastT = -Infinity;

  function update(frame: FrameSignals, opts: { wantStill?: boolean } = {}): QualityUpdate {
    const t = frame.tMs;
    if (t <= lastT) return { shown, instant: assessFrameQuality(frame, {}, p), changed: false };
    lastT = t;
    const f = frame.face;
    // A face that vanished while turned away is a profile the model cannot see, not a covered
    // face: those gaps do not count against presence (turn_up_man_beard loses 2 s per turn).
    if (f) {
      lastSeenYaw = f.yaw;
      lastSeenT = t;
    }
    history.push({ t, face: !!f, excused: !f && Math.abs(lastSeenYaw) >= p.profileYaw, yaw: f?.yaw ?? 0, pitch: f?.pitch ?? 0 });
    history = history.filter((h) => t - h.t <= 1500);
    const counted = history.filter((h) => !h.excused);
    const presence = counted.length >= 6 && t - (history[0]?.t ?? t) >= 1000 ? counted.filter((h) => h.face).length / counted.length : 1;
    // Path length over the last 300 ms, not displacement: fidgeting back and forth is movement
    // too, and duplicated frames (zero change) do not fake stillness.
    let headSpeed = 0;
    const recent = history.filter((h) => h.face && t - h.t <= 300);
    if (f && recent.length >= 3) {
      let path = 0;
      for (let i = 1; i < recent.length; i++) {
        const a = recent[i - 1] as (typeof recent)[number];
        const b = recent[i] as (typeof recent)[number];
        path += Math.abs(b.yaw - a.yaw) + Math.abs(b.pitch - a.pitch);
      }
      const span = t - (recent[0] as (typeof recent)[number]).t;
      if (span >= 150) headSpeed = path / (span / 1000);
    }
    const turnedAway = !f && Math.abs(lastSeenYaw) >= p.profileYaw && t - lastSeenT <= p.profileMs;
    const instant = assessFrameQuality(frame, { presence, turnedAway, headSpeed, wantStill: opts.wantStill ?? false }, p);
    if (instant.state !== candidate) {
      candidate = instant.state;
      candidateSince = t;
    }
    let changed = false;
    const needed = candidate === 'ok' ? p.exitMs : p.enterMs;
    if (candidate !== shown && t - candidateSince >= needed && t - shownSince >= p.minShowMs) {
      shown = candidate;
      shownSince = t;
      changed = true;
    }
    return { shown, instant, changed };
  }

  return {
    update,
    shown: () => shown,
    reset: () => {
      shown = 'ok';
      shownSince = -Infinity;
      candidate = 'ok';
      candidateSince = -Infinity;
      history = [];
      lastT = -Infinity;
    },
  };
}
