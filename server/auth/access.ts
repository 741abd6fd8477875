// Object-level authorization: who may see or act for which retiree. Routes answer 404 rather than
// 403 for someone else's retiree, so IDs cannot be probed.
import type { Db } from '../db/sqlite.ts';
import type { SessionUser } from './auth_session.ts';

export async function canAccessRetiree(db: Db, user: SessionUser, retireeId: number): Promise<boolean> {
  switch (user.role) {
    case 'retiree':
      return user.retireeId === retireeId;
    case 'family':
      return !!(await db.get('SELECT 1 FROM family_links WHERE user_id = ? AND retiree_id = ?', [user.id, retireeId]));
    case 'worker':
      return !!(await db.get(
        `SELECT 1 FROM retirees r JOIN worker_assignments w ON w.community_id = r.community_id
          WHERE r.id = ? AND w.user_id = ?`,
        [retireeId, user.id],
      ));
    case 'admin':
      return !!(await db.get(
        `SELECT 1 FROM retirees r JOIN communities c ON c.id = r.community_id
          WHERE r.id = ? AND (? IS NULL OR c.region_id = ?)`,
        [retireeId, user.regionId, user.regionId],
      ));
  }
}
