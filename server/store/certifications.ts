// Certifications: recorded one at a time (a face match, the demo), and read for many retirees at once
// for the roster (certificationsOf in retirees.ts reads one retiree's).
import type { CertificationMethod, CertificationRecord, YearCertification } from '../../shared/certification-rules.ts';
import { inChunks } from '../db/in-chunks.ts';
import type { Db } from '../db/sqlite.ts';
import { closeVisitRequestOnCertification } from './visit-requests.ts';

/** Each certification of these retirees, oldest first, by retiree. */
export async function certificationsOfMany(db: Db, retireeIds: readonly number[]): Promise<Map<number, CertificationRecord[]>> {
  const out = new Map<number, CertificationRecord[]>();
  for (const c of await inChunks<CertificationRecord & { retireeId: number }>(
    db,
    retireeIds,
    (m) => `SELECT retiree_id AS "retireeId", period_id AS "periodId", status, method, certified_on AS "certifiedOn" FROM certifications WHERE retiree_id IN (${m}) ORDER BY certified_at`,
  )) {
    const list = out.get(c.retireeId) ?? [];
    list.push({ periodId: c.periodId, status: c.status, method: c.method, certifiedOn: c.certifiedOn });
    out.set(c.retireeId, list);
  }
  return out;
}

export interface NewCertification {
  retireeId: number;
  periodId: number;
  status: 'approved' | 'pending_review';
  method: CertificationMethod;
  certifiedOn: string;
  certifiedAt: number;
  /** What proves it: an attempt id, an attestation id, 'demo'. */
  evidenceRef: string;
  recordedBy: number | null;
}

export async function addCertification(db: Db, c: NewCertification, at: number): Promise<void> {
  await db.run(
    `INSERT INTO certifications (retiree_id, period_id, status, method, certified_on, certified_at, evidence_ref, recorded_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [c.retireeId, c.periodId, c.status, c.method, c.certifiedOn, c.certifiedAt, c.evidenceRef, c.recordedBy, at],
  );
  // A certified retiree's home-visit request is answered (decision 089).
  if (c.status === 'approved') await closeVisitRequestOnCertification(db, { retireeId: c.retireeId, evidenceRef: c.evidenceRef, userId: c.recordedBy, at });
}

/** A retiree's certifications by year for History: newest year first, the latest of a year first. */
export async function certificationYears(db: Db, retireeId: number): Promise<YearCertification[]> {
  return db.all<YearCertification>(
    `SELECT p.year, c.status, c.method, c.certified_on AS "certifiedOn"
       FROM certifications c JOIN certification_periods p ON p.id = c.period_id
      WHERE c.retiree_id = ? ORDER BY p.year DESC, c.certified_at DESC`,
    [retireeId],
  );
}
