// The sync engine: sends the outbox in sequence order in small requests, applies the per-item
// answers, pulls status/roster/tokens, and backs off on failure. It knows nothing about the DOM:
// the transport, the clock, the random source and the cross-tab lock are passed in, so the page,
// the service worker and the Node tests (fake-indexeddb, fake network) all run this same code.
import { isOpenOutcome, SYNC_LIMITS, type AttemptOutcome, type ConsentResult, type LinkResult, type PullResponse, type PushResponse, type PushResult, type VisitRequestResult, type VisitResult } from '../../shared/sync.ts';
import { getSetting, putSetting, type AppDb, type AttemptRecord, type BlobRecord, type ConsentRecord, type LinkDecisionRecord, type OutboxEntry, type SyncState, type VisitRecord, type VisitRequestRecord } from './db.ts';
import { EMPTY_META, syncMeta, type SyncMeta } from './store.ts';

/**
 * One outbox entry with its record, by kind: an attempt, (workers) a visit outcome, a family link
 * decision, a home-visit request, or a consent choice. What a push request carries is a list of
 * these with their blobs; the transport decides JSON vs multipart.
 */
export type PushItem = { entry: OutboxEntry; blobs: BlobRecord[] } & (
  | { kind: 'attempt'; record: AttemptRecord }
  | { kind: 'visit'; record: VisitRecord }
  | { kind: 'link'; record: LinkDecisionRecord }
  | { kind: 'visit_request'; record: VisitRequestRecord }
  | { kind: 'consent'; record: ConsentRecord }
);

/** Small records without blobs: each answer only moves its sync state (applySmallResult). */
type SmallKind = 'link' | 'visit_request' | 'consent';
const isSmall = (kind: OutboxEntry['kind']): kind is SmallKind => kind === 'link' || kind === 'visit_request' || kind === 'consent';

/** The table of each outbox kind. */
function tableOf(db: AppDb, kind: OutboxEntry['kind']) {
  switch (kind) {
    case 'attempt':
      return db.attempts;
    case 'visit':
      return db.visits;
    case 'link':
      return db.links;
    case 'visit_request':
      return db.visitRequests;
    case 'consent':
      return db.consents;
  }
}

export interface PushPayload {
  items: PushItem[];
  /** Bytes of blobs in this request (for the transport's timeout). */
  blobBytes: number;
}

/** incompatible: the server answered in a format this app cannot read (it needs an update). */
export type TransportErrorKind = 'network' | 'timeout' | 'server' | 'auth' | 'too_large' | 'invalid' | 'incompatible';

export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly status = 0,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** What a pull asks (shared/sync.ts PullRequest); `attempts` only when some wait for their face match. */
export interface PullBody {
  cursor: string | null;
  wantChallenges: number;
  attempts?: string[];
}

export interface SyncTransport {
  push(payload: PushPayload): Promise<PushResponse>;
  pull(body: PullBody): Promise<PullResponse>;
}

/** Runs `fn` if this context gets the sync lock; undefined when another tab or worker holds it. */
export type LockFn = <T>(fn: () => Promise<T>) => Promise<T | undefined>;

export interface EngineDeps {
  db: AppDb;
  transport: SyncTransport;
  now?: () => number;
  random?: () => number;
  lock?: LockFn;
  /** How many unused challenge tokens to keep for checks without signal. */
  challengeTarget?: number;
  backoff?: { baseMs: number; maxMs: number };
}

export interface SyncReport {
  /** False when another tab/worker had the lock, or backoff said not yet. */
  ran: boolean;
  sent: number;
  rejected: number;
  /** Items still waiting afterwards. */
  waiting: number;
  /** This user's sent attempts still waiting for the server's face match afterwards (issue 14). */
  verifying: number;
  /** The server's daily quota holds this user's waiting records on the phone (issue 15): sent again tomorrow. */
  held: boolean;
  error: TransportErrorKind | null;
}

const DEFAULT_BACKOFF = { baseMs: 2_000, maxMs: 5 * 60_000 };
/** A quota answer without `retryAt` (a server that does not say): look again after this long. */
const QUOTA_RETRY_MS = 60 * 60_000;
/** Blob-less attempts are ~1.5 KB of JSON each; keep a batch request well under 64 KB. */
const BATCH_JSON_BYTES = 48 * 1024;
const BATCH_ITEMS = 25;

/** Without Web Locks (Node tests, the benchmark): one sync at a time per database connection. */
const localLocks = new WeakMap<AppDb, LockFn>();
function localLock(db: AppDb): LockFn {
  let lock = localLocks.get(db);
  if (!lock) {
    let held = false;
    lock = async <T>(fn: () => Promise<T>) => {
      if (held) return undefined;
      held = true;
      try {
        return await fn();
      } finally {
        held = false;
      }
    };
    localLocks.set(db, lock);
  }
  return lock;
}

export function createSyncEngine(deps: EngineDeps) {
  const { db, transport } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const lock = deps.lock ?? localLock(db);
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;

  const metaKey = (userId: number) => `sync:${userId}` as const;
  async function updateMeta(userId: number, patch: Partial<SyncMeta>) {
    await db.transaction('rw', db.settings, async () => {
      const current = { ...EMPTY_META, ...(await getSetting(db, metaKey(userId))) };
      await putSetting(db, metaKey(userId), { ...current, ...patch });
    });
  }

  /** Exponential backoff with full jitter, capped. */
  function delayAfter(failures: number): number {
    const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(failures - 1, 20));
    return Math.round(backoff.baseMs / 2 + random() * (ceiling - backoff.baseMs / 2));
  }

  async function nextRequest(userId: number): Promise<PushPayload | null> {
    const entries = await db.outbox.where('[userId+seq]').between([userId, 0], [userId, Infinity]).limit(BATCH_ITEMS).toArray();
    const items: PushPayload['items'] = [];
    let json = 0;
    for (const entry of entries) {
      const small = await smallItem(entry);
      if (small !== undefined) {
        // A few dozen bytes, never with blobs (a link decision, a home-visit request, a consent
        // choice): it joins whatever batch is being built.
        if (small) items.push(small);
        else await db.outbox.delete(entry.id);
        continue;
      }
      const visit = entry.kind === 'visit' ? await db.visits.get(entry.id) : undefined;
      const attempt = entry.kind === 'attempt' ? await db.attempts.get(entry.id) : undefined;
      if (!visit && !attempt) {
        // Cannot happen (written together); never let a broken entry block the queue.
        await db.outbox.delete(entry.id);
        continue;
      }
      const blobs = await db.blobs.where('attemptId').equals(entry.id).sortBy('index');
      const item = (b: BlobRecord[]): PushItem => (visit ? { entry, kind: 'visit', record: visit, blobs: b } : { entry, kind: 'attempt', record: attempt!, blobs: b });
      const size = (visit ? JSON.stringify(visit).length : JSON.stringify(attempt!.result).length + (attempt!.enrolmentSignature?.length ?? 0)) + 600;
      if (blobs.length) {
        // An item with blobs travels alone: a dropped link loses one request at most.
        if (items.length) break;
        return { items: [item(blobs)], blobBytes: blobs.reduce((s, b) => s + b.data.length, 0) };
      }
      if (items.length && json + size > BATCH_JSON_BYTES) break;
      items.push(item([]));
      json += size;
    }
    return items.length ? { items, blobBytes: 0 } : null;
  }

  /** The record of a small outbox entry (null: it is gone), or undefined for an attempt or visit. */
  async function smallItem(entry: OutboxEntry): Promise<PushItem | null | undefined> {
    switch (entry.kind) {
      case 'link': {
        const record = await db.links.get(entry.id);
        return record ? { entry, kind: 'link', record, blobs: [] } : null;
      }
      case 'visit_request': {
        const record = await db.visitRequests.get(entry.id);
        return record ? { entry, kind: 'visit_request', record, blobs: [] } : null;
      }
      case 'consent': {
        const record = await db.consents.get(entry.id);
        return record ? { entry, kind: 'consent', record, blobs: [] } : null;
      }
      default:
        return undefined;
    }
  }

  const RECORD_TABLES = () => [db.attempts, db.visits, db.links, db.visitRequests, db.consents];

  async function setStates(ids: string[], from: SyncState[], to: SyncState) {
    await db.transaction('rw', RECORD_TABLES(), async () => {
      const change = (a: { syncState: SyncState }) => {
        if (from.includes(a.syncState)) a.syncState = to;
      };
      for (const table of RECORD_TABLES()) await (table as typeof db.links).where('id').anyOf(ids).modify(change);
    });
  }

  async function applyResults(payload: PushPayload, results: PushResult[]): Promise<{ sent: number; rejected: number; held: number }> {
    const byId = new Map(results.map((r) => [r.id, r]));
    let sent = 0;
    let rejected = 0;
    let held = 0;
    const at = now();
    await db.transaction('rw', [...RECORD_TABLES(), db.blobs, db.outbox], async () => {
      for (const { entry } of payload.items) {
        const r = byId.get(entry.id);
        if (isSmall(entry.kind)) {
          const c = await applySmallResult(entry, r, at);
          sent += c.sent;
          rejected += c.rejected;
          held += c.held;
          continue;
        }
        const visit = entry.kind === 'visit';
        if (!r) {
          await (visit ? db.visits : db.attempts).update(entry.id, { syncState: 'waiting' });
          continue;
        }
        if (r.status === 'rejected' && r.reason === 'quota_exceeded') {
          // Not refused for what it is: the server has taken its day's share from this account or
          // phone. It stays in the outbox with its evidence (and any sealed signature) and goes
          // again once the server's day has turned (decision 052).
          await (visit ? db.visits : db.attempts).update(entry.id, { syncState: 'waiting' });
          held++;
        } else if (r.status === 'rejected') {
          // The server will never take it: stop retrying, show it with the reason. The evidence stays
          // on the phone (it was not acknowledged) until a person deals with it.
          await (visit ? db.visits : db.attempts).update(entry.id, { syncState: 'attention', rejectReason: r.reason, sentAt: at });
          // An enrolment signature is never sent again: it does not stay on the phone either.
          if (!visit) await db.attempts.where('id').equals(entry.id).modify((a) => void delete a.enrolmentSignature);
          await db.outbox.delete(entry.id);
          rejected++;
        } else {
          if (visit) {
            // The sealed signature has done its job: it does not stay on a shared phone.
            await db.visits.where('id').equals(entry.id).modify((v) => {
              v.syncState = r.outcome.kind === 'signature_invalid' ? 'attention' : 'sent';
              v.outcome = r.outcome as VisitResult;
              v.sentAt = at;
              delete v.signature;
            });
          } else {
            // An enrolment's sealed signature has done its job too (issue 14).
            await db.attempts.where('id').equals(entry.id).modify((a) => {
              a.syncState = 'sent';
              a.outcome = r.outcome as AttemptOutcome;
              a.sentAt = at;
              delete a.enrolmentSignature;
            });
          }
          await db.blobs.where('attemptId').equals(entry.id).delete();
          await db.outbox.delete(entry.id);
          sent++;
        }
      }
    });
    return { sent, rejected, held };
  }

  /**
   * A link decision's, a home-visit request's or a consent choice's answer: sent (with what became
   * of it), refused for good, or held by the quota.
   */
  async function applySmallResult(entry: OutboxEntry, r: PushResult | undefined, at: number): Promise<{ sent: number; rejected: number; held: number }> {
    type Patch = { syncState: SyncState; rejectReason?: NonNullable<LinkDecisionRecord['rejectReason']>; outcome?: LinkResult | VisitRequestResult | ConsentResult; sentAt?: number };
    const update = (patch: Patch) =>
      entry.kind === 'visit_request'
        ? db.visitRequests.update(entry.id, patch as Partial<VisitRequestRecord>)
        : entry.kind === 'consent'
          ? db.consents.update(entry.id, patch as Partial<ConsentRecord>)
          : db.links.update(entry.id, patch as Partial<LinkDecisionRecord>);
    if (!r || (r.status === 'rejected' && r.reason === 'quota_exceeded')) {
      await update({ syncState: 'waiting' });
      return { sent: 0, rejected: 0, held: r ? 1 : 0 };
    }
    if (r.status === 'rejected') await update({ syncState: 'attention', rejectReason: r.reason, sentAt: at });
    else await update({ syncState: 'sent', outcome: r.outcome as LinkResult | VisitRequestResult | ConsentResult, sentAt: at });
    await db.outbox.delete(entry.id);
    return r.status === 'rejected' ? { sent: 0, rejected: 1, held: 0 } : { sent: 1, rejected: 0, held: 0 };
  }

  async function markLocallyInvalid(payload: PushPayload, message: string) {
    const { entry } = payload.items[0]!;
    await db.transaction('rw', [...RECORD_TABLES(), db.outbox], async () => {
      await (tableOf(db, entry.kind) as typeof db.links).update(entry.id, { syncState: 'attention', rejectReason: 'invalid_local' });
      if (entry.kind === 'attempt') await db.attempts.where('id').equals(entry.id).modify((a) => void delete a.enrolmentSignature);
      await db.outbox.update(entry.id, { lastError: message });
      await db.outbox.delete(entry.id);
    });
  }

  /**
   * Sends everything waiting for this user, in order, until the server's daily quota says stop
   * (`heldUntil`: when to send again, by this phone's clock). Throws TransportError on the first failure.
   */
  async function pushAll(userId: number): Promise<{ sent: number; rejected: number; heldUntil: number | null }> {
    let sent = 0;
    let rejected = 0;
    let single = false;
    for (;;) {
      let payload = await nextRequest(userId);
      if (!payload) break;
      if (single && payload.items.length > 1) payload = { items: payload.items.slice(0, 1), blobBytes: 0 };
      const ids = payload.items.map((i) => i.entry.id);
      await setStates(ids, ['waiting', 'sending'], 'sending');
      let response: PushResponse;
      try {
        response = await transport.push(payload);
      } catch (err) {
        await setStates(ids, ['sending'], 'waiting');
        await db.outbox.where('id').anyOf(ids).modify((e) => {
          e.tries += 1;
          e.lastError = err instanceof Error ? err.message.slice(0, 200) : String(err);
        });
        if (err instanceof TransportError && (err.kind === 'too_large' || err.kind === 'invalid')) {
          // A whole request refused for its shape: retry the items one by one, and give up only on
          // a single item the server cannot read at all.
          if (payload.items.length > 1) {
            single = true;
            continue;
          }
          await markLocallyInvalid(payload, err.message);
          rejected++;
          continue;
        }
        throw err;
      }
      const r = await applyResults(payload, response.results);
      sent += r.sent;
      rejected += r.rejected;
      single = false;
      if (r.held) {
        // The server's clock says when its day turns; the wait is carried over to this phone's clock.
        const wait = response.retryAt !== undefined ? Math.max(0, response.retryAt - response.serverTime) : QUOTA_RETRY_MS;
        return { sent, rejected, heldUntil: now() + wait };
      }
    }
    return { sent, rejected, heldUntil: null };
  }

  /**
   * This user's sent attempts whose outcome may still change (isOpenOutcome): waiting for the face
   * match (the server matches after acknowledging the push), then checks in review the office has
   * not decided yet; each group oldest first, as many as one pull may ask about.
   */
  async function openIds(userId: number): Promise<string[]> {
    const byAge = (a: AttemptRecord, b: AttemptRecord) => a.createdAt - b.createdAt || a.seq - b.seq;
    const sent = async (kind: 'verifying' | 'review') =>
      (await db.attempts.where('[userId+outcome.kind]').equals([userId, kind]).toArray()).filter((a) => a.syncState === 'sent' && isOpenOutcome(a.outcome)).sort(byAge);
    return [...(await sent('verifying')), ...(await sent('review'))].slice(0, SYNC_LIMITS.maxOutcomesPerPull).map((a) => a.id);
  }

  const verifyingCount = (userId: number) => db.attempts.where('[userId+outcome.kind]').equals([userId, 'verifying']).count();

  async function pull(userId: number): Promise<void> {
    const meta = await syncMeta(db, userId);
    const have = await db.challenges.where('[userId+expiresAt]').between([userId, now()], [userId, Infinity]).count();
    const want = Math.max(0, Math.min(SYNC_LIMITS.maxChallengesPerRequest, (deps.challengeTarget ?? 3) - have));
    const open = await openIds(userId);
    const res = await transport.pull({ cursor: meta.cursor, wantChallenges: want, ...(open.length ? { attempts: open } : {}) });
    const at = now();
    await db.transaction('rw', [db.roster, db.challenges, db.settings, db.attempts], async () => {
      // What the face match or the office decided (an older server sends no `attempts`). Only an
      // attempt of this user whose outcome is still open takes an answer that moves it on: a
      // decision is never replaced by a later answer.
      for (const { id, outcome } of res.attempts ?? []) {
        if (outcome.kind === 'verifying') continue;
        await db.attempts.where('id').equals(id).modify((a) => {
          if (a.userId !== userId || a.syncState !== 'sent' || !isOpenOutcome(a.outcome)) return;
          if (a.outcome?.kind === 'review' && !(outcome.kind === 'review' && outcome.decided)) return;
          a.outcome = outcome;
        });
      }
      if (res.full) await db.roster.where('userId').equals(userId).delete();
      if (res.removed.length) await db.roster.bulkDelete(res.removed.map((id) => [userId, id]));
      if (res.retirees.length) await db.roster.bulkPut(res.retirees.map((r) => ({ ...r, userId, retireeId: r.id, pulledAt: at })));
      if (res.challenges.length) await db.challenges.bulkPut(res.challenges.map((c) => ({ ...c, userId })));
      if (res.signatureKey) await putSetting(db, 'signatureKey', res.signatureKey);
      // Family links as this user may know them (issue 19): always whole, so simply replaced.
      if (res.links) await putSetting(db, `links:${userId}`, res.links);
      // Tokens the server will call expired are no use; its clock decides, ours only tidies.
      await db.challenges.where('[userId+expiresAt]').between([userId, -Infinity], [userId, at]).delete();
      const current = { ...EMPTY_META, ...(await getSetting(db, metaKey(userId))) };
      await putSetting(db, metaKey(userId), { ...current, cursor: res.cursor });
    });
  }

  /**
   * One sync: push, then pull. `force` (Send now, back online, a new attempt) ignores the backoff
   * timer; the periodic timer does not. Only one tab or worker runs it at a time.
   */
  async function sync(userId: number, { force = false, pull: doPull = true }: { force?: boolean; pull?: boolean } = {}): Promise<SyncReport> {
    const result = await lock(async (): Promise<SyncReport> => {
      const meta = await syncMeta(db, userId);
      const held = meta.heldUntil !== null && meta.heldUntil > now();
      if (!force && meta.nextAttemptAt > now()) return { ran: false, sent: 0, rejected: 0, waiting: await waitingCount(userId), verifying: await verifyingCount(userId), held, error: null };
      // Whoever held the lock before may have died mid-request: nothing is "sending" now.
      await db.attempts.where('[userId+syncState]').equals([userId, 'sending']).modify({ syncState: 'waiting' });
      await db.visits.where('[userId+syncState]').equals([userId, 'sending']).modify({ syncState: 'waiting' });
      await db.links.where('[userId+syncState]').equals([userId, 'sending']).modify({ syncState: 'waiting' });
      await db.visitRequests.where('[userId+syncState]').equals([userId, 'sending']).modify({ syncState: 'waiting' });
      let sent = 0;
      let rejected = 0;
      let heldUntil = held ? meta.heldUntil : null;
      try {
        // Held by the quota: nothing is pushed before the server's day turns (that would only be
        // refused again), but pulls go on: they bring challenge tokens and the face match's answers.
        if (!held) {
          const r = await pushAll(userId);
          sent = r.sent;
          rejected = r.rejected;
          heldUntil = r.heldUntil;
        }
        if (doPull) await pull(userId);
        await updateMeta(userId, { failures: 0, nextAttemptAt: 0, lastSuccessAt: now(), lastError: null, needsSignIn: false, heldUntil });
        return { ran: true, sent, rejected, waiting: await waitingCount(userId), verifying: await verifyingCount(userId), held: heldUntil !== null, error: null };
      } catch (err) {
        const kind: TransportErrorKind = err instanceof TransportError ? err.kind : 'network';
        if (kind === 'auth') {
          await updateMeta(userId, { needsSignIn: true, lastError: 'auth', heldUntil });
        } else {
          const failures = meta.failures + 1;
          await updateMeta(userId, { failures, nextAttemptAt: now() + delayAfter(failures), lastError: kind, heldUntil, ...(sent ? { lastSuccessAt: now() } : {}) });
        }
        return { ran: true, sent, rejected, waiting: await waitingCount(userId), verifying: await verifyingCount(userId), held: heldUntil !== null, error: kind };
      }
    });
    return result ?? { ran: false, sent: 0, rejected: 0, waiting: await waitingCount(userId), verifying: await verifyingCount(userId), held: false, error: null };
  }

  const waitingCount = (userId: number) => db.outbox.where('[userId+seq]').between([userId, 0], [userId, Infinity]).count();

  return { sync, pushAll, pull, delayAfter, openIds };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
