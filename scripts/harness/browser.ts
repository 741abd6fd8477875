// Real Chromium through playwright-core. `fakeVideo` feeds a .mjpeg/.y4m file as the camera.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchBrowser({ fakeVideo, extraArgs = [] }: { fakeVideo?: string; extraArgs?: string[] } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it with apt-get install -y chromium`);
  const args = [...BASE_ARGS, ...extraArgs];
  if (fakeVideo) {
    args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${resolve(fakeVideo)}`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

/** A phone-sized context: 360×740 at 2x, touch, zh-CN unless told otherwise. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};

const API_PATH = /\/api\//;

/**
 * No signal for the whole phone. `context.setOffline` alone does not reach the service worker in
 * Chromium, whose Background Sync would then still send; refusing the API at the context's router,
 * which sees the service worker's requests too, closes that gap. The app shell still comes from
 * the service worker's cache, as on a real phone.
 */
export async function setNoSignal(context: BrowserContext, noSignal: boolean): Promise<void> {
  if (noSignal) {
    await context.route(API_PATH, (route) => route.abort('internetdisconnected'));
    await context.setOffline(true);
  } else {
    await context.unroute(API_PATH);
    await context.setOffline(false);
  }
}

/** Every record of one object store in the app's IndexedDB on the phone, as the page sees it. */
export function phoneRecords<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('stillhere');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const q = open.result.transaction(name).objectStore(name).getAll();
          q.onerror = () => reject(q.error);
          q.onsuccess = () => {
            open.result.close();
            resolve(q.result);
          };
        };
      }),
    store,
  ) as Promise<T[]>;
}
