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
  production: boolean;
}

function flag(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'yes'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(value.toLowerCase())) return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Config {
  const production = env.NODE_ENV === 'production';
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const timeZone = env.TIME_ZONE ?? 'Asia/Shanghai';
  if (!isValidTimeZone(timeZone)) throw new Error(`TIME_ZONE "${timeZone}" is not a known IANA time zone`);
  const matchThreads = Number(env.MATCH_THREADS ?? 2);
  if (!Number.isInteger(matchThreads) || matchThreads < 0 || matchThreads > 16) throw new Error(`MATCH_THREADS must be a whole number from 0 to 16, got "${env.MATCH_THREADS}"`);
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
    production,
  };
}
