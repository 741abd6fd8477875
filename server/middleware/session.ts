import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Role } from '../../shared/schemas/admin.ts';
import type { AppEnv } from '../context.ts';
import { forbidden, unauthenticated } from '../errors.ts';
import { isHttps } from './request-origin.ts';

// On HTTPS the __Host- prefix pins the cookie to this exact host and path; browsers refuse it
// over plain HTTP, so local development uses the bare name.
const COOKIE = 'sh_session';
const SECURE_COOKIE = `__Host-${COOKIE}`;

export function hasSessionCookie(header: string | undefined): boolean {
  return new RegExp(`(^|;\\s*)(__Host-)?${COOKIE}=`).test(header ?? '');
}

function secure(c: Context<AppEnv>): boolean {
  const { cookieSecure, trustProxy } = c.get('services').config;
  return cookieSecure === 'auto' ? isHttps(c, trustProxy) : cookieSecure;
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  const isSecure = secure(c);
  setCookie(c, isSecure ? SECURE_COOKIE : COOKIE, token, {
    httpOnly: true,
    secure: isSecure,
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.max(0, Math.floor((expiresAt - c.get('services').now()) / 1000)),
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  const isSecure = secure(c);
  deleteCookie(c, isSecure ? SECURE_COOKIE : COOKIE, { path: '/', secure: isSecure, httpOnly: true, sameSite: 'Lax' });
}

/**
 * Resolves the session cookie (if any) into c.var.auth, sliding its expiry. Never rejects.
 *
 * For requests where `rechecksInTransaction` says yes, a session kept in memory is taken as it is,
 * without reading the auth epoch: those handlers re-check the session row where they do their work
 * (`sessionStillHolds`: a push inside the transaction that writes it, decision 046; a pull on the
 * pull thread before its reads, decision 053), and must not act before it.
 */
export function loadSession(options: { rechecksInTransaction?: (c: Context<AppEnv>) => boolean } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('auth', null);
    // Only the name this request would be given: on HTTPS the bare name could have been planted
    // by a sibling subdomain or over plain HTTP (cookie tossing); a __Host- cookie cannot.
    const token = getCookie(c, secure(c) ? SECURE_COOKIE : COOKIE);
    if (token) {
      const { sessions } = c.get('services');
      const result = (options.rechecksInTransaction?.(c) && sessions.keptSession(token)) || (await sessions.validateSessionToken(token));
      if (result) {
        c.set('auth', { session: result.session, user: result.user });
        if (result.refreshed) setSessionCookie(c, token, result.session.expiresAt);
      } else {
        // Ended by the office's reset of the PIN: the cookie stays, so every request from that
        // phone hears why until someone signs in on it again (decision 051).
        const ended = await sessions.whyEnded(token);
        if (ended) c.set('sessionEnded', ended);
        else clearSessionCookie(c);
      }
    }
    await next();
  };
}

/**
 * The 401 for a request whose kept session failed its re-check: the full check runs once more, so
 * the kept row is forgotten and the phone hears why its session ended (a PIN reset), as any other
 * request would tell it.
 */
export async function sessionEndedError(c: Context<AppEnv>) {
  const token = getCookie(c, secure(c) ? SECURE_COOKIE : COOKIE);
  const { sessions } = c.get('services');
  if (!token || (await sessions.validateSessionToken(token))) return unauthenticated();
  return unauthenticated(await sessions.whyEnded(token));
}

/** The signed-in user, or 401; with roles, 403 for anyone else. */
export function requireUser(c: Context<AppEnv>, ...roles: Role[]) {
  const auth = c.get('auth');
  if (!auth) throw unauthenticated(c.get('sessionEnded'));
  if (roles.length && !roles.includes(auth.user.role)) throw forbidden();
  return auth;
}
