import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { MiddlewareHandler } from 'hono';

/**
 * Validators and resumable downloads for static files (serveStatic answers Range, but sends no
 * ETag, no Accept-Ranges on a full answer, and ignores If-Range). The phone downloads the 17 MB of
 * liveness assets in ranges after a dropped connection (web/pwa/assets.ts) and must know the file
 * did not change between the pieces:
 *  - a strong ETag from size and modification time (as nginx does), the same on 200 and 206, with
 *    the encoding appended for precompressed variants;
 *  - `Accept-Ranges: bytes` on every static file;
 *  - If-Range that no longer matches the file → the whole new file (200), never a piece of it.
 * Must run inside conditionalGet (which compares If-None-Match with the ETag) and outside serveStatic.
 */
export const staticRanges =
  (root: string): MiddlewareHandler =>
  async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return;
    const res = c.res;
    if (res.status !== 200 && res.status !== 206) return;
    const modified = Date.parse(res.headers.get('Last-Modified') ?? '');
    if (!Number.isFinite(modified)) return; // not a file (the app shell fallback, an API answer)
    const size = res.status === 206 ? Number(/\/(\d+)$/.exec(res.headers.get('Content-Range') ?? '')?.[1]) : Number(res.headers.get('Content-Length'));
    if (!Number.isFinite(size)) return;
    const encoding = res.headers.get('Content-Encoding');
    const etag = `"${size.toString(36)}-${Math.floor(modified / 1000).toString(36)}${encoding ? `-${encoding}` : ''}"`;

    const ifRange = c.req.header('If-Range');
    if (res.status === 206 && ifRange !== undefined && !ifRangeMatches(ifRange, etag, modified)) {
      // serveStatic already checked the path (it answered), so it is safe to open it again.
      const path = join(root, decodeURI(c.req.path));
      const full = statSync(path, { throwIfNoEntry: false });
      if (full?.isFile()) {
        await res.body?.cancel().catch(() => undefined);
        const headers = new Headers(res.headers);
        headers.delete('Content-Range');
        headers.set('Content-Length', String(full.size));
        headers.set('ETag', `"${full.size.toString(36)}-${Math.floor(full.mtimeMs / 1000).toString(36)}"`);
        headers.set('Accept-Ranges', 'bytes');
        c.res = undefined as unknown as Response;
        c.res = new Response(Readable.toWeb(createReadStream(path)) as ReadableStream, { status: 200, headers });
        return;
      }
    }
    c.res.headers.set('ETag', etag);
    c.res.headers.set('Accept-Ranges', 'bytes');
  };

/** If-Range holds an ETag (strong comparison) or an HTTP date (must equal Last-Modified). */
function ifRangeMatches(ifRange: string, etag: string, modified: number): boolean {
  const v = ifRange.trim();
  if (v.startsWith('"') || v.startsWith('W/')) return v === etag;
  const date = Date.parse(v);
  return Number.isFinite(date) && Math.floor(date / 1000) === Math.floor(modified / 1000);
}
