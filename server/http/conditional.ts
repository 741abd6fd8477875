import type { MiddlewareHandler } from 'hono';

/**
 * Answers a conditional GET with 304 when the file has not changed since the browser's copy.
 * serveStatic sends Last-Modified but never compares it with If-Modified-Since, so every
 * revalidation (Cache-Control: no-cache) downloaded the whole file again: for the liveness runtime
 * that is the 13 MB MediaPipe wasm and the 3.7 MB model each time the check screen loads them, on
 * a retiree's metered mobile data. (The service worker leaves those two files to the HTTP cache.)
 */
export const conditionalGet = (): MiddlewareHandler => async (c, next) => {
  await next();
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return;
  if (c.res.status !== 200) return;
  const since = Date.parse(c.req.header('If-Modified-Since') ?? '');
  const modified = Date.parse(c.res.headers.get('Last-Modified') ?? '');
  if (!Number.isFinite(since) || !Number.isFinite(modified) || modified > since) return;
  const headers = new Headers(c.res.headers);
  for (const h of ['Content-Length', 'Content-Type', 'Content-Encoding', 'Content-Range', 'Accept-Ranges']) headers.delete(h);
  await c.res.body?.cancel().catch(() => undefined);
  // Assign a fresh Response without going through Hono's header merge (it would copy Content-Length back).
  c.res = undefined as unknown as Response;
  c.res = new Response(null, { status: 304, headers });
};
