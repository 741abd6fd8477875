// The state of the liveness assets on this phone, for the check screen and the progress bar, and
// the background job that brings them (the download itself is in assets.ts, loaded only when the
// job starts). Signed-in screens call prepareLivenessAssets() after sign-in and at app start; the
// job checks what is already stored, downloads the rest, and retries by itself after a dropped
// connection (at once when the phone says it is online again).
import { createEffect, createRoot, createSignal, on, type Accessor } from 'solid-js';
import { lang } from '../i18n/index.ts';

export interface LivenessAssetsState {
  /** idle: not started · downloading · paused: the connection dropped, resumes by itself · ready · error: needs a person (e.g. the phone is full) */
  state: 'idle' | 'downloading' | 'paused' | 'ready' | 'error';
  loadedBytes: number;
  totalBytes: number;
  /** For 'error': 'storage' (phone full), 'unavailable' (the server lacks the files), 'unsupported' (this browser cannot run the check). */
  error?: 'storage' | 'unavailable' | 'unsupported';
}

const [assets, setAssets] = createSignal<LivenessAssetsState>({ state: 'idle', loadedBytes: 0, totalBytes: 0 });

export function livenessAssets(): Accessor<LivenessAssetsState> {
  return assets;
}

/** Test builds only: shows a given state without a download (web/dev/pwa.html previews). */
export function previewLivenessAssets(state: LivenessAssetsState): void {
  if (__TEST_BUILD__) setAssets(state);
}

/** Waits after the n-th failure in a row: 1 s, 3 s, 10 s, 30 s, then every 60 s; sooner when the phone is back online. */
const RETRY_MS = [1_000, 3_000, 10_000, 30_000, 60_000];
let wake: (() => void) | null = null;

function pause(failures: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      wake = null;
      resolve();
    };
    const timer = setTimeout(done, RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]);
    window.addEventListener('online', done);
    wake = done;
  });
}

let running: Promise<void> | null = null;
let again = false;

export function prepareLivenessAssets(): void {
  if (typeof window === 'undefined') return;
  if (running) {
    again = true;
    wake?.();
    return;
  }
  watchLanguage();
  running = run()
    .catch((err: unknown) => {
      console.warn('liveness assets', err);
      setAssets((s) => ({ ...s, state: 'error', error: 'unavailable' }));
    })
    .finally(() => {
      running = null;
      if (again) {
        again = false;
        prepareLivenessAssets();
      }
    });
}

async function run(): Promise<void> {
  if (typeof caches === 'undefined') {
    // No Cache Storage (not a secure origin): no service worker either; the engine loads its
    // files from the network as it always could.
    setAssets({ state: 'ready', loadedBytes: 0, totalBytes: 0 });
    return;
  }
  const [loader, { ALL_ASSETS }] = await Promise.all([import('./assets.ts'), import('./asset-list.ts')]);
  const engine = loader.engineSupported();
  const list = loader.assetsFor(ALL_ASSETS, lang(), engine);
  // Progress counts what crosses the wire (a gzip copy where the phone can decompress it).
  const totalBytes = list.reduce((n, a) => n + loader.wireFile(a).bytes, 0);
  const have = new Map<string, number>();
  const loaded = () => [...have.values()].reduce((n, b) => n + b, 0);
  const finished: LivenessAssetsState = engine ? { state: 'ready', loadedBytes: totalBytes, totalBytes } : { state: 'error', error: 'unsupported', loadedBytes: totalBytes, totalBytes };

  const stored = await Promise.all(list.map((a) => loader.isStored(a)));
  list.forEach((a, i) => stored[i] && have.set(a.url, loader.wireFile(a).bytes));
  // Room for what is left: the pieces as they arrive and the file they make, side by side.
  const roomLeft = () => list.reduce((n, a) => n + (have.get(a.url) === loader.wireFile(a).bytes ? 0 : a.bytes + loader.wireFile(a).bytes - (have.get(a.url) ?? 0)), 0);
  if (stored.every(Boolean)) {
    setAssets(finished);
    return;
  }
  let failures = 0;
  let wrongBytes = 0;
  for (;;) {
    try {
      if (await loader.lacksSpace(roomLeft())) throw new loader.StorageFull('not enough free space');
      setAssets({ state: 'downloading', loadedBytes: loaded(), totalBytes });
      for (const a of list) {
        await loader.fetchAsset(a, (n) => {
          have.set(a.url, n);
          // A resume after a pause shows progress again at once.
          setAssets({ state: 'downloading', loadedBytes: loaded(), totalBytes });
          failures = 0;
        });
      }
      setAssets(finished);
      return;
    } catch (err) {
      if (err instanceof loader.StorageFull) {
        setAssets({ state: 'error', error: 'storage', loadedBytes: loaded(), totalBytes });
        return;
      }
      if (err instanceof loader.AssetUnavailable && ++wrongBytes >= 2) {
        // Missing on the server, or other bytes than this version expects, twice: a person must look.
        console.warn('liveness assets', err.message);
        setAssets({ state: 'error', error: 'unavailable', loadedBytes: loaded(), totalBytes });
        return;
      }
      if (!(err instanceof loader.NetworkPause) && !(err instanceof loader.AssetUnavailable)) console.warn('liveness assets', err);
      setAssets({ state: 'paused', loadedBytes: loaded(), totalBytes });
      await pause(failures++);
    }
  }
}

let watchingLanguage = false;
/** The voice clips follow the language: switching it fetches the other language's clips. */
function watchLanguage(): void {
  if (watchingLanguage) return;
  watchingLanguage = true;
  createRoot(() => createEffect(on(lang, () => prepareLivenessAssets(), { defer: true })));
}
