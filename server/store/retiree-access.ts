// The facts behind "who may act for which retiree" (server/auth/access.ts decides with them) and
// whose status a pull carries (sync/pull.ts). Reads only: the pull runs on a read-only connection.
import type { Db } from '../db/sqlite.ts';
import { ON_ROLLS } from './retiree-facts.ts';

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

/** The retirees a family member is linked to, by id. */
export async function linkedRetireeIds(db: Db, familyUserId: number): Promise<number[]> {
  return (await db.all<{ id: number }>('SELECT retiree_id AS id FROM family_links WHERE user_id = ? ORDER BY retiree_id', [familyUserId])).map((r) => r.id);
}

/**
 * The rounds: retirees of the assigned communities who still draw a pension here, by id. A death or
 * a move the office has approved takes the retiree off the roster (the phone gets `removed`).
 */
export async function rosterRetireeIds(db: Db, workerId: number): Promise<number[]> {
  return (
    await db.all<{ id: number }>(
      `SELECT r.id FROM retirees r JOIN worker_assignments w ON w.community_id = r.community_id
        WHERE w.user_id = ? AND ${ON_ROLLS} ORDER BY r.id`,
      [workerId],
    )
  ).map((r) => r.id);
}

/** The communities a worker is assigned to. */
export async function assignedCommunityIds(db: Db, workerId: number): Promise<number[]> {
  return (await db.all<{ community_id: number }>('SELECT community_id FROM worker_assignments WHERE user_id = ?', [workerId])).map((r) => r.community_id);
}
