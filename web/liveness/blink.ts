// Blink detection relative to the person's own open-eye level. Absolute thresholds fail on old
// and bespectacled eyes: hooded eyes reach only ~0.4 blink score when closed, and looking down
// through glasses reads 0.5-0.8 with the eyes open (turn_up_man_beard). So a blink needs BOTH the
// blendshape to rise over the open level and the eye aspect ratio to fall well below it.
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

  const read = (blink: number, ear: number): EyeReading => ({
    rise: blink - refBlink,
    earRatio: refEar >= params.minUsableEar ? ear / refEar : Number.NaN,
  });
  const isClosed = (r: EyeReading) =>
    Number.isNaN(r.earRatio) ? r.rise >= params.soloRise : r.rise >= params.closeRise && r.earRatio <= params.closeEarRatio;
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
    if (!f || !facing) {
      // Lost or turned: whatever the eye did meanwhile is unknown.
      phase = 'unknown';
      lastReading = null;
      return null;
    }
    const r = read(f.blink, f.ear);
    lastReading = r;
    if (phase === 'unknown') {
      if (isOpen(r) && !isClosed(r)) phase = 'open';
    } else if (phase === 'open') {
      if (isClosed(r)) {
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
      // Reopened: near the open level, or no longer closed and released by half from the peak
      // (blink_gaze_woman half-opens at 4.4 s between a blink and a long closure).
      if (!isClosed(r) && (isOpen(r) || r.rise <= peakRise / 2)) {
        if (fullStart !== null) fullMs += t - fullStart;
        fullStart = null;
        phase = 'open';
        if (t - closedAt > params.maxClosedMs) return null;
        return { closedAtMs: closedAt, openedAtMs: t, fullClosedMs: fullMs, peakRise };
      }
    }
    return null;
  }

  return { push, phase: () => phase, reading: () => lastReading, reference: () => ({ blink: refBlink, ear: refEar }) };
}
