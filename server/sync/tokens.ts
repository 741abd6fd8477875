// Challenge tokens: small, signed, single-use. Each fixes a random seed (from which the phone and
// the server both derive the action sequence and digits, shared/liveness.ts), and is bound to one
// user, one device and an expiry. The phone caches a few for checks without signal.
//
// Format: "c1.<base64url(JSON payload)>.<base64url(HMAC-SHA256(secret, 'c1.' + payload))>".
// The secret is generated on first use and kept in the settings table (decision 011). Tokens are
// stateless until used: challenge_uses records the first attempt that presents one.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { answeredDigits, generateSequence, randomSeed, stepsAnswer, type LivenessResult } from '../../shared/liveness.ts';
import type { ChallengeGrant, ReviewReason } from '../../shared/sync.ts';
import type { Db } from '../db/sqlite.ts';
import { settingOnce } from '../store/settings.ts';

export const TOKEN_TTL_MS = 14 * 24 * 60 * 60 * 1000;
const PREFIX = 'c1';
const SECRET_KEY = 'challenge_secret';

export interface TokenPayload {
  /** Token id: goes into LivenessResult.challengeId. */
  i: string;
  /** User id. */
  u: number;
  /** Device id. */
  d: string;
  /** Seed of the action sequence. */
  s: number;
  /** Issued at (server clock, ms). */
  t: number;
  /** Expires at (server clock, ms). */
  e: number;
}

const secrets = new WeakMap<Db, Promise<Buffer>>();

/** The signing secret of this database: created once, atomically, then cached per process. */
export function signingSecret(db: Db): Promise<Buffer> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = (async () => {
      return Buffer.from(await settingOnce(db, SECRET_KEY, randomBytes(32).toString('base64')), 'base64');
    })();
    secret.catch(() => secrets.delete(db));
    secrets.set(db, secret);
  }
  return secret;
}

function sign(secret: Buffer, body: string): Buffer {
  return createHmac('sha256', secret).update(`${PREFIX}.${body}`).digest();
}

export function encodeToken(secret: Buffer, payload: TokenPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${PREFIX}.${body}.${sign(secret, body).toString('base64url')}`;
}

/** The payload when the signature is good and the shape right; null otherwise (expiry not checked). */
export function decodeToken(secret: Buffer, token: string): TokenPayload | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return null;
  const [, body, mac] = parts as [string, string, string];
  const expected = sign(secret, body);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
    const ok =
      typeof p.i === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(p.i) && Number.isSafeInteger(p.u) && typeof p.d === 'string' &&
      Number.isInteger(p.s) && p.s >= 0 && p.s <= 0xffff_ffff && Number.isSafeInteger(p.t) && Number.isSafeInteger(p.e);
    return ok ? p : null;
  } catch {
    return null;
  }
}

export async function issueChallenges(db: Db, userId: number, deviceId: string, count: number, now: number): Promise<ChallengeGrant[]> {
  return grantChallenges(await signingSecret(db), userId, deviceId, count, now);
}

/** Fresh tokens signed with `secret`; no database (the pull thread gets the secret from the main thread). */
export function grantChallenges(secret: Buffer, userId: number, deviceId: string, count: number, now: number): ChallengeGrant[] {
  return Array.from({ length: count }, () => {
    const payload: TokenPayload = { i: randomBytes(16).toString('base64url'), u: userId, d: deviceId, s: randomSeed(), t: now, e: now + TOKEN_TTL_MS };
    return { id: payload.i, token: encodeToken(secret, payload), seed: payload.s, issuedAt: payload.t, expiresAt: payload.e };
  });
}

export interface TokenCheck {
  /** Null when the token is good; otherwise why the attempt goes to review. */
  reviewReason: ReviewReason | null;
  payload: TokenPayload | null;
}

/**
 * Everything about a token that does not need the database: signature, binding to this user and
 * device, expiry on the server's clock at receipt, and that the result answers exactly this
 * challenge (same id, same seed, the same actions in the same order, the same digits; a blink step
 * swapped for eyes with no usable blink only for the one action the rules allow, steps the person
 * swapped ("换一个动作") only for actions that keep the sequence's rules). Whether the
 * token was already used is decided inside the ingest transaction.
 */
export function checkToken(secret: Buffer, token: string | null, result: LivenessResult, userId: number, deviceId: string, receivedAt: number): TokenCheck {
  if (token === null) return { reviewReason: 'no_token', payload: null };
  const payload = decodeToken(secret, token);
  if (!payload) return { reviewReason: 'token_invalid', payload: null };
  if (payload.u !== userId || payload.d !== deviceId) return { reviewReason: 'token_foreign', payload };
  if (receivedAt > payload.e || receivedAt < payload.t) return { reviewReason: 'token_expired', payload };
  const seq = generateSequence(payload.s);
  const matches =
    result.challengeId === payload.i &&
    result.seed === payload.s &&
    stepsAnswer(seq, result.steps) &&
    (result.digits ?? null) === answeredDigits(seq, result.steps.map((s) => s.action));
  if (!matches) return { reviewReason: 'sequence_mismatch', payload };
  return { reviewReason: null, payload };
}
