// The liveness assets (MediaPipe wasm + glue, face model) and the voice clips, served cache-first
// from the cache the page fills (web/pwa/assets.ts downloads, verifies and stores them; the worker
// only reads). So the check loads with no signal, and without touching the network when it has one.
//
// - Requests carrying DOWNLOAD_HEADER are the page's own (ranged) downloads: left to the network.
// - A Range request (an <audio> element asks for `bytes=0-`) is answered with a 206 slice.
// - Not cached yet: the network answers; a voice clip is kept for next time (small, and it is how
//   clips of a language the phone has not prepared still work offline after one hearing).
import type { FetchEvent, SwScope } from './types.ts';

/** Shared with web/pwa/assets.ts: same names on both sides of postMessage-free coordination. */
export const ASSET_CACHE = 'stillhere-assets-v1';
export const DOWNLOAD_HEADER = 'X-StillHere-Download';
const PATHS = /^\/(?:mediapipe\/|models\/|voice\/)/;

export function isAssetPath(pathname: string): boolean {
  return PATHS.test(pathname);
}

/** A 206 for `range` (a single `bytes=a-b`, `a-` or `-n`); null when it cannot be satisfied. */
export async function sliceResponse(full: Response, range: string): Promise<Response | null> {
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const blob = await full.blob();
  const size = blob.size;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return null;
  const headers = new Headers(full.headers);
  headers.set('Content-Range', `bytes ${start}-${end}/${size}`);
  headers.set('Content-Length', String(end - start + 1));
  return new Response(blob.slice(start, end + 1), { status: 206, statusText: 'Partial Content', headers });
}

export function handleAssetFetch(scope: SwScope, event: FetchEvent): boolean {
  const { request } = event;
  if (request.method !== 'GET' || request.headers.has(DOWNLOAD_HEADER)) return false;
  const url = new URL(request.url);
  if (url.origin !== new URL(scope.registration.scope).origin || !isAssetPath(url.pathname)) return false;
  event.respondWith(
    (async () => {
      const cache = await scope.caches.open(ASSET_CACHE);
      const key = url.origin + url.pathname;
      const hit = await cache.match(key);
      const range = request.headers.get('Range');
      if (hit) {
        if (!range) return hit;
        const part = await sliceResponse(hit, range);
        return part ?? new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${hit.headers.get('Content-Length') ?? '*'}` } });
      }
      const res = await fetch(request);
      if (res.status === 200 && url.pathname.startsWith('/voice/')) {
        // Best effort: a full disk must not break the answer.
        event.waitUntil(cache.put(key, res.clone()).catch(() => undefined));
      }
      return res;
    })(),
  );
  return true;
}
