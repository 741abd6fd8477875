// The update handshake. The very first version takes over at once (nothing to replace). A later
// version installs its shell and then waits: the page shows "A new version is ready — tap to
// update" and, once nothing holds updates (a check running, an attempt being saved), posts
// SKIP_WAITING (workbox-window's messageSkipWaiting); the page reloads when the new worker controls
// it. So a retiree's check is never cut off by an update (docs/decisions/031).
import type { ExtendableEvent, ExtendableMessageEvent, SwScope } from './types.ts';

export function firstInstall(scope: SwScope): boolean {
  return !scope.registration.active;
}

export function handleUpdateMessage(scope: SwScope, event: ExtendableMessageEvent): void {
  const data = event.data as { type?: unknown } | null;
  if (data?.type === 'SKIP_WAITING') event.waitUntil(scope.skipWaiting());
}

export function afterInstall(scope: SwScope, event: ExtendableEvent, work: Promise<void>): void {
  event.waitUntil(work.then(() => (firstInstall(scope) ? scope.skipWaiting() : undefined)));
}
