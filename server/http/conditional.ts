import type { MiddlewareHandler } from 'hono';

/**
 * Answers a conditional GET with 304 when the file has not changed since the browser's copy
 * (If-None-Match against the ETag from staticRanges, else If-Modified-Since).
 * serveStatic sends Last-Modified but never compares it with If-Modified-Since, so every
 * revalidation (Cache-Control: no-cache) downloaded the whole file again: for the liveness runtime
 * that is the 13 MB MediaPipe wasm and the 3.7 MB model each time the check screen loads them, on
 * a retiree's metered mobile data. (Once web/pwa has stored them, the service worker answers from
 * its own cache; until then, and for everything else, revalidation goes through here.)
 */
export const conditionalGet = (): MiddlewareHandler => async (c, next) => {
  await next();
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return;
  if (c.res.status !== 200) return;
  // If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 §13.2.2).
  const etag = c.res.headers.get('ETag');
  const noneMatch = c.req.header('If-None-Match');
  if (noneMatch !== undefined) {
    const weak = (tag: string) => tag.trim().replace(/^W\//, '');
    if (!etag || !noneMatch.split(',').some((tag) => tag.trim() === '*' || weak(tag) === weak(etag))) return;
  } else {
    const since = Date.parse(c.req.header('If-Modified-Since') ?? '');
    const modified = Date.parse(c.res.headers.get('Last-Modified') ?? '');
    if (!Number.isFinite(since) || !Number.isFinite(modified) || modified > since) return;
  }
  const headers = new Headers(c.res.headers);
  for (const h of ['Content-Length', 'Content-Type', 'Content-Encoding', 'Content-Range', 'Accept-Ranges']) headers.delete(h);
  await c.res.body?.cancel().catch(() => undefined);
  // Assign a fresh Response without going through Hono's header merge (it would copy Content-Length back).
  c.res = undefined as unknown as Response;
  c.res = new Response(null, { status: 304, headers });
};
