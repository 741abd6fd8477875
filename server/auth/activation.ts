// One-time activation codes: the office or a worker hands one to a retiree, who uses it once to
// choose a PIN. A PIN derived from the birthday would be known to anyone holding the ID number.
import { createHash, randomInt } from 'node:crypto';
import type { Db } from '../db/sqlite.ts';

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
  await db.transaction(async () => {
    await db.run('UPDATE activation_codes SET expires_at = ? WHERE retiree_id = ? AND used_at IS NULL AND expires_at > ?', [at, retireeId, at]);
    await db.run('INSERT INTO activation_codes (retiree_id, code_hash, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
      retireeId,
      hashCode(retireeId, code),
      issuedBy,
      at,
      expiresAt,
    ]);
  });
  return { code, expiresAt };
}

/** Marks a valid code used; false when it is wrong, used or expired. Call inside a transaction. */
export async function consumeActivationCode(db: Db, retireeId: number, code: string, at: number): Promise<boolean> {
  const { changes } = await db.run(
    'UPDATE activation_codes SET used_at = ? WHERE retiree_id = ? AND code_hash = ? AND used_at IS NULL AND expires_at > ?',
    [at, retireeId, hashCode(retireeId, code), at],
  );
  return changes === 1;
}
