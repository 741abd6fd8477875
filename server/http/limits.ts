import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.ts';

/**
 * Caps a route's body size; larger requests get 413 in the usual error shape.
 *
 * A body with a Content-Length (what phones send) is judged by the header alone. Hono's bodyLimit
 * looks at `c.req.raw.body` first, which makes @hono/node-server build a full web Request with a
 * stream for every request — the largest per-request cost of a sync push (docs/benchmarks.md,
 * "ingest"). Node's parser already refuses a body longer than its Content-Length. Chunked bodies
 * still go through hono's counting reader.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new AppError(413, 'payload_too_large', `Request body is larger than ${maxBytes} bytes`);
  };
  const counted = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    if (Number(length) > maxBytes) tooLarge();
    await next();
  };
}
