// History with no signal shows the certified years the phone knows (issue 17 §2): the years kept
// from the last visit, and the year the kept Home status names, never "nothing certified" next to
// a certified Home.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CertificationState } from '../../shared/certification-rules.ts';
import { AUTH } from '../../shared/schemas/auth.ts';
import { STATUS, type CertificationYears, type StatusResponse } from '../../shared/schemas/status.ts';
import { DEMO } from '../../server/seed/demo.ts';
import { createTestApp, signIn } from '../../server/test-support.ts';
import { openAppDb, type AppDb } from './db.ts';
import { keepStatus, keptStatus, keepYears, yearsKept, yearsOnPhone, type YearCertification } from './retiree-status.ts';

const certified: CertificationState = { state: 'certified', year: 2026, certifiedOn: '2026-05-02', method: 'worker', validUntil: '2027-06-30', nextOpensOn: '2027-04-01' };
const y2025: YearCertification = { year: 2025, status: 'approved', method: 'self', certifiedOn: '2025-05-10' };

describe('yearsOnPhone', () => {
  it('adds the certified year of the kept status when History was never opened with signal', () => {
    expect(yearsOnPhone(undefined, certified)).toEqual([{ year: 2026, status: 'approved', method: 'worker', certifiedOn: '2026-05-02' }]);
    expect(yearsOnPhone([y2025], certified).map((y) => y.year)).toEqual([2026, 2025]);
  });

  it('shows a check with the office as pending, and the status’s approval over an older pending year', () => {
    const review: CertificationState = { state: 'under_review', year: 2026, method: 'self', submittedOn: '2026-05-03', dueOn: '2026-06-30' };
    expect(yearsOnPhone([y2025], review)[0]).toEqual({ year: 2026, status: 'pending_review', method: 'self', certifiedOn: '2026-05-03' });
    const pending: YearCertification = { year: 2026, status: 'pending_review', method: 'self', certifiedOn: '2026-05-03' };
    expect(yearsOnPhone([pending, y2025], certified)[0]!.status).toBe('approved');
  });

  it('adds nothing for a year still open, and keeps what was kept', () => {
    const open: CertificationState = { state: 'open', year: 2026, dueOn: '2026-06-30', daysLeft: 40, phase: { selfService: true, onSite: true } };
    expect(yearsOnPhone(undefined, open)).toEqual([]);
    expect(yearsOnPhone([y2025], undefined)).toEqual([y2025]);
  });
});

// What Home and History keep, in the phone database as the app opens it (Dexie on IndexedDB).
describe('the kept status and years', () => {
  let db: AppDb;
  beforeEach(() => {
    db = openAppDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  });
  afterEach(() => db.close());

  const open: StatusResponse = { today: '2026-05-01', status: { state: 'open', year: 2026, dueOn: '2026-06-30', daysLeft: 60, phase: { selfService: true, onSite: true } }, officePhone: '010-12345678' };

  it('keeps the last status per retiree, with when it came', async () => {
    expect(await keptStatus(db, 7)).toBeNull();
    const kept = await keepStatus(db, 7, open, 1_000);
    expect(kept).toEqual({ ...open, fetchedAt: 1_000 });
    expect(await keptStatus(db, 7)).toEqual(kept);
    expect(await keptStatus(db, 8)).toBeNull();
    await keepStatus(db, 7, { ...open, officePhone: null }, 2_000);
    expect(await keptStatus(db, 7)).toEqual({ ...open, officePhone: null, fetchedAt: 2_000 });
  });

  it('knows nothing of the years until History or Home kept something; then the kept years and the status’s', async () => {
    expect(await yearsKept(db, 7)).toBeNull();
    // History opened with signal once, nothing certified yet: an empty list is still something known.
    await keepYears(db, 7, []);
    expect(await yearsKept(db, 7)).toEqual([]);
    await keepYears(db, 7, [y2025]);
    await keepStatus(db, 7, { ...open, status: certified }, 1_000);
    expect((await yearsKept(db, 7))!.map((y) => [y.year, y.status])).toEqual([[2026, 'approved'], [2025, 'approved']]);
    // Only a certified Home, History never opened: its year is shown.
    await keepStatus(db, 9, { ...open, status: certified }, 1_000);
    expect(await yearsKept(db, 9)).toEqual([{ year: 2026, status: 'approved', method: 'worker', certifiedOn: '2026-05-02' }]);
  });

  it('keeps what the real server answers, as its contracts type it', async () => {
    const t = await createTestApp();
    try {
      const phone = await signIn(t, DEMO.retireeCertified);
      const me = (await phone.json(AUTH.me.path)).body as { retiree: { id: number } };
      const status = (await phone.json(STATUS.mine.path)).body as StatusResponse;
      const years = (await phone.json(`${STATUS.years.path}?retireeId=${me.retiree.id}`)).body as CertificationYears;
      await keepStatus(db, me.retiree.id, status, 5_000);
      await keepYears(db, me.retiree.id, years.years);
      expect(await keptStatus(db, me.retiree.id)).toEqual({ ...status, fetchedAt: 5_000 });
      expect(await yearsKept(db, me.retiree.id)).toEqual(yearsOnPhone(years.years, status.status));
      expect((await yearsKept(db, me.retiree.id))!.length).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
