// Every kind of value the phone keeps in the `settings` table, by key, with its type: one list, so
// a read never casts and a write cannot put the wrong shape under a key. db.ts reads and writes
// them (getSetting / putSetting), index.ts lazily for screens (readSetting / writeSetting).
// Keys with an id in them are patterns: `seq:${userId}`, `status:${retireeId}`. (Consent choices
// were kept here as `consent:${userId}:${retireeId}` until issue 21; they are records of the outbox
// now, in ./consents.ts, and db.ts version 6 moved the kept ones.)
import type { LinkSync } from '../../shared/schemas/family.ts';
import type { SignatureKey } from '../../shared/sync.ts';
import type { Me } from '../../shared/schemas/auth.ts';
import type { StatusResponse, YearCertification } from '../../shared/schemas/status.ts';
import type { SyncUser } from './phone-sync.ts';
import type { SyncMeta } from './store.ts';

// The kept shapes are declared here, not in the screens that use them: the service worker and the
// Web Worker compile this file too, and must not pull page code in through a type.

/** The person's display and voice preferences (web/components/prefs.ts applies them). */
export interface Prefs {
  textSize: 'large' | 'xlarge';
  voice: { enabled: boolean; /** 0.6 (slow) … 1.2 */ rate: number };
}

/** A session as the phone saw it, to recognise it again (the offline sign-out). */
export interface SessionSeen {
  userId: number;
  startedAt: number;
  expiresAt: number;
}

/** The last status the server gave for a retiree, with when: Home and History show it offline (./retiree-status.ts). */
export interface KeptStatus extends StatusResponse {
  fetchedAt: number;
}

export interface SettingValues {
  /** Who the service worker's Background Sync pushes for. */
  currentUser: SyncUser;
  /** The server's key for sealing home-visit and enrolment signatures (decision 041). */
  signatureKey: SignatureKey;
  /** The last `me` the server confirmed: the app opens signed in with no network. */
  me: Me;
  /** A sign-out made without signal, finished when the server shows that session again. */
  'worker.signedOutSession': Partial<SessionSeen>;
  /** The install offer after a first passed check is made once. */
  installOffered: boolean;
  prefs: Partial<Prefs>;
  /** The user's outbox sequence (claimSeq). */
  [seq: `seq:${number}`]: number;
  [sync: `sync:${number}`]: Partial<SyncMeta>;
  /** Family links as the last pull gave them (issue 19). */
  [links: `links:${number}`]: LinkSync;
  [status: `status:${number}`]: KeptStatus;
  /** Certifications by year, for History offline (./retiree-status.ts). */
  [history: `history:${number}`]: YearCertification[];
}

export type SettingKey = keyof SettingValues & string;
