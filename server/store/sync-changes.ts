// The change log the pull's cursor points into (triggers in 002-sync.sql append to sync_changes).
// Reads only: the pull runs them on its thread's read-only connection (decision 053).
import type { Db } from '../db/sqlite.ts';

export interface SyncChange {
  retiree_id: number | null;
  user_id: number | null;
  community_id: number | null;
}

/** The last change's sequence number; 0 before any change. */
export async function syncHead(db: Db): Promise<number> {
  return (await db.get<{ seq: number | null }>('SELECT max(seq) AS seq FROM sync_changes'))?.seq ?? 0;
}

/** The changes after `after` up to and including `upTo`, at most `limit` of them. */
export async function syncChangesBetween(db: Db, after: number, upTo: number, limit: number): Promise<SyncChange[]> {
  return db.all<SyncChange>('SELECT retiree_id, user_id, community_id FROM sync_changes WHERE seq > ? AND seq <= ? LIMIT ?', [after, upTo, limit]);
}
