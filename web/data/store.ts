// Writing and reading attempts on the phone. An attempt, its blobs, its outbox entry and the next
// sequence number are written in ONE strict transaction: after `saveAttempt` resolves, the attempt
// exists and will be sent; if the tab dies before, none of it exists (IndexedDB is atomic).
import { generateSequence, randomSeed, type ChallengeSequence, type LivenessResult } from '../../shared/liveness.ts';
import { audioProblem, frameProblem } from '../../shared/media.ts';
import { enrolmentBinding, sealSignature } from '../../shared/signature.ts';
import { SYNC_LIMITS, type SignatureKey, type SyncMethod } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { claimSeq, getSetting, isQuotaError, type AppDb, type AttemptRecord, type BlobRecord, type ChallengeRecord, type SyncState } from './db.ts';
import { BadEvidenceError, NoSignatureKeyError, StorageFullError } from './errors.ts';

export { BadEvidenceError, NoSignatureKeyError, StorageFullError };

export interface CheckChallenge {
  /** Null when no server token was left: the check still runs, and the office reviews it. */
  id: string | null;
  token: string | null;
  seed: number;
  sequence: ChallengeSequence;
  /** When the server token stops being accepted (absent for a local seed): a check resumed after a pause takes a fresh challenge past it. */
  expiresAt?: number;
}

/**
 * The challenge for the next check: a cached server token (removed from the cache, so it is used
 * once), or, when none is left, a local random seed.
 */
export async function takeChallenge(db: AppDb, userId: number, now = Date.now()): Promise<CheckChallenge> {
  const grant = await db.transaction('rw', db.challenges, async () => {
    const all = await db.challenges.where('[userId+expiresAt]').between([userId, now], [userId, Infinity]).first();
    if (all) await db.challenges.delete(all.id);
    return all ?? null;
  });
  if (grant) return { id: grant.id, token: grant.token, seed: grant.seed, sequence: generateSequence(grant.seed), expiresAt: grant.expiresAt };
  const seed = randomSeed();
  return { id: null, token: null, seed, sequence: generateSequence(seed) };
}

export async function cachedChallengeCount(db: AppDb, userId: number, now = Date.now()): Promise<number> {
  return db.challenges.where('[userId+expiresAt]').between([userId, now], [userId, Infinity]).count();
}

export interface NewAttempt {
  userId: number;
  retireeId: number;
  method: SyncMethod;
  challenge: Pick<CheckChallenge, 'id' | 'token'>;
  result: LivenessResult;
  /** JPEG key frames, 2-3, each ≤20 KB. */
  frames?: Uint8Array[];
  audio?: { data: Uint8Array; type: string; durationMs: number } | null;
  /**
   * Workers only (issue 14): an in-person enrolment of a retiree without a reference face. The
   * worker's password as typed, for a passed check with at least one key frame; sealed here at once
   * (bound to the attempt and its first key frame), never stored. NoSignatureKeyError before
   * anything is written when the phone has no key yet.
   */
  enrolmentPassword?: string;
  /** Test hook: runs inside the write transaction (the sync-faults bench kills "tabs" here). */
  midWrite?: () => void | Promise<void>;
}

async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Saves a finished check. Resolves with the attempt id once it is durably on the phone. A full disk
 * first retries without the evidence blobs (the result alone is small, and the record says the
 * pictures were dropped); if even that fails, StorageFullError.
 */
export async function saveAttempt(db: AppDb, input: NewAttempt, now = Date.now()): Promise<string> {
  const frames = input.frames ?? [];
  if (frames.length > SYNC_LIMITS.maxFramesPerAttempt) throw new BadEvidenceError('too many frames');
  for (const f of frames) {
    const p = frameProblem(f);
    if (p) throw new BadEvidenceError(`frame: ${p}`);
  }
  if (input.audio) {
    const p = audioProblem(input.audio.data, input.audio.type, input.audio.durationMs);
    if (p) throw new BadEvidenceError(`audio: ${p}`);
  }
  const id = uuidv7(now);
  const blobs: BlobRecord[] = [];
  for (const [index, data] of frames.entries()) blobs.push({ id: `${id}:${index}`, attemptId: id, index, kind: 'frame', type: 'image/jpeg', data, sha256: await sha256Hex(data) });
  if (input.audio) {
    const index = blobs.length;
    blobs.push({ id: `${id}:${index}`, attemptId: id, index, kind: 'audio', type: input.audio.type, data: input.audio.data, sha256: await sha256Hex(input.audio.data), durationMs: input.audio.durationMs });
  }
  const total = blobs.reduce((s, b) => s + b.data.length, 0);
  if (total > SYNC_LIMITS.maxRequestBytes - 8 * 1024) throw new BadEvidenceError('evidence over the per-attempt limit');

  // An in-person enrolment: the worker's signature, bound to the first key frame (the server would
  // refuse the whole attempt for an enrolment without a frame or from anybody but a worker).
  let enrolmentSignature: string | undefined;
  if (input.enrolmentPassword !== undefined) {
    if (input.method !== 'worker') throw new BadEvidenceError('enrolment: only community workers enrol');
    if (input.result.verdict !== 'passed') throw new BadEvidenceError('enrolment: the check did not pass');
    if (!input.enrolmentPassword) throw new BadEvidenceError('enrolment: signature missing');
    const first = blobs.find((b) => b.kind === 'frame');
    if (!first) throw new BadEvidenceError('enrolment: needs a key frame');
    const key = await getSetting(db, 'signatureKey');
    if (!key) throw new NoSignatureKeyError();
    enrolmentSignature = await sealSignature(key, input.enrolmentPassword, enrolmentBinding({ id, retireeId: input.retireeId, userId: input.userId, frameSha256: first.sha256 }));
  }

  const write = (keep: BlobRecord[]) =>
    db.transaction('rw', [db.attempts, db.blobs, db.outbox, db.settings], async () => {
      const seq = await claimSeq(db, input.userId);
      const record: AttemptRecord = {
        id,
        userId: input.userId,
        retireeId: input.retireeId,
        method: input.method,
        seq,
        createdAt: now,
        challengeId: input.challenge.id,
        challengeToken: input.challenge.token,
        result: input.result,
        frames: frames.length,
        audio: input.audio ? 1 : 0,
        syncState: 'waiting',
      };
      if (keep.length < blobs.length) record.blobsDropped = true;
      // Without its key frames an enrolment cannot be verified (and the server would refuse the
      // attempt): the check is then an ordinary one.
      if (enrolmentSignature && keep.some((b) => b.kind === 'frame')) {
        record.enrolmentSignature = enrolmentSignature;
        record.enrolment = true;
      }
      await db.attempts.add(record);
      if (keep.length) await db.blobs.bulkAdd(keep);
      await input.midWrite?.();
      await db.outbox.add({ id, userId: input.userId, seq, kind: 'attempt', tries: 0 });
    });

  try {
    await write(blobs);
  } catch (err) {
    if (!isQuotaError(err)) throw err;
    if (!blobs.length) throw new StorageFullError();
    try {
      await write([]);
    } catch (err2) {
      throw isQuotaError(err2) ? new StorageFullError() : err2;
    }
  }
  return id;
}

export async function attemptsOf(db: AppDb, userId: number, limit = 50): Promise<AttemptRecord[]> {
  return db.attempts.where('[userId+createdAt]').between([userId, -Infinity], [userId, Infinity]).reverse().limit(limit).toArray();
}

export interface SyncSummary {
  waiting: number;
  sending: number;
  attention: number;
  sent: number;
  lastSuccessAt: number | null;
  /** The server said this session is no longer valid: sending waits for a new sign-in. */
  needsSignIn: boolean;
  /**
   * The server's daily quota is used up (issue 15, decision 052): the waiting records stay on the
   * phone and are sent again from this time (the phone's clock); null when nothing is held.
   */
  heldUntil: number | null;
}

export interface SyncMeta {
  failures: number;
  nextAttemptAt: number;
  lastSuccessAt: number | null;
  lastError: string | null;
  needsSignIn: boolean;
  cursor: string | null;
  /** See SyncSummary.heldUntil. */
  heldUntil: number | null;
}

export const EMPTY_META: SyncMeta = { failures: 0, nextAttemptAt: 0, lastSuccessAt: null, lastError: null, needsSignIn: false, cursor: null, heldUntil: null };

export async function syncMeta(db: AppDb, userId: number): Promise<SyncMeta> {
  return { ...EMPTY_META, ...(await getSetting(db, `sync:${userId}`)) };
}

export async function syncSummary(db: AppDb, userId: number): Promise<SyncSummary> {
  // Attempts and (workers) visit outcomes share the outbox, so they share the summary too.
  const countOf = async (state: SyncState) =>
    (await db.attempts.where('[userId+syncState]').equals([userId, state]).count()) + (await db.visits.where('[userId+syncState]').equals([userId, state]).count());
  const [waiting, sending, attention, sent, meta] = await Promise.all([countOf('waiting'), countOf('sending'), countOf('attention'), countOf('sent'), syncMeta(db, userId)]);
  return { waiting, sending, attention, sent, lastSuccessAt: meta.lastSuccessAt, needsSignIn: meta.needsSignIn, heldUntil: meta.heldUntil };
}

export async function blobCount(db: AppDb, attemptId?: string): Promise<number> {
  return attemptId ? db.blobs.where('attemptId').equals(attemptId).count() : db.blobs.count();
}

export async function rosterOf(db: AppDb, userId: number) {
  return db.roster.where('userId').equals(userId).sortBy('retireeId');
}

export type { ChallengeRecord };
