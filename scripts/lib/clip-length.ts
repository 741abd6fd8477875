// How long one pass of a fake-camera file lasts, so the CLI can say when Chromium looped it
// (issue 18 §6). Chromium plays an .mjpeg at a fixed 30 frames a second (kMJpegFrameRate) and a
// .y4m at the rate in its header; both loop forever.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

/** Chromium's fixed MJPEG fake-camera rate. */
export const MJPEG_FPS = 30;

export interface ClipLength {
  frames: number;
  fps: number;
  ms: number;
}

/** JPEG frames: each starts with FF D8 FF (SOI and the first marker). Entropy-coded data never holds FF D8. */
function countJpegs(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i + 2 < bytes.length; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0xd8 && bytes[i + 2] === 0xff) n++;
  return n;
}

/** Y4M: "YUV4MPEG2 ... F<num>:<den> ..." then "FRAME...\n<data>" per frame; counted by FRAME headers at frame strides. */
function y4mLength(bytes: Uint8Array): ClipLength {
  const headerEnd = bytes.indexOf(0x0a);
  const header = Buffer.from(bytes.subarray(0, headerEnd)).toString('latin1');
  if (!header.startsWith('YUV4MPEG2')) throw new Error('not a Y4M file (no YUV4MPEG2 header)');
  const rate = /\sF(\d+):(\d+)/.exec(header);
  const fps = rate ? Number(rate[1]) / Number(rate[2]) : 25;
  let frames = 0;
  let at = headerEnd + 1;
  // Every frame has the same size, so the first one's stride finds the rest without a scan.
  const first = bytes.indexOf(0x0a, at);
  const next = Buffer.from(bytes).indexOf('FRAME', first + 1, 'latin1');
  const stride = next > 0 ? next - at : bytes.length - at;
  while (at < bytes.length && Buffer.from(bytes.subarray(at, at + 5)).toString('latin1') === 'FRAME') {
    frames++;
    at += stride;
  }
  return { frames, fps, ms: Math.round((frames * 1000) / fps) };
}

export function clipLength(path: string): ClipLength {
  const bytes = readFileSync(path);
  if (extname(path).toLowerCase() === '.y4m') return y4mLength(bytes);
  const frames = countJpegs(bytes);
  return { frames, fps: MJPEG_FPS, ms: Math.round((frames * 1000) / MJPEG_FPS) };
}

/** Whole passes the camera had completed by `cameraMs` (0 = the clip never looped). */
export const loopsBy = (cameraMs: number, clipMs: number): number => (clipMs > 0 ? Math.max(0, Math.floor(cameraMs / clipMs)) : 0);
