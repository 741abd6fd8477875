// Consent to the face check on the phone (issue 21 §1, decision 085; what it is: decision 036). A
// choice is written like every other record — the row, its outbox entry and the user's next
// sequence number in ONE strict transaction — and the sync engine sends it in the same push as
// attempts and visits. The retiree chooses on their own phone, a family member on theirs for the
// retiree they help, and a community worker records the retiree's answer heard at the door.
import { CONSENT_NOTICE_VERSION, type ConsentChoice } from '../../shared/schemas/consent.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { claimSeq, isQuotaError, type AppDb, type ConsentRecord } from './db.ts';
import { StorageFullError } from './errors.ts';

export type { ConsentRecord };

export interface NewConsent {
  userId: number;
  retireeId: number;
  choice: ConsentChoice;
  /** The notice shown or read out; the current one unless a test says otherwise. */
  noticeVersion?: number;
}

/** A choice the server has (GET /api/consents): kept so that this phone does not ask again. */
export interface ServerConsent {
  id: string;
  choice: ConsentChoice;
  noticeVersion: number;
  decidedAt: number;
}

/** Saves a choice and its outbox entry in one strict transaction; resolves with the record. */
export async function saveConsent(db: AppDb, input: NewConsent, now = Date.now()): Promise<ConsentRecord> {
  const id = uuidv7(now);
  try {
    return await db.transaction('rw', [db.consents, db.outbox, db.settings], async () => {
      const seq = await claimSeq(db, input.userId);
      const record: ConsentRecord = {
        id,
        userId: input.userId,
        retireeId: input.retireeId,
        seq,
        createdAt: now,
        choice: input.choice,
        noticeVersion: input.noticeVersion ?? CONSENT_NOTICE_VERSION,
        syncState: 'waiting',
      };
      await db.consents.add(record);
      await db.outbox.add({ id, userId: input.userId, seq, kind: 'consent', tries: 0 });
      return record;
    });
  } catch (err) {
    throw isQuotaError(err) ? new StorageFullError() : err;
  }
}

/**
 * The choice that applies to this retiree on this phone for this user: the last one made (or
 * learned), whether or not it has been sent yet. Undefined: ask. One for an older notice than the
 * app shows now is not an answer to this one.
 */
export async function consentOf(db: AppDb, userId: number, retireeId: number): Promise<ConsentRecord | undefined> {
  const rows = await db.consents.where('[userId+retireeId]').equals([userId, retireeId]).toArray();
  const latest = rows.sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq)[0];
  return latest && latest.noticeVersion >= CONSENT_NOTICE_VERSION ? latest : undefined;
}

/**
 * Keeps a choice the server has (a new phone, or a choice made on another phone) unless this phone
 * holds a later one of its own; it is never sent back. Resolves with what now applies.
 */
export async function keepServerConsent(db: AppDb, userId: number, retireeId: number, server: ServerConsent): Promise<ConsentRecord | undefined> {
  return db.transaction('rw', db.consents, async () => {
    const own = await consentOf(db, userId, retireeId);
    if (own && own.createdAt >= server.decidedAt) return own;
    if (server.noticeVersion < CONSENT_NOTICE_VERSION) return own;
    const record: ConsentRecord = {
      id: server.id,
      userId,
      retireeId,
      seq: 0,
      createdAt: server.decidedAt,
      choice: server.choice,
      noticeVersion: server.noticeVersion,
      syncState: 'sent',
    };
    await db.consents.put(record);
    return record;
  });
}
