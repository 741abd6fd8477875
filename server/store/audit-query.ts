// Reading the audit log in the office console (issue 16, decision 059): filters who, what, when and
// which retiree, newest first, a keyset page at a time, scoped to the office's region through the
// columns migration 013 derives when an entry is written (retiree_id, subject_user_id, region_id).
import type { AuditEntryView, AuditQuery } from '../../shared/schemas/office-audit.ts';
import { AUDIT_PAGE_SIZE } from '../../shared/schemas/office-audit.ts';
import { addDays, type LocalDate } from '../../shared/dates.ts';
import type { Db } from '../db/sqlite.ts';
import { ACCOUNT_IN_REGION } from './office-people.ts';

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The instant a calendar day begins in `timeZone` (no DST in China; the offset is read for that day anyway). */
export function dayStart(date: LocalDate, timeZone: string): number {
  const utc = Date.parse(`${date}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(utc));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const shown = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return utc - (shown - utc);
}

export interface AuditUserRef {
  id: number;
  username: string | null;
  displayName: string;
}

export interface AuditRetireeRef {
  id: number;
  name: string;
  idNumber: string;
}

/** `user` as typed: an account id, or a username; only an account of the office's region. */
export async function auditUserRef(db: Db, regionId: number | null, user: string): Promise<AuditUserRef | undefined> {
  const byId = /^\d{1,15}$/.test(user);
  return db.get<AuditUserRef>(
    `SELECT u.id, u.username, u.display_name AS "displayName" FROM users u WHERE ${byId ? 'u.id = ?2' : 'u.username = ?2'} AND ${ACCOUNT_IN_REGION}`,
    [regionId, byId ? Number(user) : user.toLowerCase()],
  );
}

/** `retiree` as typed: a retiree id, or an ID number (the retiree's, whichever format an entry was written with). */
export async function auditRetireeRef(db: Db, regionId: number | null, retiree: string): Promise<AuditRetireeRef | undefined> {
  const byIdNumber = retiree.length === 18;
  return db.get<AuditRetireeRef>(
    `SELECT r.id, r.name, r.id_number AS "idNumber" FROM retirees r JOIN communities c ON c.id = r.community_id
      WHERE ${byIdNumber ? 'r.id_number = ?2' : 'r.id = ?2'} AND (?1 IS NULL OR c.region_id = ?1)`,
    [regionId, byIdNumber ? retiree.toUpperCase() : Number(retiree)],
  );
}

export async function regionTimeZone(db: Db, regionId: number | null): Promise<string> {
  if (regionId === null) return DEFAULT_TIME_ZONE;
  return (await db.get<{ time_zone: string }>('SELECT time_zone FROM regions WHERE id = ?', [regionId]))?.time_zone ?? DEFAULT_TIME_ZONE;
}

interface Row {
  id: number;
  at: number;
  event: string;
  subject: string | null;
  ip: string | null;
  details: string | null;
  actor_id: number | null;
  actor_username: string | null;
  actor_name: string | null;
  actor_role: string | null;
  retiree_id: number | null;
  retiree_name: string | null;
  id_number: string | null;
  su_id: number | null;
  su_username: string | null;
  su_name: string | null;
}

export interface AuditFilter {
  regionId: number | null;
  userId?: number;
  retireeId?: number;
  event?: string;
  fromAt?: number;
  toAt?: number;
  after?: { at: number; id: number };
  limit?: number;
}

/**
 * Entries newest first. The SQL names the index each filter should use: an account's or a
 * retiree's entries are few, so their index leads and the region and event are checked on their
 * rows (`+column` keeps the planner off those columns' indexes, which would walk the whole region;
 * the text column's is `column || ''`, since PostgreSQL has no unary plus on text).
 */
export function auditSql(f: AuditFilter): { sql: string; params: (number | string)[] } {
  const where: string[] = [];
  const params: (number | string)[] = [];
  const add = (sql: string, ...values: (number | string)[]) => {
    where.push(sql);
    params.push(...values);
  };
  const narrow = f.userId !== undefined || f.retireeId !== undefined;
  if (f.regionId !== null) add(`${narrow ? '+' : ''}a.region_id = ?`, f.regionId);
  if (f.userId !== undefined) add('(a.user_id = ? OR a.subject_user_id = ?)', f.userId, f.userId);
  if (f.retireeId !== undefined) add(`${f.userId !== undefined ? '+' : ''}a.retiree_id = ?`, f.retireeId);
  if (f.event !== undefined) add(`a.event${narrow ? " || ''" : ''} = ?`, f.event);
  if (f.fromAt !== undefined) add('a.at >= ?', f.fromAt);
  if (f.toAt !== undefined) add('a.at < ?', f.toAt);
  if (f.after) add('(a.at, a.id) < (?, ?)', f.after.at, f.after.id);
  const sql = `SELECT a.id, a.at, a.event, a.subject, a.ip, a.details,
        au.id AS actor_id, au.username AS actor_username, au.display_name AS actor_name, au.role AS actor_role,
        r.id AS retiree_id, r.name AS retiree_name, r.id_number,
        su.id AS su_id, su.username AS su_username, su.display_name AS su_name
      FROM audit_log a LEFT JOIN users au ON au.id = a.user_id LEFT JOIN retirees r ON r.id = a.retiree_id LEFT JOIN users su ON su.id = a.subject_user_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY a.at DESC, a.id DESC LIMIT ${(f.limit ?? AUDIT_PAGE_SIZE) + 1}`;
  return { sql, params };
}

/** One page of entries as written (ID numbers whole: the route masks them), and the next page's cursor. */
export async function auditEntries(db: Db, f: AuditFilter): Promise<{ items: AuditEntryView[]; next: string | null }> {
  const limit = f.limit ?? AUDIT_PAGE_SIZE;
  const { sql, params } = auditSql(f);
  const rows = await db.all<Row>(sql, params);
  const page = rows.slice(0, limit);
  const items = page.map(
    (r): AuditEntryView => ({
      id: r.id,
      at: r.at,
      event: r.event,
      actor: r.actor_id === null ? null : { id: r.actor_id, username: r.actor_username, displayName: r.actor_name!, role: r.actor_role! },
      subject: r.subject,
      retiree: r.retiree_id === null ? null : { id: r.retiree_id, name: r.retiree_name!, idNumber: r.id_number! },
      subjectUser: r.su_id === null ? null : { id: r.su_id, username: r.su_username, displayName: r.su_name! },
      ip: r.ip,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
      cursor: `${r.at}:${r.id}`,
    }),
  );
  return { items, next: rows.length > limit ? items.at(-1)!.cursor : null };
}

/** The day range of `from`/`to` (both included) as instants. */
export function dayRange(q: Pick<AuditQuery, 'from' | 'to'>, timeZone: string): { fromAt?: number; toAt?: number } {
  return {
    fromAt: q.from ? dayStart(q.from, timeZone) : undefined,
    toAt: q.to ? dayStart(addDays(q.to, 1), timeZone) : undefined,
  };
}
