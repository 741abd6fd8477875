// Face threads for the server (decision 049): describing one image takes 0.1 s (key frame) to
// 0.9 s (photo) of pure CPU, which must not block the event loop that answers the phones. Each
// thread loads its own model (≈40 MB); requests go to the thread with the fewest in flight.
import { Worker } from 'node:worker_threads';
import { UnreadableImageError } from './decode.ts';
import type { FaceReading, ImageKind } from './face-model.ts';

export type PoolRequest =
  | { kind: 'describe'; id: number; bytes: Uint8Array; imageKind: ImageKind }
  | { kind: 'crash' }
  | { kind: 'close' };
export type PoolReply =
  | { kind: 'ready' }
  | { kind: 'failed'; error: SerializedError }
  | { kind: 'reading'; id: number; reading: FaceReading }
  | { kind: 'error'; id: number; error: SerializedError };
type SerializedError = { name: string; message: string };

export interface FacePool {
  /** Resolves when every thread has its model loaded; rejects if a thread cannot load it. */
  ready(): Promise<void>;
  describe(bytes: Uint8Array, kind: ImageKind): Promise<FaceReading>;
  /** Threads, for tests and the benchmark. */
  readonly size: number;
  /** Lets the threads finish what they hold, then stops them. Later describes reject. */
  close(): Promise<void>;
  /** Tests only: makes one thread exit abruptly, as a crash would. */
  crashOneForTest(): void;
}

type Waiter = { resolve: (r: FaceReading) => void; reject: (e: Error) => void };

interface Slot {
  worker: Worker;
  inFlight: Map<number, Waiter>;
  ready: Promise<void>;
  exited: Promise<void>;
  refresh: () => void;
}

export function startFacePool({ size = 2 }: { size?: number } = {}): FacePool {
  if (!Number.isInteger(size) || size < 1) throw new Error(`A face pool needs at least one thread (got ${size})`);
  let nextId = 1;
  let closed = false;
  const slots: Slot[] = [];

  const spawn = (index: number): Slot => {
    const worker = new Worker(new URL('./face-thread-entry.mjs', import.meta.url), { execArgv: [] });
    // Referenced only while it loads or has work: an idle pool never keeps the process alive, but a
    // script awaiting a reading is not left with an empty event loop (Node would exit mid-await).
    const inFlight = new Map<number, Waiter>();
    let loading = true;
    const refresh = () => (loading || inFlight.size ? worker.ref() : worker.unref());
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    ready.catch(() => {}).finally(() => {
      loading = false;
      refresh();
    }); // failures are observed through pool.ready() or a describe; never unhandled
    worker.on('message', (reply: PoolReply) => {
      if (reply.kind === 'ready') return readyResolve();
      if (reply.kind === 'failed') return readyReject(toError(reply.error));
      const waiter = inFlight.get(reply.id);
      inFlight.delete(reply.id);
      refresh();
      if (!waiter) return;
      if (reply.kind === 'reading') waiter.resolve(reply.reading);
      else waiter.reject(toError(reply.error));
    });
    worker.on('error', (err) => {
      readyReject(err);
      failAll(inFlight, err);
    });
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', (code) => {
        const err = new Error(`The face thread stopped (exit code ${code}) before answering`);
        readyReject(err);
        failAll(inFlight, err);
        // A crashed thread is replaced at once, so the pool keeps its size; not after close().
        if (!closed && slots[index]?.worker === worker) slots[index] = spawn(index);
        resolve();
      }),
    );
    return { worker, inFlight, ready, exited, refresh };
  };

  for (let i = 0; i < size; i++) slots.push(spawn(i));

  return {
    size,
    ready: async () => {
      await Promise.all(slots.map((s) => s.ready));
    },
    describe(bytes, kind) {
      if (closed) return Promise.reject(new Error('The face pool is closed'));
      const slot = slots.reduce((a, b) => (b.inFlight.size < a.inFlight.size ? b : a));
      const id = nextId++;
      // A copy, transferred: the caller's bytes may be a view into a larger (pooled) buffer, which
      // structured cloning would copy whole, and the caller keeps its own bytes intact.
      const copy = Uint8Array.from(bytes);
      return new Promise<FaceReading>((resolve, reject) => {
        slot.inFlight.set(id, { resolve, reject });
        slot.refresh();
        slot.worker.postMessage({ kind: 'describe', id, bytes: copy, imageKind: kind } satisfies PoolRequest, [copy.buffer]);
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      // Each thread handles messages in order: the close comes after everything already sent.
      // Referenced until they exit, so awaiting close() in a script does not end the process first.
      for (const s of slots) {
        s.worker.ref();
        s.worker.postMessage({ kind: 'close' } satisfies PoolRequest);
      }
      await Promise.all(slots.map((s) => s.exited));
    },
    crashOneForTest() {
      slots[0]!.worker.postMessage({ kind: 'crash' } satisfies PoolRequest);
    },
  };
}

function failAll(inFlight: Map<number, Waiter>, err: Error) {
  for (const w of inFlight.values()) w.reject(err);
  inFlight.clear();
}

// Errors cross the thread boundary as name + message; the typed ones are rebuilt so callers can
// use instanceof (an unreadable upload is the client's fault, anything else is ours).
function toError(e: SerializedError): Error {
  if (e.name === 'UnreadableImageError') return new UnreadableImageError(e.message);
  return Object.assign(new Error(e.message), { name: e.name });
}
