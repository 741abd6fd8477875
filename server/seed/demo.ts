// Demo data for a first run: one region with its window open today, one whose window has closed,
// retirees in each state the app shows, and one account per role. Dates are relative to today so
// the demo works whenever it is started.
import { createHash } from 'node:crypto';
import { addDays, localDateIn, type LocalDate } from '../../shared/dates.ts';
import { idCheckChar } from '../../shared/id-number.ts';
import { issueActivationCode } from '../auth/activation.ts';
import type { Services } from '../context.ts';
import type { Db } from '../db/sqlite.ts';
import { addCertification, type NewCertification } from '../store/certifications.ts';
import { insertVisits } from '../store/ingest-write.ts';
import { createCommunity, createRegion, hasAnyRegion, setPeriod } from '../store/regions.ts';
import { settingOnce, settingValue } from '../store/settings.ts';
import { insertRetiree } from '../store/retirees.ts';
import { assignWorker, createStaffUser, ensureRetireeUser, linkFamily, setSecret } from '../store/users.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import type { VisitResult } from '../../shared/sync.ts';
import { outlinePhoto } from './outline-photo.ts';

const idNumber = (first17: string) => first17 + idCheckChar(first17);

export const DEMO = {
  retireeOpen: { idNumber: idNumber('11019919490312002'), pin: '135790', name: '张桂兰' },
  retireeCertified: { idNumber: idNumber('11019919460801001'), pin: '246813', name: '李建国' },
  retireeNew: { idNumber: idNumber('11019919521105004'), activationCode: '20260301', name: '王秀英' },
  retireeReview: { idNumber: idNumber('11019919440219003'), name: '赵德明' },
  retireeSuspended: { idNumber: idNumber('13019919500707002'), pin: '357913', name: '陈淑珍' },
  // Sign-ins exactly as the sign-in form takes them (tests post them as they are).
  family: { username: 'family.demo', password: 'demo-family-2026' },
  worker: { username: 'worker.demo', password: 'demo-worker-2026' },
  admin: { username: 'admin.demo', password: 'demo-admin-2026' },
  names: { family: '张小红', worker: '刘芳', admin: '周强' },
  /** The worker's phone that "sent" the seeded home visit (it has a sync_clients row). */
  workerDevice: 'demo-worker-phone',
  // Names as an office would keep them: in Chinese only, whatever language a screen is in.
  region: { code: '110199', name: '演示区' },
  community: { name: '幸福里社区' },
  county: { code: '130199', name: '演示县' },
  village: { name: '东村' },
} as const;

const DAY_MS = 86_400_000;

function monthStart(date: LocalDate, deltaMonths: number): LocalDate {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + deltaMonths, 1));
  return d.toISOString().slice(0, 10);
}

async function periodAround(db: Db, regionCode: string, year: number, selfStart: LocalDate, deadline: LocalDate) {
  const onsiteStart = addDays(deadline, -29) < selfStart ? selfStart : addDays(deadline, -29);
  return setPeriod(db, { regionCode, year, selfStart, selfEnd: deadline, onsiteStart, onsiteEnd: deadline, deadline, suspensionDate: addDays(deadline, 1) });
}

/** A worker's signed "cannot do the check: bedridden" report, as ingest would store it from the worker's phone. */
function bedriddenVisit(retireeId: number, workerId: number, periodId: number, receivedAt: number) {
  const photo = outlinePhoto(60);
  const answer: VisitResult = { kind: 'pending_review', periodId };
  return {
    id: uuidv7(receivedAt),
    retireeId,
    userId: workerId,
    deviceId: DEMO.workerDevice,
    seq: 1,
    kind: 'cannot_check',
    reason: 'bedridden',
    note: '卧床，老伴在旁边',
    deceasedOn: null,
    infoSource: null,
    newAddress: null,
    location: { lat: 39.9042, lon: 116.4074, accuracyM: 20, at: receivedAt - 5 * 60_000 },
    signature: 'verified',
    periodId,
    receivedOn: localDateIn('Asia/Shanghai', receivedAt),
    answer: JSON.stringify(answer),
    review: 'pending' as const,
    deviceTime: receivedAt - 60_000,
    receivedAt,
    photo: { type: 'image/jpeg', sha256: createHash('sha256').update(photo).digest('hex'), bytes: photo.length, width: 240, height: 320, data: Buffer.from(photo) },
  };
}

export async function seedDemoIfEmpty(services: Services): Promise<boolean> {
  const { db, now } = services;
  // The seed is no anonymous try: its hashes never wait behind sign-ins nor get turned away.
  const passwords = services.passwords.trusted;
  if (await hasAnyRegion(db)) return false;
  const at = now();
  const today = localDateIn('Asia/Shanghai', at);
  const hashes = await Promise.all(
    [DEMO.retireeOpen.pin, DEMO.retireeCertified.pin, DEMO.retireeSuspended.pin].map((p) => passwords.hash(p)),
  );

  await db.transaction(async () => {
    const region = await createRegion(db, { code: DEMO.region.code, name: DEMO.region.name, timeZone: 'Asia/Shanghai', officePhone: '010-6500 1234' }, at);
    const community = await createCommunity(db, { regionCode: region.code, name: DEMO.community.name, officePhone: '010-6500 5678' });
    // The window opened at the start of the month before last and closes at the end of next month.
    const opened = monthStart(today, -2);
    const current = await periodAround(db, region.code, Number(opened.slice(0, 4)), opened, addDays(monthStart(today, 2), -1));
    const previous = await periodAround(db, region.code, current.year - 1, monthStart(today, -14), addDays(monthStart(today, -10), -1));

    const county = await createRegion(db, { code: DEMO.county.code, name: DEMO.county.name, timeZone: 'Asia/Shanghai', officePhone: '0311-8800 1234' }, at);
    const village = await createCommunity(db, { regionCode: county.code, name: DEMO.village.name });
    // This county's window closed a month ago: whoever missed it is suspended.
    await periodAround(db, county.code, Number(monthStart(today, -5).slice(0, 4)), monthStart(today, -5), addDays(today, -40));

    const retiree = (r: { idNumber: string; name: string }, communityId: number, category: 'urban_employee' | 'urban_rural_resident', address: string) =>
      insertRetiree(db, { idNumber: r.idNumber, name: r.name, pensionCategory: category, address, enrolledOn: '2010-01-01' }, communityId, at);

    const open = await retiree(DEMO.retireeOpen, community.id, 'urban_employee', '幸福里 3 号楼 2 单元 401');
    const certified = await retiree(DEMO.retireeCertified, community.id, 'urban_employee', '幸福里 5 号楼 1 单元 102');
    const fresh = await retiree(DEMO.retireeNew, community.id, 'urban_rural_resident', '幸福里 8 号楼 3 单元 602');
    const review = await retiree(DEMO.retireeReview, community.id, 'urban_employee', '幸福里 1 号楼 1 单元 101');
    const suspended = await retiree(DEMO.retireeSuspended, village.id, 'urban_rural_resident', '东村 12 号');

    for (const [id, name, hash] of [
      [open, DEMO.retireeOpen.name, hashes[0]!],
      [certified, DEMO.retireeCertified.name, hashes[1]!],
      [suspended, DEMO.retireeSuspended.name, hashes[2]!],
    ] as const) {
      const user = await ensureRetireeUser(db, id, name, at);
      await setSecret(db, user.id, hash, at);
    }
    await issueActivationCode(db, fresh, null, at, DEMO.retireeNew.activationCode);

    const certify = (retireeId: number, periodId: number, status: NewCertification['status'], method: NewCertification['method'], on: LocalDate) =>
      addCertification(db, { retireeId, periodId, status, method, certifiedOn: on, certifiedAt: at, evidenceRef: 'demo', recordedBy: null }, at);
    await certify(open, previous.id, 'approved', 'self', addDays(previous.selfStart, 12));
    await certify(certified, previous.id, 'approved', 'self', addDays(previous.selfStart, 3));
    await certify(certified, current.id, 'approved', 'self', addDays(today, -10) < current.selfStart ? current.selfStart : addDays(today, -10));

    const family = await createStaffUser(db, passwords, { role: 'family', username: DEMO.family.username, password: DEMO.family.password, displayName: DEMO.names.family }, at);
    await linkFamily(db, family.id, open, 'daughter', at);
    const worker = await createStaffUser(db, passwords, { role: 'worker', username: DEMO.worker.username, password: DEMO.worker.password, displayName: DEMO.names.worker }, at);
    await assignWorker(db, worker.id, community.id, at);
    await createStaffUser(db, passwords, { role: 'admin', username: DEMO.admin.username, password: DEMO.admin.password, displayName: DEMO.names.admin, regionCode: region.code }, at);
    // 赵德明 is bedridden: three days ago the worker signed a home-visit attestation, which waits in
    // the office's queue (its trigger makes the pending home-visit certification, as a push would).
    // The window opened at least a month ago, so three days back is inside it.
    await insertVisits(db, [bedriddenVisit(review, worker.id, current.id, at - 3 * DAY_MS)]);
    await settingOnce(db, 'demo_seeded_at', String(at));
  });
  return true;
}

export async function printDemoSignIns(db: Db): Promise<void> {
  if ((await settingValue(db, 'demo_seeded_at')) === undefined) return;
  const lines = [
    '',
    'Demo sign-ins (demo data only — never use in production):',
    `  Retiree, check due now      ID ${DEMO.retireeOpen.idNumber}  PIN ${DEMO.retireeOpen.pin}   (${DEMO.retireeOpen.name})`,
    `  Retiree, already certified  ID ${DEMO.retireeCertified.idNumber}  PIN ${DEMO.retireeCertified.pin}   (${DEMO.retireeCertified.name})`,
    `  Retiree, pension suspended  ID ${DEMO.retireeSuspended.idNumber}  PIN ${DEMO.retireeSuspended.pin}   (${DEMO.retireeSuspended.name})`,
    `  Retiree, first sign-in      ID ${DEMO.retireeNew.idNumber}  activation code ${DEMO.retireeNew.activationCode}   (${DEMO.retireeNew.name})`,
    `  Family member               ${DEMO.family.username} / ${DEMO.family.password}`,
    `  Community worker            ${DEMO.worker.username} / ${DEMO.worker.password}`,
    `  Social-security office      ${DEMO.admin.username} / ${DEMO.admin.password}`,
    '',
  ];
  console.log(lines.join('\n'));
}
