// Locks for several app instances on one PostgreSQL database (decision 088). On SQLite one process
// writes one transaction at a time, and both functions do nothing.
import type { Db } from '../db/db.ts';

/**
 * Locks `keys` ("device:…", "retiree:…", …) until the transaction ends: what a `{ concurrent: true }`
 * transaction's reads depend on, including rows that do not exist yet. All in one statement, in
 * one order, so overlapping transactions wait for each other instead of deadlocking.
 */
export async function lockKeys(db: Db, keys: readonly string[]): Promise<void> {
  const sql = db.dialect.lockKeys('?');
  if (sql && keys.length) await db.get(sql, [JSON.stringify(keys)]);
}

/**
 * Takes the writer lock in a `{ concurrent: true }` transaction, before its first write that may
 * reach the change feed: sync_changes' numbers must commit in the order they were drawn, or a pull
 * could pass a number still uncommitted and never see its change (decision 081). Held to COMMIT.
 */
export async function takeWriterLock(db: Db): Promise<void> {
  if (db.dialect.writerLock) await db.get(db.dialect.writerLock);
}
