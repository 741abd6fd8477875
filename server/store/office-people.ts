// The accounts an office manages in its console (issue 16, decision 059), scoped in the SQL.
//
// An office's accounts: office accounts of its region, workers created in its region or assigned to
// one of its communities, and family members linked to one of its retirees — the same rule as
// userInRegion (users.ts), which guards every change. An office account without a region
// (users.region_id NULL) has every non-retiree account. Retirees are not "people" here: their
// accounts are managed from the retiree's page (activation codes, decision 051).
import type { FamilyLink, LinksPage, LinksQuery, PeoplePage, PeopleQuery, Person, PersonCommunity } from '../../shared/schemas/office-people.ts';
import { PEOPLE_PAGE_SIZE } from '../../shared/schemas/office-people.ts';
import type { Dialect } from '../db/dialect.ts';
import type { Db } from '../db/sqlite.ts';

/** Account `u` belongs to the office of region `?1` (NULL: every region); a retiree's account to its retiree's region. */
export const ACCOUNT_IN_REGION = `(?1 IS NULL OR u.region_id = ?1
    OR EXISTS (SELECT 1 FROM worker_assignments w JOIN communities c ON c.id = w.community_id WHERE w.user_id = u.id AND c.region_id = ?1)
    OR EXISTS (SELECT 1 FROM family_links f JOIN retirees r ON r.id = f.retiree_id JOIN communities c ON c.id = r.community_id
                WHERE f.user_id = u.id AND c.region_id = ?1)
    OR EXISTS (SELECT 1 FROM retirees r JOIN communities c ON c.id = r.community_id WHERE r.id = u.retiree_id AND c.region_id = ?1))`;

const IN_SCOPE = `u.role <> 'retiree' AND ${ACCOUNT_IN_REGION}`;

// A worker's communities and a family member's links are counted within the office's scope only:
// another region's community names are not this office's business.
const personColumns = (d: Dialect) => `u.id, u.role, u.display_name, u.username, u.phone, u.disabled, g.code AS region_code, g.name AS region_name,
  (SELECT ${d.jsonArrayAgg(d.jsonObject("'id'", 'x.id', "'name'", 'x.name', "'regionCode'", 'x.code'))} FROM (
     SELECT c.id, c.name, cg.code FROM worker_assignments w JOIN communities c ON c.id = w.community_id JOIN regions cg ON cg.id = c.region_id
      WHERE w.user_id = u.id AND (?1 IS NULL OR c.region_id = ?1) ORDER BY c.name) x) AS communities,
  (SELECT count(*) FROM family_links f JOIN retirees r ON r.id = f.retiree_id JOIN communities c ON c.id = r.community_id
    WHERE f.user_id = u.id AND (?1 IS NULL OR c.region_id = ?1)) AS links,
  (SELECT max(a.at) FROM audit_log a WHERE a.user_id = u.id AND a.event = 'sign_in') AS last_sign_in_at`;

interface PersonRow {
  id: number;
  role: Person['role'];
  display_name: string;
  username: string;
  phone: string | null;
  disabled: number;
  region_code: string | null;
  region_name: string | null;
  communities: string;
  links: number;
  last_sign_in_at: number | null;
}

const toPerson = (r: PersonRow, selfId: number): Person => ({
  id: r.id,
  role: r.role,
  displayName: r.display_name,
  username: r.username,
  phone: r.phone,
  region: r.region_code ? { code: r.region_code, name: r.region_name! } : null,
  communities: JSON.parse(r.communities) as PersonCommunity[],
  links: r.links,
  lastSignInAt: r.last_sign_in_at,
  disabled: !!r.disabled,
  self: r.id === selfId,
});

/** `%text%` for LIKE, with the user's own % and _ taken literally. */
export const containing = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** The office's accounts, office accounts first, then workers, then family, by name; a page at a time. */
export async function peoplePage(db: Db, regionId: number | null, selfId: number, q: PeopleQuery): Promise<PeoplePage> {
  const where = [IN_SCOPE];
  const params: (string | number | null)[] = [regionId];
  const add = (sql: string, value: string | number) => {
    params.push(value);
    where.push(sql.replaceAll('?', `?${params.length}`));
  };
  if (q.role) add('u.role = ?', q.role);
  if (q.disabled) add('u.disabled = ?', q.disabled === 'yes' ? 1 : 0);
  const like = db.dialect.likeNoCase;
  if (q.q) add(`(u.display_name ${like} ? ESCAPE '\\' OR u.username ${like} ? ESCAPE '\\' OR u.phone ${like} ? ESCAPE '\\')`, containing(q.q));
  const from = `FROM users u LEFT JOIN regions g ON g.id = u.region_id WHERE ${where.join(' AND ')}`;
  // Users are thousands, not millions: a count and an offset page are cheap and let the clerk jump to a page.
  const total = (await db.get<{ n: number }>(`SELECT count(*) AS n ${from}`, params))!.n;
  const rows = await db.all<PersonRow>(
    `SELECT ${personColumns(db.dialect)} ${from}
      ORDER BY CASE u.role WHEN 'admin' THEN 0 WHEN 'worker' THEN 1 ELSE 2 END, u.display_name, u.id
      LIMIT ${PEOPLE_PAGE_SIZE} OFFSET ${(q.page - 1) * PEOPLE_PAGE_SIZE}`,
    params,
  );
  return { items: rows.map((r) => toPerson(r, selfId)), total, page: q.page, pageSize: PEOPLE_PAGE_SIZE };
}

/** One account of the office's scope, or undefined (another region's accounts do not exist for it). */
export async function personInScope(db: Db, regionId: number | null, selfId: number, userId: number): Promise<Person | undefined> {
  const row = await db.get<PersonRow>(`SELECT ${personColumns(db.dialect)} FROM users u LEFT JOIN regions g ON g.id = u.region_id WHERE ${IN_SCOPE} AND u.id = ?2`, [regionId, userId]);
  return row && toPerson(row, selfId);
}

/** The communities an office may assign workers to. */
export async function communitiesInScope(db: Db, regionId: number | null): Promise<PersonCommunity[]> {
  return db.all<PersonCommunity>(
    `SELECT c.id, c.name, g.code AS "regionCode" FROM communities c JOIN regions g ON g.id = c.region_id
      WHERE ?1 IS NULL OR c.region_id = ?1 ORDER BY g.code, c.name`,
    [regionId],
  );
}

export async function communityInScope(db: Db, regionId: number | null, communityId: number): Promise<PersonCommunity | undefined> {
  return db.get<PersonCommunity>(
    `SELECT c.id, c.name, g.code AS "regionCode" FROM communities c JOIN regions g ON g.id = c.region_id
      WHERE c.id = ?2 AND (?1 IS NULL OR c.region_id = ?1)`,
    [regionId, communityId],
  );
}

/** Regions an office account may be created in. */
export async function regionsInScope(db: Db, regionId: number | null): Promise<{ code: string; name: string }[]> {
  return db.all('SELECT code, name FROM regions WHERE ?1 IS NULL OR id = ?1 ORDER BY code', [regionId]);
}

interface LinkRow {
  user_id: number;
  display_name: string;
  username: string;
  retiree_id: number;
  retiree_name: string;
  id_number: string;
  community: string;
  relation: string;
  created_at: number;
}

const toLink = (r: LinkRow): FamilyLink => ({
  userId: r.user_id,
  displayName: r.display_name,
  username: r.username,
  retiree: { id: r.retiree_id, name: r.retiree_name, idNumber: r.id_number, community: r.community },
  relation: r.relation,
  since: r.created_at,
});

const LINKS_FROM = `FROM family_links f JOIN users u ON u.id = f.user_id JOIN retirees r ON r.id = f.retiree_id
  JOIN communities c ON c.id = r.community_id WHERE (?1 IS NULL OR c.region_id = ?1)`;
const LINK_COLUMNS = `f.user_id, u.display_name, u.username, f.retiree_id, r.name AS retiree_name, r.id_number, c.name AS community, f.relation, f.created_at`;

/** Family links to the office's retirees, newest first; `q` finds the family member (name, username, phone) or the retiree (name, ID digits at the end). */
export async function familyLinksPage(db: Db, regionId: number | null, q: LinksQuery): Promise<LinksPage> {
  const params: (string | number | null)[] = [regionId];
  let filter = '';
  if (q.q) {
    params.push(containing(q.q));
    // ID digits match the end of the ID number, as the worker's roster search does (decision 042).
    const digits = /^\d{3,17}[\dXx]?$/.test(q.q) ? q.q.toUpperCase() : null;
    if (digits) params.push(`%${digits}`);
    const like = db.dialect.likeNoCase;
    filter = ` AND (u.display_name ${like} ?2 ESCAPE '\\' OR u.username ${like} ?2 ESCAPE '\\' OR u.phone ${like} ?2 ESCAPE '\\' OR r.name ${like} ?2 ESCAPE '\\'${digits ? ' OR r.id_number LIKE ?3' : ''})`;
  }
  const total = (await db.get<{ n: number }>(`SELECT count(*) AS n ${LINKS_FROM}${filter}`, params))!.n;
  const rows = await db.all<LinkRow>(
    `SELECT ${LINK_COLUMNS} ${LINKS_FROM}${filter} ORDER BY f.created_at DESC, f.user_id, f.retiree_id
      LIMIT ${PEOPLE_PAGE_SIZE} OFFSET ${(q.page - 1) * PEOPLE_PAGE_SIZE}`,
    params,
  );
  return { items: rows.map(toLink), total, page: q.page, pageSize: PEOPLE_PAGE_SIZE };
}

export async function familyLinkInScope(db: Db, regionId: number | null, userId: number, retireeId: number): Promise<FamilyLink | undefined> {
  const row = await db.get<LinkRow>(`SELECT ${LINK_COLUMNS} ${LINKS_FROM} AND f.user_id = ?2 AND f.retiree_id = ?3`, [regionId, userId, retireeId]);
  return row && toLink(row);
}
