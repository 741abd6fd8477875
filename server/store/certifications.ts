// Certifications of many retirees at once, for the roster (certificationsOf in retirees.ts reads one retiree's).
import type { CertificationRecord } from '../../shared/certification-rules.ts';
import { inChunks } from '../db/in-chunks.ts';
import type { Db } from '../db/sqlite.ts';

/** Each certification of these retirees, oldest first, by retiree. */
export async function certificationsOfMany(db: Db, retireeIds: readonly number[]): Promise<Map<number, CertificationRecord[]>> {
  const out = new Map<number, CertificationRecord[]>();
  for (const c of await inChunks<CertificationRecord & { retireeId: number }>(
    db,
    retireeIds,
    (m) => `SELECT retiree_id AS retireeId, period_id AS periodId, status, method, certified_on AS certifiedOn FROM certifications WHERE retiree_id IN (${m}) ORDER BY certified_at`,
  )) {
    const list = out.get(c.retireeId) ?? [];
    list.push({ periodId: c.periodId, status: c.status, method: c.method, certifiedOn: c.certifiedOn });
    out.set(c.retireeId, list);
  }
  return out;
}
