// A session's row joined with its user, as a request that took a kept session (decision 046)
// re-reads it where it does its work: the pull thread, before the pull's reads (decision 053).
import type { LiveSessionRow } from '../auth/auth_session.ts';
import type { Db } from '../db/sqlite.ts';

export async function liveSessionRow(db: Db, sessionId: string): Promise<LiveSessionRow | undefined> {
  return db.get<LiveSessionRow>(
    `SELECT s.user_id, s.device_id, s.created_at, s.last_verified_at, u.role, u.disabled, u.retiree_id, u.region_id
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
    [sessionId],
  );
}
