// Phones as the server knows them: a row per (device id, user) is written when that user signs in
// on that phone. A phone known to an account keeps its own sign-in budget (decision 051).
import type { Db } from '../db/sqlite.ts';

export async function rememberDevice(db: Db, deviceId: string, userId: number, userAgent: string | null, at: number): Promise<void> {
  await db.run(
    `INSERT INTO devices (id, user_id, user_agent, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id, user_id) DO UPDATE SET last_seen_at = excluded.last_seen_at, user_agent = excluded.user_agent`,
    [deviceId, userId, userAgent, at, at],
  );
}

export async function isKnownDevice(db: Db, userId: number, deviceId: string): Promise<boolean> {
  return !!(await db.get('SELECT 1 FROM devices WHERE id = ? AND user_id = ?', [deviceId, userId]));
}
