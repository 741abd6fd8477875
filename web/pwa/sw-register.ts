// Registers the service worker (web/sw.ts, built to /sw.js) with workbox-window and connects it to
// the PWA layer (web/pwa): a waiting new version becomes the update banner, and the page reloads
// into it only when the person tapped it and nothing holds updates. Built apps only: the Vite dev
// server (import.meta.hot) does not build the worker. (import.meta.env.DEV is no guide: it is true
// in any build made with NODE_ENV=test, such as the e2e test build.)
import { startInstallWatch } from './install.ts';
import { livenessAssets, prepareLivenessAssets } from './liveness-assets.ts';
import { followLanguageInManifest } from './manifest-lang.ts';
import { applyUpdate, holdUpdates, offerUpdate, reloadWhenFree, updateReady } from './update.ts';

/** How often a long-open app asks the server for a new version (also on regaining signal). */
const UPDATE_CHECK_MS = 30 * 60_000;

export function registerServiceWorker(): void {
  if (typeof window === 'undefined') return;
  startInstallWatch();
  followLanguageInManifest();
  if (__TEST_BUILD__) {
    (window as unknown as { __stillherePwa: unknown }).__stillherePwa = { livenessAssets, prepareLivenessAssets, holdUpdates, updateReady, applyUpdate };
  }
  if (import.meta.hot || !('serviceWorker' in navigator)) return;
  // After the page has loaded: on a slow connection the worker's precache download must not
  // compete with the first screen (and workbox-window stays off the critical path).
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}

async function register(): Promise<void> {
  const { Workbox } = await import('workbox-window');
  const wb = new Workbox('/sw.js', { scope: '/' });
  let asked = false;
  const hadController = navigator.serviceWorker.controller !== null;
  wb.addEventListener('waiting', () => {
    offerUpdate(() => {
      asked = true;
      wb.messageSkipWaiting();
    });
  });
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // The first version taking over an unregistered page changes nothing the person sees.
    if (asked) reloadWhenFree();
    // Another tab updated: this page runs the old code; reloading (on a tap) brings the new one.
    else if (hadController) offerUpdate(() => reloadWhenFree());
  });
  wb.register().catch((err: unknown) => console.warn('service worker registration failed', err));
  const check = () => void wb.update().catch(() => undefined);
  window.addEventListener('online', check);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && check());
  setInterval(check, UPDATE_CHECK_MS);
}
