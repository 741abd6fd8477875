// Test support (issue 18): older faces synthesised from the fixtures' traces, since no fixture
// clip shows a person of 70+. What the issue measured on such people: blinks that rise only 0.26
// over the open level with the eye aspect ratio down only to 0.60 of open, one blink every 8 s,
// and a head that rests 15° off the camera's axis until asked to face it.
import type { Baseline } from './baseline.ts';
import type { BlinkEvent } from './blink.ts';
import type { FrameSignals } from './signals.ts';

export interface OlderEyes {
  /** Share of each blink's depth kept (0.4: the fixtures' blinks become a 72-year-old's). */
  depth: number;
  /** At most one blink this often; the others are flattened to the open level. */
  blinkEveryMs: number;
}

/**
 * The same frames with shallower, rarer blinks. `blinks` are the clip's own (findBlinks on the
 * unmodified frames); each kept blink is scaled toward the open level, each dropped one (with a
 * margin either side) replaced by the open level.
 */
export function olderEyes(frames: readonly FrameSignals[], open: Pick<Baseline, 'blink' | 'ear'>, blinks: readonly BlinkEvent[], o: OlderEyes): FrameSignals[] {
  const dropped: [number, number][] = [];
  let lastKept = -Infinity;
  for (const b of blinks) {
    if (b.closedAtMs - lastKept >= o.blinkEveryMs) lastKept = b.closedAtMs;
    else dropped.push([b.closedAtMs - 150, b.openedAtMs + 200]);
  }
  return frames.map((f) => {
    if (!f.face) return f;
    const flat = dropped.some(([a, b]) => f.tMs >= a && f.tMs <= b);
    const blink = flat ? open.blink : open.blink + Math.max(0, f.face.blink - open.blink) * o.depth;
    const ear = flat ? open.ear : open.ear - Math.max(0, open.ear - f.face.ear) * o.depth;
    return { ...f, face: { ...f.face, blink: Math.min(blink, f.face.blink), ear: Math.max(ear, f.face.ear) } };
  });
}

/** The frame with the head turned `yawDeg` further (positive: toward the person's own left). */
export const turnedBy = (f: FrameSignals, yawDeg: number): FrameSignals => (f.face ? { ...f, face: { ...f.face, yaw: f.face.yaw + yawDeg } } : f);
