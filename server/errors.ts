// One error shape for the whole API: { error: { code, message, details? } }.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorBody, ErrorCode } from '../shared/errors.ts';
import { databaseUnavailable } from './db/unavailable.ts';

export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const badRequest = (code: ErrorCode, message: string, details?: Record<string, unknown>) => new AppError(400, code, message, details);
/** `ended`: the cookie's session was ended by someone else; the phone is told why (decision 051). */
export const unauthenticated = (ended?: { reason: string; endedAt: number } | null) =>
  ended
    ? new AppError(401, 'unauthenticated', 'This session was ended because the office reset the PIN; sign in again', { sessionEnded: ended.reason, endedAt: ended.endedAt })
    : new AppError(401, 'unauthenticated', 'Sign in first');
export const forbidden = (message = 'You may not do this') => new AppError(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found`);

/** Longest message an error answer carries: enough to explain, too short to echo a request back. */
export const MAX_ERROR_MESSAGE = 300;

/** `text` cut to `max` characters, marked with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// Messages may quote what the client sent (a path, a field's value): clipped here, so no route can
// answer a large request with a larger error (issue 15).
export function errorBody(code: ErrorCode, message: string, details?: Record<string, unknown>): ApiErrorBody {
  const text = clip(message, MAX_ERROR_MESSAGE);
  return { error: details ? { code, message: text, details } : { code, message: text } };
}

export interface Logger {
  info(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (message, extra) => console.log(JSON.stringify({ level: 'info', message, ...extra })),
  error: (message, extra) => console.error(JSON.stringify({ level: 'error', message, ...extra })),
};

/** How Node's HTTP server fails the body of a request whose connection closed mid-body. */
function clientAborted(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null;
  return !!e && ((e.code === 'ECONNRESET' && e.message === 'aborted') || (e.cause !== undefined && e.cause !== err && clientAborted(e.cause)));
}

/** app.onError handler: known errors keep their code; anything else is logged and hidden. */
/** How long a client waits before trying again while the database is away (a failover takes seconds). */
const DATABASE_RETRY_SECONDS = 5;

export function handleError(logger: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof AppError) {
      const retryAt = err.details?.retryAt;
      if (typeof retryAt === 'number') c.header('Retry-After', String(Math.max(1, Math.ceil((retryAt - Date.now()) / 1000))));
      // A busy server says how many seconds to wait (503 server_busy), not until when.
      const retryAfter = err.details?.retryAfter;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
      return c.json(errorBody(err.code, err.message, err.details), err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      if (status === 413) return c.json(errorBody('payload_too_large', 'Request body is too large'), 413);
      if (status === 401) return c.json(errorBody('unauthenticated', 'Sign in first'), 401);
      return c.json(errorBody(status < 500 ? 'bad_request' : 'internal', err.message || 'Request failed'), status);
    }
    // The client closed its connection while its body was being read: nobody hears the answer,
    // and it is not the server's fault (the fuzz bench had these logged as unhandled errors).
    if (clientAborted(err)) {
      logger.info('request aborted by the client', { method: c.req.method, path: c.req.path });
      return c.json(errorBody('bad_request', 'The request was cut off before its body arrived'), 400);
    }
    if (databaseUnavailable(err)) {
      logger.error('database unavailable', { method: c.req.method, path: c.req.path, error: String(err) });
      c.header('Retry-After', String(DATABASE_RETRY_SECONDS));
      return c.json(errorBody('server_busy', 'The database cannot be reached just now; try again shortly', { retryAfter: DATABASE_RETRY_SECONDS }), 503);
    }
    logger.error('unhandled error', { method: c.req.method, path: c.req.path, error: err.stack ?? String(err) });
    return c.json(errorBody('internal', 'Something went wrong on the server'), 500);
  };
}
