// Configuration from the environment, checked once at start so a typo fails loudly and early.
import { resolve } from 'node:path';
import { isValidTimeZone } from '../shared/dates.ts';

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  /** STILLHERE_INGEST_STATS: where the process writes its group commit's counts at exit (`npm run bench -- ingest`). */
  ingestStatsFile: string | null;
  /** DATABASE_URL=postgres://…: run on PostgreSQL instead of the SQLite file (decision 081). */
  databaseUrl: string | null;
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
  /** Which of a worker's matched checks the office sees first: a random share, and all above a pace (issue 15). */
  workerAudit: { share: number; maxPerHour: number };
  /** scrypt hashes computed at once, and anonymous ones that may wait; beyond that: 503 (decision 051). */
  hashQueue: { running: number; waiting: number };
  /** Headers must arrive within this long, the whole request within `requestTimeoutMs` (server/http/serve.ts). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** What one account (by role) and one phone may store through pushes per day (decision 052). */
  pushQuota: PushQuota;
  /** Days key frames, audio and attestation photos are kept (Help and consent say 3 years; decision 052). */
  retentionDays: number;
  production: boolean;
}

/** Records (attempts, visit outcomes) and bytes of evidence per local day. */
export interface DailyLimit {
  records: number;
  bytes: number;
}

export interface PushQuota {
  retiree: DailyLimit;
  family: DailyLimit;
  worker: DailyLimit;
  /** Every account on one phone together (a worker's phone may be shared). */
  device: DailyLimit;
}

const MB = 1024 * 1024;

/**
 * A check sends at most 64 KB of evidence (2–3 key frames of 10–20 KB, optional audio) and ~2 KB of
 * result. A retiree does a few checks a day (the app offers other routes after 3 failures); a
 * family member helps a few relatives; a worker certifies up to ~100 retirees a day, with retries
 * and visit outcomes some 300–400 records and ~20 MB. Each limit leaves room for about twice that
 * (decision 052); one retiree session had stored 149 MB in 20 s (issue 15).
 */
export const DEFAULT_PUSH_QUOTA: PushQuota = {
  retiree: { records: 30, bytes: 3 * MB },
  family: { records: 60, bytes: 6 * MB },
  worker: { records: 600, bytes: 40 * MB },
  device: { records: 1000, bytes: 64 * MB },
};

/** Three years, one of them a leap year: what Help and the consent screen promise. */
export const DEFAULT_RETENTION_DAYS = 1096;

/** "RECORDS/MB", e.g. "30/3": 30 records and 3 MB a day. */
function dailyLimit(value: string | undefined, name: string, fallback: DailyLimit): DailyLimit {
  if (value === undefined || value === '') return fallback;
  const m = /^\s*(\d{1,7})\s*\/\s*(\d{1,5}(?:\.\d+)?)\s*$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0) throw new Error(`${name} must be RECORDS/MB per day, e.g. "30/3", got "${value}"`);
  return { records: Number(m[1]), bytes: Math.round(Number(m[2]) * MB) };
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

function databaseUrl(value: string | undefined): string | null {
  if (!value) return null;
  if (!/^postgres(ql)?:\/\//.test(value)) throw new Error(`DATABASE_URL must be a postgres:// URL (leave it unset for the SQLite file at DATABASE_PATH), got "${value.replace(/\/\/[^@/]*@/, '//…@')}"`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Config {
  const production = env.NODE_ENV === 'production';
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const timeZone = env.TIME_ZONE ?? 'Asia/Shanghai';
  if (!isValidTimeZone(timeZone)) throw new Error(`TIME_ZONE "${timeZone}" is not a known IANA time zone`);
  const matchThreads = Number(env.MATCH_THREADS ?? 2);
  if (!Number.isInteger(matchThreads) || matchThreads < 0 || matchThreads > 16) throw new Error(`MATCH_THREADS must be a whole number from 0 to 16, got "${env.MATCH_THREADS}"`);
  const workerShare = Number(env.WORKER_REVIEW_SHARE || 0.05);
  if (!Number.isFinite(workerShare) || workerShare < 0 || workerShare > 1) throw new Error(`WORKER_REVIEW_SHARE must be a share from 0 to 1, got "${env.WORKER_REVIEW_SHARE}"`);
  const workerMaxPerHour = Number(env.WORKER_MAX_PER_HOUR || 20);
  if (!Number.isInteger(workerMaxPerHour) || workerMaxPerHour < 1 || workerMaxPerHour > 10_000) throw new Error(`WORKER_MAX_PER_HOUR must be a whole number from 1 to 10000, got "${env.WORKER_MAX_PER_HOUR}"`);
  const retentionDays = Number(env.RETENTION_DAYS || DEFAULT_RETENTION_DAYS);
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 36_500) throw new Error(`RETENTION_DAYS must be a whole number of days from 1 to 36500, got "${env.RETENTION_DAYS}"`);
  // A push (≤ 80 KB) over a poor 2G link takes seconds; 30 s leaves ten times that, and cuts off a
  // client that trickles bytes to hold a socket. The office's photo uploads (≤ 8 MB) need ~2 Mbit/s.
  const headersTimeoutMs = millis(env.HEADERS_TIMEOUT_MS, 'HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = millis(env.REQUEST_TIMEOUT_MS, 'REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) throw new Error(`HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not be longer than REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  const keepAliveTimeoutMs = millis(env.KEEP_ALIVE_TIMEOUT_MS, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000);
  // Two hashes leave two of libuv's four threads to SQLite and the files (decision 051).
  const hashRunning = Number(env.HASH_CONCURRENCY || 2);
  if (!Number.isInteger(hashRunning) || hashRunning < 1 || hashRunning > 16) throw new Error(`HASH_CONCURRENCY must be a whole number from 1 to 16, got "${env.HASH_CONCURRENCY}"`);
  const hashWaiting = Number(env.HASH_QUEUE || 8);
  if (!Number.isInteger(hashWaiting) || hashWaiting < 0 || hashWaiting > 1000) throw new Error(`HASH_QUEUE must be a whole number from 0 to 1000, got "${env.HASH_QUEUE}"`);
  const cookieSecure = env.COOKIE_SECURE === undefined || env.COOKIE_SECURE === 'auto' ? 'auto' : flag(env.COOKIE_SECURE, 'COOKIE_SECURE', false);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databasePath: resolve(root, env.DATABASE_PATH ?? 'data/stillhere.sqlite'),
    databaseUrl: databaseUrl(env.DATABASE_URL),
    ingestStatsFile: env.STILLHERE_INGEST_STATS || null,
    webDist: resolve(root, env.WEB_DIST ?? 'dist'),
    timeZone,
    trustProxy: flag(env.TRUST_PROXY, 'TRUST_PROXY', false),
    cookieSecure,
    seedDemo: flag(env.SEED_DEMO, 'SEED_DEMO', !production),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    matchThreads,
    workerAudit: { share: workerShare, maxPerHour: workerMaxPerHour },
    hashQueue: { running: hashRunning, waiting: hashWaiting },
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs,
    pushQuota: {
      retiree: dailyLimit(env.QUOTA_RETIREE, 'QUOTA_RETIREE', DEFAULT_PUSH_QUOTA.retiree),
      family: dailyLimit(env.QUOTA_FAMILY, 'QUOTA_FAMILY', DEFAULT_PUSH_QUOTA.family),
      worker: dailyLimit(env.QUOTA_WORKER, 'QUOTA_WORKER', DEFAULT_PUSH_QUOTA.worker),
      device: dailyLimit(env.QUOTA_DEVICE, 'QUOTA_DEVICE', DEFAULT_PUSH_QUOTA.device),
    },
    retentionDays,
    production,
  };
}
