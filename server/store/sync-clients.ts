// The per-(device, user) sequence the group commit moves (decision 012), as the phone reads it back.
import type { Db } from '../db/sqlite.ts';

/** The last sequence number applied for this phone and user; 0 before the first push. */
export async function lastSeqOf(db: Db, deviceId: string, userId: number): Promise<number> {
  const row = await db.get<{ last_seq: number }>('SELECT last_seq FROM sync_clients WHERE device_id = ? AND user_id = ?', [deviceId, userId]);
  return row?.last_seq ?? 0;
}
