// The phone data layer's public face for screens. Screens and components import from here (and
// from ./live.ts through the use* helpers below), never from Dexie or db.ts directly.
//
// A check screen does:
//   const challenge = await beginCheck(userId);            // seed + actions + digits for the check
//   ... run the check with challenge.sequence, challengeId = challenge.id ...
//   const id = await recordAttempt({ userId, retireeId, method, challenge, result, frames, audio });
//   // → durably saved; a sync starts at once; StorageFullError / BadEvidenceError when it cannot be.
import type { Accessor } from 'solid-js';
import { appDb, getSetting, putSetting, type AttemptRecord, type RosterRecord } from './db.ts';
import { createLive } from './live.ts';
import { attemptsOf, rosterOf, saveAttempt, syncSummary, takeChallenge, type CheckChallenge, type NewAttempt, type SyncSummary } from './store.ts';
import { sendNow } from './sync.ts';

export type { AttemptRecord, CheckChallenge, NewAttempt, RosterRecord, SyncSummary };
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
  const id = await saveAttempt(appDb(), input);
  void sendNow();
  return id;
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
