import type { NewStaffUser, Role } from '../../shared/schemas/admin.ts';
import type { PasswordHasher } from '../auth/password.ts';
import type { Db } from '../db/sqlite.ts';
import { AppError, notFound } from '../errors.ts';
import { regionByCode } from './regions.ts';

export interface UserRow {
  id: number;
  role: Role;
  username: string | null;
  retiree_id: number | null;
  display_name: string;
  phone: string | null;
  password_hash: string | null;
  region_id: number | null;
  disabled: number;
}

export async function userByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
}

export async function userById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.get<UserRow>('SELECT * FROM users WHERE id = ?', [id]);
}

/** The retiree's account, if it was ever activated. */
export async function retireeUserById(db: Db, retireeId: number): Promise<UserRow | undefined> {
  return db.get<UserRow>('SELECT * FROM users WHERE retiree_id = ?', [retireeId]);
}

/** The retiree's account (disabled ones too: the caller decides), by ID number. */
export async function retireeUserByIdNumber(db: Db, idNumber: string): Promise<UserRow | undefined> {
  return db.get<UserRow>('SELECT u.* FROM users u JOIN retirees r ON r.id = u.retiree_id WHERE r.id_number = ?', [idNumber]);
}

/** Whether a staff or family account belongs to the office of `regionId`: its admins, the workers of its communities, family of its retirees. */
export async function userInRegion(db: Db, userId: number, regionId: number): Promise<boolean> {
  return !!(await db.get(
    `SELECT 1 FROM users u WHERE u.id = ? AND (
        u.region_id = ?
        OR EXISTS (SELECT 1 FROM worker_assignments w JOIN communities c ON c.id = w.community_id WHERE w.user_id = u.id AND c.region_id = ?)
        OR EXISTS (SELECT 1 FROM family_links f JOIN retirees r ON r.id = f.retiree_id JOIN communities c ON c.id = r.community_id
                    WHERE f.user_id = u.id AND c.region_id = ?))`,
    [userId, regionId, regionId, regionId],
  ));
}

export async function createStaffUser(db: Db, passwords: PasswordHasher, input: NewStaffUser, at: number): Promise<UserRow> {
  if (input.role === 'admin' && !input.regionCode) throw new AppError(400, 'validation_failed', 'An admin needs the region code of their office');
  if (await userByUsername(db, input.username)) throw new AppError(409, 'conflict', `Username "${input.username}" is taken`);
  const regionId = input.regionCode ? (await regionByCode(db, input.regionCode)).id : null;
  const hash = await passwords.hash(input.password);
  const { lastId } = await db.run(
    `INSERT INTO users (role, username, display_name, phone, password_hash, region_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ${db.dialect.returningId}`,
    [input.role, input.username, input.displayName, input.phone ?? null, hash, regionId, at, at],
  );
  return (await userById(db, lastId))!;
}

/** A family member's own account (issue 19): no region, no links until a request is approved. Null when the username is taken. */
export async function createFamilyUser(db: Db, input: { username: string; displayName: string; phone: string; hash: string }, at: number): Promise<UserRow | null> {
  // lastId read only when a row went in: on PostgreSQL a conflict returns no id to read.
  const inserted = await db.run(
    `INSERT INTO users (role, username, display_name, phone, password_hash, created_at, updated_at) VALUES ('family', ?, ?, ?, ?, ?, ?)
     ON CONFLICT (username) DO NOTHING ${db.dialect.returningId}`,
    [input.username, input.displayName, input.phone, input.hash, at, at],
  );
  return inserted.changes ? ((await userById(db, inserted.lastId)) ?? null) : null;
}

/** A retiree's account row is created on activation; it has no username, only the ID number. */
export async function ensureRetireeUser(db: Db, retireeId: number, displayName: string, at: number): Promise<UserRow> {
  const existing = await db.get<UserRow>('SELECT * FROM users WHERE retiree_id = ?', [retireeId]);
  if (existing) return existing;
  const { lastId } = await db.run(
    `INSERT INTO users (role, retiree_id, display_name, created_at, updated_at) VALUES ('retiree', ?, ?, ?, ?) ${db.dialect.returningId}`,
    [retireeId, displayName, at, at],
  );
  return (await userById(db, lastId))!;
}

export async function setSecret(db: Db, userId: number, hash: string, at: number): Promise<void> {
  await db.run('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?', [hash, at, userId]);
}

export async function assignWorker(db: Db, workerId: number, communityId: number, at: number): Promise<void> {
  const user = await userById(db, workerId);
  if (!user || user.role !== 'worker') throw notFound('Worker');
  await db.run('INSERT INTO worker_assignments (user_id, community_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [workerId, communityId, at]);
}

export async function linkFamily(db: Db, familyUserId: number, retireeId: number, relation: string, at: number): Promise<void> {
  const user = await userById(db, familyUserId);
  if (!user || user.role !== 'family') throw notFound('Family member');
  await db.run('INSERT INTO family_links (user_id, retiree_id, relation, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [
    familyUserId,
    retireeId,
    relation,
    at,
  ]);
}

/**
 * Ends a family member's link: every route asks familyLinked (retiree-access.ts) on each request, so
 * their access ends with this row, and the trigger on family_links makes their next pull a full one
 * without the retiree (decision 042). False when there was no such link.
 */
export async function unlinkFamily(db: Db, familyUserId: number, retireeId: number): Promise<boolean> {
  return (await db.run('DELETE FROM family_links WHERE user_id = ? AND retiree_id = ?', [familyUserId, retireeId])).changes === 1;
}

/** Disables (or enables again) an account; disabling ends its sessions in the same transaction. */
export async function setUserDisabled(db: Db, userId: number, disabled: boolean, at: number): Promise<number> {
  return db.transaction(async () => {
    await db.run('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?', [disabled ? 1 : 0, at, userId]);
    return disabled ? (await db.run('DELETE FROM sessions WHERE user_id = ?', [userId])).changes : 0;
  });
}

/**
 * A staff account's new role (and, for an office account, its region). A new role means new powers:
 * sessions made under the old one end in the same transaction. Returns how many ended.
 */
export async function setRole(db: Db, userId: number, role: 'family' | 'worker' | 'admin', regionId: number | null, at: number): Promise<number> {
  return db.transaction(async () => {
    await db.run('UPDATE users SET role = ?, region_id = ?, updated_at = ? WHERE id = ?', [role, regionId, at, userId]);
    return (await db.run('DELETE FROM sessions WHERE user_id = ?', [userId])).changes;
  });
}

/** A new password (or PIN) hash that ends every session made with the old one. */
export async function resetSecret(db: Db, userId: number, hash: string, at: number): Promise<number> {
  return db.transaction(async () => {
    await setSecret(db, userId, hash, at);
    return (await db.run('DELETE FROM sessions WHERE user_id = ?', [userId])).changes;
  });
}

/** False when the worker was not assigned to that community. */
export async function unassignWorker(db: Db, workerId: number, communityId: number): Promise<boolean> {
  return (await db.run('DELETE FROM worker_assignments WHERE user_id = ? AND community_id = ?', [workerId, communityId])).changes === 1;
}

/** The retirees a family member is linked to, by name, with the relation they gave. */
export async function linkedRetireesOf(db: Db, familyUserId: number): Promise<{ id: number; name: string; idNumber: string; relation: string }[]> {
  return db.all(
    `SELECT r.id, r.name, r.id_number AS "idNumber", f.relation FROM family_links f JOIN retirees r ON r.id = f.retiree_id
      WHERE f.user_id = ? ORDER BY r.name`,
    [familyUserId],
  );
}

/** The communities a worker is assigned to, by name. */
export async function communitiesOfWorker(db: Db, workerId: number): Promise<{ id: number; name: string }[]> {
  return db.all('SELECT c.id, c.name FROM worker_assignments w JOIN communities c ON c.id = w.community_id WHERE w.user_id = ? ORDER BY c.name', [workerId]);
}
