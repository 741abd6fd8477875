// Who gets an activation letter (the office's year set-up, decision 058): the retirees on the rolls
// of a community, or only those who never chose a PIN, or one by ID number; always inside the
// office's region (NULL: every region), in the query.
import type { Db } from '../db/sqlite.ts';
import { ON_ROLLS } from './retiree-facts.ts';

export interface LetterSelectionQuery {
  regionId: number;
  communityId?: number;
  scope: 'not_activated' | 'all';
  idNumber?: string;
  at: number;
}

export interface LetterRecipient {
  retireeId: number;
  name: string;
  idNumber: string;
  community: string;
  phone: string | null;
  activated: boolean;
  openCode: boolean;
}

/** Most letters issued at once: a community's print run (the e2e prints a few; a large community prints in parts). */
export const MAX_LETTERS = 500;

export async function letterRecipients(db: Db, q: LetterSelectionQuery, limit = MAX_LETTERS + 1): Promise<LetterRecipient[]> {
  const where = ['c.region_id = ?', ON_ROLLS];
  const params: (string | number)[] = [q.at, q.regionId];
  if (q.communityId !== undefined) {
    where.push('r.community_id = ?');
    params.push(q.communityId);
  }
  if (q.idNumber !== undefined) {
    where.push('r.id_number = ?');
    params.push(q.idNumber);
  }
  // A single retiree named by ID number gets a letter whatever their state: that is the re-issue.
  if (q.scope === 'not_activated' && q.idNumber === undefined) where.push('(u.id IS NULL OR u.password_hash IS NULL)');
  const rows = await db.all<{ id: number; name: string; id_number: string; community: string; phone: string | null; activated: number; open_code: number }>(
    `SELECT r.id, r.name, r.id_number, c.name AS community, coalesce(c.office_phone, g.office_phone) AS phone,
            u.password_hash IS NOT NULL AS activated,
            EXISTS (SELECT 1 FROM activation_codes a WHERE a.retiree_id = r.id AND a.used_at IS NULL AND a.expires_at > ?) AS open_code
       FROM retirees r
       JOIN communities c ON c.id = r.community_id
       JOIN regions g ON g.id = c.region_id
       LEFT JOIN users u ON u.retiree_id = r.id
      WHERE ${where.join(' AND ')}
      ORDER BY c.name, r.name, r.id
      LIMIT ?`,
    [...params, limit],
  );
  return rows.map((r) => ({
    retireeId: r.id,
    name: r.name,
    idNumber: r.id_number,
    community: r.community,
    phone: r.phone,
    activated: r.activated === 1,
    openCode: r.open_code === 1,
  }));
}

/** The office's communities with how many of their retirees on the rolls have not chosen a PIN yet. */
export async function setupCommunities(db: Db, regionId: number) {
  return db.all<{ id: number; name: string; officePhone: string | null; retirees: number; notActivated: number }>(
    `SELECT c.id, c.name, c.office_phone AS "officePhone",
            count(r.id) AS retirees,
            count(r.id) FILTER (WHERE u.id IS NULL OR u.password_hash IS NULL) AS "notActivated"
       FROM communities c
       LEFT JOIN retirees r ON r.community_id = c.id AND ${ON_ROLLS}
       LEFT JOIN users u ON u.retiree_id = r.id
      WHERE c.region_id = ?
      GROUP BY c.id
      ORDER BY c.name`,
    [regionId],
  );
}

/** The regions an office covers: its own, or every one for an office without a region. */
export async function regionsOfOffice(db: Db, officeRegionId: number | null) {
  return db.all<{ id: number; code: string; name: string; timeZone: string; officePhone: string | null }>(
    `SELECT id, code, name, time_zone AS "timeZone", office_phone AS "officePhone" FROM regions
      WHERE ? IS NULL OR id = ? ORDER BY code`,
    [officeRegionId, officeRegionId],
  );
}
