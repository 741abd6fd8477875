// The faster Concat and Slice give exactly what tfjs's own kernels give: on many shapes, axes and
// dtypes, on the errors, and (with ../shared) on whole key frames and photos through the real nets.
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { HAS_SHARED, SKIP_REASON } from '../../scripts/harness/shared-data.ts';
import { loadFaceModel, type FaceModel, type FaceReading } from './face-model.ts';
import { keyframeFromClip } from './test-keyframes.ts';
import { installWasmCopyKernels, restoreWasmCopyKernels, type KernelRegistry } from './wasm-copy-kernels.ts';

interface Tensor { dispose(): void; dataSync(): Float32Array | Int32Array; shape: number[]; dtype: string }
interface Tf extends KernelRegistry {
  tensor(values: number[] | Float32Array | Int32Array, shape: number[], dtype: 'float32' | 'int32' | 'bool'): Tensor;
  concat(ts: Tensor[], axis: number): Tensor;
  slice(t: Tensor, begin: number[], size: number[]): Tensor;
  getBackend(): string;
}

let model: FaceModel;
let tf: Tf;
beforeAll(async () => {
  model = await loadFaceModel(); // installs the fast kernels
  const require = createRequire(new URL('./face-model.ts', import.meta.url));
  tf = (require('@vladmandic/face-api/dist/face-api.node-wasm.js') as { tf: Tf }).tf;
}, 60_000);

/** `fn` with tfjs's own kernels, then with the fast ones (left installed). */
async function bothWays<T>(fn: () => T | Promise<T>): Promise<{ own: T; fast: T }> {
  restoreWasmCopyKernels(tf);
  let own: T;
  try {
    own = await fn();
  } finally {
    installWasmCopyKernels(tf);
  }
  return { own, fast: await fn() };
}

const bits = (t: Tensor) => {
  const out = { shape: t.shape, dtype: t.dtype, bytes: Buffer.from(t.dataSync().buffer.slice(0)) };
  t.dispose();
  return out;
};

// A seeded generator: the same values in both runs, and a failing case can be replayed.
function numbers(n: number, seed: number, dtype: 'float32' | 'int32' | 'bool'): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return dtype === 'float32' ? s / 2 ** 31 - 0.5 : dtype === 'int32' ? (s % 2001) - 1000 : s % 2;
  });
}
const make = (shape: number[], seed: number, dtype: 'float32' | 'int32' | 'bool' = 'float32') =>
  tf.tensor(numbers(shape.reduce((a, b) => a * b, 1), seed, dtype), shape, dtype);

describe('wasm copy kernels', () => {
  it('runs on the wasm backend with the fast kernels installed', () => {
    expect(tf.getBackend()).toBe('wasm');
    const concat = tf.getKernel('Concat', 'wasm')!.kernelFunc;
    restoreWasmCopyKernels(tf);
    expect(tf.getKernel('Concat', 'wasm')!.kernelFunc).not.toBe(concat);
    installWasmCopyKernels(tf);
    installWasmCopyKernels(tf); // a second call changes nothing
    restoreWasmCopyKernels(tf);
    const own = tf.getKernel('Concat', 'wasm')!.kernelFunc;
    installWasmCopyKernels(tf);
    expect(tf.getKernel('Concat', 'wasm')!.kernelFunc).not.toBe(own);
  });

  it('concat: the same values and shape as tfjs on every axis, rank 1–4, float32, int32 and bool', async () => {
    const cases: { shapes: number[][]; axis: number; dtype?: 'float32' | 'int32' | 'bool' }[] = [
      { shapes: [[5], [3]], axis: 0 },
      { shapes: [[2, 3], [2, 4]], axis: 1 },
      { shapes: [[2, 3], [4, 3]], axis: 0 },
      { shapes: [[2, 3], [4, 3]], axis: -2 },
      { shapes: [[1, 150, 150, 1], [1, 150, 150, 1], [1, 150, 150, 1]], axis: 3 }, // face-api's mean subtraction
      { shapes: [[1, 38, 38, 128], [1, 38, 38, 128]], axis: 3 }, // a ResNet reduction's zero padding (run ≥ 64)
      { shapes: [[2, 7, 5, 3], [2, 1, 5, 3], [2, 0, 5, 3]], axis: 1 }, // an empty input is skipped
      { shapes: [[2, 7, 5, 3], [2, 7, 5, 3]], axis: 2, dtype: 'int32' },
      { shapes: [[3, 4], [3, 2]], axis: 1, dtype: 'bool' },
      { shapes: [[0, 4], [0, 2]], axis: 1 }, // an empty result
      { shapes: [[4, 4]], axis: 1 }, // one input
    ];
    for (const [i, { shapes, axis, dtype = 'float32' }] of cases.entries()) {
      const run = () => {
        const ts = shapes.map((s, k) => make(s, 7 * i + k, dtype));
        try {
          return bits(tf.concat(ts, axis));
        } finally {
          for (const t of ts) t.dispose();
        }
      };
      const { own, fast } = await bothWays(run);
      expect(fast, `case ${i}`).toEqual(own);
    }
  });

  it('slice: the same values and shape as tfjs, for face crops, whole rows, -1 sizes and rank 1–5', async () => {
    const cases: { shape: number[]; begin: number[]; size: number[]; dtype?: 'float32' | 'int32' }[] = [
      { shape: [256, 256, 3], begin: [40, 50, 0], size: [160, 150, 3], dtype: 'int32' }, // extractFaceTensors
      { shape: [256, 256, 3], begin: [0, 0, 0], size: [256, 256, 3], dtype: 'int32' }, // everything
      { shape: [256, 256, 3], begin: [10, 0, 0], size: [20, -1, -1] }, // whole rows
      { shape: [256, 256, 3], begin: [10, 5, 1], size: [20, 30, 2] }, // part of the channels
      { shape: [9], begin: [2], size: [5] },
      { shape: [9], begin: [2], size: [-1] },
      { shape: [6, 7], begin: [1, 2], size: [3, 4] },
      { shape: [2, 6, 7, 5], begin: [1, 0, 2, 0], size: [1, 6, 3, 5] },
      { shape: [2, 3, 4, 5, 6], begin: [0, 1, 1, 2, 3], size: [2, 2, 3, 3, 3] },
      { shape: [4, 5], begin: [1, 1], size: [0, 3] }, // empty
    ];
    for (const [i, { shape, begin, size, dtype = 'float32' }] of cases.entries()) {
      const run = () => {
        const t = make(shape, 31 * i, dtype);
        try {
          return bits(tf.slice(t, begin, size));
        } finally {
          t.dispose();
        }
      };
      const { own, fast } = await bothWays(run);
      expect(fast, `case ${i}`).toEqual(own);
    }
  });
});

describe.skipIf(!HAS_SHARED)(`wasm copy kernels on the real nets${HAS_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  it('key frames and a frame as a photo: the same faces, boxes, scores and descriptors, bit for bit', async () => {
    const frames = [
      await keyframeFromClip('neutral_woman', 2, model),
      await keyframeFromClip('nod_up_down_woman_hijab', 0.3, model),
      await keyframeFromClip('talking_av_woman', 3.2, model), // the tiny detector misses it: the SSD fallback finds it
    ];
    const describeAll = async () => {
      const out: FaceReading[] = [];
      for (const f of frames) out.push(await model.describe(f, 'keyframe'), await model.describe(f, 'photo'));
      return out;
    };
    const { own, fast } = await bothWays(describeAll);
    expect(own.filter((r, i) => i % 2 === 0 && r.descriptor).length).toBe(frames.length); // every key frame read
    expect(fast).toEqual(own);
  }, 60_000);
});
