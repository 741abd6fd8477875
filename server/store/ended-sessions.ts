// Sessions ended by someone else (the office's re-activation), kept so the phone holding the
// cookie can be told why (migration 009, decision 051).
import type { Db } from '../db/sqlite.ts';

export type SessionEndReason = 'pin_reset';

export interface EndedSessionRow {
  secret_hash: Uint8Array;
  reason: SessionEndReason;
  ended_at: number;
}

/** Keeps a tombstone of each of the user's sessions; the caller deletes the sessions in the same transaction. */
export async function recordEndedSessions(db: Db, userId: number, reason: SessionEndReason, at: number): Promise<number> {
  const { changes } = await db.run(
    `INSERT INTO ended_sessions (id, secret_hash, user_id, reason, ended_at, expires_at)
     SELECT id, secret_hash, user_id, ?, ?, expires_at FROM sessions WHERE user_id = ?
     ON CONFLICT (id) DO UPDATE SET secret_hash = excluded.secret_hash, user_id = excluded.user_id, reason = excluded.reason,
       ended_at = excluded.ended_at, expires_at = excluded.expires_at`,
    [reason, at, userId],
  );
  return changes;
}

export async function endedSessionRow(db: Db, id: string): Promise<EndedSessionRow | undefined> {
  return db.get<EndedSessionRow>('SELECT secret_hash, reason, ended_at FROM ended_sessions WHERE id = ?', [id]);
}

export async function deleteExpiredEndedSessions(db: Db, at: number): Promise<number> {
  return (await db.run('DELETE FROM ended_sessions WHERE expires_at <= ?', [at])).changes;
}
