// The liveness runtime on the main thread: one module Worker that owns the FaceLandmarker, loaded
// once per page and reused by every check (a second check loads neither wasm nor model again).
// Sessions (session.ts) talk to the Worker through the handle returned here.
import type { DelegatePreference, FromWorker, RuntimeInfo, ToWorker } from './protocol.ts';

export const WASM_BASE = '/mediapipe/wasm';
export const MODEL_URL = '/models/face_landmarker.task';

export interface RuntimeOptions {
  /** Default 'auto': GPU only where the Worker has hardware WebGL2, CPU otherwise; GPU errors fall back to CPU. */
  delegate?: DelegatePreference;
  /** Test builds only: see InitMessage.testFailGpu. */
  testFailGpu?: 'init' | 'detect';
}

export class RuntimeLoadError extends Error {
  override name = 'RuntimeLoadError';
  constructor(
    message: string,
    /** 'unsupported' browser, or the model/wasm could not be 'load'ed. */
    readonly kind: 'unsupported' | 'load',
  ) {
    super(message);
  }
}

export interface LivenessRuntime extends RuntimeInfo {
  /** main-thread performance.now() when loading started and when the Worker reported ready. */
  readonly loadStartedAt: number;
  readonly readyAt: number;
  /** Sends a message to the Worker (transfer lists for frames). */
  send(msg: ToWorker, transfer?: Transferable[]): void;
  /** Subscribes to Worker messages; returns the unsubscribe function. */
  listen(fn: (msg: FromWorker) => void): () => void;
  /** Whether a session currently owns the runtime (one check at a time). */
  busy: boolean;
  /** Current delegate (may switch from GPU to CPU if GPU fails mid-check). */
  delegateNow(): RuntimeInfo['delegate'];
  /** Ends the Worker; the next loadLivenessRuntime() starts a new one. Resolves with refused cross-origin requests. */
  dispose(): Promise<string[]>;
}

let current: Promise<LivenessRuntime> | null = null;
let loads = 0;

/** How many times a Worker was started on this page (tests: a second check must not load again). */
export function runtimeLoadCount(): number {
  return loads;
}

/**
 * Starts (once) and returns the runtime. Call early (e.g. when the check screen opens) so the
 * model loads while the person reads the instructions; later calls return the same runtime.
 * A failed load is not cached: calling again retries.
 */
export function loadLivenessRuntime(options: RuntimeOptions = {}): Promise<LivenessRuntime> {
  current ??= start(options).catch((err: unknown) => {
    current = null;
    throw err;
  });
  return current;
}

function start(options: RuntimeOptions): Promise<LivenessRuntime> {
  loads++;
  const loadStartedAt = performance.now();
  let worker: Worker;
  try {
    worker = new Worker(new URL('./inference-thread.ts', import.meta.url), { type: 'module', name: 'stillhere-liveness' });
  } catch (err) {
    return Promise.reject(new RuntimeLoadError(`module Worker unavailable: ${(err as Error).message}`, 'unsupported'));
  }
  const listeners = new Set<(msg: FromWorker) => void>();
  let delegate: RuntimeInfo['delegate'] = 'CPU';
  worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
    if (e.data.type === 'frame') delegate = e.data.delegate;
    for (const fn of [...listeners]) fn(e.data);
  });

  return new Promise<LivenessRuntime>((resolve, reject) => {
    const fail = (err: RuntimeLoadError) => {
      worker.terminate();
      reject(err);
    };
    worker.addEventListener('error', (e) => fail(new RuntimeLoadError(`the liveness worker failed to start: ${e.message || 'script error'}`, 'load')), { once: true });
    const onInit = (msg: FromWorker) => {
      if (msg.type === 'init_error') {
        listeners.delete(onInit);
        fail(new RuntimeLoadError(msg.message, msg.kind));
      } else if (msg.type === 'ready') {
        listeners.delete(onInit);
        delegate = msg.delegate;
        const { type: _type, ...info } = msg;
        const runtime: LivenessRuntime = {
          ...info,
          loadStartedAt,
          readyAt: performance.now(),
          busy: false,
          send: (m, transfer) => worker.postMessage(m, transfer ?? []),
          listen(fn) {
            listeners.add(fn);
            return () => listeners.delete(fn);
          },
          delegateNow: () => delegate,
          dispose() {
            return new Promise<string[]>((done) => {
              const timer = setTimeout(() => finish([]), 2000);
              const finish = (blocked: string[]) => {
                clearTimeout(timer);
                worker.terminate();
                if (current) current = null;
                done(blocked);
              };
              listeners.add((m) => {
                if (m.type === 'disposed') finish(m.blockedRequests);
              });
              worker.postMessage({ type: 'dispose' } satisfies ToWorker);
            });
          },
        };
        resolve(runtime);
      }
    };
    listeners.add(onInit);
    const init: ToWorker = { type: 'init', wasmBase: WASM_BASE, modelUrl: MODEL_URL, delegate: options.delegate ?? 'auto' };
    if (__TEST_BUILD__ && options.testFailGpu) init.testFailGpu = options.testFailGpu;
    worker.postMessage(init);
  });
}
