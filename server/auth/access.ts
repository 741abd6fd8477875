// Object-level authorization: who may see or act for which retiree. Routes answer 404 rather than
// 403 for someone else's retiree, so IDs cannot be probed.
import type { Db } from '../db/sqlite.ts';
import { familyLinked, inOfficeRegion, workerAssigned } from '../store/retiree-access.ts';
import type { SessionUser } from './auth_session.ts';

export async function canAccessRetiree(db: Db, user: SessionUser, retireeId: number): Promise<boolean> {
  switch (user.role) {
    case 'retiree':
      return user.retireeId === retireeId;
    case 'family':
      return familyLinked(db, user.id, retireeId);
    case 'worker':
      return workerAssigned(db, user.id, retireeId);
    case 'admin':
      return inOfficeRegion(db, user.regionId, retireeId);
  }
}
