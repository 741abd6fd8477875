// Consent rows (004-consent.sql, 018-consent-in-push.sql): written once per phone-made id, read as
// "the latest choice". They come through the push (decision 085: the phone's one outbox), or from
// an installed older app through POST /api/consents; both are the same rows.
import type { ConsentChoice, ConsentInput, ConsentRecord } from '../../shared/schemas/consent.ts';
import type { ConsentResult, PushResult } from '../../shared/sync.ts';
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

/** A consent choice from a push, decided (server/sync/ingest-decide.ts) and written in its group. */
export interface ConsentRow {
  id: string;
  retireeId: number;
  userId: number;
  deviceId: string;
  seq: number;
  choice: ConsentChoice;
  noticeVersion: number;
  deviceTime: number;
  receivedAt: number;
}

/** The answer a stored consent gets when its id comes again. */
export const consentResult = (receivedAt: number): ConsentResult => ({ kind: 'consent_recorded', receivedAt });

/** What was answered before for these ids (pushed or posted), with whose they are. */
export async function consentAnswers(db: Db, ids: readonly string[]): Promise<Map<string, { userId: number; answer: PushResult }>> {
  const out = new Map<string, { userId: number; answer: PushResult }>();
  if (!ids.length) return out;
  const rows = await db.all<{ id: string; user_id: number; seq: number | null; received_at: number }>(
    `SELECT id, user_id, seq, received_at FROM consents WHERE id IN ${db.dialect.jsonValues('?', 'text')}`,
    [JSON.stringify(ids)],
  );
  for (const r of rows) out.set(r.id, { userId: r.user_id, answer: { id: r.id, seq: r.seq ?? 0, status: 'accepted', outcome: consentResult(r.received_at) } });
  return out;
}

/**
 * Writes a group's consent choices in the caller's transaction; the trigger moves each device's
 * sequence. An id already stored (by the old endpoint, racing this push) is left as it is.
 */
export async function insertConsents(db: Db, rows: readonly ConsentRow[]): Promise<void> {
  for (const r of rows) {
    await db.run(
      `INSERT INTO consents (id, retiree_id, user_id, choice, notice_version, decided_at, received_at, device_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      [r.id, r.retireeId, r.userId, r.choice, r.noticeVersion, r.deviceTime, r.receivedAt, r.deviceId, r.seq],
    );
  }
}
