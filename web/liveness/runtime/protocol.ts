// Messages between the main thread (session.ts, engine.ts) and the inference thread (inference-thread.ts, a module Web Worker).
// Everything is structured-clonable; ImageBitmaps are transferred, never copied.
import type { ChallengeSequence, Delegate, LivenessResult } from '../../../shared/liveness.ts';
import type { AbortReason, ChallengeEvent, ChallengeState, PersonSwap } from '../challenge.ts';

/** 'auto': GPU where a hardware WebGL2 exists in the worker, else CPU; any GPU error → CPU. */
export type DelegatePreference = 'auto' | 'CPU' | 'GPU';

export interface InitMessage {
  type: 'init';
  /** Folder of the MediaPipe wasm files, on our origin ("/mediapipe/wasm"). */
  wasmBase: string;
  /** The FaceLandmarker model, on our origin ("/models/face_landmarker.task"). */
  modelUrl: string;
  delegate: DelegatePreference;
  /**
   * Test builds only (ignored otherwise): make the GPU delegate fail at creation ('init') or at its
   * first frame ('detect'), to prove the CPU fallback where no real GPU exists (CI has SwiftShader only).
   */
  testFailGpu?: 'init' | 'detect';
}

export interface StartMessage {
  type: 'start';
  sessionId: number;
  sequence: ChallengeSequence;
  challengeId?: string;
  /** Side of the square JPEG key-frame crops, px. */
  keyFrameSize: number;
  /** Test builds only (ignored otherwise): a shorter total time before `timed_out`. */
  testTotalTimeoutMs?: number;
  /** No total time: only the person ends the check (the phone's own check, decision 076). */
  untimed?: boolean;
  /** The person's swaps from an earlier run of this challenge (before a pause). */
  swaps?: PersonSwap[];
}

export interface FrameMessage {
  type: 'frame';
  sessionId: number;
  bitmap: ImageBitmap;
  /** Capture time on the main thread's performance.now() clock; strictly increasing. */
  tMs: number;
}

export interface AbortMessage {
  type: 'abort';
  sessionId: number;
  reason: AbortReason;
  tMs?: number;
}

/** The person asks for another action at the current step ("换一个动作"). */
export interface SwapMessage {
  type: 'swap';
  sessionId: number;
}

export interface DisposeMessage {
  type: 'dispose';
}

export type ToWorker = InitMessage | StartMessage | FrameMessage | AbortMessage | SwapMessage | DisposeMessage;

export interface RuntimeInfo {
  /** The delegate that runs inference now. */
  delegate: Exclude<Delegate, 'unknown'>;
  requested: DelegatePreference;
  /** Why GPU was not used when it was asked for or tried (no hardware WebGL2, init error, …). */
  gpuNote: string | null;
  /** True when this code runs in a (module) WorkerGlobalScope: reported by the worker itself. */
  inWorker: boolean;
  wasmLoader: string;
  /** Worker-side load timings, ms: wasm + model + graph (initMs), and from the init message (loadMs). */
  initMs: number;
  loadMs: number;
}

export interface ReadyMessage extends RuntimeInfo {
  type: 'ready';
}

export interface InitErrorMessage {
  type: 'init_error';
  message: string;
  /** 'unsupported': no wasm SIMD / no OffscreenCanvas; 'load': fetching or starting the model failed. */
  kind: 'unsupported' | 'load';
}

export interface FrameResultMessage {
  type: 'frame';
  sessionId: number;
  /** True for an analysed camera frame; false for the events of an abort or a swap (no frame). */
  analysed: boolean;
  tMs: number;
  /** detectForVideo wall time. */
  inferMs: number;
  /** Whole per-frame work in the worker: pixels, inference, signals, challenge, key-frame crop. */
  workMs: number;
  faces: number;
  /** jawOpen of the one face (null without exactly one): the read-digits voice is judged against it (voice/av-sync.ts). */
  mouth: number | null;
  events: ChallengeEvent[];
  state: ChallengeState;
  /** The delegate that processed this frame (it changes if GPU failed mid-check). */
  delegate: Exclude<Delegate, 'unknown'>;
}

export interface KeyFrameOut {
  /** Frame time (main-thread clock) and the engine's key-frame score. */
  tMs: number;
  score: number;
  blob: Blob;
  width: number;
  height: number;
  /** JPEG quality used (lowered until the file fits). */
  quality: number;
}

export interface DoneMessage {
  type: 'done';
  sessionId: number;
  result: LivenessResult;
  keyFrames: KeyFrameOut[];
  /** Cross-origin requests the worker refused (MediaPipe's usage logger, see inference-thread.ts). */
  blockedRequests: string[];
  delegate: Exclude<Delegate, 'unknown'>;
  gpuNote: string | null;
}

export interface WorkerErrorMessage {
  type: 'error';
  sessionId: number | null;
  /** 'start': the check could not begin (the session fails); 'frame': the model threw (the check ends as failed(engine_error)). */
  during: 'start' | 'frame' | 'other';
  message: string;
}

export interface DisposedMessage {
  type: 'disposed';
  blockedRequests: string[];
}

export type FromWorker = ReadyMessage | InitErrorMessage | FrameResultMessage | DoneMessage | WorkerErrorMessage | DisposedMessage;
