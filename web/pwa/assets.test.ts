// The resumable download against the real static-file stack of the server (serveStatic with
// staticRanges and conditionalGet, through app.request) and an in-memory Cache Storage (Node has
// none; the real one is exercised in e2e/pwa.e2e.test.ts). Faults are injected in the fetch.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { conditionalGet } from '../../server/http/conditional.ts';
import { staticRanges } from '../../server/http/ranges.ts';
import { ASSET_CACHE } from '../sw/assets.ts';
import { AssetUnavailable, fetchAsset, isStored, NetworkPause, PARTIAL_CACHE, StorageFull, wireFile, type AssetEntry, type LoaderDeps } from './assets.ts';

const ORIGIN = 'https://phone.test';
const dir = mkdtempSync(join(tmpdir(), 'stillhere-assets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function serve(name: string, bytes: Buffer, mtime = new Date('2026-03-01T00:00:00Z')): AssetEntry {
  writeFileSync(join(dir, name), bytes);
  utimesSync(join(dir, name), mtime, mtime);
  return { url: `/${name}`, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), group: 'engine' };
}

const app = new Hono();
app.use('*', conditionalGet());
app.use('*', staticRanges(dir));
app.use('*', serveStatic({ root: dir }));

/** Just enough of Cache Storage: put/match/keys/delete by URL, optionally refusing puts (a full disk). */
class MemoryCache {
  entries = new Map<string, { body: ArrayBuffer; headers: Headers; status: number }>();
  constructor(private full: () => boolean) {}
  async put(req: string, res: Response) {
    if (this.full()) throw new DOMException('quota', 'QuotaExceededError');
    this.entries.set(req, { body: await res.arrayBuffer(), headers: new Headers(res.headers), status: res.status });
  }
  async match(req: string) {
    const e = this.entries.get(typeof req === 'string' ? req : (req as Request).url);
    return e ? new Response(e.body.slice(0), { status: e.status, headers: e.headers }) : undefined;
  }
  async keys() {
    return [...this.entries.keys()].map((url) => new Request(url));
  }
  async delete(req: string) {
    return this.entries.delete(typeof req === 'string' ? req : (req as Request).url);
  }
}

function phone(opts: { cutAt?: number[]; full?: () => boolean; tamper?: (res: Response, init: RequestInit) => Response | Promise<Response> } = {}) {
  const caches = new Map<string, MemoryCache>();
  const requests: string[] = [];
  const cuts = [...(opts.cutAt ?? [])];
  const deps: LoaderDeps = {
    origin: ORIGIN,
    caches: {
      open: async (name: string) => {
        if (!caches.has(name)) caches.set(name, new MemoryCache(opts.full ?? (() => false)));
        return caches.get(name)!;
      },
    } as unknown as CacheStorage,
    fetch: (async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      requests.push(headers.get('Range') ?? 'full');
      let res = await app.request(String(input), { headers });
      if (opts.tamper) res = await opts.tamper(res, init);
      const cut = cuts.shift();
      if (cut === undefined || !res.body) return res;
      // The connection dies after `cut` bytes of this answer.
      const reader = res.body.getReader();
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(ctrl) {
          if (sent >= cut) return ctrl.error(new TypeError('network error'));
          const { done, value } = await reader.read();
          if (done) return ctrl.close();
          const part = value.subarray(0, cut - sent);
          sent += part.length;
          ctrl.enqueue(part);
        },
      });
      return new Response(body, { status: res.status, headers: res.headers });
    }) as typeof fetch,
  };
  const stored = async (a: AssetEntry) => {
    const hit = await (await deps.caches.open(ASSET_CACHE)).match(ORIGIN + a.url);
    return hit ? Buffer.from(await hit.arrayBuffer()) : null;
  };
  const pieces = async () => (await (await deps.caches.open(PARTIAL_CACHE)).keys()).length;
  return { deps, requests, stored, pieces };
}

describe('resumable asset download', () => {
  const file = randomBytes(3_500_000);
  const a = serve('model.task', file);

  it('downloads a file whole, verifies it, and reports progress up to its size', async () => {
    const p = phone();
    const seen: number[] = [];
    await fetchAsset(a, (n) => seen.push(n), p.deps);
    expect((await p.stored(a))!.equals(file)).toBe(true);
    expect(await isStored(a, p.deps)).toBe(true);
    expect(seen.at(-1)).toBe(a.bytes);
    expect(seen.some((n) => n > 0 && n < a.bytes)).toBe(true);
    expect(await p.pieces()).toBe(0);
    // Once stored, nothing is fetched again.
    await fetchAsset(a, () => undefined, p.deps);
    expect(p.requests).toEqual(['full']);
  });

  it('keeps what arrived before a dropped connection and asks for exactly the rest', async () => {
    const p = phone({ cutAt: [2_345_678] });
    await expect(fetchAsset(a, () => undefined, p.deps)).rejects.toBeInstanceOf(NetworkPause);
    expect(await p.pieces()).toBeGreaterThan(0);
    await fetchAsset(a, () => undefined, p.deps);
    expect(p.requests).toEqual(['full', 'bytes=2345678-']);
    expect((await p.stored(a))!.equals(file)).toBe(true);
    expect(await p.pieces()).toBe(0);
  });

  it('survives several drops in a row, including one in a resumed range', async () => {
    const p = phone({ cutAt: [1_000_000, 500_000] });
    await expect(fetchAsset(a, () => undefined, p.deps)).rejects.toBeInstanceOf(NetworkPause);
    await expect(fetchAsset(a, () => undefined, p.deps)).rejects.toBeInstanceOf(NetworkPause);
    await fetchAsset(a, () => undefined, p.deps);
    expect(p.requests).toEqual(['full', 'bytes=1000000-', 'bytes=1500000-']);
    expect((await p.stored(a))!.equals(file)).toBe(true);
  });

  it('starts over when the file changed on the server between the pieces (other ETag)', async () => {
    const name = 'changing.wasm';
    const v1 = randomBytes(2_000_000);
    const a1 = serve(name, v1);
    const p = phone({ cutAt: [1_200_000] });
    await expect(fetchAsset(a1, () => undefined, p.deps)).rejects.toBeInstanceOf(NetworkPause);
    // Someone replaced the file on the server (same size, other bytes and time): the ranged answer
    // carries another ETag, so the kept piece is dropped and the whole file fetched, which is then
    // not the file this build expects.
    serve(name, randomBytes(2_000_000), new Date('2026-04-01T00:00:00Z'));
    await expect(fetchAsset(a1, () => undefined, p.deps)).rejects.toBeInstanceOf(AssetUnavailable);
    expect(p.requests).toEqual(['full', 'bytes=1200000-', 'full']);
    expect(await p.pieces()).toBe(0);
    // A new build lists the new file: its pieces from the old one are never reused.
    const v3 = randomBytes(2_000_000);
    const a3 = serve(name, v3, new Date('2026-05-01T00:00:00Z'));
    await fetchAsset(a3, () => undefined, p.deps);
    expect((await p.stored(a3))!.equals(v3)).toBe(true);
  });

  it('starts over when a server or proxy ignores Range and sends the whole file', async () => {
    const p = phone({
      cutAt: [800_000],
      tamper: async (res) => (res.status === 206 ? app.request(a.url) : res),
    });
    await expect(fetchAsset(a, () => undefined, p.deps)).rejects.toBeInstanceOf(NetworkPause);
    await fetchAsset(a, () => undefined, p.deps);
    expect(p.requests).toEqual(['full', 'bytes=800000-']);
    expect((await p.stored(a))!.equals(file)).toBe(true);
  });

  it('refuses to store other bytes than the build expects, and keeps nothing of them', async () => {
    const p = phone();
    const wrong = { ...a, sha256: '0'.repeat(64) };
    await expect(fetchAsset(wrong, () => undefined, p.deps)).rejects.toBeInstanceOf(AssetUnavailable);
    expect(await p.stored(a)).toBeNull();
    expect(await p.pieces()).toBe(0);
  });

  it('says "unavailable" for a file the server does not have', async () => {
    const p = phone();
    await expect(fetchAsset({ ...a, url: '/missing.task' }, () => undefined, p.deps)).rejects.toBeInstanceOf(AssetUnavailable);
  });

  it('says "storage" when the phone is full', async () => {
    const p = phone({ full: () => true });
    await expect(fetchAsset(a, () => undefined, p.deps)).rejects.toBeInstanceOf(StorageFull);
  });

  it('pauses (to retry) when there is no connection at all', async () => {
    const p = phone();
    p.deps.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(fetchAsset(a, () => undefined, p.deps)).rejects.toBeInstanceOf(NetworkPause);
  });
});

describe('the gzip copy', () => {
  // Compressible like the engine's wasm: repeated structure with some noise.
  const raw = Buffer.concat(Array.from({ length: 400 }, (_, i) => Buffer.concat([Buffer.from(`section ${i} `.repeat(500)), randomBytes(200)])));
  const gz = gzipSync(raw, { level: 9 });
  const withGzip = (rawSha = createHash('sha256').update(raw).digest('hex')): AssetEntry => {
    const plain = serve('engine.wasm', raw);
    const copy = serve('engine.wasm.gz', gz);
    return { ...plain, sha256: rawSha, gzip: { url: copy.url, bytes: copy.bytes, sha256: copy.sha256 } };
  };

  it('crosses the wire instead of the file, is resumed in its own bytes, and is stored decompressed', async () => {
    const a = withGzip();
    expect(gz.length).toBeLessThan(raw.length / 4);
    const p = phone({ cutAt: [Math.floor(gz.length / 2)] });
    const seen: number[] = [];
    await expect(fetchAsset(a, (n) => seen.push(n), p.deps)).rejects.toBeInstanceOf(NetworkPause);
    await fetchAsset(a, (n) => seen.push(n), p.deps);
    expect(p.requests).toEqual(['full', `bytes=${Math.floor(gz.length / 2)}-`]);
    // Progress counts the compressed bytes: what the phone waits for.
    expect(Math.max(...seen)).toBe(gz.length);
    expect(wireFile(a)).toEqual(a.gzip);
    const stored = (await p.stored(a))!;
    expect(stored.equals(raw)).toBe(true);
    expect(await isStored(a, p.deps)).toBe(true);
    expect(await p.pieces()).toBe(0);
  });

  it('refuses a copy that does not decompress to the build’s file, and keeps nothing of it', async () => {
    const p = phone();
    const a = withGzip('f'.repeat(64));
    await expect(fetchAsset(a, () => undefined, p.deps)).rejects.toBeInstanceOf(AssetUnavailable);
    expect(await p.stored(a)).toBeNull();
    expect(await p.pieces()).toBe(0);
  });

  it('is not used by a browser that cannot decompress: the file itself is fetched', async () => {
    const a = withGzip();
    const saved = globalThis.DecompressionStream;
    // @ts-expect-error an older browser
    delete globalThis.DecompressionStream;
    try {
      const p = phone();
      expect(wireFile(a)).toBe(a);
      await fetchAsset(a, () => undefined, p.deps);
      expect((await p.stored(a))!.equals(raw)).toBe(true);
    } finally {
      globalThis.DecompressionStream = saved;
    }
  });
});
