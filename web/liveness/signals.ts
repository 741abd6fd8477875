// Turns one frame of raw FaceLandmarker output (plus optional pixels) into FrameSignals, the
// only input the rest of the liveness engine reads. Pure functions: no MediaPipe import, so the
// engine is testable from recorded traces and runs the same in a Worker or in Node.

/** Structural subset of tasks-vision's FaceLandmarkerResult that we read. */
export interface RawLandmark {
  x: number;
  y: number;
  z: number;
}
export interface RawCategory {
  categoryName: string;
  score: number;
}
export interface RawFaceLandmarkerResult {
  faceLandmarks: RawLandmark[][];
  faceBlendshapes?: { categories: RawCategory[] }[];
  facialTransformationMatrixes?: { data: ArrayLike<number> }[];
}

/** RGBA pixels of the analysed frame (e.g. ImageData from a downscaled OffscreenCanvas). */
export interface RgbaImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

export interface FrameInput {
  result: RawFaceLandmarkerResult;
  /** Monotonic milliseconds (performance.now() or video frame time); must increase. */
  tMs: number;
  /** Size of the image given to the model, to scale x for the eye aspect ratio. */
  width: number;
  height: number;
  /**
   * True if the image given to the model was flipped horizontally (e.g. drawn mirrored onto a
   * canvas). Leave false when the model sees the raw camera frame; CSS-mirroring the preview for
   * display changes nothing here.
   */
  imageMirrored?: boolean;
  pixels?: RgbaImage;
  /** Wall time of detectForVideo, for the result's inference stats. */
  inferMs?: number;
  /** Optional sharpness of the face region (see faceSharpness) for key-frame choice. */
  sharpness?: number;
}

export interface FaceBox {
  /** Normalized to the image (0..1); may extend past 0..1 when the face is cut by the edge. */
  x: number;
  y: number;
  w: number;
  h: number;
  cx: number;
  cy: number;
}

export interface FaceSignals {
  /**
   * Head pose in degrees, in the raw (unmirrored) camera image convention of the fixtures:
   * yaw < 0 = the person turned to their OWN RIGHT, yaw > 0 = their own left;
   * pitch < 0 = chin up; pitch > 0 = chin down; roll = head tilt.
   */
  yaw: number;
  pitch: number;
  roll: number;
  /** Mean of eyeBlinkLeft/eyeBlinkRight blendshapes (0 open .. 1 closed). */
  blink: number;
  /** Eye aspect ratio, 6-point, x scaled by width/height; mean of both eyes. */
  ear: number;
  jaw: number;
  box: FaceBox;
  /** Mean luma (0..255) inside the face box, null when no pixels were given. */
  luma: number | null;
}

export interface FrameSignals {
  tMs: number;
  /** Number of faces the model returned. */
  faceCount: number;
  /** The first face; null when no face or when the result lacks blendshapes/matrix. */
  face: FaceSignals | null;
  /** Mean luma of the whole frame (0..255), null when unknown. */
  frameLuma: number | null;
  inferMs: number | null;
  sharpness: number | null;
}

const RAD = 180 / Math.PI;

/**
 * Head pose from the column-major 4x4 facial transformation matrix, R = Rz(roll)·Ry(yaw)·Rx(pitch):
 * yaw = asin(-m[2][0]), pitch = atan2(m[2][1], m[2][2]), roll = atan2(m[1][0], m[0][0]),
 * with m[r][c] = data[c*4 + r]. The matrix is computed from the image the model saw, so it
 * describes the head relative to the camera whether that is the front or the rear camera.
 */
export function headPoseFromMatrix(data: ArrayLike<number>): { yaw: number; pitch: number; roll: number } {
  const m = (r: number, c: number) => data[c * 4 + r] ?? 0;
  const s = Math.max(-1, Math.min(1, -m(2, 0)));
  return {
    yaw: Math.asin(s) * RAD,
    pitch: Math.atan2(m(2, 1), m(2, 2)) * RAD,
    roll: Math.atan2(m(1, 0), m(0, 0)) * RAD,
  };
}

export type TurnDirection = 'left' | 'right' | 'centre';

/**
 * Which way the person turned, in THEIR OWN left/right, from yaw in the unmirrored convention.
 * The camera faces the person, so their left appears on the right of the raw image; nose toward
 * the image's left (yaw < 0) is their right. This holds for front and rear cameras alike: both
 * look at the face, and preview mirroring is display only. If the analysed image itself is
 * mirrored, computeFrameSignals has already flipped yaw back (imageMirrored).
 */
export function userTurnDirection(yawDeg: number, deadbandDeg = 0): TurnDirection {
  if (yawDeg > deadbandDeg) return 'left';
  if (yawDeg < -deadbandDeg) return 'right';
  return 'centre';
}

/** Landmark indices of the 6-point eye aspect ratio (p1..p6: corner, top, top, corner, bottom, bottom). */
export const EYE_RIGHT_IDX = [33, 160, 158, 133, 153, 144] as const;
export const EYE_LEFT_IDX = [362, 385, 387, 263, 373, 380] as const;

/** (|p2-p6| + |p3-p5|) / (2 |p1-p4|), x scaled by width/height so it is aspect-independent. */
export function eyeAspectRatio(lm: readonly RawLandmark[], idx: readonly number[], aspect: number): number {
  const p = idx.map((i) => lm[i]);
  const [p1, p2, p3, p4, p5, p6] = p;
  if (!p1 || !p2 || !p3 || !p4 || !p5 || !p6) return 0;
  const d = (a: RawLandmark, b: RawLandmark) => Math.hypot((a.x - b.x) * aspect, a.y - b.y);
  const width = d(p1, p4);
  return width > 0 ? (d(p2, p6) + d(p3, p5)) / (2 * width) : 0;
}

export function faceBoxFromLandmarks(lm: readonly RawLandmark[]): FaceBox {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of lm) {
    if (p.x < x0) x0 = p.x;
    if (p.x > x1) x1 = p.x;
    if (p.y < y0) y0 = p.y;
    if (p.y > y1) y1 = p.y;
  }
  if (!Number.isFinite(x0)) return { x: 0, y: 0, w: 0, h: 0, cx: 0, cy: 0 };
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0, cx: (x0 + x1) / 2, cy: (y0 + y1) / 2 };
}

const luma = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

/**
 * Mean luma (BT.601, 0..255) of the whole frame and of a normalized box, sampling every
 * `step`-th pixel in both directions: exposure needs no full-resolution pass.
 */
export function lumaStats(img: RgbaImage, box: FaceBox | null, step = 4): { frame: number; face: number | null } {
  const { data, width, height } = img;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      const i = (y * width + x) * 4;
      sum += luma(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0);
      n++;
    }
  }
  const frame = n ? sum / n : 0;
  if (!box) return { frame, face: null };
  // Inner 80% of the landmark box: the edges hold hair and background.
  const bx0 = Math.max(0, Math.floor((box.x + box.w * 0.1) * width));
  const bx1 = Math.min(width, Math.ceil((box.x + box.w * 0.9) * width));
  const by0 = Math.max(0, Math.floor((box.y + box.h * 0.1) * height));
  const by1 = Math.min(height, Math.ceil((box.y + box.h * 0.9) * height));
  let fs = 0;
  let fn = 0;
  const fstep = Math.max(1, Math.min(step, Math.floor((bx1 - bx0) / 16)));
  for (let y = by0; y < by1; y += fstep) {
    for (let x = bx0; x < bx1; x += fstep) {
      const i = (y * width + x) * 4;
      fs += luma(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0);
      fn++;
    }
  }
  return { frame, face: fn ? fs / fn : null };
}

/**
 * Mean absolute Laplacian of luma inside the face box: higher = sharper. Only comparable between
 * frames of the same session and resolution; used to rank key frames, never as a gate.
 */
export function faceSharpness(img: RgbaImage, box: FaceBox, step = 2): number {
  const { data, width, height } = img;
  const L = (x: number, y: number) => {
    const i = (y * width + x) * 4;
    return luma(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0);
  };
  const x0 = Math.max(1, Math.floor(box.x * width));
  const x1 = Math.min(width - 1, Math.ceil((box.x + box.w) * width));
  const y0 = Math.max(1, Math.floor(box.y * height));
  const y1 = Math.min(height - 1, Math.ceil((box.y + box.h) * height));
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1; y += step) {
    for (let x = x0; x < x1; x += step) {
      sum += Math.abs(4 * L(x, y) - L(x - 1, y) - L(x + 1, y) - L(x, y - 1) - L(x, y + 1));
      n++;
    }
  }
  return n ? sum / n : 0;
}

function blendshape(categories: readonly RawCategory[], name: string): number {
  for (const c of categories) if (c.categoryName === name) return c.score;
  return 0;
}

export function computeFrameSignals(input: FrameInput): FrameSignals {
  const { result, width, height } = input;
  const faceCount = result.faceLandmarks.length;
  const lm = result.faceLandmarks[0];
  const shapes = result.faceBlendshapes?.[0]?.categories;
  const matrix = result.facialTransformationMatrixes?.[0]?.data;
  let face: FaceSignals | null = null;
  let box: FaceBox | null = null;
  if (lm && lm.length >= 388 && shapes && matrix && matrix.length >= 16) {
    const aspect = height > 0 ? width / height : 1;
    const pose = headPoseFromMatrix(matrix);
    box = faceBoxFromLandmarks(lm);
    const mirrored = input.imageMirrored === true;
    if (mirrored) {
      // A horizontal flip negates yaw and roll and swaps left/right; bring it back to raw-camera terms.
      pose.yaw = -pose.yaw;
      pose.roll = -pose.roll;
      box = { ...box, x: 1 - box.x - box.w, cx: 1 - box.cx };
    }
    const earR = eyeAspectRatio(lm, EYE_RIGHT_IDX, aspect);
    const earL = eyeAspectRatio(lm, EYE_LEFT_IDX, aspect);
    face = {
      ...pose,
      blink: (blendshape(shapes, 'eyeBlinkLeft') + blendshape(shapes, 'eyeBlinkRight')) / 2,
      ear: (earL + earR) / 2,
      jaw: blendshape(shapes, 'jawOpen'),
      box,
      luma: null,
    };
  }
  let frameLuma: number | null = null;
  let sharpness = input.sharpness ?? null;
  if (input.pixels) {
    // Pixels are in the same orientation as the model input, so use the unflipped box.
    const rawBox = lm ? faceBoxFromLandmarks(lm) : null;
    const stats = lumaStats(input.pixels, rawBox);
    frameLuma = stats.frame;
    if (face) face.luma = stats.face;
    if (sharpness === null && face && rawBox) sharpness = faceSharpness(input.pixels, rawBox);
  }
  return { tMs: input.tMs, faceCount, face, frameLuma, inferMs: input.inferMs ?? null, sharpness };
}
