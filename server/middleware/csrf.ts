// CSRF for every state-changing request. Hono's csrf() only looks at form content types; a JSON
// POST with credentials is just as dangerous, so this checks every method but GET/HEAD/OPTIONS.
// Decision record: docs/decisions/006-csrf.md.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { errorBody } from '../errors.ts';
import { requestOrigin } from './request-origin.ts';
import { hasSessionCookie } from './session.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrf(allowedOrigins: readonly string[], trustProxy: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const own = requestOrigin(c, trustProxy);
    let ok: boolean;
    if (origin !== undefined) ok = origin === own || allowedOrigins.includes(origin);
    else if (site !== undefined) ok = site === 'same-origin';
    // Neither header: not a modern browser. Without a session cookie there is no ambient
    // authority to abuse, so tools and tests may sign in; with one, refuse.
    else ok = !hasSessionCookie(c.req.header('cookie'));
    if (!ok) return c.json(errorBody('csrf_rejected', 'Cross-site request refused'), 403);
    return next();
  };
}
