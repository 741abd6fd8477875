// Background Sync: the browser wakes the service worker when there is a connection again, even
// with the app closed (Chrome and Android WebView; others simply never fire it). The worker runs
// the same engine as the page, under the same Web Lock, for the user last signed in on this phone.
// A rejected promise tells the browser to try again later with its own backoff.
import { appDb, getSetting } from '../data/db.ts';
import { engineFor, SYNC_TAG, type SyncUser } from '../data/phone-sync.ts';
import type { SyncEvent } from './types.ts';

export async function backgroundPush(): Promise<void> {
  const db = appDb();
  const user = await getSetting(db, 'currentUser');
  if (!user) return;
  const report = await engineFor(db, user).sync(user.id, { force: true, pull: false });
  // Network trouble: let the browser schedule another try. A lost session cannot be fixed here.
  if (report.error && report.error !== 'auth') throw new Error(`background sync: ${report.error}`);
}

export function handleBackgroundSync(event: SyncEvent): void {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(backgroundPush());
}
