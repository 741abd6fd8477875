// Downloads the liveness assets (the wasm variant the engine loads, its glue script, the face
// model) and the voice clips of the app's language into Cache Storage, where the service worker
// serves them cache-first (web/sw/assets.ts). Loaded lazily: nothing here is on the first render.
//
// Resumable: each file streams in and is kept in 1 MiB pieces in a second cache as it arrives, so a
// dropped connection (or a closed app) loses at most the piece in flight — on a read error even that
// is kept. The next request asks for `Range: bytes=<kept>-` and checks that the server's ETag is
// still the one the kept pieces came with; if the file changed, or the server ignores Range, it
// starts over. A finished file is put together, its size and SHA-256 compared with the build's
// (virtual:stillhere-assets, see asset-list.ts), and only then stored where the service worker looks.
import { ASSET_CACHE, DOWNLOAD_HEADER } from '../sw/assets.ts';

/** A file as the build describes it: where, how long, and its SHA-256. */
export interface AssetFile {
  url: string;
  bytes: number;
  sha256: string;
}

export interface AssetEntry extends AssetFile {
  group: string;
  /**
   * A gzip copy to download instead, when the phone can decompress it (the engine's wasm is 13 MB
   * raw and 3.8 MB gzipped). Served as a plain file, not with Content-Encoding, so Range resume
   * works on the compressed bytes (decision 075).
   */
  gzip?: AssetFile;
}

export const PARTIAL_CACHE = 'stillhere-assets-partial-v1';
const PIECE = 1 << 20;
const SHA_HEADER = 'X-StillHere-Sha256';

/** The connection dropped or the server is unreachable: try again later. */
export class NetworkPause extends Error {}
/** The phone has no room left. */
export class StorageFull extends Error {}
/** The server does not have the file, or sends other bytes than the build's. */
export class AssetUnavailable extends Error {}

/** What crosses the wire for `a`: its gzip copy where the phone can decompress it, else the file itself. */
export function wireFile(a: AssetEntry): AssetFile {
  return a.gzip && typeof DecompressionStream !== 'undefined' ? a.gzip : a;
}

/** The files this phone needs: the engine (when it can run it) and the clips of its language. */
export function assetsFor(all: readonly AssetEntry[], lang: string, engine: boolean): AssetEntry[] {
  // Small files first: the voice clips are ready (and spoken) early, then the glue, model and wasm.
  return all.filter((a) => (engine && a.group === 'engine') || a.group === `voice:${lang}`).sort((a, b) => a.bytes - b.bytes);
}

/**
 * Can this browser run the engine at all? The engine's module build needs wasm SIMD and
 * OffscreenCanvas (decision 021; same probe as web/liveness/runtime/inference-thread.ts): on phones without
 * them the check cannot run, so the 17 MB are not downloaded.
 */
export function engineSupported(): boolean {
  if (typeof OffscreenCanvas === 'undefined' || typeof Worker === 'undefined' || typeof WebAssembly === 'undefined') return false;
  const simd = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  try {
    return WebAssembly.validate(simd);
  } catch {
    return false;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  wasm: 'application/wasm',
  js: 'text/javascript',
  mp3: 'audio/mpeg',
};
function contentType(url: string): string {
  return CONTENT_TYPES[url.slice(url.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

function isQuota(err: unknown): boolean {
  return err instanceof DOMException && (err.name === 'QuotaExceededError' || err.code === 22);
}

async function guardStorage<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (isQuota(err)) throw new StorageFull('storage full');
    throw err;
  }
}

export interface LoaderDeps {
  fetch: typeof fetch;
  caches: CacheStorage;
  origin: string;
}

const browserDeps = (): LoaderDeps => ({ fetch: globalThis.fetch.bind(globalThis), caches: globalThis.caches, origin: location.origin });

/** True when the file is stored, complete and of this build. */
export async function isStored(a: AssetEntry, deps: LoaderDeps = browserDeps()): Promise<boolean> {
  const cache = await deps.caches.open(ASSET_CACHE);
  const hit = await cache.match(deps.origin + a.url);
  return hit?.headers.get(SHA_HEADER) === a.sha256;
}

interface Piece {
  key: string;
  offset: number;
  size: number;
  etag: string;
}

const pieceKey = (deps: LoaderDeps, a: AssetFile, offset: number) => `${deps.origin}/__stillhere_partial${a.url}?sha=${a.sha256}&at=${offset}`;

/** The kept pieces of `a`, in order, as long as they are contiguous from 0 and from one ETag. */
async function keptPieces(cache: Cache, deps: LoaderDeps, a: AssetFile): Promise<Piece[]> {
  const prefix = `${deps.origin}/__stillhere_partial${a.url}?`;
  const pieces: Piece[] = [];
  for (const req of await cache.keys()) {
    if (!req.url.startsWith(prefix)) continue;
    const u = new URL(req.url);
    const res = await cache.match(req);
    if (u.searchParams.get('sha') !== a.sha256 || !res) {
      await cache.delete(req);
      continue;
    }
    pieces.push({ key: req.url, offset: Number(u.searchParams.get('at')), size: Number(res.headers.get('Content-Length')), etag: res.headers.get('ETag') ?? '' });
  }
  pieces.sort((x, y) => x.offset - y.offset);
  let next = 0;
  const good: Piece[] = [];
  for (const p of pieces) {
    if (p.offset !== next || p.etag !== (pieces[0]?.etag ?? '')) break;
    good.push(p);
    next += p.size;
  }
  for (const p of pieces.slice(good.length)) await cache.delete(p.key);
  return good;
}

async function dropPieces(cache: Cache, pieces: readonly Piece[]): Promise<void> {
  await Promise.all(pieces.map((p) => cache.delete(p.key)));
}

function rangeStart(res: Response): number | null {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('Content-Range') ?? '');
  return m ? Number(m[1]) : null;
}

async function sha256Hex(blob: Blob): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Brings one file into the asset cache. `onBytes(n)` reports how many bytes of what crosses the wire
 * (`wireFile`) are on the phone (kept pieces included), as they arrive. Throws NetworkPause,
 * StorageFull or AssetUnavailable.
 */
export async function fetchAsset(a: AssetEntry, onBytes: (n: number) => void, deps: LoaderDeps = browserDeps()): Promise<void> {
  const done = await deps.caches.open(ASSET_CACHE);
  const wire = wireFile(a);
  if (await isStored(a, deps)) {
    onBytes(wire.bytes);
    return;
  }
  const partial = await deps.caches.open(PARTIAL_CACHE);
  const { blob, pieces } = await download(wire, onBytes, deps, partial);
  const whole = wire === a ? blob : await gunzip(blob).catch(() => null);
  const hash = whole && (await sha256Hex(whole));
  if (!whole || whole.size !== a.bytes || (hash !== null && hash !== a.sha256)) {
    await dropPieces(partial, pieces);
    throw new AssetUnavailable(`${a.url}: the server sent other bytes than this version expects (${whole?.size ?? '?'} B, sha256 ${hash ?? '?'})`);
  }
  await guardStorage(
    done.put(
      deps.origin + a.url,
      new Response(whole, { headers: { 'Content-Type': contentType(a.url), 'Content-Length': String(a.bytes), [SHA_HEADER]: a.sha256 } }),
    ),
  );
  await dropPieces(partial, pieces);
}

async function gunzip(blob: Blob): Promise<Blob> {
  return new Response(blob.stream().pipeThrough(new DecompressionStream('gzip'))).blob();
}

/**
 * Downloads `a` into pieces of the partial cache, resuming from what is kept, and returns it whole
 * once its size and SHA-256 are the build's (the pieces stay until the caller has stored it).
 */
async function download(a: AssetFile, onBytes: (n: number) => void, deps: LoaderDeps, partial: Cache): Promise<{ blob: Blob; pieces: Piece[] }> {
  let pieces = await keptPieces(partial, deps, a);
  let offset = pieces.reduce((n, p) => n + p.size, 0);
  onBytes(offset);

  while (offset < a.bytes) {
    const etag = pieces[0]?.etag;
    const headers: Record<string, string> = { [DOWNLOAD_HEADER]: '1' };
    if (offset > 0) headers.Range = `bytes=${offset}-`;
    let res: Response;
    try {
      // no-store: the bytes go to Cache Storage; a second copy in the HTTP cache only fills the disk.
      res = await deps.fetch(a.url, { headers, cache: 'no-store' });
    } catch {
      throw new NetworkPause(`${a.url}: no connection`);
    }
    if (res.status === 404 || res.status === 410) throw new AssetUnavailable(`${a.url}: HTTP ${res.status}`);
    if (res.status === 416 || (res.status !== 200 && res.status !== 206)) {
      await res.body?.cancel().catch(() => undefined);
      if (res.status === 416) {
        // The kept bytes do not fit the file on the server: start over.
        await dropPieces(partial, pieces);
        pieces = [];
        offset = 0;
        onBytes(0);
        continue;
      }
      throw new NetworkPause(`${a.url}: HTTP ${res.status}`);
    }
    const resEtag = res.headers.get('ETag') ?? '';
    if (offset > 0 && (res.status !== 206 || rangeStart(res) !== offset || !etag || resEtag !== etag)) {
      // The file changed since the kept pieces (other ETag), or the server sent the whole file.
      await dropPieces(partial, pieces);
      pieces = [];
      offset = 0;
      onBytes(0);
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => undefined);
        continue;
      }
    }
    if (!res.body) throw new NetworkPause(`${a.url}: empty response`);

    const reader = res.body.getReader();
    let buffered: Uint8Array[] = [];
    let bufferedBytes = 0;
    let received = 0;
    const flush = async () => {
      if (bufferedBytes === 0) return;
      const body = new Blob(buffered as BlobPart[]);
      const key = pieceKey(deps, a, offset);
      await guardStorage(partial.put(key, new Response(body, { headers: { 'Content-Length': String(bufferedBytes), ETag: resEtag } })));
      pieces.push({ key, offset, size: bufferedBytes, etag: resEtag });
      offset += bufferedBytes;
      buffered = [];
      bufferedBytes = 0;
    };
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        // What did arrive is a correct prefix: keep it, so the resume starts right after it.
        await flush();
        throw new NetworkPause(`${a.url}: connection dropped at ${offset} bytes`);
      }
      if (chunk.done) break;
      buffered.push(chunk.value);
      bufferedBytes += chunk.value.byteLength;
      received += chunk.value.byteLength;
      if (offset + bufferedBytes > a.bytes) {
        await reader.cancel().catch(() => undefined);
        break;
      }
      onBytes(offset + bufferedBytes);
      if (bufferedBytes >= PIECE) await flush();
    }
    await flush();
    // Ended early without an error (a proxy cut it): the loop asks for the rest, unless nothing came.
    if (offset < a.bytes && received === 0) throw new NetworkPause(`${a.url}: no bytes received`);
  }

  const blobs = await Promise.all(pieces.map(async (p) => (await partial.match(p.key))!.blob()));
  const whole = new Blob(blobs, { type: contentType(a.url) });
  const hash = await sha256Hex(whole);
  if (whole.size !== a.bytes || (hash !== null && hash !== a.sha256)) {
    await dropPieces(partial, pieces);
    throw new AssetUnavailable(`${a.url}: the server sent other bytes than this version expects (${whole.size} B, sha256 ${hash ?? '?'})`);
  }
  return { blob: whole, pieces };
}

/** Free space is known and clearly too small for what is left to download. */
export async function lacksSpace(bytesLeft: number): Promise<boolean> {
  try {
    const est = await navigator.storage?.estimate?.();
    if (!est?.quota || est.usage === undefined) return false;
    // `bytesLeft` counts the pieces and the finished file; a margin for the cache's own overhead.
    return est.quota - est.usage < bytesLeft * 1.1 + 13 * PIECE;
  } catch {
    return false;
  }
}
