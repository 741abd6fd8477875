// The sessions table (migration 001; the auth epoch's triggers in migration 005 watch its deletes).
// What a row means, its expiry by role and the secret check are server/auth/auth_session.ts's
// (decisions 002 and 046); this module only reads and writes rows.
import type { Role } from '../../shared/schemas/admin.ts';
import type { Db } from '../db/sqlite.ts';

/** A session's row joined with its user, as validation reads it: the secret hash included, for auth to compare. */
export interface SessionWithUserRow {
  id: string;
  user_id: number;
  secret_hash: Uint8Array;
  device_id: string | null;
  created_at: number;
  last_verified_at: number;
  role: Role;
  display_name: string;
  retiree_id: number | null;
  region_id: number | null;
  disabled: number;
}

/** A session's row joined with its user, as a write reads it inside its own transaction (the 's' rows of ingest.ts's group read). */
export interface LiveSessionRow {
  user_id: number;
  device_id: string | null;
  created_at: number;
  last_verified_at: number;
  role: Role;
  disabled: number;
  retiree_id: number | null;
  region_id: number | null;
}

export interface NewSessionRow {
  id: string;
  userId: number;
  secretHash: Uint8Array;
  deviceId: string | null;
  createdAt: number;
  expiresAt: number;
}

export async function sessionWithUser(db: Db, sessionId: string): Promise<SessionWithUserRow | undefined> {
  return db.get<SessionWithUserRow>(
    `SELECT s.*, u.role, u.display_name, u.retiree_id, u.region_id, u.disabled
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
    [sessionId],
  );
}

// The same join, as a request that took a kept session (decision 046) re-reads it where it does
// its work: the pull thread, before the pull's reads (decision 053). Only the columns
// sessionStillHolds compares: no secret hash, no name.
export async function liveSessionRow(db: Db, sessionId: string): Promise<LiveSessionRow | undefined> {
  return db.get<LiveSessionRow>(
    `SELECT s.user_id, s.device_id, s.created_at, s.last_verified_at, u.role, u.disabled, u.retiree_id, u.region_id
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
    [sessionId],
  );
}

/** liveSessionRow for several sessions in one statement, by session id (decision 088). */
export async function liveSessionRows(db: Db, sessionIds: readonly string[]): Promise<Map<string, LiveSessionRow>> {
  const rows = await db.all<LiveSessionRow & { id: string }>(
    `SELECT s.id, s.user_id, s.device_id, s.created_at, s.last_verified_at, u.role, u.disabled, u.retiree_id, u.region_id
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id IN ${db.dialect.jsonValues('?', 'text')}`,
    [JSON.stringify(sessionIds)],
  );
  return new Map(rows.map(({ id, ...row }) => [id, row]));
}

/** A new session is created verified: its last_verified_at is its created_at. */
export async function insertSession(db: Db, row: NewSessionRow): Promise<void> {
  await db.run(
    'INSERT INTO sessions (id, user_id, secret_hash, device_id, created_at, last_verified_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [row.id, row.userId, Buffer.from(row.secretHash), row.deviceId, row.createdAt, row.createdAt, row.expiresAt],
  );
}

/** The sliding activity write; it does not move the auth epoch (the triggers watch deletes only). */
export async function touchSession(db: Db, sessionId: string, lastVerifiedAt: number, expiresAt: number): Promise<void> {
  await db.run('UPDATE sessions SET last_verified_at = ?, expires_at = ? WHERE id = ?', [lastVerifiedAt, expiresAt, sessionId]);
}

export async function deleteSession(db: Db, sessionId: string): Promise<number> {
  return (await db.run('DELETE FROM sessions WHERE id = ?', [sessionId])).changes;
}

export async function deleteUserSessions(db: Db, userId: number): Promise<number> {
  return (await db.run('DELETE FROM sessions WHERE user_id = ?', [userId])).changes;
}

export async function deleteExpiredSessions(db: Db, at: number): Promise<number> {
  return (await db.run('DELETE FROM sessions WHERE expires_at <= ?', [at])).changes;
}
