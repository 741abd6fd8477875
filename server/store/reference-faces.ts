// A retiree's reference faces (issue 14, docs/identity.md): the photos a check's key frames are
// matched against, each with its face descriptor. Biometric data: read only by the match queue and
// the office, never sent to phones, deleted with the retiree's record (ON DELETE CASCADE).
import type { Db } from '../db/sqlite.ts';
import { ON_ROLLS } from './retiree-facts.ts';

export type ReferenceSource = 'office_photo' | 'enrolment' | 'first_check' | 'certified_check';
export type ReferenceStatus = 'active' | 'pending' | 'removed';

/** How many references from certified checks are kept per retiree (the newest), for ageing. */
export const KEEP_CERTIFIED_CHECK_REFERENCES = 3;

export interface NewReference {
  retireeId: number;
  source: ReferenceSource;
  status: Exclude<ReferenceStatus, 'removed'>;
  descriptor: Float32Array;
  photo: Uint8Array;
  photoType: 'image/jpeg' | 'image/png';
  sha256: string;
  width: number;
  height: number;
  attemptId?: string | null;
  addedBy: number | null;
  at: number;
  takenOn?: string | null;
}

export interface ReferenceInfo {
  id: number;
  retireeId: number;
  source: ReferenceSource;
  status: ReferenceStatus;
  sha256: string;
  width: number;
  height: number;
  attemptId: string | null;
  addedBy: number | null;
  addedByName: string | null;
  createdAt: number;
  takenOn: string | null;
  decidedBy: number | null;
  decidedAt: number | null;
  removedReason: string | null;
}

export const descriptorBytes = (d: Float32Array): Buffer => Buffer.from(d.buffer, d.byteOffset, d.byteLength);

export function descriptorOf(blob: Uint8Array): Float32Array {
  // Copied: a Buffer from the driver may share a pool and need not be 4-byte aligned.
  const copy = new Uint8Array(blob);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

/**
 * Adds a reference, or finds the one with the same photo bytes already kept for this retiree (an
 * import run twice adds nothing): `created` says which.
 */
export async function addReference(db: Db, r: NewReference): Promise<{ id: number; created: boolean; status: ReferenceStatus }> {
  // lastId read only when a row went in: on PostgreSQL a conflict returns no id to read.
  const inserted = await db.run(
    `INSERT INTO reference_faces (retiree_id, source, status, descriptor, photo, photo_type, sha256, width, height, attempt_id, added_by, created_at, taken_on)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (retiree_id, sha256) DO NOTHING ${db.dialect.returningId}`,
    [r.retireeId, r.source, r.status, descriptorBytes(r.descriptor), Buffer.from(r.photo), r.photoType, r.sha256, r.width, r.height, r.attemptId ?? null, r.addedBy, r.at, r.takenOn ?? null],
  );
  if (inserted.changes) return { id: inserted.lastId, created: true, status: r.status };
  const row = await referenceByContent(db, r.retireeId, r.sha256);
  return { id: row!.id, created: false, status: row!.status };
}

/** The reference kept for this retiree with exactly these photo bytes (by SHA-256), if any. */
export async function referenceByContent(db: Db, retireeId: number, sha256: string): Promise<{ id: number; status: ReferenceStatus } | null> {
  return (await db.get<{ id: number; status: ReferenceStatus }>('SELECT id, status FROM reference_faces WHERE retiree_id = ? AND sha256 = ?', [retireeId, sha256])) ?? null;
}

/** The descriptors a check is matched against: the retiree's active references. */
export async function activeDescriptors(db: Db, retireeId: number): Promise<{ id: number; descriptor: Float32Array }[]> {
  const rows = await db.all<{ id: number; descriptor: Buffer }>("SELECT id, descriptor FROM reference_faces WHERE retiree_id = ? AND status = 'active' ORDER BY id", [retireeId]);
  return rows.map((r) => ({ id: r.id, descriptor: descriptorOf(r.descriptor) }));
}

const INFO = `SELECT f.id, f.retiree_id AS "retireeId", f.source, f.status, f.sha256, f.width, f.height, f.attempt_id AS "attemptId", f.added_by AS "addedBy",
       u.display_name AS "addedByName", f.created_at AS "createdAt", f.taken_on AS "takenOn", f.decided_by AS "decidedBy", f.decided_at AS "decidedAt",
       f.removed_reason AS "removedReason"
  FROM reference_faces f LEFT JOIN users u ON u.id = f.added_by`;

/** Which of these retirees have at least one active reference face (workers see only this flag). */
export async function withReference(db: Db, retireeIds: readonly number[]): Promise<Set<number>> {
  if (!retireeIds.length) return new Set();
  const rows = await db.all<{ retiree_id: number }>(
    `SELECT DISTINCT retiree_id FROM reference_faces WHERE retiree_id IN ${db.dialect.jsonValues('?', 'int')} AND status = 'active'`,
    [JSON.stringify(retireeIds)],
  );
  return new Set(rows.map((r) => r.retiree_id));
}

/** Every reference of a retiree that is not removed, newest first (metadata only). */
export async function referencesOf(db: Db, retireeId: number): Promise<ReferenceInfo[]> {
  return db.all<ReferenceInfo>(`${INFO} WHERE f.retiree_id = ? AND f.status <> 'removed' ORDER BY f.created_at DESC, f.id DESC`, [retireeId]);
}

export async function referenceById(db: Db, id: number): Promise<ReferenceInfo | null> {
  return (await db.get<ReferenceInfo>(`${INFO} WHERE f.id = ?`, [id])) ?? null;
}

export async function referencePhoto(db: Db, id: number): Promise<{ data: Buffer; type: string } | null> {
  return (await db.get<{ data: Buffer; type: string }>("SELECT photo AS data, photo_type AS type FROM reference_faces WHERE id = ? AND status <> 'removed'", [id])) ?? null;
}

/**
 * An erased reference's photo and descriptor: no bytes, and 512 zero bytes (the column's length
 * check holds). Bound as parameters, which both engines take (SQLite's x'' and zeroblob() are its own).
 */
const ERASE_FACE = "status = 'removed', photo = ?, descriptor = ?";
const erasedFace = (): Buffer[] => [Buffer.alloc(0), Buffer.alloc(512)];

/**
 * The office takes a reference away (a wrong photo). Its photo and descriptor are erased at once;
 * the row stays as a record of who removed what and why.
 */
export async function removeReference(db: Db, id: number, by: number, at: number, reason: string): Promise<boolean> {
  const { changes } = await db.run(
    `UPDATE reference_faces SET ${ERASE_FACE}, decided_by = ?, decided_at = ?, removed_reason = ?
      WHERE id = ? AND status <> 'removed'`,
    [...erasedFace(), by, at, reason, id],
  );
  return changes > 0;
}

/** The office's decision on the check a pending reference came from (a first check, an enrolment). */
export async function decidePendingReferences(db: Db, attemptId: string, approve: boolean, by: number, at: number): Promise<void> {
  if (approve) {
    await db.run("UPDATE reference_faces SET status = 'active', decided_by = ?, decided_at = ? WHERE attempt_id = ? AND status = 'pending'", [by, at, attemptId]);
  } else {
    await db.run(
      `UPDATE reference_faces SET ${ERASE_FACE}, decided_by = ?, decided_at = ?, removed_reason = 'review rejected'
        WHERE attempt_id = ? AND status = 'pending'`,
      [...erasedFace(), by, at, attemptId],
    );
  }
}

/** Keeps only the newest few references from certified checks (the office's own photos stay). */
export async function pruneCertifiedCheckReferences(db: Db, retireeId: number, keep = KEEP_CERTIFIED_CHECK_REFERENCES): Promise<void> {
  await db.run(
    `DELETE FROM reference_faces WHERE retiree_id = ?1 AND source = 'certified_check' AND status = 'active'
        AND id NOT IN (SELECT id FROM reference_faces WHERE retiree_id = ?1 AND source = 'certified_check' AND status = 'active' ORDER BY created_at DESC, id DESC LIMIT ?2)`,
    [retireeId, keep],
  );
}

/**
 * Erases every reference face of a retiree, active and pending (the office's erasure on request, or
 * a retiree off the rolls): photo and descriptor go, the rows stay as the record of who erased what
 * and why. Returns how many were erased.
 */
export async function eraseReferencesOf(db: Db, retireeId: number, by: number | null, at: number, reason: string): Promise<number> {
  const { changes } = await db.run(
    `UPDATE reference_faces SET ${ERASE_FACE}, decided_by = ?, decided_at = ?, removed_reason = ?
      WHERE retiree_id = ? AND status <> 'removed'`,
    [...erasedFace(), by, at, reason, retireeId],
  );
  return changes;
}

/**
 * Retirees off the rolls (deceased, moved away, pension stopped) whose record has not changed since
 * `before` and who still have reference faces: nothing is ever matched against those again.
 */
export async function offRollsWithReferences(db: Db, before: number): Promise<number[]> {
  const rows = await db.all<{ id: number }>(
    `SELECT r.id FROM retirees r WHERE NOT (${ON_ROLLS}) AND r.updated_at < ?
        AND EXISTS (SELECT 1 FROM reference_faces f WHERE f.retiree_id = r.id AND f.status <> 'removed') ORDER BY r.id`,
    [before],
  );
  return rows.map((r) => r.id);
}
