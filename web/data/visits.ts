// A community worker's records on the phone (issue 6): visit outcomes (not at home, home-visit
// attestation, deceased, moved), written like attempts — record, photo, outbox entry and the next
// per-user sequence number in ONE strict transaction — and the day summary.
import { frameProblem } from '../../shared/media.ts';
import { sealSignature, signatureBinding } from '../../shared/signature.ts';
import type { SignatureKey, Visit, VisitLocation, VisitOf } from '../../shared/sync.ts';
import { VISIT_LIMITS } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { claimSeq, getSetting, isQuotaError, type AppDb, type AttemptRecord, type BlobRecord, type ConsentRecord, type SyncState, type VisitRecord } from './db.ts';
import { BadEvidenceError, NoSignatureKeyError, StorageFullError } from './errors.ts';

export { NoSignatureKeyError };

/**
 * A visit outcome as the worker's screen records it: the shared Visit variant of its kind
 * (shared/sync.ts), plus, for cannot_check, the photo and the worker's password as typed (sealed
 * at once, never stored).
 */
export type NewVisit = { userId: number; retireeId: number; note?: string; location?: VisitLocation | null } & (
  | Exclude<Visit, { kind: 'cannot_check' }>
  | (VisitOf<'cannot_check'> & { photo: Uint8Array; password: string })
);

async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const clip = (s: string | undefined | null, max: number) => (s ?? '').trim().slice(0, max);

/** Saves a visit outcome durably; resolves with its id. */
export async function saveVisit(db: AppDb, input: NewVisit, now = Date.now()): Promise<string> {
  const id = uuidv7(now);
  let blob: BlobRecord | null = null;
  let signature: string | undefined;
  if (input.kind === 'cannot_check') {
    if (!input.reason) throw new BadEvidenceError('reason missing');
    if (!input.photo) throw new BadEvidenceError('photo missing');
    const problem = frameProblem(input.photo);
    if (problem) throw new BadEvidenceError(`photo: ${problem}`);
    if (!input.password) throw new BadEvidenceError('signature missing');
    const key = await getSetting(db, 'signatureKey');
    if (!key) throw new NoSignatureKeyError();
    const sha256 = await sha256Hex(input.photo);
    blob = { id: `${id}:0`, attemptId: id, index: 0, kind: 'frame', type: 'image/jpeg', data: input.photo, sha256 };
    signature = await sealSignature(key, input.password, signatureBinding({ id, retireeId: input.retireeId, userId: input.userId, photoSha256: sha256 }));
  }
  // Only the fields of its kind are kept (the Visit variant), clipped to what the server takes.
  const found: Visit =
    input.kind === 'cannot_check' ? { kind: 'cannot_check', reason: input.reason }
    : input.kind === 'deceased' ? { kind: 'deceased', deceasedOn: input.deceasedOn || null, source: clip(input.source, VISIT_LIMITS.maxSource) }
    : input.kind === 'moved' ? { kind: 'moved', newAddress: clip(input.newAddress, VISIT_LIMITS.maxAddress) || null }
    : { kind: 'not_home' };
  const write = () =>
    db.transaction('rw', [db.visits, db.blobs, db.outbox, db.settings], async () => {
      const seq = await claimSeq(db, input.userId);
      const record: VisitRecord = {
        id,
        userId: input.userId,
        retireeId: input.retireeId,
        seq,
        createdAt: now,
        ...found,
        note: clip(input.note, VISIT_LIMITS.maxNote),
        location: input.location ?? null,
        photoSha256: blob?.sha256 ?? null,
        photos: blob ? 1 : 0,
        syncState: 'waiting',
      };
      if (signature) record.signature = signature;
      await db.visits.add(record);
      if (blob) await db.blobs.add(blob);
      await db.outbox.add({ id, userId: input.userId, seq, kind: 'visit', tries: 0 });
    });
  try {
    await write();
  } catch (err) {
    // An attestation without its photo would be worthless: nothing is half-saved, the screen says so.
    throw isQuotaError(err) ? new StorageFullError() : err;
  }
  return id;
}

export async function visitsOf(db: AppDb, userId: number, limit = 200): Promise<VisitRecord[]> {
  return db.visits.where('[userId+createdAt]').between([userId, -Infinity], [userId, Infinity]).reverse().limit(limit).toArray();
}

/** A worker's records for one retiree on this phone: checks, visit outcomes, the consent answers recorded here. */
export interface RetireeRecords {
  attempts: AttemptRecord[];
  visits: VisitRecord[];
  /** Recorded on this phone (not those learned from the server), each with its sync state. */
  consents: ConsentRecord[];
}

/** This worker's records for one retiree on this phone, newest first. */
export async function recordsForRetiree(db: AppDb, userId: number, retireeId: number): Promise<RetireeRecords> {
  const [attempts, visits, consents] = await Promise.all([
    db.attempts.where('[userId+retireeId]').equals([userId, retireeId]).toArray(),
    db.visits.where('[userId+retireeId]').equals([userId, retireeId]).toArray(),
    db.consents.where('[userId+retireeId]').equals([userId, retireeId]).toArray(),
  ]);
  const newestFirst = (a: { createdAt: number }, b: { createdAt: number }) => b.createdAt - a.createdAt;
  return { attempts: attempts.sort(newestFirst), visits: visits.sort(newestFirst), consents: consents.filter((c) => c.seq > 0).sort(newestFirst) };
}

/**
 * Everything this worker recorded on this phone since `since` (the start of today), newest first:
 * checks, visit outcomes, and the retirees' consent answers recorded at the door (decision 085;
 * not those learned from the server, seq 0).
 */
export async function recordsSince(db: AppDb, userId: number, since: number): Promise<RetireeRecords> {
  const [attempts, visits, consents] = await Promise.all([
    db.attempts.where('[userId+createdAt]').between([userId, since], [userId, Infinity]).reverse().toArray(),
    db.visits.where('[userId+createdAt]').between([userId, since], [userId, Infinity]).reverse().toArray(),
    // A worker records a few a day: no index by time is needed to find today's.
    db.consents.where('[userId+retireeId]').between([userId, -Infinity], [userId, Infinity]).filter((c) => c.seq > 0 && c.createdAt >= since).toArray(),
  ]);
  return { attempts, visits, consents: consents.sort((a, b) => b.createdAt - a.createdAt) };
}

export interface DaySummary {
  /** Distinct retirees with any record today. */
  visited: number;
  /** Face checks that passed today. */
  certified: number;
  /** Home-visit attestations today. */
  attested: number;
  notHome: number;
  /** Deaths and moves reported today. */
  reported: number;
  /** Retirees' consent answers recorded today (agreed or not to the face check). */
  consents: number;
  /** Everything of this worker still in the outbox (any day). */
  waiting: number;
  /** Records the server refused or flagged (any day). */
  attention: number;
}

export async function daySummary(db: AppDb, userId: number, since: number): Promise<DaySummary> {
  const { attempts, visits, consents } = await recordsSince(db, userId, since);
  const count = (table: 'attempts' | 'visits' | 'consents', state: SyncState) => db[table].where('[userId+syncState]').equals([userId, state]).count();
  // A consent answer waits in the same outbox and is "sent" only once the server has answered it.
  const [wa, sa, wv, sv, wc, sc, aa, av, ac] = await Promise.all([
    count('attempts', 'waiting'),
    count('attempts', 'sending'),
    count('visits', 'waiting'),
    count('visits', 'sending'),
    count('consents', 'waiting'),
    count('consents', 'sending'),
    count('attempts', 'attention'),
    count('visits', 'attention'),
    count('consents', 'attention'),
  ]);
  return {
    visited: new Set([...attempts.map((a) => a.retireeId), ...visits.map((v) => v.retireeId), ...consents.map((c) => c.retireeId)]).size,
    certified: attempts.filter((a) => a.result.verdict === 'passed').length,
    attested: visits.filter((v) => v.kind === 'cannot_check').length,
    notHome: visits.filter((v) => v.kind === 'not_home').length,
    reported: visits.filter((v) => v.kind === 'deceased' || v.kind === 'moved').length,
    consents: consents.length,
    waiting: wa + sa + wv + sv + wc + sc,
    attention: aa + av + ac,
  };
}

/** Unsent records per worker on this phone: what signing out must warn about (and never delete). */
export async function unsentCount(db: AppDb, userId: number): Promise<number> {
  return db.outbox.where('[userId+seq]').between([userId, 0], [userId, Infinity]).count();
}
