// When the app syncs: at start, when the phone comes back online, when the page becomes visible,
// right after a new attempt, on a timer while open, and from the service worker's Background Sync
// where the browser has it. Only one tab or worker syncs at a time (Web Locks). The engine itself
// is in sync-engine.ts, built for this phone by phone-sync.ts (shared with the service worker);
// this file only wires the page's triggers to it.
import { appDb, putSetting } from './db.ts';
import { engineFor, SYNC_TAG, type SyncUser } from './phone-sync.ts';
import type { SyncReport } from './sync-engine.ts';

const TIMER_MS = 30_000;
/**
 * After a push the server answered 'verifying' (issue 14: it matches the face after acknowledging),
 * look again this long after it, so the decision shows while the person still has the app open.
 * Two looks, then the periodic timer alone: never a tight loop.
 */
export const VERIFY_FOLLOW_UPS_MS = [20_000, 60_000] as const;
async function registerBackgroundSync(): Promise<void> {
  try {
    const reg = (await navigator.serviceWorker?.ready) as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined;
    await reg?.sync?.register(SYNC_TAG);
  } catch {
    // No Background Sync here (Firefox, Safari): the timer and the triggers still run.
  }
}

interface Running {
  user: SyncUser;
  run(force: boolean): Promise<SyncReport | null>;
  stop(): void;
}

let running: Running | null = null;

/** Starts syncing for the signed-in user; returns a stop function (call it on sign-out). */
export function startSync(user: SyncUser): () => void {
  running?.stop();
  const db = appDb();
  const engine = engineFor(db, user);
  let retry: ReturnType<typeof setTimeout> | undefined;
  let followUps: ReturnType<typeof setTimeout>[] = [];
  let stopped = false;

  const run = async (force: boolean): Promise<SyncReport | null> => {
    if (stopped) return null;
    // The phone itself says it has no connection (false is certain; true proves nothing). Trying
    // anyway would only show the records as "sending" for a moment, on every trigger, to someone
    // reading slowly. The online event, the timer and Background Sync try again.
    if (navigator.onLine === false) {
      void registerBackgroundSync();
      return null;
    }
    try {
      const report = await engine.sync(user.id, { force });
      if (report.error && report.error !== 'auth') void registerBackgroundSync();
      // Another tab or the service worker had the lock: look again shortly, so nothing waits for
      // the next timer tick.
      if (!report.ran && force) {
        clearTimeout(retry);
        retry = setTimeout(() => void run(true), 5_000);
      }
      if (wantsFollowUps(report)) {
        followUps.forEach(clearTimeout);
        followUps = VERIFY_FOLLOW_UPS_MS.map((ms) => setTimeout(() => void run(true), ms));
      }
      return report;
    } catch (err) {
      console.error('sync failed', err);
      return null;
    }
  };

  const onOnline = () => void run(true);
  const onVisible = () => {
    if (document.visibilityState === 'visible') void run(true);
  };
  window.addEventListener('online', onOnline);
  document.addEventListener('visibilitychange', onVisible);
  const timer = setInterval(() => void run(false), TIMER_MS);

  void (async () => {
    await putSetting(db, 'currentUser', user);
    await run(true);
  })();

  const handle: Running = {
    user,
    run,
    stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(retry);
      followUps.forEach(clearTimeout);
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onVisible);
      if (running === handle) running = null;
    },
  };
  running = handle;
  return () => handle.stop();
}

/** True when this sync sent something and the server is still matching a face: look again soon. */
export function wantsFollowUps(report: Pick<SyncReport, 'ran' | 'sent' | 'verifying'>): boolean {
  return report.ran && report.sent > 0 && report.verifying > 0;
}

/** The "Send now" button; also what the app calls right after saving an attempt. */
export function sendNow(): Promise<SyncReport | null> {
  return running ? running.run(true) : Promise.resolve(null);
}
