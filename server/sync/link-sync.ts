// What a pull carries about family links (issue 19): small lists, sent whole on every pull so the
// phone's copy is never behind by an increment (decision 071). Reads only: the pull thread runs it.
import type { LinkSync } from '../../shared/schemas/family.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import type { Db } from '../db/sqlite.ts';
import { helpersOf, incomingForRetiree, incomingForWorker, myLinkRequests } from '../store/family-link-requests.ts';

export async function linkSync(db: Db, user: SessionUser, now: number): Promise<LinkSync> {
  switch (user.role) {
    case 'retiree':
      if (!user.retireeId) return { incoming: [], helpers: [], mine: [] };
      return { incoming: await incomingForRetiree(db, user.retireeId, now), helpers: await helpersOf(db, user.retireeId), mine: [] };
    case 'worker':
      return { incoming: await incomingForWorker(db, user.id, now), helpers: [], mine: [] };
    case 'family':
      return { incoming: [], helpers: [], mine: await myLinkRequests(db, user.id, now) };
    case 'admin':
      return { incoming: [], helpers: [], mine: [] };
  }
}
