// The retiree import's reads and writes (the rules are server/import/retirees.ts): the region's
// communities, the retirees a file names, and the rows added or corrected.
import type { PensionCategory, RetireeRow } from '../../shared/schemas/admin.ts';
import type { Db } from '../db/sqlite.ts';
import { insertRetiree } from './retirees.ts';

export interface StoredRetiree {
  id: number;
  idNumber: string;
  regionId: number;
  communityId: number;
  name: string;
  pensionCategory: PensionCategory;
  address: string;
  phone: string | null;
  enrolledOn: string;
}

/** Community name → id, for one region. */
export async function communityIdsOfRegion(db: Db, regionId: number): Promise<Map<string, number>> {
  const rows = await db.all<{ id: number; name: string }>('SELECT id, name FROM communities WHERE region_id = ?', [regionId]);
  return new Map(rows.map((c) => [c.name, c.id]));
}

/** The retirees enrolled under these ID numbers, in any region (one query: the numbers go in as JSON). */
export async function retireesByIdNumbers(db: Db, idNumbers: readonly string[]): Promise<Map<string, StoredRetiree>> {
  const found = new Map<string, StoredRetiree>();
  const CHUNK = 10_000;
  for (let i = 0; i < idNumbers.length; i += CHUNK) {
    const rows = await db.all<StoredRetiree>(
      `SELECT r.id, r.id_number AS "idNumber", c.region_id AS "regionId", r.community_id AS "communityId", r.name,
              r.pension_category AS "pensionCategory", r.address, r.phone, r.enrolled_on AS "enrolledOn"
         FROM retirees r JOIN communities c ON c.id = r.community_id
        WHERE r.id_number IN ${db.dialect.jsonValues('?', 'text')}`,
      [JSON.stringify(idNumbers.slice(i, i + CHUNK))],
    );
    for (const r of rows) found.set(r.idNumber, r);
  }
  return found;
}

export type RetireeFields = Pick<StoredRetiree, 'communityId' | 'name' | 'pensionCategory' | 'address' | 'phone' | 'enrolledOn'>;

export async function addImportedRetiree(db: Db, row: RetireeRow, communityId: number, at: number): Promise<number> {
  return insertRetiree(db, row, communityId, at);
}

/** Corrects the listed fields of an enrolled retiree (the import found them different). */
export async function correctRetiree(db: Db, id: number, fields: Partial<RetireeFields>, at: number): Promise<void> {
  const columns: Record<keyof RetireeFields, string> = {
    communityId: 'community_id',
    name: 'name',
    pensionCategory: 'pension_category',
    address: 'address',
    phone: 'phone',
    enrolledOn: 'enrolled_on',
  };
  const keys = Object.keys(fields) as (keyof RetireeFields)[];
  if (!keys.length) return;
  await db.run(`UPDATE retirees SET ${keys.map((k) => `${columns[k]} = ?`).join(', ')}, updated_at = ? WHERE id = ?`, [
    ...keys.map((k) => fields[k] ?? null),
    at,
    id,
  ]);
}
