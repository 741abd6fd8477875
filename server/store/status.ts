import { certificationStatus, type CertificationState } from '../../shared/certification-rules.ts';
import { localDateIn } from '../../shared/dates.ts';
import type { Db } from '../db/sqlite.ts';
import { verifyingSince } from './attempts.ts';
import { periodsOfRegion, regionById } from './regions.ts';
import { certificationsOf, type Retiree } from './retirees.ts';

export interface RetireeStatus {
  today: string;
  status: CertificationState;
  officePhone: string | null;
}

/** The status as the rules decide it today, on the server's clock in the region's time zone. */
export async function retireeStatus(db: Db, retiree: Retiree, now: number): Promise<RetireeStatus> {
  const region = await regionById(db, retiree.regionId);
  const today = localDateIn(region.timeZone, now);
  const [periods, certifications, verifying] = await Promise.all([periodsOfRegion(db, region.id), certificationsOf(db, retiree.id), verifyingSince(db, [retiree.id])]);
  const community = await db.get<{ office_phone: string | null }>('SELECT office_phone FROM communities WHERE id = ?', [retiree.communityId]);
  return {
    today,
    status: certificationStatus({ periods, certifications, today, enrolledOn: retiree.enrolledOn, verifyingSince: verifying.get(retiree.id) ?? null }),
    officePhone: community?.office_phone ?? region.officePhone,
  };
}
