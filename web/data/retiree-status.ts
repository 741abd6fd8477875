// A retiree's certification status and certified years as the phone keeps them, so Home and
// History work with no signal (issue 21 §1: the caches moved here from the screens). The last
// answer of GET /api/me/status (or /api/retirees/:id/status, a family member's view) is kept under
// `status:<retireeId>`, the last GET /api/certifications under `history:<retireeId>`; with no signal
// History shows the kept years, plus the year the kept status says is certified or with the office,
// so it never says "nothing certified" next to a certified Home (issue 17 §2).
import type { CertificationState } from '../../shared/certification-rules.ts';
import type { StatusResponse, YearCertification } from '../../shared/schemas/status.ts';
import { getSetting, putSetting, type AppDb } from './db.ts';
import type { KeptStatus } from './settings.ts';

export type { YearCertification };

const statusKey = (retireeId: number) => `status:${retireeId}` as const;
const yearsKey = (retireeId: number) => `history:${retireeId}` as const;

/** The last status the server gave for this retiree on this phone, or null. */
export async function keptStatus(db: AppDb, retireeId: number): Promise<KeptStatus | null> {
  return (await getSetting(db, statusKey(retireeId))) ?? null;
}

/** Keeps the server's status with the time it came; answers what was kept. */
export async function keepStatus(db: AppDb, retireeId: number, fresh: StatusResponse, at: number): Promise<KeptStatus> {
  const kept: KeptStatus = { today: fresh.today, status: fresh.status, officePhone: fresh.officePhone, fetchedAt: at };
  await putSetting(db, statusKey(retireeId), kept);
  return kept;
}

/** Keeps the server's certified years for History. */
export async function keepYears(db: AppDb, retireeId: number, years: readonly YearCertification[]): Promise<void> {
  await putSetting(db, yearsKey(retireeId), [...years]);
}

/**
 * The certified years the phone knows for this retiree, newest first: the kept years with the kept
 * status's year added. Null when the phone knows nothing (History was never opened with signal and
 * the kept status names no certified or pending year).
 */
export async function yearsKept(db: AppDb, retireeId: number): Promise<YearCertification[] | null> {
  const [years, status] = await Promise.all([getSetting(db, yearsKey(retireeId)), keptStatus(db, retireeId)]);
  const onPhone = yearsOnPhone(years, status?.status);
  return years || onPhone.length ? onPhone : null;
}

/** The kept years, with the kept status's year added when it is certified or under review and missing. */
export function yearsOnPhone(kept: readonly YearCertification[] | undefined, status: CertificationState | undefined): YearCertification[] {
  const years = [...(kept ?? [])];
  const fromStatus: YearCertification | null =
    status?.state === 'certified'
      ? { year: status.year, status: 'approved', method: status.method, certifiedOn: status.certifiedOn }
      : status?.state === 'under_review'
        ? { year: status.year, status: 'pending_review', method: status.method, certifiedOn: status.submittedOn }
        : null;
  if (fromStatus) {
    const i = years.findIndex((y) => y.year === fromStatus.year);
    // The status is the newer word on its own year: a review the office has since approved.
    if (i < 0) years.push(fromStatus);
    else if (years[i]!.status !== 'approved') years[i] = fromStatus;
  }
  return years.sort((a, b) => b.year - a.year);
}
