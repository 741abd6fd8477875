// Works the face-match queue (decision 050): leases jobs from the database, reads each attempt's key
// frames through the face pool (worker threads), matches them against the retiree's active
// references, and records the decision. The push never waits for any of this: it stores the attempt
// as `verifying` and answers; the phone learns the outcome on a later pull.
import { createHash, createHmac } from 'node:crypto';
import { jpegInfo } from '../../shared/media.ts';
import type { Db } from '../db/sqlite.ts';
import type { Logger } from '../errors.ts';
import type { FaceReading, ImageKind } from '../face/face-model.ts';
import { decideMatch, faceDistance, keyframeFacesProblem, type MatchVerdict } from '../face/match-rules.ts';
import { claimJobs, dropJob, matchInput, periodApproved, recordMatch, releaseLeases, retryLater, type MatchInput, type MatchRecord } from '../store/match-jobs.ts';
import { workerChecksInHour } from '../store/attempts.ts';
import { activeDescriptors } from '../store/reference-faces.ts';
import { signingSecret } from '../sync/tokens.ts';
import { decideAttempt, type AttemptDecision, type HoldReason } from './decide-attempt.ts';

/** Reads faces: the worker-thread pool in the server, the same engine in tests and tools. */
export interface FaceReader {
  describe(bytes: Uint8Array, kind: ImageKind): Promise<FaceReading>;
}

export interface MatchQueueOptions {
  db: Db;
  faces: FaceReader;
  now?: () => number;
  logger?: Pick<Logger, 'error'>;
  /** Jobs worked at once: enough to keep every face thread busy while the database is read and written. */
  concurrency?: number;
  /** How long a leased job is left alone before another run may take it (a crash mid-match). */
  leaseMs?: number;
  /** How long the queue sleeps when it found nothing to do. */
  idleMs?: number;
  /** Tries before a job that keeps failing goes to the office as `match_failed`. */
  maxTries?: number;
  /** Which of a worker's assisted checks the office sees even when the face matches (issue 15). */
  workerAudit?: WorkerAudit;
}

export interface WorkerAudit {
  /** Share (0..1) of a worker's matched checks held for the office, drawn at random per attempt. */
  share: number;
  /** More passed checks than this by one worker within an hour is not a pace anyone keeps door to door. */
  maxPerHour: number;
}

export const DEFAULT_WORKER_AUDIT: WorkerAudit = { share: 0.05, maxPerHour: 20 };

export interface MatchQueue {
  /** Claims and decides free jobs until none is left; resolves with how many it decided. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

const UNREADABLE = 'UnreadableImageError';

export function startMatchQueue(options: MatchQueueOptions, { loop = true } = {}): MatchQueue {
  const { db, faces } = options;
  const now = options.now ?? Date.now;
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? 120_000;
  const idleMs = options.idleMs ?? 500;
  const maxTries = options.maxTries ?? 5;
  const workerAudit = options.workerAudit ?? DEFAULT_WORKER_AUDIT;
  let stopped = false;
  let wakeUp: (() => void) | null = null;

  async function describeFrames(input: MatchInput): Promise<(FaceReading | null)[]> {
    return Promise.all(
      input.frames.map(async (f) => {
        try {
          return await faces.describe(f.data, 'keyframe');
        } catch (err) {
          // A frame the decoder cannot read shows no usable face; anything else is the server's problem.
          if ((err as Error).name === UNREADABLE) return null;
          throw err;
        }
      }),
    );
  }

  async function decide(input: MatchInput): Promise<MatchRecord> {
    const refs = await activeDescriptors(db, input.retireeId);
    const readings = await describeFrames(input);
    const descriptors = readings.map((r) => r?.descriptor ?? null);
    const verdict: MatchVerdict = decideMatch(descriptors, refs.map((r) => r.descriptor));
    const best = verdict.bestFrame === null ? null : descriptors[verdict.bestFrame]!;
    const closest = best ? refs.reduce((a, b) => (faceDistance(best, b.descriptor) < faceDistance(best, a.descriptor) ? b : a)) : null;
    const clearestFrame = readings.reduce<number | null>((at, r, i) => (r?.descriptor && (at === null || (r.score ?? 0) > (readings[at]!.score ?? 0)) ? i : at), null);
    const alreadyApproved = input.periodId !== null && (await periodApproved(db, input.retireeId, input.periodId));
    const hold = verdict.decision === 'match' ? await holdReason(input, readings) : null;
    const decision = decideAttempt({ verdict, alreadyApproved, clearestFrame, enrolled: input.enrolment === 'verified', hold });
    return {
      input,
      decision,
      match: { decision: verdict.decision, distance: verdict.distance, referenceId: closest?.id ?? null },
      reference: decision.reference ? referenceFrame(input, decision.reference.frame, descriptors[decision.reference.frame]!) : null,
      at: now(),
    };
  }

  /** Why a check whose face matches still goes to the office first; null when it may certify. */
  async function holdReason(input: MatchInput, readings: readonly (FaceReading | null)[]): Promise<HoldReason | null> {
    const frames = readings.map((r, i) => (r ? { faces: r.faces, faceWidthPx: r.box ? r.box.w * (jpegInfo(input.frames[i]!.data)?.width ?? 0) : null } : null));
    if (keyframeFacesProblem(frames)) return 'keyframe_faces';
    if (input.method !== 'worker') return null;
    if ((await workerChecksInHour(db, input.userId, input.receivedAt)) > workerAudit.maxPerHour) return 'worker_rate';
    return (await sampled(input.attemptId)) ? 'worker_sample' : null;
  }

  // Keyed with the server's secret: attempt ids come from the phone, and a worker who could compute
  // which ids escape the sample would choose those.
  async function sampled(attemptId: string): Promise<boolean> {
    const mac = createHmac('sha256', await signingSecret(db)).update(`worker-sample:${attemptId}`).digest();
    return mac.readUInt32BE(0) / 0x1_0000_0000 < workerAudit.share;
  }

  async function work(attemptId: string): Promise<boolean> {
    const input = await matchInput(db, attemptId);
    if (!input) {
      await dropJob(db, attemptId);
      return false;
    }
    try {
      return await recordMatch(db, await decide(input));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      options.logger?.error('face match failed', { attemptId, tries: input.tries, error: message });
      if (input.tries < maxTries) {
        await retryLater(db, attemptId, now() + Math.min(600_000, 5_000 * 2 ** input.tries), message);
        return false;
      }
      // Never certified, never dropped: a person looks at it.
      const failed: AttemptDecision = { outcome: 'review', reviewReason: 'match_failed', certification: 'pending_review', reference: null };
      return recordMatch(db, { input, decision: failed, match: { decision: null, distance: null, referenceId: null }, reference: null, at: now() });
    }
  }

  let draining: Promise<number> | null = null;
  async function drainOnce(): Promise<number> {
    let decided = 0;
    for (;;) {
      const ids = await claimJobs(db, now(), leaseMs, concurrency);
      if (!ids.length) return decided;
      decided += (await Promise.all(ids.map(work))).filter(Boolean).length;
      if (stopped) return decided;
    }
  }
  const drain = () => (draining ??= drainOnce().finally(() => (draining = null)));

  const running = (async () => {
    if (!loop) return;
    // Several instances may share a PostgreSQL database: their leases are live (decision 088).
    if (db.engine === 'sqlite') await releaseLeases(db);
    while (!stopped) {
      try {
        await drain();
      } catch (err) {
        options.logger?.error('match queue', { error: err instanceof Error ? err.message : String(err) });
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
  })();

  return {
    drain,
    async stop() {
      stopped = true;
      wakeUp?.();
      await running;
      await draining;
    },
  };
}

/** The key frame kept as a reference face, with what the store needs to know about it. */
function referenceFrame(input: MatchInput, index: number, descriptor: Float32Array): MatchRecord['reference'] {
  const data = input.frames[index]!.data;
  const info = jpegInfo(data);
  return {
    descriptor,
    photo: data,
    photoType: 'image/jpeg',
    sha256: createHash('sha256').update(data).digest('hex'),
    width: info?.width ?? 0,
    height: info?.height ?? 0,
  };
}
