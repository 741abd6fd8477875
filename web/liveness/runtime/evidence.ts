// Key-frame evidence: which part of the camera frame to keep (a square face crop) and how to
// encode it as a JPEG that fits the upload limit. Pure: the canvas work is injected, so the rules
// are unit-tested in Node and the Worker supplies OffscreenCanvas.convertToBlob.
import type { FaceBox } from '../signals.ts';

/** The upload limit for one key frame (shared/sync.ts SYNC_LIMITS.maxFrameBytes is the same). */
export const MAX_KEYFRAME_BYTES = 20 * 1024;
export const KEYFRAME_SIZE = 256;
/** Tried in order until the file fits; then smaller sides. */
export const JPEG_QUALITIES = [0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.25] as const;
export const FALLBACK_SIDES = [224, 192, 160] as const;

export interface CropRect {
  sx: number;
  sy: number;
  sw: number;
  sh: number;
}

/**
 * A square around the face in source pixels: the landmark box (forehead to chin, cheek to cheek)
 * grown by `margin` so the crop shows the whole head and a little background (a reviewer should
 * see a phone bezel or a mask edge), moved up slightly for the hair, then shifted (and if needed
 * shrunk) to stay inside the image. Never stretched: the caller scales the square to a square.
 */
export function faceCropRect(box: FaceBox, imgW: number, imgH: number, margin = 1.6): CropRect {
  const bw = box.w * imgW;
  const bh = box.h * imgH;
  let side = Math.max(bw, bh) * margin;
  side = Math.max(16, Math.min(side, imgW, imgH));
  const cx = box.cx * imgW;
  const cy = box.cy * imgH - side * 0.05;
  const sx = Math.min(Math.max(0, cx - side / 2), imgW - side);
  const sy = Math.min(Math.max(0, cy - side / 2), imgH - side);
  return { sx: Math.round(sx), sy: Math.round(sy), sw: Math.round(side), sh: Math.round(side) };
}

export interface Encoded {
  blob: Blob;
  quality: number;
  side: number;
  /** False if even the smallest setting was over the limit (then the smallest is returned). */
  fits: boolean;
}

/**
 * Encodes at decreasing quality, then at smaller sides, until the JPEG is ≤ maxBytes.
 * `encode(side, quality)` renders the crop at side×side and returns the JPEG.
 */
export async function encodeWithinLimit(
  encode: (side: number, quality: number) => Promise<Blob>,
  side = KEYFRAME_SIZE,
  maxBytes = MAX_KEYFRAME_BYTES,
): Promise<Encoded> {
  let last: Encoded | null = null;
  for (const s of [side, ...FALLBACK_SIDES.filter((x) => x < side)]) {
    for (const q of JPEG_QUALITIES) {
      const blob = await encode(s, q);
      last = { blob, quality: q, side: s, fits: blob.size <= maxBytes };
      if (last.fits) return last;
    }
  }
  if (!last) throw new Error('nothing encoded');
  return last;
}
