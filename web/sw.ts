// The service worker, built by vite-plugin-pwa (strategies: 'injectManifest') into /sw.js.
// Each job in its own module:
//   sw/shell.ts            the built app (html, js, css, manifests, icons), precached and served
//                          cache-first, so the app opens without signal;
//   sw/assets.ts           the liveness wasm + model and the voice clips, cache-first from the
//                          cache the page fills after sign-in (web/pwa/assets.ts);
//   sw/update.ts           a new version waits until the page says the person tapped "update";
//   sw/background-sync.ts  runs the same push code as the page when the browser fires `sync`.
// Nothing here touches /api requests: they always go to the network.
import { handleAssetFetch } from './sw/assets.ts';
import { handleBackgroundSync } from './sw/background-sync.ts';
import { activateShell, handleShellFetch, installShell, type ManifestEntry } from './sw/shell.ts';
import type { SwScope } from './sw/types.ts';
import { afterInstall, handleUpdateMessage } from './sw/update.ts';

declare const self: SwScope & { __WB_MANIFEST: ManifestEntry[] };

const manifest = self.__WB_MANIFEST;

self.addEventListener('install', (event) => {
  afterInstall(self, event, installShell(self, manifest));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(activateShell(self, manifest).then(() => self.clients.claim()));
});

self.addEventListener('message', (event) => {
  handleUpdateMessage(self, event);
});

self.addEventListener('fetch', (event) => {
  if (handleAssetFetch(self, event)) return;
  handleShellFetch(self, manifest, event);
});

self.addEventListener('sync', (event) => {
  handleBackgroundSync(event);
});
