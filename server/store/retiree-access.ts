// The facts behind "who may act for which retiree" (server/auth/access.ts decides with them).
import type { Db } from '../db/sqlite.ts';

export async function familyLinked(db: Db, userId: number, retireeId: number): Promise<boolean> {
  return !!(await db.get('SELECT 1 FROM family_links WHERE user_id = ? AND retiree_id = ?', [userId, retireeId]));
}

export async function workerAssigned(db: Db, userId: number, retireeId: number): Promise<boolean> {
  return !!(await db.get(
    `SELECT 1 FROM retirees r JOIN worker_assignments w ON w.community_id = r.community_id
      WHERE r.id = ? AND w.user_id = ?`,
    [retireeId, userId],
  ));
}

/** The retiree lives in the office's region; an office account without a region sees every region. */
export async function inOfficeRegion(db: Db, regionId: number | null, retireeId: number): Promise<boolean> {
  return !!(await db.get(
    `SELECT 1 FROM retirees r JOIN communities c ON c.id = r.community_id
      WHERE r.id = ? AND (? IS NULL OR c.region_id = ?)`,
    [retireeId, regionId, regionId],
  ));
}
