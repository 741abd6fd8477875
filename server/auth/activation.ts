// One-time activation codes: the office or a worker hands one to a retiree, who uses it once to
// choose a PIN. A PIN derived from the birthday would be known to anyone holding the ID number.
import { createHash, randomInt } from 'node:crypto';
import type { Db } from '../db/sqlite.ts';
import { activationCodeUsable, replaceActivationCode, useActivationCode } from '../store/activation-codes.ts';

export const ACTIVATION_CODE_TTL_MS = 30 * 24 * 60 * 60_000;

function hashCode(retireeId: number, code: string): string {
  return createHash('sha256').update(`${retireeId}:${code}`).digest('hex');
}

/**
 * Issues a new 8-digit code and retires any earlier unused one. The code is shown once. Only the
 * demo seed passes `code`, so its printed sign-ins stay the same from run to run.
 */
export async function issueActivationCode(db: Db, retireeId: number, issuedBy: number | null, at: number, code = String(randomInt(0, 100_000_000)).padStart(8, '0')) {
  const expiresAt = at + ACTIVATION_CODE_TTL_MS;
  await replaceActivationCode(db, { retireeId, codeHash: hashCode(retireeId, code), issuedBy, at, expiresAt });
  return { code, expiresAt };
}

/** Marks a valid code used; false when it is wrong, used or expired. Call inside a transaction. */
export async function consumeActivationCode(db: Db, retireeId: number, code: string, at: number): Promise<boolean> {
  return useActivationCode(db, retireeId, hashCode(retireeId, code), at);
}

/** Whether the code would be accepted now, without using it up: checked before the PIN is hashed. */
export async function activationCodeValid(db: Db, retireeId: number, code: string, at: number): Promise<boolean> {
  return activationCodeUsable(db, retireeId, hashCode(retireeId, code), at);
}
