// The phone's database: the ONLY module that imports Dexie. Everything the app must not lose lives
// here first (attempts, their key frames and audio, the outbox), next to what it needs offline
// (cached status and rosters, challenge tokens, settings). See docs/sync.md.
//
// Schema versions are append-only: never edit a shipped `version(n)`; add `version(n + 1)` with an
// `.upgrade()` that migrates the rows (Dexie runs them in order on open).
//
// Durability: Chrome commits IndexedDB transactions with 'relaxed' durability by default (the data
// may still be in the OS cache when the transaction reports complete). Every transaction of this
// database is 'strict' instead (decision 013): an attempt the app said was saved survives a power cut.
import Dexie, { liveQuery, type EntityTable, type Table } from 'dexie';
import type { LivenessResult } from '../../shared/liveness.ts';
import type { ConsentChoice } from '../../shared/schemas/consent.ts';
import type { AttemptOutcome, ConsentResult, LinkAction, LinkResult, RejectReason, RosterEntry, SyncMethod, Visit, VisitLocation, VisitRequestAction, VisitRequestResult, VisitResult } from '../../shared/sync.ts';
import { DB_NAME } from './settings-peek.ts';
import type { SettingKey, SettingValues } from './settings.ts';

export { liveQuery };

/** waiting: in the outbox · sending: in a request right now · sent: the server has it · attention: needs a person. */
export type SyncState = 'waiting' | 'sending' | 'sent' | 'attention';

export interface AttemptRecord {
  /** UUIDv7, made on the phone: the idempotency key on the server. */
  id: string;
  userId: number;
  retireeId: number;
  method: SyncMethod;
  /** Per-user sequence number on this device, from 1. */
  seq: number;
  /** Device clock when saved: for display and the office, never for rules. */
  createdAt: number;
  challengeId: string | null;
  challengeToken: string | null;
  result: LivenessResult;
  /** How many key frames / audio clips were taken (the bytes live in `blobs` until acknowledged). */
  frames: number;
  audio: number;
  /** True when the phone was too full to keep the evidence and saved the result alone. */
  blobsDropped?: boolean;
  syncState: SyncState;
  outcome?: AttemptOutcome;
  rejectReason?: RejectReason | 'storage' | 'invalid_local';
  sentAt?: number;
  /**
   * Workers only (issue 14): an in-person enrolment of a retiree without a reference face. The
   * worker's password sealed to the server's key and bound to this attempt and its first key frame
   * (shared/signature.ts enrolmentBinding); never the password itself. Deleted once the server has
   * answered (or the item can no longer be sent). A new optional field: no schema version needed.
   */
  enrolmentSignature?: string;
  /** Workers only: the worker signed this check as an in-person enrolment (kept after the signature is gone). */
  enrolment?: true;
}

export interface BlobRecord {
  /** `${attemptId}:${index}` */
  id: string;
  attemptId: string;
  index: number;
  kind: 'frame' | 'audio';
  type: string;
  data: Uint8Array;
  sha256: string;
  durationMs?: number;
}

/** What an outbox entry points at: its table (OUTBOX_TABLES in sync-engine.ts). */
export type OutboxKind = 'attempt' | 'visit' | 'link' | 'visit_request' | 'consent';

export interface OutboxEntry {
  /** The record's id (attempt, visit outcome, link decision, home-visit request, consent). */
  id: string;
  userId: number;
  seq: number;
  kind: OutboxKind;
  tries: number;
  lastError?: string;
}

export interface ChallengeRecord {
  id: string;
  userId: number;
  token: string;
  seed: number;
  issuedAt: number;
  expiresAt: number;
}

export interface RosterRecord extends RosterEntry {
  userId: number;
  retireeId: number;
  pulledAt: number;
}

/**
 * A community worker's visit outcome without a passed check (issue 6): not at home, cannot do the
 * check (home-visit attestation with a photo in `blobs` and a sealed signature), deceased, moved.
 * Bound to the worker who recorded it (`userId`); sent through the same outbox as attempts.
 * What was found is the shared Visit union (shared/sync.ts), discriminated by `kind`: the same
 * shape the push carries and the server decides on. (Rows saved before issue 21 also hold the
 * other kinds' fields as null; nothing reads them.)
 */
export type VisitRecord = VisitRecordCommon & Visit;

export interface VisitRecordCommon {
  /** UUIDv7, made on the phone: the idempotency key on the server. */
  id: string;
  userId: number;
  retireeId: number;
  /** Same per-user sequence as the attempts. */
  seq: number;
  createdAt: number;
  note: string;
  location: VisitLocation | null;
  /**
   * cannot_check: the worker's password sealed to the server's key (decision 041); never the
   * password itself. Deleted once the server has answered.
   */
  signature?: string;
  /** SHA-256 of the photo (the signature is bound to it); the bytes live in `blobs` until acknowledged. */
  photoSha256: string | null;
  photos: number;
  syncState: SyncState;
  outcome?: VisitResult;
  rejectReason?: RejectReason | 'invalid_local';
  sentAt?: number;
}

/**
 * A family link decision made on this phone (issue 19, decision 071): the retiree approving or
 * declining a request, or ending a link; a worker approving or declining at the door. Sent through
 * the same outbox and sequence as attempts, so one made offline is applied once, later.
 */
export interface LinkDecisionRecord {
  /** UUIDv7, made on the phone: the idempotency key on the server. */
  id: string;
  userId: number;
  retireeId: number;
  seq: number;
  createdAt: number;
  action: LinkAction;
  requestId: number | null;
  familyUserId: number | null;
  syncState: SyncState;
  outcome?: LinkResult;
  rejectReason?: RejectReason | 'invalid_local';
  sentAt?: number;
}

/**
 * A home-visit request (or its withdrawal) made on this phone after a failed check (issue 17,
 * decision 078). Sent through the same outbox and sequence as attempts, so one made without signal
 * is kept and stored once on the server.
 */
export interface VisitRequestRecord {
  /** UUIDv7, made on the phone: the idempotency key on the server. */
  id: string;
  userId: number;
  retireeId: number;
  seq: number;
  createdAt: number;
  action: VisitRequestAction;
  syncState: SyncState;
  outcome?: VisitRequestResult;
  rejectReason?: RejectReason | 'invalid_local';
  sentAt?: number;
}

/**
 * A consent choice for one retiree (issue 21 §1, decision 085): made on this phone by the retiree,
 * a family member, or a worker recording the retiree's answer at the door, and sent through the
 * same outbox and sequence as everything else; or (`seq` 0, never in the outbox) one this phone
 * learned from the server, so a new phone does not ask again.
 */
export interface ConsentRecord {
  /** UUIDv7, made on the phone (or the server's id for one learned from it). */
  id: string;
  userId: number;
  retireeId: number;
  /** Per-user outbox sequence; 0 for a choice learned from the server. */
  seq: number;
  /** When it was chosen (the phone's clock; the server's record of it for a learned one). */
  createdAt: number;
  choice: ConsentChoice;
  /** Which text of the notice was shown or read out (CONSENT_NOTICE_VERSION). */
  noticeVersion: number;
  syncState: SyncState;
  outcome?: ConsentResult;
  rejectReason?: RejectReason | 'invalid_local';
  sentAt?: number;
}

export interface SettingRecord {
  key: string;
  value: unknown;
}

export type AppDb = Dexie & {
  attempts: EntityTable<AttemptRecord, 'id'>;
  blobs: EntityTable<BlobRecord, 'id'>;
  outbox: EntityTable<OutboxEntry, 'id'>;
  roster: Table<RosterRecord, [number, number]>;
  visits: EntityTable<VisitRecord, 'id'>;
  links: EntityTable<LinkDecisionRecord, 'id'>;
  visitRequests: EntityTable<VisitRequestRecord, 'id'>;
  consents: EntityTable<ConsentRecord, 'id'>;
  challenges: EntityTable<ChallengeRecord, 'id'>;
  settings: EntityTable<SettingRecord, 'key'>;
};

export { DB_NAME };

export interface OpenOptions {
  name?: string;
  /** Node tests pass fake-indexeddb's factory and key range. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

export function openAppDb(options: OpenOptions = {}): AppDb {
  const db = new Dexie(options.name ?? DB_NAME, {
    chromeTransactionDurability: 'strict',
    ...(options.indexedDB ? { indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange } : {}),
  }) as AppDb;
  // Version 1 (shipped with issue 4). Do not edit; add version(2) below.
  db.version(1).stores({
    attempts: '&id, [userId+createdAt], [userId+syncState]',
    blobs: '&id, attemptId',
    outbox: '&id, &[userId+seq]',
    roster: '&[userId+retireeId], userId',
    challenges: '&id, [userId+expiresAt]',
    settings: '&key',
  });
  // Version 2 (issue 6): community workers' visit outcomes, and attempts by retiree for the
  // retiree page's history. No rows change, so no upgrade function is needed.
  db.version(2).stores({
    attempts: '&id, [userId+createdAt], [userId+syncState], [userId+retireeId]',
    visits: '&id, [userId+createdAt], [userId+syncState], [userId+retireeId]',
  });
  // Version 3 (issue 14): sent attempts by outcome kind, so every pull can name the few still
  // waiting for the server's face match without reading the whole history. IndexedDB builds the
  // index over the existing rows (none of them is 'verifying' yet); no rows change.
  db.version(3).stores({
    attempts: '&id, [userId+createdAt], [userId+syncState], [userId+retireeId], [userId+outcome.kind]',
  });
  // Version 4 (issue 19): family link decisions made on this phone. A new table; no rows change.
  db.version(4).stores({
    links: '&id, [userId+createdAt], [userId+syncState]',
  });
  // Version 5 (issue 17): home-visit requests made on this phone. A new table; no rows change.
  db.version(5).stores({
    visitRequests: '&id, [userId+retireeId], [userId+syncState]',
  });
  // Version 6 (issue 21, decision 085): consent joins the one outbox. The choices kept until now as
  // settings `consent:<user>:<retiree>` (sent on their own to POST /api/consents) become rows here;
  // one the server did not have yet takes the user's next sequence number and an outbox entry, so
  // the push sends it (the server answers `duplicate` if the old send had reached it after all).
  db.version(6)
    .stores({ consents: '&id, [userId+retireeId], [userId+syncState]' })
    .upgrade(async (tx) => {
      const settings = tx.table<SettingRecord, string>('settings');
      const kept = await settings.where('key').startsWith('consent:').toArray();
      for (const { key, value } of kept) {
        const userId = Number(key.split(':')[1]);
        const old = value as { id: string; retireeId: number; choice: ConsentChoice; noticeVersion: number; decidedAt: number; sent: boolean };
        let seq = 0;
        if (!old.sent) {
          const seqKey = `seq:${userId}`;
          seq = (((await settings.get(seqKey))?.value as number | undefined) ?? 0) + 1;
          await settings.put({ key: seqKey, value: seq });
          await tx.table<OutboxEntry, string>('outbox').add({ id: old.id, userId, seq, kind: 'consent', tries: 0 });
        }
        const record: ConsentRecord = {
          id: old.id,
          userId,
          retireeId: old.retireeId,
          seq,
          createdAt: old.decidedAt,
          choice: old.choice,
          noticeVersion: old.noticeVersion,
          syncState: old.sent ? 'sent' : 'waiting',
        };
        await tx.table<ConsentRecord, string>('consents').put(record);
        await settings.delete(key);
      }
    });
  return db;
}

let shared: AppDb | null = null;

/** The app's database (page and service worker each open their own connection to it). */
export function appDb(): AppDb {
  shared ??= openAppDb();
  return shared;
}

/** A kept value, typed by its key (settings.ts): the one place the stored `unknown` becomes a type. */
export async function getSetting<K extends SettingKey>(db: AppDb, key: K): Promise<SettingValues[K] | undefined> {
  return (await db.settings.get(key))?.value as SettingValues[K] | undefined;
}

export async function putSetting<K extends SettingKey>(db: AppDb, key: K, value: SettingValues[K]): Promise<void> {
  await db.settings.put({ key, value });
}

/**
 * Takes the next number of this user's outbox sequence (the server applies each user's items in
 * this order). Call inside the read-write transaction that adds the outbox entry, with `settings`
 * in its scope, so the number and the entry are stored together or not at all.
 */
export async function claimSeq(db: AppDb, userId: number): Promise<number> {
  const key = `seq:${userId}` as const;
  const seq = ((await getSetting(db, key)) ?? 0) + 1;
  await putSetting(db, key, seq);
  return seq;
}

/** True for a full disk, however the browser or Dexie wraps it. */
export function isQuotaError(err: unknown): boolean {
  for (let e = err as { name?: string; inner?: unknown } | undefined, i = 0; e && i < 4; e = e.inner as typeof e, i++) {
    if (e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED') return true;
  }
  return false;
}
