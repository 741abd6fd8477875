// One-time activation codes (table activation_codes): only a hash of each code is kept
// (server/auth/activation.ts makes and checks them).
import type { Db } from '../db/sqlite.ts';

/** Retires the retiree's unused codes and stores a new one, in one transaction. */
export async function replaceActivationCode(db: Db, row: { retireeId: number; codeHash: string; issuedBy: number | null; at: number; expiresAt: number }): Promise<void> {
  await db.transaction(async () => {
    await db.run('UPDATE activation_codes SET expires_at = ? WHERE retiree_id = ? AND used_at IS NULL AND expires_at > ?', [row.at, row.retireeId, row.at]);
    await db.run('INSERT INTO activation_codes (retiree_id, code_hash, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
      row.retireeId,
      row.codeHash,
      row.issuedBy,
      row.at,
      row.expiresAt,
    ]);
  });
}

/** Marks the code used if it is valid; false when it is wrong, used or expired. */
export async function useActivationCode(db: Db, retireeId: number, codeHash: string, at: number): Promise<boolean> {
  const { changes } = await db.run(
    'UPDATE activation_codes SET used_at = ? WHERE retiree_id = ? AND code_hash = ? AND used_at IS NULL AND expires_at > ?',
    [at, retireeId, codeHash, at],
  );
  return changes === 1;
}

/** True when the code would be accepted now (read only: nothing is used up). */
export async function activationCodeUsable(db: Db, retireeId: number, codeHash: string, at: number): Promise<boolean> {
  return !!(await db.get('SELECT 1 FROM activation_codes WHERE retiree_id = ? AND code_hash = ? AND used_at IS NULL AND expires_at > ?', [
    retireeId,
    codeHash,
    at,
  ]));
}
