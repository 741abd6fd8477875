import type { CertificationRecord } from '../../shared/certification-rules.ts';
import type { PensionCategory, RetireeRow as RetireeInput } from '../../shared/schemas/admin.ts';
import type { Db } from '../db/sqlite.ts';

export interface Retiree {
  id: number;
  idNumber: string;
  name: string;
  pensionCategory: PensionCategory;
  communityId: number;
  communityName: string;
  regionId: number;
  address: string;
  phone: string | null;
  enrolment: string;
  enrolledOn: string;
}

interface Row {
  id: number;
  id_number: string;
  name: string;
  pension_category: PensionCategory;
  community_id: number;
  community_name: string;
  region_id: number;
  address: string;
  phone: string | null;
  enrolment: string;
  enrolled_on: string;
}

const SELECT = `SELECT r.*, c.name AS community_name, c.region_id FROM retirees r JOIN communities c ON c.id = r.community_id`;

const toRetiree = (r: Row): Retiree => ({
  id: r.id,
  idNumber: r.id_number,
  name: r.name,
  pensionCategory: r.pension_category,
  communityId: r.community_id,
  communityName: r.community_name,
  regionId: r.region_id,
  address: r.address,
  phone: r.phone,
  enrolment: r.enrolment,
  enrolledOn: r.enrolled_on,
});

export async function retireeById(db: Db, id: number): Promise<Retiree | null> {
  const row = await db.get<Row>(`${SELECT} WHERE r.id = ?`, [id]);
  return row ? toRetiree(row) : null;
}

export async function retireeByIdNumber(db: Db, idNumber: string): Promise<Retiree | null> {
  const row = await db.get<Row>(`${SELECT} WHERE r.id_number = ?`, [idNumber]);
  return row ? toRetiree(row) : null;
}

export async function insertRetiree(db: Db, input: Omit<RetireeInput, 'community'>, communityId: number, at: number): Promise<number> {
  const { lastId } = await db.run(
    `INSERT INTO retirees (id_number, name, pension_category, community_id, address, phone, enrolled_on, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ${db.dialect.returningId}`,
    [input.idNumber, input.name, input.pensionCategory, communityId, input.address, input.phone ?? null, input.enrolledOn, at, at],
  );
  return lastId;
}

export async function certificationsOf(db: Db, retireeId: number): Promise<CertificationRecord[]> {
  return db.all<CertificationRecord>(
    `SELECT period_id AS "periodId", status, method, certified_on AS "certifiedOn"
       FROM certifications WHERE retiree_id = ? ORDER BY certified_at`,
    [retireeId],
  );
}
