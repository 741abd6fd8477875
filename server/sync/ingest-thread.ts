// Runs group commits on a worker thread with its own write connection (decision 047).
//
// On the main thread every driver round trip of a group transaction waits until the event loop has
// finished the HTTP work queued in front of it; at 64 busy phones that made a transaction of four
// round trips last 20–30 ms while it held the write lock. The thread's event loop has nothing else to
// do, so the transaction lasts about as long as SQLite needs, and the main thread pays one message
// each way per group.
import { Worker } from 'node:worker_threads';
import type { OpenOptions } from '../db/sqlite.ts';
import type { Submission, SubmissionResult } from './ingest.ts';

export type ThreadRequest = { kind: 'commit'; id: number; subs: readonly Submission[] } | { kind: 'close' };
export type ThreadReply =
  | { id: number; results: (SubmissionResult | null)[] }
  | { id: number; error: { message: string; name: string; code: string | undefined } };

export interface IngestThread {
  /** Applies the group in one transaction on the thread; rejects when it rolled back. */
  commit(subs: readonly Submission[]): Promise<(SubmissionResult | null)[]>;
  close(): Promise<void>;
}

type Waiter = { resolve: (r: (SubmissionResult | null)[]) => void; reject: (e: Error) => void };

export function startIngestThread(path: string, options: OpenOptions = {}): IngestThread {
  if (path === '' || path === ':memory:') throw new Error('The ingest thread needs a database file: an in-memory database is private to its connection');
  let worker: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
  let nextId = 1;
  const waiting = new Map<number, Waiter>();

  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };

  // Started again on the next group after a crash, so one failure costs one group, not the server.
  const thread = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./ingest-thread-entry.mjs', import.meta.url), { workerData: { path, options }, execArgv: [] });
    w.unref();
    w.on('message', (reply: ThreadReply) => {
      const waiter = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (!waiter) return;
      if ('results' in reply) waiter.resolve(reply.results);
      else waiter.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code }));
    });
    w.on('error', (err) => failAll(err));
    exited = new Promise((resolve) =>
      w.once('exit', () => {
        if (worker === w) worker = null;
        failAll(new Error('The ingest thread stopped before answering'));
        resolve();
      }),
    );
    return (worker = w);
  };

  // Started now, so the first push does not wait for the thread to load its modules.
  thread();
  return {
    commit(subs) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        thread().postMessage({ kind: 'commit', id, subs } satisfies ThreadRequest);
      });
    },
    async close() {
      const w = worker;
      if (!w) return;
      worker = null;
      w.postMessage({ kind: 'close' } satisfies ThreadRequest);
      await exited;
    },
  };
}
