// What one key frame costs, stage by stage, in CPU milliseconds on one thread (issue 14, decision 072),
// and what the cheaper variants of the key-frame path would give up. CPU time (process.cpuUsage, with
// nothing else running in this process) rather than wall time: the machine is shared, and another
// job's load stretches wall time far more than the CPU time a frame needs.
//
// The stages mirror server/face/face-model.ts's 'keyframe' path (decode → tiny detector at 224 →
// 68 landmarks on the detected box → dlib-aligned crop → 128-d descriptor); face-api is the same
// module instance that loadFaceModel() set up, reached through require's cache.
import { createRequire } from 'node:module';
import { decodeImage } from '../../server/face/decode.ts';
import { loadFaceModel } from '../../server/face/face-model.ts';
import { faceDistance, FACE_THRESHOLDS } from '../../server/face/match-rules.ts';
import type { RgbImage } from '../../server/face/pixels.ts';
import { withSecondFace } from '../../server/face/test-keyframes.ts';
import { installWasmCopyKernels, restoreWasmCopyKernels } from '../../server/face/wasm-copy-kernels.ts';

// face-api's internals beyond what face-model.ts types: only this measuring module reaches into them.
type Api = any;
type Tensor = { dispose(): void };

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU ms per call of `fn` over `n` calls after 3 warm-up calls (a net compiles its kernels on first use). */
async function cpuPer(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(i);
  const c0 = cpuMs();
  for (let i = 0; i < n; i++) await fn(i);
  return (cpuMs() - c0) / n;
}

export interface KeyframeVariant {
  name: string;
  /** Tiny detector input size, or 'none': the box the phone's crop implies (the face box is the crop / 1.6, 5% above centre). */
  detector: 224 | 160 | 128 | 'none';
  landmarks: 'full' | 'tiny';
}

export const VARIANTS: readonly KeyframeVariant[] = [
  { name: 'production: tiny detector 224, landmarks 68', detector: 224, landmarks: 'full' },
  { name: 'tiny detector 160', detector: 160, landmarks: 'full' },
  { name: 'tiny detector 128', detector: 128, landmarks: 'full' },
  { name: 'tiny landmarks (68 tiny)', detector: 224, landmarks: 'tiny' },
  { name: 'no detector, landmarks on the crop', detector: 'none', landmarks: 'full' },
];

async function faceApi(): Promise<Api> {
  await loadFaceModel();
  const require = createRequire(new URL('../../server/face/face-model.ts', import.meta.url));
  const api = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as Api;
  if (!api.nets.faceLandmark68TinyNet.isLoaded) {
    const dir = require.resolve('@vladmandic/face-api/package.json').replace(/package\.json$/, 'model');
    await api.nets.faceLandmark68TinyNet.loadFromDisk(dir);
  }
  return api;
}

/** One key frame through a variant: faces the detector counted and the descriptor (null: no face). */
async function describeVariant(api: Api, img: RgbImage, v: KeyframeVariant): Promise<{ faces: number; descriptor: Float32Array | null }> {
  const input = api.tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
  try {
    let detection: Api;
    let faces = 1;
    if (v.detector === 'none') {
      const side = img.width / 1.6;
      const rel = new api.Rect((img.width - side) / 2 / img.width, (img.height * 0.55 - side / 2) / img.height, side / img.width, side / img.height);
      detection = new api.FaceDetection(1, rel, { width: img.width, height: img.height });
    } else {
      const found = await api.detectAllFaces(input, new api.TinyFaceDetectorOptions({ inputSize: v.detector, scoreThreshold: 0.5 }));
      faces = found.length;
      if (!faces) return { faces, descriptor: null };
      detection = found.reduce((a: Api, b: Api) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a));
    }
    const [face] = (await api.extractFaceTensors(input, [detection])) as Tensor[];
    const net = v.landmarks === 'full' ? api.nets.faceLandmark68Net : api.nets.faceLandmark68TinyNet;
    let unshifted: unknown;
    try {
      unshifted = await net.detectLandmarks(face);
    } finally {
      face!.dispose();
    }
    const { landmarks } = api.extendWithFaceLandmarks(api.extendWithFaceDetection({}, detection), unshifted);
    const [aligned] = (await api.extractFaceTensors(input, [landmarks.align(null, { useDlibAlignment: true })])) as Tensor[];
    try {
      return { faces, descriptor: (await api.nets.faceRecognitionNet.computeFaceDescriptor(aligned)) as Float32Array };
    } finally {
      aligned!.dispose();
    }
  } finally {
    input.dispose();
  }
}

/** CPU ms of each stage of the production key-frame path, and of the whole describe(), on `keyframes`. */
export async function measureStages(keyframes: Uint8Array[], n = 20) {
  const api = await faceApi();
  const model = await loadFaceModel();
  const at = (i: number) => keyframes[i % keyframes.length]!;
  const imgs = keyframes.map((k) => decodeImage(k));
  const inputs: Tensor[] = imgs.map((img) => api.tf.tensor3d(img.data, [img.height, img.width, 3], 'int32'));
  try {
    const tiny = (size: number) => new api.TinyFaceDetectorOptions({ inputSize: size, scoreThreshold: 0.5 });
    const boxes = await Promise.all(inputs.map((t) => api.detectAllFaces(t, tiny(224)).then((f: Api[]) => f[0])));
    const faces: Tensor[] = [];
    for (const [i, t] of inputs.entries()) if (boxes[i]) faces.push(...((await api.extractFaceTensors(t, [boxes[i]])) as Tensor[]));
    const face = (i: number) => faces[i % faces.length]!;
    const stages: Record<string, number> = {
      decode: await cpuPer(n, async (i) => decodeImage(at(i))),
      'tiny detector 224': await cpuPer(n, (i) => api.detectAllFaces(inputs[i % inputs.length], tiny(224))),
      'tiny detector 160': await cpuPer(n, (i) => api.detectAllFaces(inputs[i % inputs.length], tiny(160))),
      'tiny detector 128': await cpuPer(n, (i) => api.detectAllFaces(inputs[i % inputs.length], tiny(128))),
      'landmarks 68': await cpuPer(n, (i) => api.nets.faceLandmark68Net.detectLandmarks(face(i))),
      'landmarks 68 tiny': await cpuPer(n, (i) => api.nets.faceLandmark68TinyNet.detectLandmarks(face(i))),
      'descriptor, 1 face a call': await cpuPer(n, (i) => api.nets.faceRecognitionNet.computeFaceDescriptor(face(i))),
    };
    for (const batch of [2, 4, 8]) {
      const many = Array.from({ length: batch }, (_, k) => face(k));
      stages[`descriptor, ${batch} faces a call (per face)`] = (await cpuPer(Math.ceil(n / batch), () => api.nets.faceRecognitionNet.computeFaceDescriptor(many))) / batch;
    }
    stages['whole describe(keyframe)'] = await cpuPer(n, (i) => model.describe(at(i), 'keyframe'));
    // The same with tfjs's own Concat and Slice (decision 092): what the faster copies save.
    restoreWasmCopyKernels(api.tf);
    try {
      stages["whole describe, tfjs's own copy kernels"] = await cpuPer(n, (i) => model.describe(at(i), 'keyframe'));
    } finally {
      installWasmCopyKernels(api.tf);
    }
    for (const f of faces) f.dispose();
    return stages;
  } finally {
    for (const t of inputs) t.dispose();
  }
}

/**
 * Each variant on the cut key frames: CPU ms per frame, frames without a face, and the distances of
 * its probes against the production path's descriptors of the other frames (a fast path's probe is
 * compared with references made by the full path): genuine max, impostor min, false matches at
 * `match`, and how much closer than production any impostor pair came.
 */
export async function measureVariants(frames: { person: string; bytes: Uint8Array }[], unknown: (a: string, b: string) => boolean) {
  const api = await faceApi();
  const imgs = frames.map((f) => decodeImage(f.bytes));
  const out: { variant: KeyframeVariant; cpuMs: number; noFace: number; genuineMax: number; impostorMin: number; falseMatches: number; impostorCloserBy: number }[] = [];
  let base: (Float32Array | null)[] = [];
  for (const variant of VARIANTS) {
    await describeVariant(api, imgs[0]!, variant); // warm-up: a new input size compiles kernels
    const c0 = cpuMs();
    const ds: (Float32Array | null)[] = [];
    for (const img of imgs) ds.push((await describeVariant(api, img, variant)).descriptor);
    const cpu = (cpuMs() - c0) / imgs.length;
    if (!base.length) base = ds;
    let genuineMax = 0;
    let impostorMin = Infinity;
    let falseMatches = 0;
    let impostorCloserBy = 0;
    frames.forEach((a, i) =>
      frames.forEach((b, j) => {
        if (i === j || unknown(a.person, b.person) || !ds[i] || !base[j]) return;
        const d = faceDistance(ds[i], base[j]);
        if (a.person === b.person) genuineMax = Math.max(genuineMax, d);
        else {
          impostorMin = Math.min(impostorMin, d);
          if (d <= FACE_THRESHOLDS.match) falseMatches++;
          if (base[i]) impostorCloserBy = Math.max(impostorCloserBy, faceDistance(base[i], base[j]) - d);
        }
      }),
    );
    out.push({ variant, cpuMs: cpu, noFace: ds.filter((d) => !d).length, genuineMax, impostorMin, falseMatches, impostorCloserBy });
  }
  return out;
}

/**
 * Issue 15 holds a check whose key frame shows a second face. A bystander's face pasted into a corner
 * of each host key frame at `sizes` px: how many of these the detector at each input size counts as
 * two faces. A detector that counts fewer would let such checks certify.
 */
export async function measureSecondFaces(hosts: Uint8Array[], guests: Uint8Array[], sizes = [64, 80, 96]) {
  const api = await faceApi();
  const H = hosts.map((h) => decodeImage(h));
  const G = guests.map((g) => decodeImage(g));
  const counted: Record<number, Record<number, number>> = {};
  let total = 0;
  for (const h of H) {
    for (const g of G) {
      for (const size of sizes) {
        const img = withSecondFace(h, g, size);
        total++;
        for (const input of [224, 160, 128]) {
          const t = api.tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
          try {
            const n = (await api.detectAllFaces(t, new api.TinyFaceDetectorOptions({ inputSize: input, scoreThreshold: 0.5 }))).length;
            ((counted[size] ??= {})[input] ??= 0);
            if (n >= 2) counted[size]![input]!++;
          } finally {
            t.dispose();
          }
        }
      }
    }
  }
  return { perSize: total / sizes.length, counted };
}
