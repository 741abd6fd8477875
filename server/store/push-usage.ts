// What pushes stored between two instants, for the daily push quota (server/sync/push-quota.ts,
// decision 052): records (attempts, visit outcomes, stored rejections) and their bytes, counted the
// way the quota counts an item before it is written — evidence bytes (key frames, audio, an
// attestation photo) plus the text that comes with it.
import type { Db } from '../db/sqlite.ts';

export interface Usage {
  records: number;
  bytes: number;
}

// ?1 the user, ?2 from (inclusive), ?3 to (exclusive), ?4 the device or NULL for every device.
// Each branch reads the table's (user_id, received_at) index (migrations 003 and 008). The CAST
// tells PostgreSQL the type of a parameter it first meets in IS NULL.
const PER_USER = `
  SELECT count(*) AS records, coalesce(sum(blob_bytes + length(result)), 0) AS bytes
    FROM attempts WHERE user_id = ?1 AND received_at >= ?2 AND received_at < ?3 AND (CAST(?4 AS TEXT) IS NULL OR device_id = ?4)
  UNION ALL
  SELECT count(*), coalesce(sum(coalesce(photo_bytes, 0) + length(note)), 0)
    FROM visit_outcomes WHERE user_id = ?1 AND received_at >= ?2 AND received_at < ?3 AND (CAST(?4 AS TEXT) IS NULL OR device_id = ?4)
  UNION ALL
  SELECT count(*), coalesce(sum(length(coalesce(detail, ''))), 0)
    FROM sync_rejections WHERE user_id = ?1 AND received_at >= ?2 AND received_at < ?3 AND (CAST(?4 AS TEXT) IS NULL OR device_id = ?4)`;

async function sum(db: Db, userId: number, from: number, to: number, deviceId: string | null): Promise<Usage> {
  const rows = await db.all<Usage>(PER_USER, [userId, from, to, deviceId]);
  return rows.reduce((a, r) => ({ records: a.records + r.records, bytes: a.bytes + r.bytes }), { records: 0, bytes: 0 });
}

/** What this account stored in [from, to), from every phone. */
export function userUsage(db: Db, userId: number, from: number, to: number): Promise<Usage> {
  return sum(db, userId, from, to, null);
}

/** What this phone stored in [from, to), for every account that pushed from it. */
export async function deviceUsage(db: Db, deviceId: string, from: number, to: number): Promise<Usage> {
  const users = await db.all<{ user_id: number }>('SELECT user_id FROM sync_clients WHERE device_id = ?', [deviceId]);
  let total: Usage = { records: 0, bytes: 0 };
  for (const { user_id } of users) {
    const u = await sum(db, user_id, from, to, deviceId);
    total = { records: total.records + u.records, bytes: total.bytes + u.bytes };
  }
  return total;
}

/** Which of these item ids are stored already (a retry is answered from them, whatever the quota). */
export async function storedItemIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.all<{ id: string }>(
    `SELECT id FROM attempts WHERE id IN ${db.dialect.jsonValues('?1', 'text')}
     UNION ALL SELECT id FROM visit_outcomes WHERE id IN ${db.dialect.jsonValues('?1', 'text')}
     UNION ALL SELECT id FROM sync_rejections WHERE id IN ${db.dialect.jsonValues('?1', 'text')}`,
    [JSON.stringify(ids)],
  );
  return new Set(rows.map((r) => r.id));
}
