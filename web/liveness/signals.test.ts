import { describe, expect, it } from 'vitest';
import {
  EYE_LEFT_IDX,
  EYE_RIGHT_IDX,
  computeFrameSignals,
  eyeAspectRatio,
  faceBoxFromLandmarks,
  faceSharpness,
  headPoseFromMatrix,
  lumaStats,
  userTurnDirection,
  type RawFaceLandmarkerResult,
  type RawLandmark,
  type RgbaImage,
} from './signals.ts';

const D = Math.PI / 180;

/** Column-major 4x4 of R = Rz(roll)·Ry(yaw)·Rx(pitch) plus a translation, like MediaPipe's. */
function poseMatrix(yaw: number, pitch: number, roll: number): number[] {
  const [cy, sy, cp, sp, cr, sr] = [Math.cos(yaw * D), Math.sin(yaw * D), Math.cos(pitch * D), Math.sin(pitch * D), Math.cos(roll * D), Math.sin(roll * D)];
  const Rz = [[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]];
  const Ry = [[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]];
  const Rx = [[1, 0, 0], [0, cp, -sp], [0, sp, cp]];
  const mul = (a: number[][], b: number[][]) => a.map((row) => [0, 1, 2].map((c) => row.reduce((s, x, k) => s + x * (b[k]?.[c] ?? 0), 0)));
  const R = mul(mul(Rz, Ry), Rx);
  const data = new Array<number>(16).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) data[c * 4 + r] = R[r]?.[c] ?? 0;
  data[12] = 1.5;
  data[13] = -2;
  data[14] = -40;
  data[15] = 1;
  return data;
}

describe('headPoseFromMatrix', () => {
  it.each([
    [0, 0, 0],
    [30, 0, 0],
    [-37.6, 2, -1],
    [42.9, -6.5, -13.3],
    [0, -43, 0],
    [5, 28, 27],
  ])('recovers yaw %s, pitch %s, roll %s', (yaw, pitch, roll) => {
    const pose = headPoseFromMatrix(poseMatrix(yaw, pitch, roll));
    expect(pose.yaw).toBeCloseTo(yaw, 6);
    expect(pose.pitch).toBeCloseTo(pitch, 6);
    expect(pose.roll).toBeCloseTo(roll, 6);
  });

  it('reads the matrix column-major (m[r][c] = data[c*4+r]), not row-major', () => {
    const m = poseMatrix(30, 0, 0);
    const rowMajor = [0, 1, 2, 3].flatMap((r) => [0, 1, 2, 3].map((c) => m[c * 4 + r] ?? 0));
    expect(headPoseFromMatrix(rowMajor).yaw).toBeCloseTo(-30, 6);
    expect(headPoseFromMatrix(m).yaw).toBeCloseTo(30, 6);
  });
});

describe('userTurnDirection', () => {
  // Fixtures README: yaw < 0 = nose toward the left of the raw image = the person's own right.
  it('maps yaw to the person\'s own left and right', () => {
    expect(userTurnDirection(-30)).toBe('right');
    expect(userTurnDirection(30)).toBe('left');
    expect(userTurnDirection(0)).toBe('centre');
  });
  it('has a dead band', () => {
    expect(userTurnDirection(4, 5)).toBe('centre');
    expect(userTurnDirection(-4, 5)).toBe('centre');
    expect(userTurnDirection(6, 5)).toBe('left');
    expect(userTurnDirection(-6, 5)).toBe('right');
  });
});

function landmarks(): RawLandmark[] {
  const lm: RawLandmark[] = Array.from({ length: 478 }, (_, i) => ({ x: 0.35 + (i % 20) * 0.015, y: 0.3 + Math.floor(i / 20) * 0.017, z: 0 }));
  // One eye: corners 0.06 apart horizontally, lids 0.02 apart vertically.
  const eye = (idx: readonly number[], x0: number, open: number) => {
    const [p1, p2, p3, p4, p5, p6] = idx as [number, number, number, number, number, number];
    lm[p1] = { x: x0, y: 0.4, z: 0 };
    lm[p4] = { x: x0 + 0.06, y: 0.4, z: 0 };
    lm[p2] = { x: x0 + 0.02, y: 0.4 - open / 2, z: 0 };
    lm[p6] = { x: x0 + 0.02, y: 0.4 + open / 2, z: 0 };
    lm[p3] = { x: x0 + 0.04, y: 0.4 - open / 2, z: 0 };
    lm[p5] = { x: x0 + 0.04, y: 0.4 + open / 2, z: 0 };
  };
  eye(EYE_RIGHT_IDX, 0.4, 0.02);
  eye(EYE_LEFT_IDX, 0.54, 0.02);
  return lm;
}

function result(opts: { yaw?: number; faces?: number; blend?: boolean } = {}): RawFaceLandmarkerResult {
  const lm = landmarks();
  const faces = opts.faces ?? 1;
  return {
    faceLandmarks: Array.from({ length: faces }, () => lm),
    faceBlendshapes:
      opts.blend === false
        ? []
        : Array.from({ length: faces }, () => ({
            categories: [
              { categoryName: '_neutral', score: 0 },
              { categoryName: 'eyeBlinkLeft', score: 0.2 },
              { categoryName: 'eyeBlinkRight', score: 0.4 },
              { categoryName: 'jawOpen', score: 0.55 },
            ],
          })),
    facialTransformationMatrixes: Array.from({ length: faces }, () => ({ data: poseMatrix(opts.yaw ?? 25, -5, 3) })),
  };
}

describe('eyeAspectRatio', () => {
  it('is (|p2-p6| + |p3-p5|) / 2|p1-p4| with x scaled by width/height', () => {
    const lm = landmarks();
    expect(eyeAspectRatio(lm, EYE_RIGHT_IDX, 1)).toBeCloseTo(0.02 / 0.06, 6);
    expect(eyeAspectRatio(lm, EYE_RIGHT_IDX, 640 / 480)).toBeCloseTo(0.02 / (0.06 * (640 / 480)), 6);
  });
  it('is 0 when the lids meet and when landmarks are missing', () => {
    const lm = landmarks();
    for (const i of [160, 158]) lm[i] = { x: lm[i]?.x ?? 0, y: 0.4, z: 0 };
    for (const i of [144, 153]) lm[i] = { x: lm[i]?.x ?? 0, y: 0.4, z: 0 };
    expect(eyeAspectRatio(lm, EYE_RIGHT_IDX, 1)).toBeCloseTo(0, 6);
    expect(eyeAspectRatio(lm.slice(0, 100), EYE_RIGHT_IDX, 1)).toBe(0);
  });
});

describe('faceBoxFromLandmarks', () => {
  it('spans the landmarks, normalized, and may leave the image', () => {
    const box = faceBoxFromLandmarks([
      { x: -0.1, y: 0.2, z: 0 },
      { x: 0.3, y: 0.6, z: 0 },
      { x: 0.1, y: 0.4, z: 0 },
    ]);
    expect(box.x).toBeCloseTo(-0.1);
    expect(box.w).toBeCloseTo(0.4);
    expect(box.h).toBeCloseTo(0.4);
    expect(box.cx).toBeCloseTo(0.1);
    expect(box.cy).toBeCloseTo(0.4);
  });
});

function image(width: number, height: number, px: (x: number, y: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const l = px(x, y);
      data[i] = l;
      data[i + 1] = l;
      data[i + 2] = l;
      data[i + 3] = 255;
    }
  return { data, width, height };
}

describe('lumaStats and faceSharpness', () => {
  const box = { x: 0.25, y: 0.25, w: 0.5, h: 0.5, cx: 0.5, cy: 0.5 };
  it('measures a dark face against a bright (backlit) frame', () => {
    const img = image(64, 48, (x, y) => (x >= 16 && x < 48 && y >= 12 && y < 36 ? 40 : 230));
    const s = lumaStats(img, box, 1);
    expect(s.face).toBeCloseTo(40, 0);
    expect(s.frame).toBeGreaterThan(150);
    expect(lumaStats(img, null).face).toBeNull();
  });
  it('ranks a textured face sharper than a flat one', () => {
    const flat = image(64, 48, () => 120);
    const checker = image(64, 48, (x, y) => ((x + y) % 2 ? 200 : 40));
    expect(faceSharpness(checker, box)).toBeGreaterThan(faceSharpness(flat, box) + 100);
  });
});

describe('computeFrameSignals', () => {
  it('builds FrameSignals from a FaceLandmarker-shaped result', () => {
    const s = computeFrameSignals({ result: result(), tMs: 1000, width: 640, height: 480, inferMs: 23 });
    expect(s.tMs).toBe(1000);
    expect(s.faceCount).toBe(1);
    expect(s.inferMs).toBe(23);
    expect(s.face).not.toBeNull();
    const f = s.face!;
    expect(f.yaw).toBeCloseTo(25, 6);
    expect(f.pitch).toBeCloseTo(-5, 6);
    expect(f.roll).toBeCloseTo(3, 6);
    expect(f.blink).toBeCloseTo(0.3, 6);
    expect(f.jaw).toBeCloseTo(0.55, 6);
    expect(f.ear).toBeCloseTo(0.02 / (0.06 * (640 / 480)), 6);
    expect(f.luma).toBeNull();
    expect(s.frameLuma).toBeNull();
  });

  it('undoes a mirrored model input so left stays the person\'s left', () => {
    const raw = computeFrameSignals({ result: result({ yaw: 25 }), tMs: 0, width: 640, height: 480 });
    // A flipped image shows the same head turned the other way.
    const flipped = computeFrameSignals({ result: result({ yaw: -25 }), tMs: 0, width: 640, height: 480, imageMirrored: true });
    expect(flipped.face!.yaw).toBeCloseTo(raw.face!.yaw, 6);
    expect(userTurnDirection(flipped.face!.yaw)).toBe('left');
    expect(flipped.face!.box.cx).toBeCloseTo(1 - raw.face!.box.cx, 6);
  });

  it('counts faces and uses the first; no face or missing blendshapes give face = null', () => {
    expect(computeFrameSignals({ result: result({ faces: 2 }), tMs: 0, width: 640, height: 480 }).faceCount).toBe(2);
    const none = computeFrameSignals({ result: { faceLandmarks: [], faceBlendshapes: [], facialTransformationMatrixes: [] }, tMs: 0, width: 640, height: 480 });
    expect(none.faceCount).toBe(0);
    expect(none.face).toBeNull();
    const noBlend = computeFrameSignals({ result: result({ blend: false }), tMs: 0, width: 640, height: 480 });
    expect(noBlend.faceCount).toBe(1);
    expect(noBlend.face).toBeNull();
  });

  it('measures luma and sharpness when pixels are given', () => {
    const pixels = image(64, 48, () => 90);
    const s = computeFrameSignals({ result: result(), tMs: 0, width: 64, height: 48, pixels });
    expect(s.frameLuma).toBeCloseTo(90, 0);
    expect(s.face!.luma).toBeCloseTo(90, 0);
    expect(s.sharpness).toBeCloseTo(0, 6);
  });
});
