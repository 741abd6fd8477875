// Who may see or act for which retiree, and whom each phone lists: the one place for both (decision
// 090). Every route that names a retiree, the roster, the pull and the push ask here.
//
//   role      may see and push for (canAccessRetiree)      listed on their phone (listedRetireeIds)
//   retiree   themself                                     themself
//   family    every retiree they are linked to             the same
//   worker    every retiree of their assigned communities  those still on the rolls
//   office    every retiree of its region (all if none)    nobody (the console has its own lists)
//
// Off the rolls (shared OFF_ROLLS: an approved death or move, a stopped pension) never removes
// access: a check or visit recorded offline before the news reached the phone still arrives, and
// the push sends it to the office as `not_active` (sync/ingest-decide.ts) rather than losing it or
// certifying. It only takes the retiree off the worker's rounds. Routes answer 404 rather than 403
// for someone else's retiree, so IDs cannot be probed.
import type { Db } from '../db/sqlite.ts';
import { familyLinked, inOfficeRegion, linkedRetireeIds, rosterRetireeIds, workerAssigned } from '../store/retiree-access.ts';
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

/** The retirees whose status the user's phone keeps (the pull) and the worker's roster lists. */
export async function listedRetireeIds(db: Db, user: SessionUser): Promise<number[]> {
  switch (user.role) {
    case 'retiree':
      return user.retireeId ? [user.retireeId] : [];
    case 'family':
      return linkedRetireeIds(db, user.id);
    case 'worker':
      return rosterRetireeIds(db, user.id);
    case 'admin':
      return [];
  }
}
