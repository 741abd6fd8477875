// Test support: hand-made FrameSignals for cases the recorded clips do not contain (lighting,
// several faces, a face swap, an action performed before its prompt).
import type { FaceSignals, FrameSignals } from './signals.ts';

export const FRONTAL: FaceSignals = {
  yaw: 0,
  pitch: 0,
  roll: 0,
  blink: 0.1,
  ear: 0.3,
  jaw: 0.02,
  box: { x: 0.35, y: 0.3, w: 0.3, h: 0.4, cx: 0.5, cy: 0.5 },
  luma: null,
};

export function frame(tMs: number, face: Partial<FaceSignals> | null = {}, extra: Partial<Omit<FrameSignals, 'tMs' | 'face'>> = {}): FrameSignals {
  return {
    tMs,
    faceCount: face ? 1 : 0,
    face: face ? { ...FRONTAL, ...face, box: { ...FRONTAL.box, ...face.box } } : null,
    frameLuma: null,
    inferMs: 20,
    sharpness: null,
    ...extra,
  };
}

/** Frames every `stepMs` from `fromMs` (inclusive) to `toMs` (exclusive), face given per time. */
export function frames(fromMs: number, toMs: number, face: (t: number) => Partial<FaceSignals> | null, stepMs = 33): FrameSignals[] {
  const out: FrameSignals[] = [];
  for (let t = fromMs; t < toMs; t += stepMs) out.push(frame(t, face(t)));
  return out;
}
