// The inference thread (a module Web Worker; in this codebase "worker" is the community worker):
// owns the MediaPipe FaceLandmarker, turns each camera frame
// (an ImageBitmap transferred from the main thread) into FrameSignals, runs the challenge state
// machine next to the model, keeps the pixels of candidate key frames and, at the verdict, encodes
// the chosen 2-3 as ≤20 KB JPEG face crops. The main thread only sends frames and receives small
// messages (events + state), so inference never blocks the UI.
//
// Loading in a module Worker: tasks-vision's loader calls importScripts(), which module Workers do
// not have (it throws a TypeError); the loader then falls back to `await import(url)`. Only the
// ES-module build of the wasm glue (vision_wasm_module_internal.js, which sets
// globalThis.ModuleFactory and exports it) works that way, so we name that file. An ES module runs
// once per realm, so for a second FaceLandmarker (GPU → CPU fallback) we import the factory
// ourselves and hand it back through globalThis.ModuleFactory, which the loader clears after use.
import { FaceLandmarker, type FaceLandmarkerResult } from '@mediapipe/tasks-vision';
import { createChallenge, type Challenge, type ChallengeEvent } from '../challenge.ts';
import { LIVENESS_PARAMS, type LivenessParams } from '../params.ts';
import { computeFrameSignals, type RgbaImage } from '../signals.ts';
import { createSpoofMeter, type SpoofMeter } from '../spoof/meter.ts';
import { encodeWithinLimit, faceCropRect, type CropRect } from './evidence.ts';
import type { DelegatePreference, FromWorker, InitMessage, KeyFrameOut, StartMessage, ToWorker } from './protocol.ts';
import { checkedSequence } from './sequence.ts';

type Backend = 'CPU' | 'GPU';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<ToWorker>) => void): void;
  location: { origin: string; href: string };
  fetch: typeof fetch;
}
const scope = self as unknown as WorkerScope;
const post = (m: FromWorker) => scope.postMessage(m);

// tasks-vision 1.1.0 carries a usage logger that POSTs to https://odml.pa.googleapis.com/v1/log
// every 60 s and when a task closes. The app talks to its own origin only (privacy, offline, CSP),
// so the Worker refuses every cross-origin fetch before it leaves (CSP would also block it, but a
// dev server without our CSP must not leak either). Refused URLs are reported for the tests.
const blockedRequests: string[] = [];
const ownFetch = scope.fetch.bind(scope);
scope.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const url = new URL(raw, scope.location.href);
  if (url.origin !== scope.location.origin) {
    if (blockedRequests.length < 20) blockedRequests.push(url.origin + url.pathname);
    return Promise.reject(new TypeError(`StillHere: cross-origin request refused (${url.origin})`));
  }
  return ownFetch(input, init);
}) as typeof fetch;

const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined' && typeof (globalThis as { document?: unknown }).document === 'undefined';

let landmarker: FaceLandmarker | null = null;
let backend: Backend = 'CPU';
let gpuNote: string | null = null;
let initConfig: InitMessage | null = null;
let moduleFactory: unknown = null;

interface Session {
  id: number;
  challenge: Challenge;
  keyFrameSize: number;
  /** Square face crops of candidate key frames, by frame time. */
  crops: Map<number, { bitmap: ImageBitmap; score: number }>;
  /** Spoof-risk signs of every analysed frame (issue 18 §5). */
  spoof: SpoofMeter;
  frameNo: number;
  lastT: number;
  done: boolean;
}
let session: Session | null = null;

// Pixel access: the full frame is drawn once into a 2D canvas; its ImageData feeds the CPU model
// (tasks-vision would otherwise do the same draw + readback itself) and the lighting/sharpness
// signals. With the GPU delegate the model takes the bitmap and we read a small 160 px snapshot.
let frameCanvas: OffscreenCanvas | null = null;
let frameCtx: OffscreenCanvasRenderingContext2D | null = null;
let cropCanvas: OffscreenCanvas | null = null;
let cropCtx: OffscreenCanvasRenderingContext2D | null = null;

function ctx2d(canvas: OffscreenCanvas): OffscreenCanvasRenderingContext2D {
  const c = canvas.getContext('2d', { willReadFrequently: true, alpha: false });
  if (!c) throw new Error('2D canvas unavailable in the worker');
  return c;
}

function framePixels(bitmap: ImageBitmap, maxSide: number): ImageData {
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  if (!frameCanvas || frameCanvas.width !== w || frameCanvas.height !== h) {
    frameCanvas = new OffscreenCanvas(w, h);
    frameCtx = ctx2d(frameCanvas);
  }
  const g = frameCtx as OffscreenCanvasRenderingContext2D;
  g.drawImage(bitmap, 0, 0, w, h);
  return g.getImageData(0, 0, w, h);
}

// The GPU path's full-resolution reads for the spoof signs, in a canvas of their own so the 160 px
// snapshot's canvas is not resized back and forth.
let spoofCanvas: OffscreenCanvas | null = null;
let spoofCtx: OffscreenCanvasRenderingContext2D | null = null;
function spoofPixels(bitmap: ImageBitmap): ImageData {
  if (!spoofCanvas || spoofCanvas.width !== bitmap.width || spoofCanvas.height !== bitmap.height) {
    spoofCanvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    spoofCtx = ctx2d(spoofCanvas);
  }
  const g = spoofCtx as OffscreenCanvasRenderingContext2D;
  g.drawImage(bitmap, 0, 0);
  return g.getImageData(0, 0, bitmap.width, bitmap.height);
}

function simdSupported(): boolean {
  // The smallest module using a v128 instruction (same probe as wasm-feature-detect).
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** A hardware WebGL2 in this Worker? Software renderers (SwiftShader, llvmpipe) are slower than the CPU delegate. */
function hardwareGl(): { ok: boolean; note: string } {
  try {
    if (typeof OffscreenCanvas === 'undefined') return { ok: false, note: 'no OffscreenCanvas' };
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return { ok: false, note: 'no WebGL2 in the worker' };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    if (/swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer)) return { ok: false, note: `software WebGL (${renderer})` };
    return { ok: true, note: renderer };
  } catch (err) {
    return { ok: false, note: `WebGL2 probe failed: ${(err as Error).message}` };
  }
}

async function createLandmarker(cfg: InitMessage, delegate: Backend): Promise<FaceLandmarker> {
  // Absolute URLs (with origin): Vite's dev server rewrites root-relative dynamic imports
  // (`?import`) and then refuses files from public/; a full URL is left alone everywhere.
  const base = new URL(cfg.wasmBase, scope.location.href).href.replace(/\/$/, '');
  const loader = `${base}/vision_wasm_module_internal.js`;
  // The model streams in while the wasm compiles (tasks-vision reads the stream after
  // instantiating): faster than fetching it first. A second create (GPU → CPU) fetches it again,
  // from the HTTP cache.
  const modelResponse = scope.fetch(cfg.modelUrl).then((res) => {
    if (!res.ok || !res.body) throw new Error(`face model: HTTP ${res.status}`);
    return res.body.getReader();
  });
  modelResponse.catch(() => undefined);
  // See the header: the module runs once; re-arm the global the loader reads for every create.
  moduleFactory ??= ((await import(/* @vite-ignore */ loader)) as { default: unknown }).default;
  (globalThis as { ModuleFactory?: unknown }).ModuleFactory = moduleFactory;
  return FaceLandmarker.createFromOptions(
    { wasmLoaderPath: loader, wasmBinaryPath: `${base}/vision_wasm_module_internal.wasm` },
    {
      baseOptions: { modelAssetBuffer: await modelResponse, delegate },
      runningMode: 'VIDEO',
      // 2, not 1: the engine must see a second person (a live helper beside a photo).
      numFaces: 2,
      outputFaceBlendshapes: true,
      outputFacialTransformationMatrixes: true,
    },
  );
}

async function init(cfg: InitMessage) {
  const t0 = performance.now();
  initConfig = cfg;
  if (!simdSupported() || typeof OffscreenCanvas === 'undefined') {
    post({ type: 'init_error', kind: 'unsupported', message: 'this browser lacks WebAssembly SIMD or OffscreenCanvas' });
    return;
  }
  const t1 = performance.now();
  gpuNote = null;
  let wantGpu = cfg.delegate === 'GPU';
  if (cfg.delegate === 'auto') {
    const probe = hardwareGl();
    wantGpu = probe.ok;
    gpuNote = probe.ok ? null : probe.note;
  }
  // Warm-up: the first detectForVideo is slow (~250 ms here: lazy kernel set-up and code that V8
  // has not optimised yet). Doing it now on a blank frame, while the camera is still opening and
  // the person reads the instructions, makes the first real frame ~50 ms. It is also the GPU
  // delegate's first real test. VIDEO-mode timestamps must increase: 1 ms is before any frame
  // time the main thread can send.
  const warmUp = (lm: FaceLandmarker) => lm.detectForVideo(new ImageData(640, 480), 1);
  if (wantGpu) {
    try {
      if (__TEST_BUILD__ && cfg.testFailGpu === 'init') throw new Error('test: GPU init failure');
      landmarker = await createLandmarker(cfg, 'GPU');
      backend = 'GPU';
      warmUp(landmarker);
    } catch (err) {
      gpuNote = `GPU delegate failed, using CPU: ${(err as Error).message}`;
      try {
        landmarker?.close();
      } catch {
        // a broken GPU context may throw on close too
      }
      landmarker = null;
    }
  }
  if (!landmarker) {
    try {
      landmarker = await createLandmarker(cfg, 'CPU');
      backend = 'CPU';
    } catch (err) {
      post({ type: 'init_error', kind: 'load', message: `could not start the face model: ${(err as Error).message}` });
      return;
    }
    try {
      warmUp(landmarker);
    } catch {
      // a failed warm-up only costs speed; a real fault shows on the first frame
    }
  }
  const now = performance.now();
  post({
    type: 'ready',
    delegate: backend,
    requested: cfg.delegate,
    gpuNote,
    inWorker,
    wasmLoader: 'vision_wasm_module_internal',
    initMs: Math.round(now - t1),
    loadMs: Math.round(now - t0),
  });
}

/** GPU failed while running: continue the check on the CPU delegate. */
async function fallBackToCpu(reason: string): Promise<boolean> {
  if (backend !== 'GPU' || !initConfig) return false;
  try {
    landmarker?.close();
  } catch {
    // a broken GPU context may throw on close too
  }
  landmarker = await createLandmarker(initConfig, 'CPU');
  backend = 'CPU';
  gpuNote = `GPU delegate failed during a check, continued on CPU: ${reason}`;
  console.warn(`StillHere liveness: GPU delegate failed mid-check (${reason}); continuing on CPU`);
  return true;
}

function start(msg: StartMessage) {
  endSession();
  let params: LivenessParams = LIVENESS_PARAMS;
  // Test builds only: a shorter total time so a check that cannot pass ends within CI time.
  if (__TEST_BUILD__ && msg.testTotalTimeoutMs !== undefined) {
    params = { ...LIVENESS_PARAMS, timing: { ...LIVENESS_PARAMS.timing, totalTimeoutMs: msg.testTotalTimeoutMs } };
  }
  if (msg.untimed) params = { ...params, timing: { ...params.timing, totalTimeoutMs: Infinity } };
  const config = {
    sequence: checkedSequence(msg.sequence),
    delegate: backend,
    params,
    ...(msg.challengeId !== undefined ? { challengeId: msg.challengeId } : {}),
    ...(msg.swaps ? { swaps: msg.swaps } : {}),
  };
  session = { id: msg.sessionId, challenge: createChallenge(config), keyFrameSize: msg.keyFrameSize, crops: new Map(), spoof: createSpoofMeter(), frameNo: 0, lastT: -Infinity, done: false };
}

function endSession() {
  if (!session) return;
  for (const c of session.crops.values()) c.bitmap.close();
  session.crops.clear();
  session = null;
}

function keepCrop(s: Session, bitmap: ImageBitmap, rect: CropRect, tMs: number, score: number) {
  const side = s.keyFrameSize;
  if (!cropCanvas || cropCanvas.width !== side) {
    cropCanvas = new OffscreenCanvas(side, side);
    cropCtx = ctx2d(cropCanvas);
  }
  const g = cropCtx as OffscreenCanvasRenderingContext2D;
  g.imageSmoothingQuality = 'high';
  g.drawImage(bitmap, rect.sx, rect.sy, rect.sw, rect.sh, 0, 0, side, side);
  s.crops.set(tMs, { bitmap: cropCanvas.transferToImageBitmap(), score });
}

async function finish(s: Session) {
  if (s.done) return;
  s.done = true;
  const result = s.challenge.result();
  if (!result) return;
  // The delegate that ran at the end (a GPU failure mid-check switches to CPU; see gpuNote).
  result.inference.delegate = backend;
  result.spoofRisk = s.spoof.result();
  const keyFrames: KeyFrameOut[] = [];
  const canvas = new OffscreenCanvas(s.keyFrameSize, s.keyFrameSize);
  const g = ctx2d(canvas);
  for (const k of s.challenge.keyFrames()) {
    const crop = s.crops.get(k.tMs);
    if (!crop) continue;
    const enc = await encodeWithinLimit(async (side, quality) => {
      if (canvas.width !== side) {
        canvas.width = side;
        canvas.height = side;
      }
      g.imageSmoothingQuality = 'high';
      g.drawImage(crop.bitmap, 0, 0, side, side);
      return canvas.convertToBlob({ type: 'image/jpeg', quality });
    }, s.keyFrameSize);
    keyFrames.push({ tMs: k.tMs, score: k.score, blob: enc.blob, width: enc.side, height: enc.side, quality: enc.quality });
  }
  post({ type: 'done', sessionId: s.id, result, keyFrames, blockedRequests: [...blockedRequests], delegate: backend, gpuNote });
  if (session === s) endSession();
}

function afterEvents(s: Session, events: ChallengeEvent[], bitmap: ImageBitmap | null, box: { rect: CropRect } | null) {
  for (const e of events) {
    if (e.type === 'keyframe') {
      for (const t of e.drop) {
        s.crops.get(t)?.bitmap.close();
        s.crops.delete(t);
      }
      if (bitmap && box) keepCrop(s, bitmap, box.rect, e.tMs, e.score);
    }
  }
}

async function onFrame(sessionId: number, bitmap: ImageBitmap, tMs: number) {
  const s = session;
  if (!s || s.id !== sessionId || s.done || !landmarker || !(tMs > s.lastT)) {
    bitmap.close();
    return;
  }
  s.lastT = tMs;
  const w0 = performance.now();
  let events: ChallengeEvent[] = [];
  let inferMs = 0;
  let faces = 0;
  let mouth: number | null = null;
  try {
    const detect = (): { result: FaceLandmarkerResult; pixels: RgbaImage } => {
      const lm = landmarker as FaceLandmarker;
      if (backend === 'CPU') {
        const img = framePixels(bitmap, 4096);
        const t = performance.now();
        const r = lm.detectForVideo(img, tMs);
        inferMs = performance.now() - t;
        return { result: r, pixels: img };
      }
      if (__TEST_BUILD__ && initConfig?.testFailGpu === 'detect') throw new Error('test: GPU detect failure');
      const t = performance.now();
      const r = lm.detectForVideo(bitmap, tMs);
      inferMs = performance.now() - t;
      return { result: r, pixels: framePixels(bitmap, 160) };
    };
    let out: { result: FaceLandmarkerResult; pixels: RgbaImage };
    try {
      out = detect();
    } catch (err) {
      if (!(await fallBackToCpu((err as Error).message))) throw err;
      out = detect();
    }
    const { result, pixels } = out;
    const width = bitmap.width;
    const height = bitmap.height;
    faces = result.faceLandmarks.length;
    const signals = computeFrameSignals({ result, tMs, width, height, inferMs, pixels });
    // Spoof signs need the full-resolution frame: the CPU path has it; the GPU path reads one every
    // third frame into its own canvas (texture and edges change slowly, the reads cost time).
    const full = backend === 'CPU' && pixels.width === width ? pixels : s.frameNo % 3 === 0 ? spoofPixels(bitmap) : null;
    s.frameNo++;
    s.spoof.frame({ signals, landmarks: result.faceLandmarks[0] ?? null, pixels: full });
    events = s.challenge.push(signals);
    const face = signals.face;
    mouth = faces === 1 && face ? face.jaw : null;
    afterEvents(s, events, bitmap, face ? { rect: faceCropRect(face.box, width, height) } : null);
  } catch (err) {
    events = s.challenge.abort('engine_error', tMs);
    post({ type: 'error', sessionId: s.id, during: 'frame', message: (err as Error).message });
  } finally {
    bitmap.close();
  }
  post({
    type: 'frame',
    sessionId: s.id,
    analysed: true,
    tMs,
    inferMs: Math.round(inferMs * 100) / 100,
    workMs: Math.round((performance.now() - w0) * 100) / 100,
    faces,
    mouth,
    events,
    state: s.challenge.state(),
    delegate: backend,
  });
  if (s.challenge.state().phase === 'done') await finish(s);
}

// Messages are handled strictly in order: a frame must not overtake the start of its session, and
// an abort must land after the frames sent before it.
let queue: Promise<void> = Promise.resolve();
scope.addEventListener('message', (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  queue = queue
    .then(async () => {
      switch (msg.type) {
        case 'init':
          await init(msg);
          break;
        case 'start':
          try {
            start(msg);
          } catch (err) {
            post({ type: 'error', sessionId: msg.sessionId, during: 'start', message: (err as Error).message });
          }
          break;
        case 'frame':
          await onFrame(msg.sessionId, msg.bitmap, msg.tMs);
          break;
        case 'abort': {
          const s = session;
          if (!s || s.id !== msg.sessionId || s.done) break;
          const events = s.challenge.abort(msg.reason, msg.tMs);
          post({ type: 'frame', sessionId: s.id, analysed: false, tMs: s.lastT, inferMs: 0, workMs: 0, faces: 0, mouth: null, events, state: s.challenge.state(), delegate: backend });
          await finish(s);
          break;
        }
        case 'swap': {
          const s = session;
          if (!s || s.id !== msg.sessionId || s.done) break;
          const events = s.challenge.swap();
          post({ type: 'frame', sessionId: s.id, analysed: false, tMs: s.lastT, inferMs: 0, workMs: 0, faces: 0, mouth: null, events, state: s.challenge.state(), delegate: backend });
          break;
        }
        case 'dispose':
          endSession();
          landmarker?.close();
          landmarker = null;
          // The usage logger flushes on close; give its (refused) request a moment to be counted.
          await new Promise((r) => setTimeout(r, 50));
          post({ type: 'disposed', blockedRequests: [...blockedRequests] });
          break;
      }
    })
    .catch((err: unknown) => post({ type: 'error', sessionId: null, during: 'other', message: (err as Error).message }));
});

export type { DelegatePreference };
