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

/** A setting's value, or undefined when it was never set. */
export async function settingValue(db: Db, key: string): Promise<string | undefined> {
  return (await db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value;
}

/**
 * The value of a setting written once: `value` if nobody wrote it before, else what the first
 * writer stored. INSERT … ON CONFLICT DO NOTHING makes two processes racing to create it agree on one value (a
 * signing secret or key must be the same for every process of the server).
 */
export async function settingOnce(db: Db, key: string, value: string): Promise<string> {
  await db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING', [key, value]);
  return (await settingValue(db, key))!;
}
