// The app shell cache: every built html/js/css file (the manifest vite-plugin-pwa injects), so the
// app opens with no signal and unsent attempts can still be seen and sent later.
//
// - Hashed assets are immutable: served from the cache first.
// - Pages (navigations) go to the network first, so an online phone always gets the current
//   version; without signal the cached page answers (index.html for app routes).
// - /api is never intercepted.
// The cache name carries a hash of the manifest, so a new build installs into a new cache; the
// previous one is kept until the next build (a page still running the old version can finish
// loading its files), older ones are removed.
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

export function handleShellFetch(scope: SwScope, manifest: readonly ManifestEntry[], event: FetchEvent): void {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== new URL(scope.registration.scope).origin || url.pathname.startsWith('/api/')) return;
  const name = cacheName(manifest);

  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request).catch(async () => {
        const cache = await scope.caches.open(name);
        const page = (await cache.match(url.origin + url.pathname)) ?? (await cache.match(absolute(scope, 'index.html')));
        return page ?? Response.error();
      }),
    );
    return;
  }
  // Only the files of the build; anything else (the model, the wasm, …) goes to the network untouched.
  if (!manifestUrls(scope, manifest).has(url.origin + url.pathname)) return;
  event.respondWith(
    (async () => {
      const cache = await scope.caches.open(name);
      return (await cache.match(request, { ignoreSearch: true })) ?? fetch(request);
    })(),
  );
}

let urlSet: { of: readonly ManifestEntry[]; urls: Set<string> } | null = null;
function manifestUrls(scope: SwScope, manifest: readonly ManifestEntry[]): Set<string> {
  if (urlSet?.of !== manifest) urlSet = { of: manifest, urls: new Set(manifest.map((e) => absolute(scope, e.url))) };
  return urlSet.urls;
}
