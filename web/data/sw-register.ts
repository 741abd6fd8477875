// Registers the service worker (web/sw.ts, built to /sw.js) with workbox-window. Built apps only:
// the Vite dev server (import.meta.hot) does not build the worker. (import.meta.env.DEV is no guide:
// it is true in any build made with NODE_ENV=test, such as the e2e test build.)
import { Workbox } from 'workbox-window';

export function registerServiceWorker(): void {
  if (import.meta.hot || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const wb = new Workbox('/sw.js', { scope: '/' });
  wb.register().catch((err: unknown) => console.warn('service worker registration failed', err));
}
