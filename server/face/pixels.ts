// Plain RGB images in JS memory, and the two resizes the face engine needs. Kept free of tfjs so the
// decoder and the key-frame cutter work (and are tested) without loading the model.

/** 8-bit RGB, row-major, 3 bytes per pixel, no padding. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Copies the w×h rectangle at (x, y); the rectangle must lie inside the image. */
export function cropRgb(img: RgbImage, x: number, y: number, w: number, h: number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let row = 0; row < h; row++) {
    const from = ((y + row) * img.width + x) * 3;
    data.set(img.data.subarray(from, from + w * 3), row * w * 3);
  }
  return { width: w, height: h, data };
}

/**
 * Resizes to outW×outH. Shrinking averages every source pixel under the destination pixel (area
 * resampling, separable), so a 4000-px photo does not alias into noise the detector dislikes;
 * growing is bilinear.
 */
export function resizeRgb(img: RgbImage, outW: number, outH: number): RgbImage {
  if (outW === img.width && outH === img.height) return img;
  const horizontal = resizeAxis(img.data, img.width, img.height, outW, true);
  const data = resizeAxis(horizontal, outW, img.height, outH, false);
  return { width: outW, height: outH, data };
}

/** Scales down (never up) so the long side is at most `maxSide`. */
export function fitWithin(img: RgbImage, maxSide: number): RgbImage {
  const long = Math.max(img.width, img.height);
  if (long <= maxSide) return img;
  const scale = maxSide / long;
  return resizeRgb(img, Math.max(1, Math.round(img.width * scale)), Math.max(1, Math.round(img.height * scale)));
}

// One pass along x (alongX) or y. `n` is the source length along the axis, `m` the destination's.
function resizeAxis(src: Uint8Array, w: number, h: number, m: number, alongX: boolean): Uint8Array {
  const n = alongX ? w : h;
  const other = alongX ? h : w;
  const out = new Uint8Array((alongX ? m * h : w * m) * 3);
  if (n === m) {
    out.set(src);
    return out;
  }
  // Index of channel c of pixel (i along the axis, j across it).
  const srcAt = alongX ? (i: number, j: number) => (j * w + i) * 3 : (i: number, j: number) => (i * w + j) * 3;
  const dstAt = alongX ? (i: number, j: number) => (j * m + i) * 3 : (i: number, j: number) => (i * w + j) * 3;
  const taps = m < n ? areaTaps(n, m) : bilinearTaps(n, m);
  const acc = [0, 0, 0];
  for (let j = 0; j < other; j++) {
    for (let i = 0; i < m; i++) {
      const { start, weights } = taps[i]!;
      acc[0] = acc[1] = acc[2] = 0;
      for (let k = 0; k < weights.length; k++) {
        const p = srcAt(start + k, j);
        const wt = weights[k]!;
        acc[0] += src[p]! * wt;
        acc[1] += src[p + 1]! * wt;
        acc[2] += src[p + 2]! * wt;
      }
      const q = dstAt(i, j);
      out[q] = acc[0] + 0.5;
      out[q + 1] = acc[1] + 0.5;
      out[q + 2] = acc[2] + 0.5;
    }
  }
  return out;
}

type Taps = { start: number; weights: number[] }[];

// Destination pixel i covers source [i·s, (i+1)·s); each source pixel weighs by its overlap.
function areaTaps(n: number, m: number): Taps {
  const s = n / m;
  const taps: Taps = [];
  for (let i = 0; i < m; i++) {
    const a = i * s;
    const b = Math.min(n, (i + 1) * s);
    const start = Math.floor(a);
    const weights: number[] = [];
    for (let k = start; k < b; k++) weights.push((Math.min(k + 1, b) - Math.max(k, a)) / s);
    taps.push({ start, weights });
  }
  return taps;
}

function bilinearTaps(n: number, m: number): Taps {
  const s = n / m;
  const taps: Taps = [];
  for (let i = 0; i < m; i++) {
    const x = Math.min(n - 1, Math.max(0, (i + 0.5) * s - 0.5));
    const start = Math.min(Math.floor(x), n - 2 < 0 ? 0 : n - 2);
    const f = x - start;
    taps.push(n === 1 ? { start: 0, weights: [1] } : { start, weights: [1 - f, f] });
  }
  return taps;
}
