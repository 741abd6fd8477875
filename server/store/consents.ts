// Consent rows (004-consent.sql): written once per phone-made id, read as "the latest choice".
import type { ConsentChoice, ConsentInput, ConsentRecord } from '../../shared/schemas/consent.ts';
import type { Db } from '../db/sqlite.ts';

interface Row {
  id: string;
  retiree_id: number;
  user_id: number;
  role: string;
  retiree_user: number;
  choice: ConsentChoice;
  notice_version: number;
  decided_at: number;
  received_at: number;
}

const SELECT = `SELECT c.id, c.retiree_id, c.user_id, u.role, (u.retiree_id IS NOT DISTINCT FROM c.retiree_id) AS retiree_user, c.choice,
                       c.notice_version, c.decided_at, c.received_at
                  FROM consents c JOIN users u ON u.id = c.user_id`;

function toRecord(r: Row): ConsentRecord {
  return {
    id: r.id,
    retireeId: r.retiree_id,
    choice: r.choice,
    noticeVersion: r.notice_version,
    decidedAt: r.decided_at,
    receivedAt: r.received_at,
    recordedBy: r.retiree_user ? 'self' : r.role === 'worker' ? 'worker' : 'family',
  };
}

export type SaveOutcome = { kind: 'created' | 'duplicate'; record: ConsentRecord } | { kind: 'conflict' };

/**
 * Stores a choice. The same id sent again (a retry after a lost answer) is a duplicate and changes
 * nothing; the same id with different content is a conflict (a bug or tampering, never a retry).
 */
export async function saveConsent(db: Db, userId: number, input: ConsentInput, receivedAt: number): Promise<SaveOutcome> {
  const inserted = await db.run(
    `INSERT INTO consents (id, retiree_id, user_id, choice, notice_version, decided_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
    [input.id, input.retireeId, userId, input.choice, input.noticeVersion, input.decidedAt, receivedAt],
  );
  const row = await db.get<Row>(`${SELECT} WHERE c.id = ?`, [input.id]);
  if (!row) return { kind: 'conflict' };
  const same = row.retiree_id === input.retireeId && row.user_id === userId && row.choice === input.choice && row.notice_version === input.noticeVersion && row.decided_at === input.decidedAt;
  if (!same) return { kind: 'conflict' };
  return { kind: inserted.changes > 0 ? 'created' : 'duplicate', record: toRecord(row) };
}

/** The choice that counts for a retiree: the one made last on the phone, then the last received. */
export async function latestConsent(db: Db, retireeId: number): Promise<ConsentRecord | null> {
  const row = await db.get<Row>(`${SELECT} WHERE c.retiree_id = ? ORDER BY c.decided_at DESC, c.received_at DESC, c.id DESC LIMIT 1`, [retireeId]);
  return row ? toRecord(row) : null;
}
