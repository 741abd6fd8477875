// The spoof-risk meter of one check: fed every analysed frame in the liveness Worker (full-
// resolution pixels, the model's landmarks, the frame's signals), it keeps a few numbers per frame
// and at the verdict gives the SpoofRisk the result carries (shared/spoof-risk.ts scores it).
import { spoofScore, type SpoofRisk } from '../../../shared/spoof-risk.ts';
import { activeArea, bezelStrength, faceTexture, type ActiveArea, type RgbaImage } from '../../../shared/spoof-signs.ts';
import type { FrameSignals, RawLandmark } from '../signals.ts';
import { planarityRatio, type Point } from './planarity.ts';

/** Every 4th landmark: enough points for the fit, a quarter of the work. */
const LANDMARK_STEP = 4;
/** A frontal reference pose for the planarity: within these of straight ahead. */
const FRONTAL = { yaw: 10, pitch: 15 };
/** The face box height changing by more than this (log ratio) between frames ≤ 200 ms apart. */
const SIZE_JUMP = 0.3;
const SIZE_JUMP_GAP_MS = 200;
/** The black-bar search runs again after this many frames (a camera does not change its padding often). */
const AREA_EVERY = 30;

export interface SpoofFrame {
  signals: FrameSignals;
  /** The first face's landmarks (normalised), in the same image as `pixels`. */
  landmarks: readonly RawLandmark[] | null;
  /** The full-resolution frame; null on frames where it was not read (the GPU path reads every few). */
  pixels: RgbaImage | null;
}

export interface SpoofMeter {
  frame(f: SpoofFrame): void;
  result(): SpoofRisk;
}

const median = (xs: number[]): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number | null, places = 4) => (x === null ? null : Math.round(x * 10 ** places) / 10 ** places);

export function createSpoofMeter(): SpoofMeter {
  let frames = 0;
  const texture: number[] = [];
  const bezel: number[] = [];
  const planarity: number[] = [];
  let sizeJumps = 0;
  let area: ActiveArea | null = null;
  let areaAge = 0;
  let prev: { tMs: number; h: number } | null = null;
  let ref: { points: Point[]; yaw: number; pitch: number; widthPx: number; off: number } | null = null;

  const points = (lm: readonly RawLandmark[], w: number, h: number): Point[] => {
    const out: Point[] = [];
    for (let i = 0; i < lm.length && i < 468; i += LANDMARK_STEP) out.push({ x: lm[i]!.x * w, y: lm[i]!.y * h });
    return out;
  };

  return {
    frame({ signals, landmarks, pixels }) {
      const face = signals.face;
      if (signals.faceCount !== 1 || !face) {
        prev = null;
        return;
      }
      frames++;
      const h = face.box.h;
      if (prev && signals.tMs - prev.tMs <= SIZE_JUMP_GAP_MS && h > 0 && prev.h > 0 && Math.abs(Math.log(h / prev.h)) > SIZE_JUMP) sizeJumps++;
      prev = { tMs: signals.tMs, h };

      if (pixels) {
        if (!area || ++areaAge >= AREA_EVERY) {
          area = activeArea(pixels);
          areaAge = 0;
        }
        const t = faceTexture(pixels, face.box);
        if (t !== null) texture.push(t);
        bezel.push(bezelStrength(pixels, face.box, area));
      }

      if (landmarks && pixels) {
        const w = pixels.width;
        const hh = pixels.height;
        const off = Math.abs(face.yaw) + Math.abs(face.pitch);
        // The most frontal frame seen while the head is near straight is the reference.
        if (Math.abs(face.yaw) <= FRONTAL.yaw && Math.abs(face.pitch) <= FRONTAL.pitch && (!ref || off < ref.off)) {
          ref = { points: points(landmarks, w, hh), yaw: face.yaw, pitch: face.pitch, widthPx: face.box.w * w, off };
        } else if (ref) {
          const angle = Math.max(Math.abs(face.yaw - ref.yaw), Math.abs(face.pitch - ref.pitch));
          const r = planarityRatio(ref.points, points(landmarks, w, hh), ref.widthPx, angle);
          if (r !== null) planarity.push(r);
        }
      }
    },
    result() {
      return spoofScore({
        frames,
        texture: round(median(texture)),
        bezel: round(median(bezel), 2),
        // A turn held for a few frames, not one noisy frame.
        planarity: planarity.length >= 3 ? round(median(planarity)) : null,
        sizeJumps,
      });
    },
  };
}
