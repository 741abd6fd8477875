// Sessions after the Lucia project's current design (lucia-auth.com, "Sessions"): the token is
// "<id>.<secret>", the database keeps only SHA-256(secret), validation compares hashes in constant
// time and answers null on any failure. Expiry slides with use, by role: see
// docs/decisions/002-sessions.md.
//
// Session rows are kept in memory between requests, because one database read per request was the
// largest cost of a sync push (docs/decisions/046-session-cache.md). A kept row is trusted only
// while the auth epoch (migration 005: moved by triggers whenever a session ends or a user's role
// or standing changes, from any process) is the one it was read under, and the epoch is read
// afresh for every request, shared by requests that arrive together (server/db/shared-read.ts).
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Role } from '../../shared/schemas/admin.ts';
import { sharedRead } from '../db/shared-read.ts';
import type { Db } from '../db/sqlite.ts';
import { deleteExpiredEndedSessions, endedSessionRow, recordEndedSessions, type SessionEndReason } from '../store/ended-sessions.ts';
import {
  deleteExpiredSessions,
  deleteSession,
  deleteUserSessions,
  insertSession,
  sessionWithUser,
  touchSession,
  type LiveSessionRow,
  type SessionWithUserRow,
} from '../store/sessions.ts';
import { authEpochReader } from '../store/settings.ts';

export type { LiveSessionRow };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface SessionPolicy {
  /** The session ends after this long without use. */
  idleTimeoutMs: number;
  /** …and in any case this long after sign-in (null: only the idle timeout applies). */
  absoluteTimeoutMs: number | null;
  /** Use is written back at most this often, so most requests cost no write. */
  activityCheckMs: number;
}

export const SESSION_POLICIES: Record<Role, SessionPolicy> = {
  // One sign-in should carry a retiree's phone across the yearly cycle, with margin.
  retiree: { idleTimeoutMs: 400 * DAY, absoluteTimeoutMs: null, activityCheckMs: DAY },
  family: { idleTimeoutMs: 90 * DAY, absoluteTimeoutMs: null, activityCheckMs: DAY },
  // A working day on a phone that may be shared or lost on the road.
  worker: { idleTimeoutMs: 12 * HOUR, absoluteTimeoutMs: 12 * HOUR, activityCheckMs: 5 * MINUTE },
  admin: { idleTimeoutMs: 30 * MINUTE, absoluteTimeoutMs: 8 * HOUR, activityCheckMs: MINUTE },
};

export interface Session {
  id: string;
  userId: number;
  deviceId: string | null;
  createdAt: number;
  lastVerifiedAt: number;
  expiresAt: number;
}

export interface SessionUser {
  id: number;
  role: Role;
  displayName: string;
  retireeId: number | null;
  regionId: number | null;
}

export interface ValidatedSession {
  session: Session;
  user: SessionUser;
  /** True when the expiry moved and the cookie should be sent again. */
  refreshed: boolean;
}

function randomString(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

function expiryOf(policy: SessionPolicy, createdAt: number, lastVerifiedAt: number): number {
  const idle = lastVerifiedAt + policy.idleTimeoutMs;
  return policy.absoluteTimeoutMs === null ? idle : Math.min(idle, createdAt + policy.absoluteTimeoutMs);
}

/** Enough for every phone of a large district signed in at once; the oldest are dropped first. */
const MAX_KEPT_SESSIONS = 50_000;

function parseToken(token: string): { id: string; secret: string } | null {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1] || token.length > 200) return null;
  return { id: parts[0], secret: parts[1] };
}

function secretMatches(row: SessionWithUserRow, secret: string): boolean {
  return constantTimeEqual(hashSecret(secret), new Uint8Array(row.secret_hash));
}

function validated(id: string, row: SessionWithUserRow, refreshed: boolean): ValidatedSession {
  const expiresAt = expiryOf(SESSION_POLICIES[row.role], row.created_at, row.last_verified_at);
  return {
    session: { id, userId: row.user_id, deviceId: row.device_id, createdAt: row.created_at, lastVerifiedAt: row.last_verified_at, expiresAt },
    user: { id: row.user_id, role: row.role, displayName: row.display_name, retireeId: row.retiree_id, regionId: row.region_id },
    refreshed,
  };
}

/**
 * True when the session row read inside a write's transaction still grants what the request was
 * granted: the session exists, belongs to the same user and device, has not expired, and the user
 * is enabled with the same role, retiree and region.
 */
export function sessionStillHolds(row: LiveSessionRow | undefined, granted: Pick<ValidatedSession, 'session' | 'user'>, at: number): boolean {
  const { session, user } = granted;
  return (
    !!row &&
    row.user_id === session.userId &&
    row.device_id === session.deviceId &&
    !row.disabled &&
    row.role === user.role &&
    row.retiree_id === user.retireeId &&
    row.region_id === user.regionId &&
    at < expiryOf(SESSION_POLICIES[row.role], row.created_at, row.last_verified_at)
  );
}

export function createSessionStore(db: Db, now: () => number) {
  // Read for every request: its statement is prepared once here and kept (server/store/settings.ts).
  const currentEpoch = sharedRead(authEpochReader(db));
  const kept = new Map<string, { row: SessionWithUserRow; epoch: string }>();

  async function sessionRow(id: string): Promise<SessionWithUserRow | undefined> {
    const epoch = await currentEpoch();
    const hit = kept.get(id);
    if (hit && hit.epoch === epoch) return hit.row;
    const row = await sessionWithUser(db, id);
    kept.delete(id);
    if (row) {
      // Tagged with the epoch read BEFORE the row: a change committed in between moves the epoch,
      // so the next request reads the row again.
      kept.set(id, { row, epoch });
      if (kept.size > MAX_KEPT_SESSIONS) kept.delete(kept.keys().next().value!);
    }
    return row;
  }

  return {
    async createSession(userId: number, role: Role, deviceId: string | null = null): Promise<{ session: Session; token: string }> {
      const at = now();
      const id = randomString();
      const secret = randomString();
      const session: Session = { id, userId, deviceId, createdAt: at, lastVerifiedAt: at, expiresAt: expiryOf(SESSION_POLICIES[role], at, at) };
      await insertSession(db, { id, userId, secretHash: hashSecret(secret), deviceId, createdAt: at, expiresAt: session.expiresAt });
      return { session, token: `${id}.${secret}` };
    },

    async validateSessionToken(token: string): Promise<ValidatedSession | null> {
      const parsed = parseToken(token);
      if (!parsed) return null;
      const row = await sessionRow(parsed.id);
      if (!row || !secretMatches(row, parsed.secret)) return null;
      const policy = SESSION_POLICIES[row.role];
      const at = now();
      if (row.disabled || at >= expiryOf(policy, row.created_at, row.last_verified_at)) {
        await deleteSession(db, parsed.id);
        return null;
      }
      let refreshed = false;
      if (at - row.last_verified_at >= policy.activityCheckMs) {
        refreshed = true;
        await touchSession(db, parsed.id, at, expiryOf(policy, row.created_at, at));
        row.last_verified_at = at;
      }
      return validated(parsed.id, row, refreshed);
    },

    /**
     * The session as the kept row shows it, with no database read: ONLY for a write that calls
     * `sessionStillHolds` on the row it reads inside its own transaction (the sync push, decision
     * 046), which is then a later and stronger check than the auth epoch. Null when the row is not
     * kept, does not match, has expired, or is due for its activity write (use
     * validateSessionToken then).
     */
    keptSession(token: string): ValidatedSession | null {
      const parsed = parseToken(token);
      const row = parsed && kept.get(parsed.id)?.row;
      if (!parsed || !row || !secretMatches(row, parsed.secret) || row.disabled) return null;
      const policy = SESSION_POLICIES[row.role];
      const at = now();
      if (at >= expiryOf(policy, row.created_at, row.last_verified_at) || at - row.last_verified_at >= policy.activityCheckMs) return null;
      return validated(parsed.id, row, false);
    },

    async invalidateSession(sessionId: string): Promise<void> {
      await deleteSession(db, sessionId);
    },

    invalidateUserSessions: (userId: number): Promise<number> => deleteUserSessions(db, userId),

    /**
     * Ends the user's sessions because of something done to the account by someone else, and
     * remembers why, so each phone is told the next time it asks (`whyEnded`).
     */
    async endUserSessions(userId: number, reason: SessionEndReason): Promise<number> {
      return db.transaction(async () => {
        await recordEndedSessions(db, userId, reason, now());
        return deleteUserSessions(db, userId);
      });
    },

    /** Why the session behind this token was ended by someone else; null for anything else (a wrong secret too). */
    async whyEnded(token: string): Promise<{ reason: SessionEndReason; endedAt: number } | null> {
      const parsed = parseToken(token);
      const row = parsed && (await endedSessionRow(db, parsed.id));
      if (!parsed || !row || !constantTimeEqual(hashSecret(parsed.secret), new Uint8Array(row.secret_hash))) return null;
      return { reason: row.reason, endedAt: row.ended_at };
    },

    async deleteExpired(): Promise<number> {
      await deleteExpiredEndedSessions(db, now());
      return deleteExpiredSessions(db, now());
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
