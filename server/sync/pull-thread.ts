// Pulls answered on their own thread and read-only connection (decision 053).
//
// A pull makes some eight reads one after another (the roster's rows, periods, certifications,
// checks waiting for their face match, the device's sequence, attempt outcomes). On the main thread
// each read's answer waits for a turn of the event loop, and under push load a turn is long: every
// push in flight has HTTP, validation and hashing to do in it. Pushes need one or two turns of their
// own (their writes are on the ingest thread, decision 047), so pulls, with eight, fell behind:
// under 256 pushing phones a pull took 0.4 s at p50 and 2.9 s at p99 here, and more on a slower
// machine (issue 15: p50 4–14 s). On this thread the reads follow each other as soon as SQLite is
// done, and the main thread pays one message each way per pull.
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/sqlite.ts';
import { answerPull, type PullJob } from './pull.ts';

export type PullThreadRequest = { kind: 'pull'; id: number; job: PullJob } | { kind: 'close' };
export type PullThreadReply = { id: number; body: string | null } | { id: number; error: { message: string; name: string } } | { ready: true };

export interface PullThread {
  /** The pull's answer as JSON text (serialised on the thread, which has the time); null when the session no longer holds. */
  answer(job: PullJob): Promise<string | null>;
  /** True once the thread has loaded and opened its connection (it takes a second or two to start). */
  ready(): boolean;
  close(): Promise<void>;
}

type Waiter = { resolve: (body: string | null) => void; reject: (e: Error) => void };

export function startPullThread(path: string): PullThread {
  if (path === '' || path === ':memory:') throw new Error('The pull thread needs a database file: an in-memory database is private to its connection');
  // Not a SQLite file named by a URL: on PostgreSQL pulls read through the pool, in process (decision 081).
  if (/^postgres(ql)?:\/\//.test(path)) throw new Error('The pull thread reads the SQLite file; on PostgreSQL pulls are answered in process, on the pool');
  let worker: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
  let nextId = 1;
  let isReady = false;
  const waiting = new Map<number, Waiter>();

  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };

  // Started again on the next pull after a crash: one failure costs the pulls in flight (answered
  // 500, the phone pulls again), not the server.
  const thread = (): Worker => {
    if (worker) return worker;
    const w = new Worker(new URL('./pull-thread-entry.mjs', import.meta.url), { workerData: { path }, execArgv: [] });
    w.unref();
    w.on('message', (reply: PullThreadReply) => {
      if ('ready' in reply) {
        isReady = worker === w;
        return;
      }
      const waiter = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (!waiter) return;
      if ('body' in reply) waiter.resolve(reply.body);
      else waiter.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    });
    w.on('error', (err) => failAll(err));
    exited = new Promise((resolve) =>
      w.once('exit', () => {
        if (worker === w) {
          worker = null;
          isReady = false;
        }
        failAll(new Error('The pull thread stopped before answering'));
        resolve();
      }),
    );
    return (worker = w);
  };

  thread();
  return {
    ready: () => isReady,
    answer(job) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        thread().postMessage({ kind: 'pull', id, job } satisfies PullThreadRequest);
      });
    },
    async close() {
      const w = worker;
      if (!w) return;
      worker = null;
      isReady = false;
      w.postMessage({ kind: 'close' } satisfies PullThreadRequest);
      await exited;
    },
  };
}

/** Answers pulls on the pull thread once one is set (the server), in process otherwise (tests). */
export class PullAnswerer {
  private thread: PullThread | null = null;

  constructor(private readonly db: Db) {}

  useThread(thread: PullThread): void {
    this.thread = thread;
  }

  // Until the thread has started (after the server began listening, or after a crash), pulls are
  // answered here: the first pulls after a start must not wait the second or two it takes to load.
  async answer(job: PullJob): Promise<string | null> {
    if (this.thread?.ready()) return this.thread.answer(job);
    const answer = await answerPull(this.db, job);
    return answer && JSON.stringify(answer);
  }

  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    await thread?.close();
  }
}

