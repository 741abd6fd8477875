// Spoof signs measured on pixels (issue 18 §5): how much fine detail the face keeps (a screen or a
// print seen through a camera loses it) and whether straight edges frame the face on both sides (a
// phone's bezel, a photo's border). Pure: the liveness Worker passes each full-resolution frame,
// the server its decoded key frames (server/sync/spoof-check.ts), the tests decoded fixture frames.

/** RGBA pixels, row-major (ImageData, or jpeg-js's output). */
export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** A face box normalised to the image (0..1), as web/liveness/signals.ts computes it. */
export interface FaceBox {
  w: number;
  h: number;
  cx: number;
  cy: number;
}

/** The picture inside black bars (letterboxed video); the whole frame when there are none. */
export interface ActiveArea {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const luma = (d: RgbaImage['data'], i: number) => 0.299 * (d[i] ?? 0) + 0.587 * (d[i + 1] ?? 0) + 0.114 * (d[i + 2] ?? 0);

/**
 * Rows and columns that are black from edge to edge are padding, not picture: their edge is the
 * straightest line in the frame and would read as a bezel. Sampled every 4th pixel.
 */
export function activeArea(img: RgbaImage, black = 24): ActiveArea {
  const { data, width, height } = img;
  const colBright = (x: number) => {
    for (let y = 0; y < height; y += 4) if (luma(data, (y * width + x) * 4) > black) return true;
    return false;
  };
  const rowBright = (y: number) => {
    for (let x = 0; x < width; x += 4) if (luma(data, (y * width + x) * 4) > black) return true;
    return false;
  };
  let x0 = 0;
  let x1 = width;
  let y0 = 0;
  let y1 = height;
  while (x0 < width / 3 && !colBright(x0)) x0++;
  while (x1 > (2 * width) / 3 && !colBright(x1 - 1)) x1--;
  while (y0 < height / 3 && !rowBright(y0)) y0++;
  while (y1 > (2 * height) / 3 && !rowBright(y1 - 1)) y1--;
  return { x0, x1, y0, y1 };
}

/** Luma of a rectangle, row-major, clipped to the image. */
function lumaPatch(img: RgbaImage, x0: number, y0: number, x1: number, y1: number): { l: Float32Array; w: number; h: number } {
  const ax = Math.max(0, Math.floor(x0));
  const ay = Math.max(0, Math.floor(y0));
  const bx = Math.min(img.width, Math.ceil(x1));
  const by = Math.min(img.height, Math.ceil(y1));
  const w = Math.max(0, bx - ax);
  const h = Math.max(0, by - ay);
  const l = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) l[y * w + x] = luma(img.data, ((ay + y) * img.width + ax + x) * 4);
  return { l, w, h };
}

/**
 * Mean |Laplacian| / mean (|∂x| + |∂y|) over the inner 60% of the face box: the share of the
 * face's contrast in its finest detail. Independent of exposure and contrast; lower = softer.
 * Null when the face is under 24 px.
 */
export function faceTexture(img: RgbaImage, box: FaceBox): number | null {
  const W = img.width;
  const H = img.height;
  const { l, w, h } = lumaPatch(img, (box.cx - box.w * 0.3) * W, (box.cy - box.h * 0.3) * H, (box.cx + box.w * 0.3) * W, (box.cy + box.h * 0.3) * H);
  if (w < 24 || h < 24) return null;
  let lap = 0;
  let grad = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const c = l[i]!;
      const left = l[i - 1]!;
      const right = l[i + 1]!;
      const up = l[i - w]!;
      const down = l[i + w]!;
      lap += Math.abs(4 * c - left - right - up - down);
      grad += Math.abs(right - left) + Math.abs(down - up);
    }
  }
  return grad > 0 ? lap / grad : null;
}

/**
 * The weaker of the strongest straight vertical edge left and right of the face: for each column
 * between 0.55 and 2.2 face widths from the face's centre, the mean signed luma step across it
 * from above the head to below the chin. A long straight edge keeps its sign all the way (a
 * bezel, a photo border, a door frame); texture and hair cancel out. Padding (black bars) is
 * outside `area` and never counted. 0 when either side has no room inside the picture.
 */
export function bezelStrength(img: RgbaImage, box: FaceBox, area: ActiveArea): number {
  const W = img.width;
  const H = img.height;
  const fw = box.w * W;
  const y0 = Math.max(area.y0, Math.floor((box.cy - box.h * 0.6) * H));
  const y1 = Math.min(area.y1, Math.ceil((box.cy + box.h * 1.2) * H));
  if (y1 - y0 < 16 || fw < 16) return 0;
  const side = (from: number, to: number): number => {
    const a = Math.max(area.x0 + 3, Math.floor(from));
    const b = Math.min(area.x1 - 4, Math.ceil(to));
    let best = 0;
    for (let x = a; x < b; x++) {
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        const i = (y * W + x) * 4;
        sum += luma(img.data, i + 4) - luma(img.data, i);
      }
      best = Math.max(best, Math.abs(sum) / (y1 - y0));
    }
    return best;
  };
  const cx = box.cx * W;
  return Math.min(side(cx - fw * 2.2, cx - fw * 0.55), side(cx + fw * 0.55, cx + fw * 2.2));
}

/**
 * Where the face sits in a key frame: web/liveness/runtime/evidence.ts crops a square 1.6 times the
 * face box around it, so the face fills about the middle 60%.
 */
export const KEY_FRAME_FACE: FaceBox = { w: 0.6, h: 0.6, cx: 0.5, cy: 0.55 };

/** The texture of a key frame's face (null for a frame too small to tell). */
export const keyFrameTexture = (img: RgbaImage): number | null => faceTexture(img, KEY_FRAME_FACE);
