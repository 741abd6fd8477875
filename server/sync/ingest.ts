// Group commit for pushes (decision 012). With synchronous=FULL every COMMIT is an fsync, and one
// fsync per request caps the server far below the ingest target. So pushes queue here: while one
// transaction commits, the next requests wait, and then all of them are applied in ONE transaction
// and answered only after that COMMIT returned. A lone request on an idle server is committed at
// once, so batching costs latency only when there is load to amortise.
//
// A group is applied in three steps, each in its own module: what it needs is read in one statement
// (server/store/ingest-read.ts), every item is decided as data in, data out (ingest-decide.ts), and
// the rows are written (server/store/ingest-write.ts). Per item, the attempt row, its blobs, the
// claimed challenge token, the face-match job and the device's last applied sequence commit
// together. A crash before COMMIT loses the whole group (every client retries: nothing was
// acknowledged); a crash
// after COMMIT but before the response leaves the rows in place, and the retry finds them by id and
// answers `duplicate` with the stored outcome. Nothing is lost, nothing applied twice.
import { sessionStillHolds, type ValidatedSession } from '../auth/auth_session.ts';
import type { Db } from '../db/sqlite.ts';
import { unauthenticated } from '../errors.ts';
import { readGroupState } from '../store/ingest-read.ts';
import { lockKeys, takeWriterLock } from '../store/locks.ts';
import { liveSessionRows } from '../store/sessions.ts';
import { writeGroup } from '../store/ingest-write.ts';
import type { PushResult } from '../../shared/sync.ts';
import { decideGroup, groupKeys } from './ingest-decide.ts';
import type { IngestThread } from './ingest-thread.ts';
import type { PreparedItem } from './prepare.ts';

export interface Submission {
  userId: number;
  deviceId: string;
  receivedAt: number;
  items: PreparedItem[];
  /** The session the request was granted; re-checked against its row inside the transaction. */
  auth: Pick<ValidatedSession, 'session' | 'user'>;
}

export interface SubmissionResult {
  results: PushResult[];
  lastSeq: number;
}

export interface IngestFaults {
  /** Runs inside the transaction after all writes, before COMMIT; throwing rolls the group back. Main thread only. */
  beforeCommit?: (subs: readonly Submission[]) => void | Promise<void>;
  /** Runs after COMMIT, before the answers go out; throwing simulates a crash before the response. */
  afterCommit?: (subs: readonly Submission[]) => void | Promise<void>;
}

export interface IngestStats {
  groups: number;
  submissions: number;
  items: number;
  maxGroup: number;
  /** Wall time from handing a group to its transaction (here or on the ingest thread) to COMMIT returned, ms. */
  commitMs: number;
}

// Bounded so the combined read stays far below SQLite's 32,766 parameters.
const MAX_GROUP_ITEMS = 500;

/** One per app: createApp's deps.ingest, or the app makes its own (server/context.ts). */
export class IngestQueue {
  private pending: { sub: Submission; resolve: (r: SubmissionResult) => void; reject: (e: unknown) => void }[] = [];
  private draining = false;
  faults: IngestFaults = {};
  readonly stats: IngestStats = { groups: 0, submissions: 0, items: 0, maxGroup: 0, commitMs: 0 };

  /** Set by useThread: groups are then committed on the ingest thread (decision 047). */
  private thread: IngestThread | null = null;

  constructor(private readonly db: Db) {}

  /** Commits every later group on `thread`, which writes to the same database file. */
  useThread(thread: IngestThread): void {
    this.thread = thread;
  }

  /** Stops the ingest thread, if any, after the groups already sent to it. */
  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    await thread?.close();
  }

  /** Submissions waiting for the next group. */
  get waiting(): number {
    return this.pending.length;
  }

  submit(sub: Submission): Promise<SubmissionResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ sub, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      let answerLater: (() => void) | null = null;
      while (this.pending.length) {
        let items = 0;
        let n = 0;
        while (n < this.pending.length && (n === 0 || items + this.pending[n]!.sub.items.length <= MAX_GROUP_ITEMS)) items += this.pending[n++]!.sub.items.length;
        const group = this.pending.splice(0, n);
        const committing = this.commit(group.map((g) => g.sub));
        // With the ingest thread, a group's answers wait until the next group has been handed over:
        // the thread then commits while this thread writes the answers (about 5% more attempts/s
        // at 64 phones). In this thread both would share one event loop, so answer at once.
        answerLater?.();
        answerLater = null;
        try {
          const results = await committing;
          const answer = () => group.forEach((g, i) => settle(g, results[i]!));
          if (this.thread && this.pending.length) answerLater = answer;
          else answer();
        } catch (err) {
          if (group.length === 1) {
            group[0]!.reject(err);
            continue;
          }
          // One bad submission must not fail its neighbours: apply them one by one.
          for (const g of group) {
            try {
              settle(g, (await this.commit([g.sub]))[0]!);
            } catch (e) {
              g.reject(e);
            }
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async commit(subs: Submission[]): Promise<(SubmissionResult | null)[]> {
    const started = performance.now();
    const { thread } = this;
    if (thread && this.faults.beforeCommit) throw new Error('faults.beforeCommit runs only in the main thread: do not use the ingest thread with it');
    const results = thread
      ? await thread.commit(subs)
      : await this.db.transaction(
          async () => {
            const r = await applyGroup(this.db, subs);
            await this.faults.beforeCommit?.(subs);
            return r;
          },
          // applyGroup takes its own locks (decision 088).
          { concurrent: true },
        );
    this.stats.commitMs += performance.now() - started;
    this.stats.groups++;
    this.stats.submissions += subs.length;
    const items = subs.reduce((s, x) => s + x.items.length, 0);
    this.stats.items += items;
    this.stats.maxGroup = Math.max(this.stats.maxGroup, subs.length);
    await this.faults.afterCommit?.(subs);
    return results;
  }
}

/** A submission whose session no longer holds (null) was not applied: the request gets a 401. */
function settle(p: { resolve: (r: SubmissionResult) => void; reject: (e: unknown) => void }, result: SubmissionResult | null) {
  if (result) p.resolve(result);
  else p.reject(unauthenticated());
}

/**
 * Applies a group of submissions inside the caller's transaction: read what it needs, decide, write.
 * One result list per submission, or null for a submission whose session ended or changed after the
 * request was let in (nothing of it is written).
 */
export async function applyGroup(db: Db, subs: readonly Submission[]): Promise<(SubmissionResult | null)[]> {
  const keys = groupKeys(subs);
  const lockedFirst = await lockGroup(db, subs, keys);
  let { results, writes } = decideGroup(subs, await readGroupState(db, keys));
  if (!lockedFirst && db.dialect.writerLock) {
    await takeWriterLock(db);
    // A sign-out or a disabled account that committed between the read and the writer lock must
    // still see none of its attempts applied (decision 046): the sessions are read again, and in
    // the rare case one no longer holds, the group is read and decided again, now under the lock.
    const fresh = await liveSessionRows(db, keys.sessionIds);
    if (subs.some((s, i) => results[i] !== null && !sessionStillHolds(fresh.get(s.auth.session.id), s.auth, s.receivedAt))) {
      ({ results, writes } = decideGroup(subs, await readGroupState(db, keys)));
    }
  }
  await writeGroup(db, writes);
  return results;
}

/** The item kinds whose decision depends only on rows lockGroup locks by key. */
const KEYED = new Set<PreparedItem['kind']>(['attempt', 'reject', 'visit']);

/**
 * On PostgreSQL with several instances (decision 088), what the group's decision reads is locked
 * before it is read, so two groups deciding on the same things run one after the other while the
 * rest run side by side: per device its sequence number and earlier answers, per item id whether it
 * was stored, per challenge token whether it was used, per retiree whether a period is certified.
 * The writer lock comes after the decision, before the writes. A group with a link decision, a
 * home-visit request or a consent choice reads rows that the office and the family service change
 * without these keys: it takes the writer lock before its read, as every transaction did before.
 * Nothing on SQLite. Whether the writer lock is already held (true on SQLite: one writer).
 */
async function lockGroup(db: Db, subs: readonly Submission[], keys: ReturnType<typeof groupKeys>): Promise<boolean> {
  if (!db.dialect.writerLock) return true;
  if (!subs.every((s) => s.items.every((i) => KEYED.has(i.kind)))) return takeWriterLock(db).then(() => true);
  const all = [
    ...keys.deviceIds.map((d) => `device:${d}`),
    ...subs.flatMap((s) => s.items.map((i) => `item:${i.id}`)),
    ...keys.tokenIds.map((t) => `token:${t}`),
    ...keys.retireeIds.map((r) => `retiree:${r}`),
  ];
  // Each key is an entry in PostgreSQL's shared lock table (max_locks_per_transaction × connections,
  // 6,400 by default); a group of hundreds of backlogged items takes the writer lock instead.
  if (all.length > MAX_KEY_LOCKS) return takeWriterLock(db).then(() => true);
  await lockKeys(db, all);
  return false;
}

/** Key locks one group may hold: a few instances' groups stay far below the lock table's size. */
const MAX_KEY_LOCKS = 256;
