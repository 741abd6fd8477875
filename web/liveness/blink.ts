// Blink detection relative to the person's own open-eye level and own noise (both from the
// baseline). Absolute thresholds fail on old and bespectacled eyes: hooded eyes reach only ~0.4
// blink score when closed, and looking down through glasses reads 0.5-0.8 with the eyes open
// (turn_up_man_beard). Older eyes also close less: a 72-year-old's blink rises 0.26 with the eye
// aspect ratio down only to 0.60 of open (issue 18). So the blendshape rise decides, the EAR
// supports it (a modest fall is enough), and a closure must be fast: a squint or a slow look down
// creeps up over seconds, a blink closes within a frame or two.
import type { Baseline } from './baseline.ts';
import { LIVENESS_PARAMS } from './params.ts';
import type { FrameSignals } from './signals.ts';

export interface BlinkEvent {
  /** First frame seen closed and first frame seen open again. */
  closedAtMs: number;
  openedAtMs: number;
  /** Time the eye was fully closed (fullRise/fullEarRatio), for "slow blink". */
  fullClosedMs: number;
  /** Largest blendshape rise over the open level during the closure. */
  peakRise: number;
}

export interface EyeReading {
  /** Blendshape rise over the open level. */
  rise: number;
  /** EAR / open-level EAR (1 = as open as at rest); NaN when the EAR is unusable. */
  earRatio: number;
}

type Phase = 'unknown' | 'open' | 'closed';

export interface BlinkDetector {
  /** Returns a BlinkEvent when a closed→open transition completes on this frame. */
  push(frame: FrameSignals): BlinkEvent | null;
  phase(): Phase;
  reading(): EyeReading | null;
  /** Current open-eye reference (it adapts, see below). */
  reference(): { blink: number; ear: number };
}

/**
 * open→closed→open, only while the head faces the camera (|yaw|,|pitch| within `frontal` of the
 * baseline): turned heads skew both the EAR (foreshortening) and the blendshapes. It starts in
 * 'unknown' and needs a clearly open frame first, so eyes already closed when a step starts do
 * not count until they have opened.
 */
export function createBlinkDetector(baseline: Baseline, params = LIVENESS_PARAMS.blink, frontal = LIVENESS_PARAMS.frontal): BlinkDetector {
  let refBlink = baseline.blink;
  let refEar = baseline.ear;
  let phase: Phase = 'unknown';
  let closedAt = 0;
  let fullStart: number | null = null;
  let fullMs = 0;
  let peakRise = 0;
  let lastT = -Infinity;
  let lastReading: EyeReading | null = null;
  let widerSince: number | null = null;

  const needRise = Math.max(params.closeRise, params.noiseK * baseline.blinkNoise);
  const needSolo = Math.max(params.soloRise, needRise);
  /**
   * Readings of the last closeWithinMs since the eye last (re)opened. A closure is measured from
   * the most open of them as well as from the open level: a blink closes within a frame or two,
   * a squint or a half-open eye after a blink (blink_gaze_woman 3.9 s) creeps.
   */
  let recent: { t: number; rise: number; earRatio: number }[] = [];
  /** Where the eye was when it closed, to tell when it has reopened from there. */
  let closeBase = { rise: 0, earRatio: 1 };

  const read = (blink: number, ear: number): EyeReading => ({
    rise: blink - refBlink,
    earRatio: refEar >= params.minUsableEar ? ear / refEar : Number.NaN,
  });
  const closedReading = (r: EyeReading) =>
    Number.isNaN(r.earRatio) ? r.rise >= needSolo : r.rise >= needSolo || (r.rise >= needRise && r.earRatio <= params.supportEarRatio);
  /** r measured from `base` instead of the open level. */
  const from = (r: EyeReading, base: { rise: number; earRatio: number }): EyeReading => ({
    rise: r.rise - Math.max(0, base.rise),
    earRatio: Number.isNaN(r.earRatio) ? r.earRatio : r.earRatio / Math.min(1, Math.max(base.earRatio, 1e-3)),
  });
  const isClosed = (r: EyeReading) => closedReading(r);
  const isOpen = (r: EyeReading) => r.rise <= params.openRise || (!Number.isNaN(r.earRatio) && r.earRatio >= params.openEarRatio);
  const isFull = (r: EyeReading) => r.rise >= params.fullRise && (Number.isNaN(r.earRatio) || r.earRatio <= params.fullEarRatio);

  function adapt(t: number, dt: number, blink: number, ear: number, r: EyeReading) {
    // Clearly wider than the reference for a moment (the baseline caught narrowed or closed
    // eyes): adopt the wider level at once.
    if (blink < refBlink - 0.1 && ear > refEar * 1.25) {
      widerSince ??= t;
      if (t - widerSince >= 300) {
        refBlink = blink;
        refEar = ear;
        widerSince = null;
      }
      return;
    }
    widerSince = null;
    // Slow drift only on frames that are clearly open, so a closing eye never drags the level.
    if (r.rise <= 0.1 && (Number.isNaN(r.earRatio) || r.earRatio >= 0.75)) {
      const k = 1 - Math.exp(-Math.min(dt, 200) / params.refTauMs);
      refBlink += (blink - refBlink) * k;
      refEar += (ear - refEar) * k;
    }
  }

  function push(frame: FrameSignals): BlinkEvent | null {
    const t = frame.tMs;
    if (t <= lastT) return null;
    const dt = t - lastT;
    lastT = t;
    const f = frame.face;
    const facing = f && Math.abs(f.yaw - baseline.yaw) <= frontal.maxYaw && Math.abs(f.pitch - baseline.pitch) <= frontal.maxPitch;
    if (!f || !facing || dt > params.maxGapMs) {
      // Lost, turned, or a stall: whatever the eye did meanwhile is unknown.
      phase = 'unknown';
      lastReading = null;
      recent = [];
      return null;
    }
    const r = read(f.blink, f.ear);
    lastReading = r;
    while (recent.length && t - (recent[0] as { t: number }).t > params.closeWithinMs) recent.shift();
    // The most open recent moment (none after a stall of closeWithinMs: then nothing can close).
    const base = recent.length
      ? { rise: Math.min(...recent.map((x) => x.rise)), earRatio: Math.max(...recent.map((x) => (Number.isNaN(x.earRatio) ? 1 : x.earRatio))) }
      : null;
    recent.push({ t, rise: r.rise, earRatio: r.earRatio });
    if (phase === 'unknown') {
      if (isOpen(r) && !isClosed(r)) phase = 'open';
    } else if (phase === 'open') {
      if (base && isClosed(r) && isClosed(from(r, base))) {
        closeBase = base;
        phase = 'closed';
        closedAt = t;
        fullMs = 0;
        fullStart = isFull(r) ? t : null;
        peakRise = r.rise;
      } else {
        adapt(t, dt, f.blink, f.ear, r);
      }
    } else {
      peakRise = Math.max(peakRise, r.rise);
      if (isFull(r)) fullStart ??= t;
      else if (fullStart !== null) {
        fullMs += t - fullStart;
        fullStart = null;
      }
      // Reopened: near the open level, or no longer closed (from the open level or from where it
      // closed) and released by half from the peak (blink_gaze_woman half-opens at 4.4 s between
      // a blink and a long closure; she only flutters at 5.2 s inside that closure).
      if ((!isClosed(r) || !isClosed(from(r, closeBase))) && (isOpen(r) || r.rise <= peakRise / 2)) {
        if (fullStart !== null) fullMs += t - fullStart;
        fullStart = null;
        phase = 'open';
        recent = [{ t, rise: r.rise, earRatio: r.earRatio }];
        if (t - closedAt > params.maxClosedMs) return null;
        return { closedAtMs: closedAt, openedAtMs: t, fullClosedMs: fullMs, peakRise };
      }
    }
    return null;
  }

  return { push, phase: () => phase, reading: () => lastReading, reference: () => ({ blink: refBlink, ear: refEar }) };
}
