// Family links on the phone (issue 19): what the last pull said (settings `links:<userId>`, the
// server's LinkSync, replaced whole each time) and the decisions made here, which wait in the
// outbox like attempts (decision 071). A decision made offline hides its request at once.
import type { LinkSync } from '../../shared/schemas/family.ts';
import type { LinkAction } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { claimSeq, getSetting, isQuotaError, type AppDb, type LinkDecisionRecord } from './db.ts';
import { StorageFullError } from './errors.ts';

export interface NewLinkDecision {
  userId: number;
  retireeId: number;
  action: LinkAction;
  requestId?: number;
  familyUserId?: number;
}

export interface LocalLinks extends LinkSync {
  /** Decisions made on this phone, newest first. */
  decisions: LinkDecisionRecord[];
}


/** Saves a decision and its outbox entry in one strict transaction; resolves with its id. */
export async function saveLinkDecision(db: AppDb, input: NewLinkDecision, now = Date.now()): Promise<string> {
  const id = uuidv7(now);
  try {
    await db.transaction('rw', [db.links, db.outbox, db.settings], async () => {
      const seq = await claimSeq(db, input.userId);
      await db.links.add({
        id,
        userId: input.userId,
        retireeId: input.retireeId,
        seq,
        createdAt: now,
        action: input.action,
        requestId: input.requestId ?? null,
        familyUserId: input.familyUserId ?? null,
        syncState: 'waiting',
      });
      await db.outbox.add({ id, userId: input.userId, seq, kind: 'link', tries: 0 });
    });
  } catch (err) {
    throw isQuotaError(err) ? new StorageFullError() : err;
  }
  return id;
}

/**
 * What the screens show: the pulled lists without what this phone already decided (a request
 * approved here is not asked again; a helper ended here is gone), plus those decisions.
 */
export async function linksOf(db: AppDb, userId: number): Promise<LocalLinks> {
  const pulled: LinkSync = (await getSetting(db, `links:${userId}`)) ?? { incoming: [], helpers: [], mine: [] };
  const decisions = await db.links.where('[userId+createdAt]').between([userId, -Infinity], [userId, Infinity]).reverse().limit(200).toArray();
  const decided = new Set(decisions.filter((d) => d.requestId !== null).map((d) => d.requestId));
  // A link ended here stays hidden; a later approval of the same person (a newer link) shows again.
  const endedAfter = (familyUserId: number, since: number) => decisions.some((d) => d.action === 'end' && d.familyUserId === familyUserId && d.createdAt >= since);
  return {
    incoming: pulled.incoming.filter((r) => !decided.has(r.id)),
    helpers: pulled.helpers.filter((h) => !endedAfter(h.familyUserId, h.since)),
    mine: pulled.mine,
    decisions,
  };
}
