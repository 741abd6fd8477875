// The phone data layer's public face for screens. Screens and components import from here (and
// from ./live.ts through the use* helpers below), never from Dexie or db.ts directly.
//
// A check screen does:
//   const challenge = await beginCheck(userId);            // seed + actions + digits for the check
//   ... run the check with challenge.sequence, challengeId = challenge.id ...
//   const id = await recordAttempt({ userId, retireeId, method, challenge, result, frames, audio });
//   // → durably saved; a sync starts at once; StorageFullError / BadEvidenceError when it cannot be.
//
// The database code (Dexie and what is built on it, ./local.ts) is loaded on first use, not with
// the first screen (docs/decisions/045): so everything here is async, or a live accessor that
// starts from its empty value. Types and error classes cost nothing and are imported as usual.
import type { Accessor } from 'solid-js';
import type { AttemptRecord, RosterRecord, VisitRecord } from './db.ts';
import { createLive, loadLocal, type LocalData } from './live.ts';
import type { CheckChallenge, NewAttempt, SyncSummary } from './store.ts';
import type { SyncReport } from './sync-engine.ts';
import type { SyncUser } from './phone-sync.ts';
import { holdUpdates } from '../pwa/update.ts';
import { peekSetting } from './settings-peek.ts';
import type { DaySummary, NewVisit, RetireeRecords } from './visits.ts';
import type { LocalLinks, NewLinkDecision } from './links.ts';
import type { NewVisitRequest, VisitRequestState } from './visit-requests.ts';
import type { ConsentRecord, NewConsent, ServerConsent } from './consents.ts';
import type { KeptStatus, SessionSeen, SettingKey, SettingValues } from './settings.ts';
import type { Me } from '../../shared/schemas/auth.ts';
import type { StatusResponse, YearCertification } from '../../shared/schemas/status.ts';

export type { AttemptRecord, CheckChallenge, NewAttempt, RosterRecord, SyncSummary, VisitRecord, DaySummary, NewVisit, RetireeRecords, LocalLinks, NewLinkDecision };
export type { SyncState } from './db.ts';
export type { KeptStatus, Prefs, SessionSeen } from './settings.ts';
export type { ConsentRecord, NewConsent, ServerConsent } from './consents.ts';
export { BadEvidenceError, NoSignatureKeyError, StorageFullError } from './errors.ts';
export { requestPersistence, storageState } from './storage.ts';

/** Starts syncing for the signed-in person (once the database code is there); returns the stop. */
export function startSync(user: SyncUser): () => void {
  let stop: (() => void) | undefined;
  let stopped = false;
  loadLocal().then(
    (local) => {
      if (!stopped) stop = local.startSync(user);
    },
    (err: unknown) => console.error('sync could not start', err),
  );
  return () => {
    stopped = true;
    stop?.();
  };
}

/** Sends what is waiting now (null when sync is not running). */
export async function sendNow(): Promise<SyncReport | null> {
  return (await loadLocal()).sendNow();
}

/** The challenge for the next check (a cached server token, or a local seed when none is left). */
export async function beginCheck(userId: number): Promise<CheckChallenge> {
  const local = await loadLocal();
  return local.takeChallenge(local.appDb(), userId);
}

/** Writes a record durably, then starts sending it; resolves with its id. */
async function saveThenSend(what: string, save: (local: LocalData) => Promise<string>): Promise<string> {
  // An app update must not reload the page while the record is being written (web/pwa/update.ts).
  const release = holdUpdates(`saving ${what}`);
  try {
    const id = await save(await loadLocal());
    void sendNow();
    return id;
  } finally {
    release();
  }
}

/** Saves a finished check durably, then starts sending it. Resolves with the attempt id. */
export function recordAttempt(input: Omit<NewAttempt, 'midWrite'>): Promise<string> {
  return saveThenSend('an attempt', (local) => local.saveAttempt(local.appDb(), input));
}

const EMPTY_SUMMARY: SyncSummary = { waiting: 0, sending: 0, attention: 0, sent: 0, lastSuccessAt: null, needsSignIn: false, heldUntil: null };

export function useSyncSummary(userId: Accessor<number | null | undefined>): Accessor<SyncSummary> {
  return createLive(userId, (local, id) => local.syncSummary(local.appDb(), id), EMPTY_SUMMARY);
}

export function useAttempts(userId: Accessor<number | null | undefined>, limit = 20): Accessor<AttemptRecord[]> {
  return createLive(userId, (local, id) => local.attemptsOf(local.appDb(), id, limit), []);
}

export function useRoster(userId: Accessor<number | null | undefined>): Accessor<RosterRecord[]> {
  return createLive(userId, (local, id) => local.rosterOf(local.appDb(), id), []);
}

// ---------------------------------------------------------------------------------------------
// Family links (issue 19): the pulled lists and the decisions made on this phone.

/** Saves a family link decision durably, then starts sending it (decision 071). */
export function recordLinkDecision(input: NewLinkDecision): Promise<string> {
  return saveThenSend('a link decision', (local) => local.saveLinkDecision(local.appDb(), input));
}

const EMPTY_LINKS: LocalLinks = { incoming: [], helpers: [], mine: [], decisions: [] };

export function useLinks(userId: Accessor<number | null | undefined>): Accessor<LocalLinks> {
  return createLive(userId, (local, id) => local.linksOf(local.appDb(), id), EMPTY_LINKS);
}

// ---------------------------------------------------------------------------------------------
// Home-visit requests (issue 17): asked after a failed check, kept and sent like everything else.

/** Saves a home-visit request (or its withdrawal) durably, then starts sending it (decision 078). */
export function recordVisitRequest(input: NewVisitRequest): Promise<string> {
  return saveThenSend('a home-visit request', (local) => local.saveVisitRequest(local.appDb(), input));
}

export function useVisitRequest(key: Accessor<{ userId: number; retireeId: number } | null>): Accessor<VisitRequestState | null> {
  return createLive(key, (local, k) => local.visitRequestState(local.appDb(), k.userId, k.retireeId), null);
}

// ---------------------------------------------------------------------------------------------
// Consent to the face check (decisions 036, 085): a record of the one outbox, like everything else.

/** Saves a consent choice durably, then starts sending it (same push and sequence as the checks). */
export function recordConsent(input: NewConsent): Promise<string> {
  return saveThenSend('a consent choice', async (local) => (await local.saveConsent(local.appDb(), input)).id);
}

/** The choice that applies to this retiree for this user on this phone (sent or not); undefined: ask. */
export async function readConsent(userId: number, retireeId: number): Promise<ConsentRecord | undefined> {
  const local = await loadLocal();
  return local.consentOf(local.appDb(), userId, retireeId);
}

/** Keeps a choice the server has (a new phone) unless this phone made a later one; never sent back. */
export async function keepConsentFromServer(userId: number, retireeId: number, server: ServerConsent): Promise<ConsentRecord | undefined> {
  const local = await loadLocal();
  return local.keepServerConsent(local.appDb(), userId, retireeId, server);
}

/** The consent choice as it changes (a worker's screen shows it while the retiree answers). */
export function useConsent(key: Accessor<{ userId: number; retireeId: number } | null>): Accessor<ConsentRecord | undefined> {
  return createLive(key, (local, k) => local.consentOf(local.appDb(), k.userId, k.retireeId), undefined);
}

// ---------------------------------------------------------------------------------------------
// Community workers (issue 6): visit outcomes, the retiree page's records, the day summary.

/** Saves a visit outcome durably, then starts sending it. NoSignatureKeyError, StorageFullError, BadEvidenceError. */
export function recordVisit(input: NewVisit): Promise<string> {
  return saveThenSend('a visit', (local) => local.saveVisit(local.appDb(), input));
}

export function useVisits(userId: Accessor<number | null | undefined>, limit = 200): Accessor<VisitRecord[]> {
  return createLive(userId, (local, id) => local.visitsOf(local.appDb(), id, limit), []);
}

export function useRecordsForRetiree(key: Accessor<{ userId: number; retireeId: number } | null>): Accessor<RetireeRecords> {
  return createLive(key, (local, k) => local.recordsForRetiree(local.appDb(), k.userId, k.retireeId), { attempts: [], visits: [], consents: [] });
}

export function useRecordsSince(key: Accessor<{ userId: number; since: number } | null>): Accessor<{ attempts: AttemptRecord[]; visits: VisitRecord[]; consents: ConsentRecord[] }> {
  return createLive(key, (local, k) => local.recordsSince(local.appDb(), k.userId, k.since), { attempts: [], visits: [], consents: [] });
}

const EMPTY_DAY: DaySummary = { visited: 0, certified: 0, attested: 0, notHome: 0, reported: 0, consents: 0, waiting: 0, attention: 0 };

export function useDaySummary(key: Accessor<{ userId: number; since: number } | null>): Accessor<DaySummary> {
  return createLive(key, (local, k) => local.daySummary(local.appDb(), k.userId, k.since), EMPTY_DAY);
}

/** Unused server challenge tokens on this phone: checks beyond these go to the office for review. */
export function useChallengeCount(userId: Accessor<number | null | undefined>): Accessor<number> {
  return createLive(userId, (local, id) => local.cachedChallengeCount(local.appDb(), id), 0);
}

/** Unsent records of this worker on this phone (sign-out warns, and keeps them). */
export async function unsentRecords(userId: number): Promise<number> {
  const local = await loadLocal();
  return local.unsentCount(local.appDb(), userId);
}

/** True once the phone has the server's key for sealing home-visit signatures (after one sync). */
export async function canSignAttestations(): Promise<boolean> {
  return (await readSetting('signatureKey')) !== undefined;
}

// The key predates other roles using it (the worker app shipped it first); kept so that a sign-out
// remembered by that version is still finished.
const SIGNED_OUT_KEY = 'worker.signedOutSession' as const;


/**
 * A sign-out made without signal cannot end the session on the server, and its HttpOnly cookie
 * stays in the browser: the next start with signal would sign that person in again. So the phone
 * remembers which session was signed out and ends it as soon as the server shows it again.
 */
export function rememberOfflineSignOut(session: SessionSeen): Promise<void> {
  return writeSetting(SIGNED_OUT_KEY, session);
}

/**
 * True when the session the server just confirmed is one signed out of without signal. Forgotten
 * either way: the browser holds one session cookie, so once the server confirmed any session the
 * remembered one is either this one or gone from the phone.
 */
export async function wasSignedOutOffline(session: SessionSeen): Promise<boolean> {
  // Every start with signal asks this before the first signed-in screen: read it without loading
  // the database code, which the screen does not need yet (decision 045).
  const kept = (await peekSetting(SIGNED_OUT_KEY)) as Partial<SessionSeen> | undefined;
  if (!kept) return false;
  await deleteSetting(SIGNED_OUT_KEY);
  if (kept.userId !== session.userId) return false;
  // Remembered by the worker app before sessions had a start on the phone: its expiry was fixed.
  return kept.startedAt === undefined ? kept.expiresAt === session.expiresAt : kept.startedAt === session.startedAt;
}

// ---------------------------------------------------------------------------------------------
// A retiree's status and certified years, kept for Home and History offline (./retiree-status.ts).

/** The last status the server gave for this retiree on this phone, or null. */
export async function readKeptStatus(retireeId: number): Promise<KeptStatus | null> {
  const local = await loadLocal();
  return local.keptStatus(local.appDb(), retireeId);
}

/** Keeps a status the server just gave; answers what was kept (with the time). */
export async function keepStatus(retireeId: number, fresh: StatusResponse): Promise<KeptStatus> {
  const local = await loadLocal();
  return local.keepStatus(local.appDb(), retireeId, fresh, Date.now());
}

/** The certified years the phone knows for this retiree (kept years and the kept status's), or null. */
export async function readKeptYears(retireeId: number): Promise<YearCertification[] | null> {
  const local = await loadLocal();
  return local.yearsKept(local.appDb(), retireeId);
}

/** Keeps the certified years the server just gave. */
export async function keepYears(retireeId: number, years: readonly YearCertification[]): Promise<void> {
  const local = await loadLocal();
  return local.keepYears(local.appDb(), retireeId, years);
}

const ME_KEY = 'me' as const;

/** Keeps who is signed in on the phone, so the app opens signed in with no network. */
export function rememberMe(value: Me): Promise<void> {
  return writeSetting(ME_KEY, value);
}

export function rememberedMe(): Promise<Me | undefined> {
  return readSetting(ME_KEY);
}

export function forgetMe(): Promise<void> {
  return deleteSetting(ME_KEY);
}

/** Small per-phone values the screens keep (preferences, the cached status). */
export async function readSetting<K extends SettingKey>(key: K): Promise<SettingValues[K] | undefined> {
  const local = await loadLocal();
  return local.getSetting(local.appDb(), key);
}

export async function writeSetting<K extends SettingKey>(key: K, value: SettingValues[K]): Promise<void> {
  const local = await loadLocal();
  return local.putSetting(local.appDb(), key, value);
}

async function deleteSetting(key: SettingKey): Promise<void> {
  const local = await loadLocal();
  await local.appDb().settings.delete(key);
}
