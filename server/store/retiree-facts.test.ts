// The certification columns migration 014 keeps on each retiree (decision 074): after any sequence
// of what the server does to certifications (record, approve, reject, remove, a period's year set
// again) they hold what the certifications say, they are filled in for a database migrated from
// before, and they never count as a change a worker's phone must pull.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CERTIFICATION_METHODS } from '../../shared/certification-rules.ts';
import { migrate } from '../db/migrate.ts';
import { openDb, type Db } from '../db/sqlite.ts';
import { createTestApp, seedOnOlderSchema, type TestApp } from '../test-support.ts';
import { addCertification } from './certifications.ts';
import { currentApproved } from './retiree-facts.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

interface Columns {
  approved_period_id: number | null;
  approved_method: string | null;
  approved_on: string | null;
  last_certified_on: string | null;
}

/** What the columns must say, worked out here from the certifications, independently of the view. */
async function expected(db: Db, retireeId: number): Promise<Columns> {
  const approved = await db.all<{ period_id: number; method: string; certified_on: string; year: number }>(
    `SELECT ce.period_id, ce.method, ce.certified_on, p.year FROM certifications ce JOIN certification_periods p ON p.id = ce.period_id
      WHERE ce.retiree_id = ? AND ce.status = 'approved'`,
    [retireeId],
  );
  const newest = [...approved].sort((a, b) => b.year - a.year || b.period_id - a.period_id)[0];
  const last = approved.map((a) => a.certified_on).sort().at(-1) ?? null;
  return { approved_period_id: newest?.period_id ?? null, approved_method: newest?.method ?? null, approved_on: newest?.certified_on ?? null, last_certified_on: last };
}

const columns = (db: Db, retireeId: number) =>
  db.get<Columns>('SELECT approved_period_id, approved_method, approved_on, last_certified_on FROM retirees WHERE id = ?', [retireeId]);

async function demoRetirees(db: Db): Promise<number[]> {
  return (await db.all<{ id: number }>('SELECT id FROM retirees ORDER BY id')).map((r) => r.id);
}

/** Three more periods of the first region, so a retiree can hold certifications of several years. */
async function morePeriods(db: Db): Promise<number[]> {
  const region = (await db.get<{ id: number }>('SELECT id FROM regions ORDER BY id LIMIT 1'))!.id;
  for (const year of [2031, 2032, 2033]) {
    await db.run(
      `INSERT INTO certification_periods (region_id, year, self_start, self_end, onsite_start, onsite_end, deadline, suspension_date)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [region, year, `${year}-03-01`, `${year}-06-30`, `${year}-03-01`, `${year}-06-30`, `${year}-06-30`, `${year}-07-01`],
    );
  }
  return (await db.all<{ id: number }>('SELECT id FROM certification_periods ORDER BY id')).map((p) => p.id);
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
}

describe('the certification columns on retirees', () => {
  it('follow every change to certifications and to a period’s year', async () => {
    t = await createTestApp();
    const db = t.db;
    const retirees = (await demoRetirees(db)).slice(0, 4);
    const periods = await morePeriods(db);
    const pick = random(20261204);
    const day = () => `20${30 + pick(4)}-0${1 + pick(9)}-1${pick(10)}`;
    for (let step = 0; step < 120; step++) {
      const retiree = retirees[pick(retirees.length)]!;
      const existing = await db.all<{ id: number; status: string }>('SELECT id, status FROM certifications WHERE retiree_id = ?', [retiree]);
      const op = pick(5);
      if (op <= 1 || existing.length === 0) {
        const period = periods[pick(periods.length)]!;
        const taken = await db.get("SELECT 1 FROM certifications WHERE retiree_id = ? AND period_id = ? AND status = 'approved'", [retiree, period]);
        const status = taken || pick(2) ? 'pending_review' : 'approved';
        const method = CERTIFICATION_METHODS[pick(CERTIFICATION_METHODS.length)]!;
        await addCertification(db, { retireeId: retiree, periodId: period, status, method, certifiedOn: day(), certifiedAt: step, evidenceRef: `e${step}`, recordedBy: null }, step);
      } else if (op === 2) {
        // An office decision: a pending one approved (unless the period has one) or any one rejected.
        const c = existing[pick(existing.length)]!;
        const to = c.status === 'pending_review' && pick(2) ? 'approved' : 'rejected';
        await db.run(
          `UPDATE certifications SET status = ? WHERE id = ?
             AND NOT (? = 'approved' AND EXISTS (SELECT 1 FROM certifications o WHERE o.retiree_id = certifications.retiree_id
                        AND o.period_id = certifications.period_id AND o.status = 'approved'))`,
          [to, c.id, to],
        );
      } else if (op === 3) {
        await db.run('DELETE FROM certifications WHERE id = ?', [existing[pick(existing.length)]!.id]);
      } else {
        // Years swapped between two of the added periods (unique per region, so through a free year).
        const [a, b] = [periods.at(-1 - pick(3))!, periods.at(-1 - pick(3))!];
        if (a !== b) {
          const ya = (await db.get<{ year: number }>('SELECT year FROM certification_periods WHERE id = ?', [a]))!.year;
          const yb = (await db.get<{ year: number }>('SELECT year FROM certification_periods WHERE id = ?', [b]))!.year;
          await db.run('UPDATE certification_periods SET year = 9999 WHERE id = ?', [a]);
          await db.run('UPDATE certification_periods SET year = ? WHERE id = ?', [ya, b]);
          await db.run('UPDATE certification_periods SET year = ? WHERE id = ?', [yb, a]);
        }
      }
      for (const r of retirees) expect(await columns(db, r), `retiree ${r} after step ${step} (op ${op})`).toEqual(await expected(db, r));
    }
  });

  it('follow a period’s year when it is set again: the newest year is the one on the row', async () => {
    t = await createTestApp();
    const db = t.db;
    const [retiree] = await demoRetirees(db);
    const periods = await morePeriods(db);
    const [p2031, p2033] = [periods.at(-3)!, periods.at(-1)!];
    await addCertification(db, { retireeId: retiree!, periodId: p2031, status: 'approved', method: 'family', certifiedOn: '2031-04-01', certifiedAt: 1, evidenceRef: 'a', recordedBy: null }, 1);
    await addCertification(db, { retireeId: retiree!, periodId: p2033, status: 'approved', method: 'worker', certifiedOn: '2033-04-01', certifiedAt: 2, evidenceRef: 'b', recordedBy: null }, 2);
    expect(await columns(db, retiree!)).toMatchObject({ approved_period_id: p2033, approved_method: 'worker' });
    await db.run('UPDATE certification_periods SET year = 2040 WHERE id = ?', [p2031]);
    expect(await columns(db, retiree!)).toMatchObject({ approved_period_id: p2031, approved_method: 'family', last_certified_on: '2033-04-01' });
  });

  it('are filled in for certifications recorded before migration 014', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stillhere-facts-'));
    const db = await openDb(join(dir, 'a.sqlite'));
    try {
      await seedOnOlderSchema(db, dir, 13, Date.UTC(2026, 10, 22));
      expect((await db.get<{ n: number }>("SELECT count(*) AS n FROM certifications WHERE status = 'approved'"))!.n, 'the demo has approved certifications').toBeGreaterThan(0);
      await migrate(db);
      let filled = 0;
      for (const r of await demoRetirees(db)) {
        const want = await expected(db, r);
        if (want.approved_period_id !== null) filled++;
        expect(await columns(db, r)).toEqual(want);
      }
      expect(filled).toBeGreaterThan(0);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('say whether the retiree’s account has a PIN, through every change to users', async () => {
    t = await createTestApp();
    const db = t.db;
    const hasPin = async (id: number) => (await db.get<{ has_pin: number }>('SELECT has_pin FROM retirees WHERE id = ?', [id]))!.has_pin;
    const truth = async (id: number) => ((await db.get('SELECT 1 FROM users WHERE retiree_id = ? AND password_hash IS NOT NULL', [id])) ? 1 : 0);
    const retirees = await demoRetirees(db);
    for (const r of retirees) expect(await hasPin(r), `retiree ${r} as seeded`).toBe(await truth(r));
    const account = (await db.get<{ id: number; retiree_id: number }>('SELECT id, retiree_id FROM users WHERE retiree_id IS NOT NULL AND password_hash IS NOT NULL LIMIT 1'))!;
    expect(await hasPin(account.retiree_id)).toBe(1);
    await db.run('UPDATE users SET password_hash = NULL WHERE id = ?', [account.id]);
    expect(await hasPin(account.retiree_id)).toBe(0);
    await db.run("UPDATE users SET password_hash = 'x' WHERE id = ?", [account.id]);
    expect(await hasPin(account.retiree_id)).toBe(1);
    // A retiree without an account (one account per retiree).
    const other = (await db.get<{ id: number }>('SELECT id FROM retirees WHERE id NOT IN (SELECT retiree_id FROM users WHERE retiree_id IS NOT NULL) LIMIT 1'))!.id;
    const otherBefore = await truth(other);
    expect(otherBefore).toBe(0);
    await db.run('UPDATE users SET retiree_id = ? WHERE id = ?', [other, account.id]);
    expect([await hasPin(account.retiree_id), await hasPin(other)]).toEqual([await truth(account.retiree_id), 1]);
    await db.run('UPDATE users SET retiree_id = ? WHERE id = ?', [account.retiree_id, account.id]);
    expect(await hasPin(other)).toBe(otherBefore);
  });

  it('are not a change a worker’s phone pulls: a certification writes its own change and no other', async () => {
    t = await createTestApp();
    const db = t.db;
    const [retiree] = await demoRetirees(db);
    const periods = await morePeriods(db);
    const changes = async () => (await db.get<{ n: number }>('SELECT count(*) AS n FROM sync_changes WHERE retiree_id = ?', [retiree!]))!.n;
    const before = await changes();
    await addCertification(db, { retireeId: retiree!, periodId: periods.at(-1)!, status: 'approved', method: 'self', certifiedOn: '2033-03-02', certifiedAt: 1, evidenceRef: 'x', recordedBy: null }, 1);
    expect((await columns(db, retiree!))!.approved_on).toBe('2033-03-02');
    expect(await changes()).toBe(before + 1);
    // A change of the retiree themself still is one.
    await db.run("UPDATE retirees SET phone = '13800000000' WHERE id = ?", [retiree!]);
    expect(await changes()).toBe(before + 2);
  });
});

describe('currentApproved', () => {
  it('reads the current period’s certification, also when a newer year’s is the one on the row', async () => {
    t = await createTestApp();
    const db = t.db;
    const [retiree] = await demoRetirees(db);
    const periods = await morePeriods(db);
    const [p2031, p2033] = [periods.at(-3)!, periods.at(-1)!];
    const read = async (period: number, year: number) =>
      (await db.get<{ method: string | null; day: string | null }>(
        `SELECT ${currentApproved('approved_method')} AS method, ${currentApproved('approved_on')} AS day FROM retirees r WHERE r.id = $id`,
        { $id: retiree!, $period: period, $year: year },
      ))!;
    await db.run('DELETE FROM certifications WHERE retiree_id = ?', [retiree!]);
    expect(await read(p2031, 2031)).toEqual({ method: null, day: null });
    await addCertification(db, { retireeId: retiree!, periodId: p2031, status: 'approved', method: 'family', certifiedOn: '2031-04-01', certifiedAt: 1, evidenceRef: 'a', recordedBy: null }, 1);
    expect(await read(p2031, 2031)).toEqual({ method: 'family', day: '2031-04-01' });
    // A certification of a later year on the row; the 2031 one is still found when 2031 is asked about.
    await addCertification(db, { retireeId: retiree!, periodId: p2033, status: 'approved', method: 'worker', certifiedOn: '2033-04-01', certifiedAt: 2, evidenceRef: 'b', recordedBy: null }, 2);
    expect((await columns(db, retiree!))!.approved_period_id).toBe(p2033);
    expect(await read(p2031, 2031)).toEqual({ method: 'family', day: '2031-04-01' });
    expect(await read(p2033, 2033)).toEqual({ method: 'worker', day: '2033-04-01' });
    // A year without one: none, whichever certification is on the row.
    expect(await read(periods.at(-2)!, 2032)).toEqual({ method: null, day: null });
  });
});
