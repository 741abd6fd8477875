// The sync engine as this phone runs it: the same in the page (sync.ts wires its triggers) and in
// the service worker's Background Sync (web/sw/background-sync.ts). Nothing here may need the page
// (window, document, localStorage): tsconfig.webworker.json compiles it for the service worker.
import type { Role } from '../../shared/schemas/admin.ts';
import type { AppDb } from './db.ts';
import { createSyncEngine, type LockFn, type SyncEngine } from './sync-engine.ts';
import { createFetchTransport } from './transport.ts';

export const SYNC_TAG = 'stillhere-sync';
const LOCK_NAME = 'stillhere-sync';

export interface SyncUser {
  id: number;
  role: Role;
}

/** Unused challenge tokens to keep: a worker visits many retirees between signals. */
export function challengeTargetFor(role: Role): number {
  return role === 'worker' ? 20 : 3;
}

/** Web Locks when the browser has them (all current ones, also in workers); else this context only. */
export function webLock(): LockFn {
  // Node (the tests) has no navigator at all.
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (!locks) {
    let held = false;
    return async (fn) => {
      if (held) return undefined;
      held = true;
      try {
        return await fn();
      } finally {
        held = false;
      }
    };
  }
  return <T>(fn: () => Promise<T>) => locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => (lock ? fn() : undefined)) as Promise<T | undefined>;
}

export function engineFor(db: AppDb, user: SyncUser): SyncEngine {
  return createSyncEngine({ db, transport: createFetchTransport(), lock: webLock(), challengeTarget: challengeTargetFor(user.role) });
}
