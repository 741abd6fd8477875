// The face engine of one thread: face-api (vladmandic's maintained fork) on tfjs's wasm backend,
// models loaded from the npm package on disk (decision 049). `describe` turns image bytes into the
// 128-d descriptor of the largest face; match-rules.ts decides what the distances mean.
//
// face-api and tfjs are CommonJS, loaded with createRequire. We type only what we call.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decodeImage } from './decode.ts';
import { installWasmCopyKernels, type KernelRegistry } from './wasm-copy-kernels.ts';
import type { RgbImage } from './pixels.ts';

export { UnreadableImageError } from './decode.ts';

/** What the phone sends (a 160–256 px face crop, decision 024) or an office/ID photo of any size. */
export type ImageKind = 'photo' | 'keyframe';

export interface FaceReading {
  /** Faces the detector found. */
  faces: number;
  /** 128-d descriptor of the largest face, null when there is none. */
  descriptor: Float32Array | null;
  /** The largest face's box relative to the image (0..1). */
  box: { x: number; y: number; w: number; h: number } | null;
  /** Detector confidence of the largest face. */
  score: number | null;
}

export interface FaceModel {
  describe(bytes: Uint8Array, kind: ImageKind): Promise<FaceReading>;
  /** Same, for pixels already decoded (the key-frame cutter crops frames it has decoded itself). */
  describePixels(img: RgbImage, kind: ImageKind): Promise<FaceReading>;
  /** Live tensors in this thread, for leak tests. */
  numTensors(): number;
}

// Detector settings. SSD MobileNet v1 is the accurate one (≈0.7 s per 1024-px photo here, it
// always works at 512×512); it runs on every photo. Key frames are tight crops where the face fills
// ~60%, so the tiny detector at a 224 input finds it in ≈35 ms (at 160, ≈15 ms, it missed the face
// in one of 13 fixture key frames, and so did the SSD fallback); SSD is the fallback when it does not.
const SSD_MIN_CONFIDENCE = 0.5;
const TINY_INPUT_SIZE = 224;
const TINY_SCORE_THRESHOLD = 0.5;
// The phone only keeps a key frame in which it saw a face, so the fallback may trust a weaker
// detection there (a dim or blurred face); in a photo a weak detection is more often a poster or a pattern.
const KEYFRAME_SSD_MIN_CONFIDENCE = 0.3;

interface Tensor { dispose(): void; shape: number[] }
interface Box { x: number; y: number; width: number; height: number }
interface Detection { score: number; box: Box; relativeBox: Box }
interface Landmarks { align(box: null, options: { useDlibAlignment: boolean }): Box }
interface FaceApi {
  nets: Record<'ssdMobilenetv1' | 'tinyFaceDetector' | 'faceLandmark68Net' | 'faceRecognitionNet', {
    loadFromDisk(dir: string): Promise<void>;
  }> & {
    faceLandmark68Net: { detectLandmarks(face: Tensor): Promise<unknown> };
    faceRecognitionNet: { computeFaceDescriptor(face: Tensor): Promise<Float32Array | Float32Array[]> };
  };
  detectAllFaces(input: Tensor, options: unknown): Promise<Detection[]>;
  extractFaceTensors(input: Tensor, boxes: (Detection | Box)[]): Promise<Tensor[]>;
  extendWithFaceDetection<T>(obj: T, detection: Detection): T & { detection: Detection };
  extendWithFaceLandmarks<T>(obj: T, landmarks: unknown): T & { landmarks: Landmarks };
  SsdMobilenetv1Options: new (o: { minConfidence: number }) => unknown;
  TinyFaceDetectorOptions: new (o: { inputSize: number; scoreThreshold: number }) => unknown;
  tf: {
    tensor3d(data: Uint8Array | Int32Array, shape: [number, number, number], dtype: 'int32'): Tensor;
    memory(): { numTensors: number };
    setBackend(name: string): Promise<boolean>;
    ready(): Promise<void>;
    enableProdMode(): void;
    getBackend(): string;
  };
}

const require = createRequire(import.meta.url);

let loading: Promise<FaceModel> | null = null;

/** Loads the backend and the four networks once per thread; later calls share the same model. */
export function loadFaceModel(): Promise<FaceModel> {
  loading ??= load().catch((err: unknown) => {
    loading = null; // a failed load (e.g. a missing file) may be retried
    throw err;
  });
  return loading;
}

async function load(): Promise<FaceModel> {
  const faceapi = quietly(() => require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi);
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
  // The .wasm files sit next to the backend's own bundle; tfjs needs the folder with a trailing slash.
  wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
  const { tf } = faceapi;
  // The wasm backend's emscripten glue adds process-wide 'uncaughtException' and
  // 'unhandledRejection' listeners that rethrow: with them, any stray rejection elsewhere in the
  // process (a server, a test runner) would kill it. Take back exactly the listeners it added.
  const before = { ue: process.listeners('uncaughtException'), ur: process.listeners('unhandledRejection') };
  try {
    await quietly(async () => {
      if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not start its wasm backend');
      await tf.ready();
    });
  } finally {
    for (const l of process.listeners('uncaughtException')) if (!before.ue.includes(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection')) if (!before.ur.includes(l)) process.removeListener('unhandledRejection', l);
  }
  tf.enableProdMode(); // skips per-op NaN/shape debug checks
  installWasmCopyKernels(tf as unknown as KernelRegistry);
  const modelDir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  const { nets } = faceapi;
  await Promise.all([nets.ssdMobilenetv1, nets.tinyFaceDetector, nets.faceLandmark68Net, nets.faceRecognitionNet].map((n) => n.loadFromDisk(modelDir)));

  const ssd = new faceapi.SsdMobilenetv1Options({ minConfidence: SSD_MIN_CONFIDENCE });
  const ssdKeyframe = new faceapi.SsdMobilenetv1Options({ minConfidence: KEYFRAME_SSD_MIN_CONFIDENCE });
  const tiny = new faceapi.TinyFaceDetectorOptions({ inputSize: TINY_INPUT_SIZE, scoreThreshold: TINY_SCORE_THRESHOLD });

  // Landmarks and descriptor only for the largest face: a group photo costs one descriptor, not ten.
  async function describeLargest(input: Tensor, detections: Detection[]): Promise<FaceReading> {
    if (detections.length === 0) return { faces: 0, descriptor: null, box: null, score: null };
    const largest = detections.reduce((a, b) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a));
    const [face] = await faceapi.extractFaceTensors(input, [largest]);
    if (!face) return { faces: detections.length, descriptor: null, box: null, score: null };
    let unshifted: unknown;
    try {
      unshifted = await nets.faceLandmark68Net.detectLandmarks(face);
    } finally {
      face.dispose();
    }
    // As face-api's own pipeline does: landmarks to image coordinates, then the dlib-style aligned
    // square (eyes and mouth at fixed places) is what the recognition net was trained on.
    const { landmarks } = faceapi.extendWithFaceLandmarks(faceapi.extendWithFaceDetection({}, largest), unshifted);
    const [aligned] = await faceapi.extractFaceTensors(input, [landmarks.align(null, { useDlibAlignment: true })]);
    if (!aligned) return { faces: detections.length, descriptor: null, box: null, score: null };
    let descriptor: Float32Array | Float32Array[];
    try {
      descriptor = await nets.faceRecognitionNet.computeFaceDescriptor(aligned);
    } finally {
      aligned.dispose();
    }
    const r = largest.relativeBox;
    return {
      faces: detections.length,
      descriptor: Array.isArray(descriptor) ? descriptor[0]! : descriptor,
      box: { x: clamp01(r.x), y: clamp01(r.y), w: clamp01(r.x + r.width) - clamp01(r.x), h: clamp01(r.y + r.height) - clamp01(r.y) },
      score: largest.score,
    };
  }

  async function describePixels(img: RgbImage, kind: ImageKind): Promise<FaceReading> {
    // int32 as face-api's own node examples use; the nets cast to float themselves.
    const input = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
    try {
      const detections =
        kind === 'photo'
          ? await faceapi.detectAllFaces(input, ssd)
          : await faceapi.detectAllFaces(input, tiny).then((found) => (found.length ? found : faceapi.detectAllFaces(input, ssdKeyframe)));
      return await describeLargest(input, detections);
    } finally {
      input.dispose();
    }
  }

  return {
    // async, so an unreadable upload is a rejected promise like every other failure, never a throw.
    describe: async (bytes, kind) => describePixels(decodeImage(bytes), kind),
    describePixels,
    numTensors: () => tf.memory().numTensors,
  };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

// tfjs greets Node users on first use with a console banner recommending tfjs-node (which needs a
// native download we do not want). Drop only that message; anything else passes through.
function quietly<T>(fn: () => T): T {
  const { log, warn } = console;
  const filter = (orig: (...a: unknown[]) => void) => (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('tfjs-node')) return;
    orig.apply(console, args);
  };
  console.log = filter(log);
  console.warn = filter(warn);
  const restore = () => {
    console.log = log;
    console.warn = warn;
  };
  try {
    const out = fn();
    if (out instanceof Promise) return out.finally(restore) as T;
    restore();
    return out;
  } catch (err) {
    restore();
    throw err;
  }
}
