// The phone data layer's public face for screens. Screens and components import from here (and
// from ./live.ts through the use* helpers below), never from Dexie or db.ts directly.
//
// A check screen does:
//   const challenge = await beginCheck(userId);            // seed + actions + digits for the check
//   ... run the check with challenge.sequence, challengeId = challenge.id ...
//   const id = await recordAttempt({ userId, retireeId, method, challenge, result, frames, audio });
//   // → durably saved; a sync starts at once; StorageFullError / BadEvidenceError when it cannot be.
import type { Accessor } from 'solid-js';
import { appDb, getSetting, putSetting, type AttemptRecord, type RosterRecord, type VisitRecord } from './db.ts';
import { createLive } from './live.ts';
import { attemptsOf, cachedChallengeCount, rosterOf, saveAttempt, syncSummary, takeChallenge, type CheckChallenge, type NewAttempt, type SyncSummary } from './store.ts';
import { sendNow } from './sync.ts';
import { holdUpdates } from '../pwa/update.ts';
import { daySummary, recordsForRetiree, recordsSince, saveVisit, unsentCount, visitsOf, type DaySummary, type NewVisit } from './visits.ts';

export type { AttemptRecord, CheckChallenge, NewAttempt, RosterRecord, SyncSummary, VisitRecord, DaySummary, NewVisit };
export { NoSignatureKeyError } from './visits.ts';
export type { SyncState } from './db.ts';
export { BadEvidenceError, StorageFullError } from './store.ts';
export { sendNow, startSync } from './sync.ts';
export { requestPersistence, storageState } from './storage.ts';

/** The challenge for the next check (a cached server token, or a local seed when none is left). */
export function beginCheck(userId: number): Promise<CheckChallenge> {
  return takeChallenge(appDb(), userId);
}

/** Saves a finished check durably, then starts sending it. Resolves with the attempt id. */
export async function recordAttempt(input: Omit<NewAttempt, 'midWrite'>): Promise<string> {
  // An app update must not reload the page while the attempt is being written (web/pwa/update.ts).
  const release = holdUpdates('saving an attempt');
  try {
    const id = await saveAttempt(appDb(), input);
    void sendNow();
    return id;
  } finally {
    release();
  }
}

const EMPTY_SUMMARY: SyncSummary = { waiting: 0, sending: 0, attention: 0, sent: 0, lastSuccessAt: null, needsSignIn: false };

export function useSyncSummary(userId: Accessor<number | null | undefined>): Accessor<SyncSummary> {
  return createLive(userId, (id) => syncSummary(appDb(), id), EMPTY_SUMMARY);
}

export function useAttempts(userId: Accessor<number | null | undefined>, limit = 20): Accessor<AttemptRecord[]> {
  return createLive(userId, (id) => attemptsOf(appDb(), id, limit), []);
}

export function useRoster(userId: Accessor<number | null | undefined>): Accessor<RosterRecord[]> {
  return createLive(userId, (id) => rosterOf(appDb(), id), []);
}

// ---------------------------------------------------------------------------------------------
// Community workers (issue 6): visit outcomes, the retiree page's records, the day summary.

/** Saves a visit outcome durably, then starts sending it. NoSignatureKeyError, StorageFullError, BadEvidenceError. */
export async function recordVisit(input: NewVisit): Promise<string> {
  const release = holdUpdates('saving a visit');
  try {
    const id = await saveVisit(appDb(), input);
    void sendNow();
    return id;
  } finally {
    release();
  }
}

export function useVisits(userId: Accessor<number | null | undefined>, limit = 200): Accessor<VisitRecord[]> {
  return createLive(userId, (id) => visitsOf(appDb(), id, limit), []);
}

export function useRecordsForRetiree(key: Accessor<{ userId: number; retireeId: number } | null>): Accessor<{ attempts: AttemptRecord[]; visits: VisitRecord[] }> {
  return createLive(key, (k) => recordsForRetiree(appDb(), k.userId, k.retireeId), { attempts: [], visits: [] });
}

export function useRecordsSince(key: Accessor<{ userId: number; since: number } | null>): Accessor<{ attempts: AttemptRecord[]; visits: VisitRecord[] }> {
  return createLive(key, (k) => recordsSince(appDb(), k.userId, k.since), { attempts: [], visits: [] });
}

const EMPTY_DAY: DaySummary = { visited: 0, certified: 0, attested: 0, notHome: 0, reported: 0, waiting: 0, attention: 0 };

export function useDaySummary(key: Accessor<{ userId: number; since: number } | null>): Accessor<DaySummary> {
  return createLive(key, (k) => daySummary(appDb(), k.userId, k.since), EMPTY_DAY);
}

/** Unused server challenge tokens on this phone: checks beyond these go to the office for review. */
export function useChallengeCount(userId: Accessor<number | null | undefined>): Accessor<number> {
  return createLive(userId, (id) => cachedChallengeCount(appDb(), id), 0);
}

/** Unsent records of this worker on this phone (sign-out warns, and keeps them). */
export function unsentRecords(userId: number): Promise<number> {
  return unsentCount(appDb(), userId);
}

/** True once the phone has the server's key for sealing home-visit signatures (after one sync). */
export async function canSignAttestations(): Promise<boolean> {
  return (await getSetting(appDb(), 'signatureKey')) !== undefined;
}

const SIGNED_OUT_KEY = 'worker.signedOutSession';

/**
 * A sign-out made without signal cannot end the session on the server, and its cookie stays in the
 * browser: the next online start would sign that worker in again. The worker app remembers which
 * session was signed out and ends it as soon as it sees it again with signal.
 */
export function rememberOfflineSignOut(session: { userId: number; expiresAt: number }): Promise<void> {
  return putSetting(appDb(), SIGNED_OUT_KEY, session);
}

/** True (and forgotten) when this is the session a worker signed out of offline. */
export async function wasSignedOutOffline(session: { userId: number; expiresAt: number }): Promise<boolean> {
  const kept = await getSetting<{ userId: number; expiresAt: number }>(appDb(), SIGNED_OUT_KEY);
  if (!kept || kept.userId !== session.userId || kept.expiresAt !== session.expiresAt) return false;
  await appDb().settings.delete(SIGNED_OUT_KEY);
  return true;
}

const ME_KEY = 'me';

/** Keeps who is signed in on the phone, so the app opens signed in with no network. */
export function rememberMe(value: unknown): Promise<void> {
  return putSetting(appDb(), ME_KEY, value);
}

export async function rememberedMe<T>(): Promise<T | undefined> {
  return getSetting<T>(appDb(), ME_KEY);
}

export function forgetMe(): Promise<void> {
  return appDb().settings.delete(ME_KEY);
}

/** Small per-phone values the screens keep (preferences, the cached status, consent choices). */
export function readSetting<T>(key: string): Promise<T | undefined> {
  return getSetting<T>(appDb(), key);
}

export function writeSetting(key: string, value: unknown): Promise<void> {
  return putSetting(appDb(), key, value);
}
