// The app shell cache: every built html/js/css file, both web manifests and the icons (the
// manifest vite-plugin-pwa injects), so the app opens with no signal and unsent attempts can still
// be seen and sent later.
//
// - Everything in the shell, pages included, is served from the cache first: the phone opens the
//   version it has at once, with or without signal (no waiting on a weak network). A new version
//   arrives as a new service worker that precaches its own shell and waits until the person taps
//   "update" (web/pwa/update.ts; decision 031).
// - App routes (no file extension) get the cached index.html.
// - /api is never intercepted.
// The cache name carries a hash of the manifest, so a new build installs into a new cache; the
// previous one is kept until the next build (a page still running the old version can finish
// loading its lazy files), older ones are removed.
import type { FetchEvent, SwScope } from './types.ts';

export interface ManifestEntry {
  url: string;
  revision: string | null;
}

const PREFIX = 'stillhere-shell-';

function cacheName(manifest: readonly ManifestEntry[]): string {
  let h = 0x811c9dc5;
  for (const e of manifest) {
    for (const ch of `${e.url}@${e.revision ?? ''};`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  }
  return `${PREFIX}${h.toString(16)}`;
}

const absolute = (scope: SwScope, url: string) => new URL(url, scope.registration.scope).href;

export async function installShell(scope: SwScope, manifest: readonly ManifestEntry[]): Promise<void> {
  const cache = await scope.caches.open(cacheName(manifest));
  await cache.addAll(manifest.map((e) => new Request(absolute(scope, e.url), { cache: 'reload' })));
}

export async function activateShell(scope: SwScope, manifest: readonly ManifestEntry[]): Promise<void> {
  const current = cacheName(manifest);
  const names = (await scope.caches.keys()).filter((n) => n.startsWith(PREFIX) && n !== current);
  // Keep the newest previous cache (keys() lists in creation order); drop the rest.
  await Promise.all(names.slice(0, -1).map((n) => scope.caches.delete(n)));
}

/** True when the request was answered (or left to the network on purpose). */
export function handleShellFetch(scope: SwScope, manifest: readonly ManifestEntry[], event: FetchEvent): boolean {
  const { request } = event;
  if (request.method !== 'GET') return false;
  const url = new URL(request.url);
  if (url.origin !== new URL(scope.registration.scope).origin || url.pathname.startsWith('/api/')) return true;
  const name = cacheName(manifest);
  const key = url.origin + url.pathname;

  if (request.mode === 'navigate') {
    const appRoute = !/\.[a-z0-9]+$/i.test(url.pathname);
    if (!appRoute && !manifestUrls(scope, manifest).has(key)) return false;
    event.respondWith(
      (async () => {
        const cache = await scope.caches.open(name);
        const page = appRoute ? await cache.match(absolute(scope, 'index.html')) : await cache.match(key);
        // Not cached (first visit before install finished, or the browser evicted the cache).
        return page ?? fetch(request);
      })(),
    );
    return true;
  }
  if (!manifestUrls(scope, manifest).has(key)) return false;
  event.respondWith(
    (async () => {
      const cache = await scope.caches.open(name);
      return (await cache.match(request, { ignoreSearch: true })) ?? fetch(request);
    })(),
  );
  return true;
}

let urlSet: { of: readonly ManifestEntry[]; urls: Set<string> } | null = null;
function manifestUrls(scope: SwScope, manifest: readonly ManifestEntry[]): Set<string> {
  if (urlSet?.of !== manifest) urlSet = { of: manifest, urls: new Set(manifest.map((e) => absolute(scope, e.url))) };
  return urlSet.urls;
}
