// scrypt on threads of its own, at a lower priority (decision 051). On libuv's pool each hash took
// a thread that SQLite and the files share, and a core at the event loop's priority: on a two-core
// server a sign-in flood kept /api/health waiting. Here the hashes still use every idle core, but
// the event loop, SQLite and the ingest thread come first. The threads start on the first hash;
// the hash queue never asks for more at once than there are threads.
import { Worker } from 'node:worker_threads';
import type { Derive } from './password.ts';

interface Reply {
  id: number;
  key?: Uint8Array;
  error?: string;
}

export function hashThreads(size: number): { derive: Derive; close(): Promise<void> } {
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const pending = new Map<number, { resolve: (key: Buffer) => void; reject: (err: Error) => void }>();
  const current = new Map<Worker, number>();
  let nextId = 0;

  function settle(worker: Worker, id: number | undefined, outcome: { key: Buffer } | { error: Error }) {
    current.delete(worker);
    const p = id === undefined ? undefined : pending.get(id);
    if (id !== undefined) pending.delete(id);
    if ('key' in outcome) p?.resolve(outcome.key);
    else p?.reject(outcome.error);
  }

  function start(): Worker {
    const worker = new Worker(new URL('./hash-thread.mjs', import.meta.url), { execArgv: [] });
    worker.on('message', (msg: Reply) => {
      settle(worker, msg.id, msg.key ? { key: Buffer.from(msg.key) } : { error: new Error(msg.error ?? 'scrypt gave no key') });
      release(worker);
    });
    // A thread that dies fails its hash (the request answers 500) and is replaced.
    worker.on('error', (err) => {
      settle(worker, current.get(worker), { error: err });
      workers.splice(workers.indexOf(worker), 1);
      if (waiting.length) waiting.shift()!(start());
    });
    workers.push(worker);
    return worker;
  }

  function release(worker: Worker) {
    const next = waiting.shift();
    if (next) return next(worker);
    // An idle thread must not keep the process alive.
    worker.unref();
    idle.push(worker);
  }

  const acquire = () =>
    new Promise<Worker>((resolve) => {
      const w = idle.pop() ?? (workers.length < size ? start() : undefined);
      if (w) resolve(w);
      else waiting.push(resolve);
    });

  return {
    async derive(secret, salt, keyLength, options) {
      const worker = await acquire();
      worker.ref();
      const id = nextId++;
      return new Promise<Buffer>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        current.set(worker, id);
        worker.postMessage({ id, secret, salt: new Uint8Array(salt), keyLength, options });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
