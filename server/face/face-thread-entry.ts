// One face thread: loads the model once, then describes images one at a time, as asked by
// face-pool.ts. tfjs-wasm runs single-threaded here, so a thread is one core's worth of work.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { loadFaceModel } from './face-model.ts';
import type { PoolReply, PoolRequest } from './face-pool.ts';

const port = parentPort!;

// Face reading may take every core for minutes during a rush; pushes and pulls must not wait for it
// (decision 050). On Linux, setpriority for "0" lowers only the calling thread, so the server's
// main and ingest threads keep their priority. Elsewhere it may lower the whole process, or fail:
// then the pool simply runs at normal priority.
try {
  if (process.platform === 'linux') setPriority(0, 10);
} catch {
  // not allowed here: no harm
}

try {
  const model = await loadFaceModel();
  // Warm up both detectors (the first run of a net compiles its kernels: ≈2 s), so ready() means
  // the first real request is as fast as the rest.
  await model.describePixels({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128) }, 'keyframe');
  // One request at a time, in arrival order: the CPU is the limit anyway, and a 'close' then comes
  // strictly after the answers to everything sent before it.
  let queue = Promise.resolve();
  port.on('message', (msg: PoolRequest) => {
    queue = queue.then(() => handle(msg));
  });
  const handle = async (msg: PoolRequest) => {
    if (msg.kind === 'close') {
      port.close();
      return;
    }
    if (msg.kind === 'crash') process.exit(70); // tests only: a thread that dies mid-request
    let reply: PoolReply;
    const transfer: ArrayBuffer[] = [];
    try {
      const r = await model.describe(msg.bytes, msg.imageKind);
      reply = { kind: 'reading', id: msg.id, reading: r };
      if (r.descriptor) transfer.push(r.descriptor.buffer as ArrayBuffer);
    } catch (err) {
      const e = err as Error;
      reply = { kind: 'error', id: msg.id, error: { name: e.name, message: e.message } };
    }
    port.postMessage(reply, transfer);
  };
  port.postMessage({ kind: 'ready' } satisfies PoolReply);
} catch (err) {
  const e = err as Error;
  port.postMessage({ kind: 'failed', error: { name: e.name, message: e.message } } satisfies PoolReply);
}
