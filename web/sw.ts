// The service worker, built by vite-plugin-pwa (strategies: 'injectManifest') into /sw.js.
// Two jobs for now, each in its own module so later issues can extend them:
//   sw/shell.ts            keeps the built app (html, js, css) so the app opens without signal;
//                          a later issue adds the liveness assets and the update prompt there.
//   sw/background-sync.ts  runs the same push code as the page when the browser fires `sync`.
// Nothing here touches /api requests: they always go to the network.
import { handleBackgroundSync } from './sw/background-sync.ts';
import { activateShell, handleShellFetch, installShell, type ManifestEntry } from './sw/shell.ts';
import type { SwScope } from './sw/types.ts';

declare const self: SwScope & { __WB_MANIFEST: ManifestEntry[] };

const manifest = self.__WB_MANIFEST;

self.addEventListener('install', (event) => {
  event.waitUntil(installShell(self, manifest).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(activateShell(self, manifest).then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  handleShellFetch(self, manifest, event);
});

self.addEventListener('sync', (event) => {
  handleBackgroundSync(event);
});
