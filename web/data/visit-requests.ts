// Home-visit requests on the phone (issue 17, decision 078): asked after a failed check, written like
// link decisions — record, outbox entry and the next per-user sequence number in ONE strict
// transaction — so one made without signal is kept and sent once. What the screen says comes from
// here: waiting to be sent, stored (and since when), or nothing open.
import type { VisitRequestAction } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { claimSeq, isQuotaError, type AppDb, type VisitRequestRecord } from './db.ts';
import { StorageFullError } from './errors.ts';

export interface NewVisitRequest {
  userId: number;
  retireeId: number;
  action?: VisitRequestAction;
}

/**
 * none: nothing asked (or the last one was answered or withdrawn) · waiting: asked on this phone,
 * not yet stored on the server (no signal) · open: stored, since `requestedAt` (server clock) ·
 * refused: the server will not take it (`reason`), a person must help.
 */
export type VisitRequestState =
  | { state: 'none' }
  | { state: 'waiting'; id: string; askedAt: number }
  | { state: 'open'; requestedAt: number }
  | { state: 'refused'; id: string };

/** This phone's requests for one retiree, newest first. */
async function requestsFor(db: AppDb, userId: number, retireeId: number): Promise<VisitRequestRecord[]> {
  const rows = await db.visitRequests.where('[userId+retireeId]').equals([userId, retireeId]).toArray();
  return rows.sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
}

/**
 * Where the retiree's home-visit request stands, from this phone's own requests and the last pull
 * (the retiree's roster entry carries the open request, whoever asked: the retiree or family).
 */
export async function visitRequestState(db: AppDb, userId: number, retireeId: number): Promise<VisitRequestState> {
  const [latest] = await requestsFor(db, userId, retireeId);
  const pulled = await db.roster.get([userId, retireeId]);
  if (latest && latest.action === 'request') {
    if (latest.syncState === 'waiting' || latest.syncState === 'sending') return { state: 'waiting', id: latest.id, askedAt: latest.createdAt };
    if (latest.syncState === 'attention') return { state: 'refused', id: latest.id };
    const o = latest.outcome;
    // Stored; a pull made after it was sent knows whether a worker has answered it since.
    const answeredSince = pulled && latest.sentAt !== undefined && pulled.pulledAt > latest.sentAt && !pulled.visitRequest;
    if (o && (o.kind === 'visit_requested' || o.kind === 'visit_request_already_open') && !answeredSince) return { state: 'open', requestedAt: o.requestedAt };
  }
  if (latest?.action === 'withdraw' && (!pulled || latest.sentAt === undefined || pulled.pulledAt <= latest.sentAt)) return { state: 'none' };
  return pulled?.visitRequest ? { state: 'open', requestedAt: pulled.visitRequest.requestedAt } : { state: 'none' };
}

/**
 * Saves a request (or its withdrawal) and its outbox entry in one strict transaction; resolves with
 * its id. Asking again while one waits or is open saves nothing new (a second tap, a second
 * failure): the same id comes back.
 */
export async function saveVisitRequest(db: AppDb, input: NewVisitRequest, now = Date.now()): Promise<string> {
  const action = input.action ?? 'request';
  const id = uuidv7(now);
  try {
    return await db.transaction('rw', [db.visitRequests, db.outbox, db.settings, db.roster], async () => {
      const current = await visitRequestState(db, input.userId, input.retireeId);
      if (action === 'request' && current.state === 'waiting') return current.id;
      if (action === 'request' && current.state === 'open') return (await requestsFor(db, input.userId, input.retireeId))[0]?.id ?? id;
      const seq = await claimSeq(db, input.userId);
      await db.visitRequests.add({ id, userId: input.userId, retireeId: input.retireeId, seq, createdAt: now, action, syncState: 'waiting' });
      await db.outbox.add({ id, userId: input.userId, seq, kind: 'visit_request', tries: 0 });
      return id;
    });
  } catch (err) {
    throw isQuotaError(err) ? new StorageFullError() : err;
  }
}
