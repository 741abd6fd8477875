// The settings table (migration 001): one text value per key.
import type { Db } from '../db/sqlite.ts';

/**
 * Reads the auth epoch (decision 046). It is written only by migration 005's triggers, on every
 * deleted session and every change to a user's standing, from any connection or process; its row
 * is created there too, so no app code writes it. A missing row reads as ''.
 *
 * Returns a reader whose statement is prepared once for this Db and kept: the epoch is read for
 * every request, and a kept statement skips the driver's prepare and finalize trips through the
 * busy event loop (the `prepare` comment in server/db/sqlite.ts). Call this once per Db, not per read.
 */
export function authEpochReader(db: Db): () => Promise<string> {
  const read = db.prepare("SELECT value FROM settings WHERE key = 'auth_epoch'");
  return async () => (await read.all<{ value: string }>())[0]?.value ?? '';
}
