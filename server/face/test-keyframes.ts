// Test helper: phone-like key frames cut from the fixture clips in ../shared (never copied into the
// repo). A clip's .mjpeg is the Chromium fake-camera file: concatenated JPEGs at 30 fps, each real
// frame doubled (fixtures/README.md). The crop follows the phone (decision 024): a square around the
// face box grown 1.6× and moved up 5%, kept inside the frame, scaled to 256 px, JPEG ≤ 20 KB.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { decodeFull } from './decode.ts';
import { loadFaceModel, type FaceModel } from './face-model.ts';
import { cropRgb, resizeRgb, type RgbImage } from './pixels.ts';

export const MJPEG_FPS = 30;
export const KEYFRAME_SIZE = 256;
export const KEYFRAME_MAX_BYTES = 20_000;

/** The shared fixtures folder, as scripts/harness/shared-data.ts finds it (from the repo root). */
export const sharedDir = (): string => process.env.STILLHERE_SHARED_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared');
export const clipPath = (clipName: string): string => join(sharedDir(), 'fixtures', 'video', clipName.endsWith('.mjpeg') ? clipName : `${clipName}.mjpeg`);

const framesCache = new Map<string, Uint8Array[]>();

/** The JPEG frames of an .mjpeg file, split at each start-of-image marker (FF D8 FF). Cached per path. */
export function framesOfMjpeg(path: string): Uint8Array[] {
  const hit = framesCache.get(path);
  if (hit) return hit;
  const buf = readFileSync(path);
  const starts: number[] = [];
  // SOI cannot occur inside entropy-coded data (an FF there is always followed by 00 or a restart
  // marker), so each FF D8 FF begins a frame.
  for (let i = buf.indexOf(SOI); i >= 0; i = buf.indexOf(SOI, i + 3)) starts.push(i);
  const frames = starts.map((s, k) => new Uint8Array(buf.buffer, buf.byteOffset + s, (starts[k + 1] ?? buf.length) - s));
  framesCache.set(path, frames);
  return frames;
}
const SOI = Buffer.from([0xff, 0xd8, 0xff]);

/** The frame shown at `second` (clamped to the clip). */
export function frameAt(clipName: string, second: number): Uint8Array {
  const frames = framesOfMjpeg(clipPath(clipName));
  if (frames.length === 0) throw new Error(`${clipName}: no JPEG frames`);
  return frames[Math.min(frames.length - 1, Math.max(0, Math.round(second * MJPEG_FPS)))]!;
}

/**
 * A phone-like key frame of the clip at `second`: 256×256 JPEG (q 0.75, lowered until ≤ 20 KB) of
 * the largest face. Finds the face with the model's photo detector (SSD) in this thread.
 */
export async function keyframeFromClip(clipName: string, second: number, model?: FaceModel): Promise<Uint8Array<ArrayBuffer>> {
  const frame = decodeFull(frameAt(clipName, second));
  const m = model ?? (await loadFaceModel());
  // SSD first (the accurate box); a dim webcam frame SSD misses, the tiny detector often finds.
  let reading = await m.describePixels(frame, 'photo');
  if (!reading.box) reading = await m.describePixels(frame, 'keyframe');
  if (!reading.box) throw new Error(`${clipName} at ${second} s: no face in the frame`);
  return encodeKeyframe(phoneCrop(frame, reading.box));
}

/** The phone's crop (decision 024) of a face box given relative to the frame. */
export function phoneCrop(frame: RgbImage, box: { x: number; y: number; w: number; h: number }, size = KEYFRAME_SIZE): RgbImage {
  const bw = box.w * frame.width;
  const bh = box.h * frame.height;
  const side = Math.round(Math.min(Math.max(bw, bh) * 1.6, frame.width, frame.height));
  const cx = (box.x + box.w / 2) * frame.width;
  const cy = (box.y + box.h / 2) * frame.height - 0.05 * side;
  const x = Math.round(Math.min(Math.max(0, cx - side / 2), frame.width - side));
  const y = Math.round(Math.min(Math.max(0, cy - side / 2), frame.height - side));
  return resizeRgb(cropRgb(frame, x, y, side, side), size, size);
}

/** JPEG at quality 75, lowered in steps until it fits the phone's 20 KB limit. */
export function encodeKeyframe(img: RgbImage): Uint8Array<ArrayBuffer> {
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0, n = img.width * img.height; i < n; i++) {
    rgba[i * 4] = img.data[i * 3]!;
    rgba[i * 4 + 1] = img.data[i * 3 + 1]!;
    rgba[i * 4 + 2] = img.data[i * 3 + 2]!;
    rgba[i * 4 + 3] = 255;
  }
  let out = new Uint8Array(0);
  for (let q = 75; q >= 25; q -= 10) {
    out = new Uint8Array(jpeg.encode({ width: img.width, height: img.height, data: rgba }, q).data);
    if (out.length <= KEYFRAME_MAX_BYTES) break;
  }
  return out;
}

/**
 * `host` with `guest` scaled to `size` px pasted into its top-right corner: a bystander's face in a
 * key frame, which issue 15 holds for the office (a second face is somebody who could have done the actions).
 */
export function withSecondFace(host: RgbImage, guest: RgbImage, size: number): RgbImage {
  const out = { width: host.width, height: host.height, data: Uint8Array.from(host.data) };
  const small = resizeRgb(guest, size, size);
  const x0 = host.width - size;
  for (let y = 0; y < size; y++) out.data.set(small.data.subarray(y * size * 3, (y + 1) * size * 3), (y * host.width + x0) * 3);
  return out;
}
