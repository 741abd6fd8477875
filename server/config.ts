// Configuration from the environment, checked once at start so a typo fails loudly and early.
import { resolve } from 'node:path';
import { isValidTimeZone } from '../shared/dates.ts';

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  webDist: string;
  timeZone: string;
  /** Trust X-Forwarded-For/-Proto/-Host from a reverse proxy in front of the app. */
  trustProxy: boolean;
  /** 'auto': Secure cookies when the request came over HTTPS. */
  cookieSecure: 'auto' | boolean;
  /** Seed demo data into an empty database. */
  seedDemo: boolean;
  /** Extra origins allowed to send state-changing requests (e.g. the Vite dev server). */
  allowedOrigins: string[];
  /** Worker threads that read faces for the match queue; 0 runs no matching in this process. */
  matchThreads: number;
  /** Headers must arrive within this long, the whole request within `requestTimeoutMs` (server/http/serve.ts). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  production: boolean;
}

function flag(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'yes'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(value.toLowerCase())) return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}

function millis(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number of milliseconds from ${min} to ${max}, got "${value}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Config {
  const production = env.NODE_ENV === 'production';
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const timeZone = env.TIME_ZONE ?? 'Asia/Shanghai';
  if (!isValidTimeZone(timeZone)) throw new Error(`TIME_ZONE "${timeZone}" is not a known IANA time zone`);
  const matchThreads = Number(env.MATCH_THREADS ?? 2);
  if (!Number.isInteger(matchThreads) || matchThreads < 0 || matchThreads > 16) throw new Error(`MATCH_THREADS must be a whole number from 0 to 16, got "${env.MATCH_THREADS}"`);
  // A push (≤ 80 KB) over a poor 2G link takes seconds; 30 s leaves ten times that, and cuts off a
  // client that trickles bytes to hold a socket. The office's photo uploads (≤ 8 MB) need ~2 Mbit/s.
  const headersTimeoutMs = millis(env.HEADERS_TIMEOUT_MS, 'HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = millis(env.REQUEST_TIMEOUT_MS, 'REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) throw new Error(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not be longer than REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  const keepAliveTimeoutMs = millis(env.KEEP_ALIVE_TIMEOUT_MS, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000);
  const cookieSecure = env.COOKIE_SECURE === undefined || env.COOKIE_SECURE === 'auto' ? 'auto' : flag(env.COOKIE_SECURE, 'COOKIE_SECURE', false);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databasePath: resolve(root, env.DATABASE_PATH ?? 'data/stillhere.sqlite'),
    webDist: resolve(root, env.WEB_DIST ?? 'dist'),
    timeZone,
    trustProxy: flag(env.TRUST_PROXY, 'TRUST_PROXY', false),
    cookieSecure,
    seedDemo: flag(env.SEED_DEMO, 'SEED_DEMO', !production),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    matchThreads,
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs,
    production,
  };
}
