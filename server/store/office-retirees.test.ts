// The office's retiree list and lists (issue 16, decision 056), called directly with a Db and the
// office user as the benchmark calls them: the state filter is the certification rules' state of
// every retiree (checked one by one against retireeStatus, before the deadline, after it and after
// the suspension date) and its totals are the overview's counts; paging, sorting, each filter and
// search; the office's region in every query; the lists and their export pages.
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CERTIFICATION_METHODS, type CertificationPeriod } from '../../shared/certification-rules.ts';
import { addDays, addYears } from '../../shared/dates.ts';
import { ageOn } from '../../shared/id-number.ts';
import { EXPORT_LISTS, LIST_STATUSES, RetireeListQuery, STATUS_FILTERS, type ListStatus, type RetireeListItem } from '../../shared/schemas/office-retirees.ts';
import type { StatusCounts } from '../../shared/schemas/office.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { DEMO } from '../seed/demo.ts';
import { addWorkerFixture, type WorkerFixture } from '../seed/worker-fixture.ts';
import { createTestApp, type TestApp } from '../test-support.ts';
import { exportPages, planExport } from './office-exports.ts';
import { officeOverview } from './office-overview.ts';
import { listStatusOf, officeLists, officeRetirees, suspendedFrom } from './office-retirees.ts';
import { periodsOfRegion, setPeriod } from './regions.ts';
import { retireeById } from './retirees.ts';
import { retireeStatus } from './status.ts';
import { factsContext, factFilter, factSwitch, stateOfFacts, ALL_FACTS, ALWAYS, NEVER } from './retiree-facts.ts';

let t: TestApp;
let fx: WorkerFixture;
let current: CertificationPeriod;
const OFFICE = { regionId: 1 } as const; // the demo region 110199 (its office account)
const DESCRIPTOR = Buffer.alloc(512);

beforeEach(async () => {
  t = await createTestApp();
  fx = await addWorkerFixture(t.db, createPasswordHasher(10), t.clock.now, { username: 'wang.fang', password: 'wang-fang-2026', communityName: '和平社区', count: 24 });
  current = (await periodsOfRegion(t.db, 1)).at(-1)!;
  await seedStates();
});
afterEach(async () => t.close());

const query = (q: Record<string, string> = {}) => v.parse(RetireeListQuery, q);
const list = (q: Record<string, string> = {}, office: { regionId: number | null } = OFFICE) => officeRetirees(t.db, office, query(q), t.clock.now);

/** Every page of a list, in order. */
async function everything(q: Record<string, string> = {}, office: { regionId: number | null } = OFFICE): Promise<RetireeListItem[]> {
  const out: RetireeListItem[] = [];
  for (let page = 1; ; page++) {
    const body = await list({ ...q, size: '10', page: String(page) }, office);
    out.push(...body.items);
    if (out.length >= body.total || !body.items.length) return out;
  }
}

const insertCertification = (retireeId: number, status: string, method: string, on: string, periodId = current.id) =>
  t.db.run(
    `INSERT INTO certifications (retiree_id, period_id, status, method, certified_on, certified_at, evidence_ref, created_at) VALUES (?, ?, ?, ?, ?, ?, 'test', ?)`,
    [retireeId, periodId, status, method, on, t.clock.now, t.clock.now],
  );

/**
 * The fixture community in every state: certified each way (one late, after the suspension date),
 * under review, verifying, a pension begun after the deadline, one off the rolls; some with a
 * reference face, some who set a PIN; the rest due.
 */
async function seedStates(): Promise<void> {
  const r = fx.retirees.map((x) => x.id);
  for (const [i, m] of CERTIFICATION_METHODS.entries()) await insertCertification(r[i]!, 'approved', m, addDays(current.selfStart, 3 + i));
  await insertCertification(r[5]!, 'approved', 'self', addDays(current.suspensionDate, 2)); // resumed after the pause (once the clock gets there)
  await insertCertification(r[6]!, 'pending_review', 'home_visit', addDays(current.selfStart, 5));
  // An earlier period's approval says nothing about this one.
  const previous = (await periodsOfRegion(t.db, 1)).at(-2)!;
  await insertCertification(r[7]!, 'approved', 'family', addDays(previous.selfStart, 4), previous.id);
  await t.db.run(
    `INSERT INTO attempts (id, retiree_id, user_id, device_id, seq, method, verdict, outcome, period_id, certified_on, device_time, received_at, result)
     VALUES ('00000000-0000-7000-8000-000000000001', ?, ?, 'phone-1', 1, 'worker', 'passed', 'verifying', ?, ?, ?, ?, '{}')`,
    [r[8]!, fx.workerId, current.id, addDays(current.selfStart, 6), t.clock.now, t.clock.now],
  );
  await t.db.run('UPDATE retirees SET enrolled_on = ? WHERE id = ?', [addDays(current.deadline, 10), r[9]!]);
  await t.db.run("UPDATE retirees SET enrolment = 'deceased' WHERE id = ?", [r[10]!]);
  await t.db.run("UPDATE retirees SET pension_category = 'urban_rural_resident' WHERE id IN (?, ?, ?)", [r[11]!, r[12]!, r[0]!]);
  for (const [id, status] of [[r[0]!, 'active'], [r[1]!, 'active'], [r[2]!, 'pending'], [r[3]!, 'removed']] as const) {
    await t.db.run(
      `INSERT INTO reference_faces (retiree_id, source, status, descriptor, photo, photo_type, sha256, width, height, created_at)
       VALUES (?, 'office_photo', ?, ?, ?, 'image/jpeg', ?, 1, 1, ?)`,
      [id, status, DESCRIPTOR, Buffer.from([0]), `sha-${id}`, t.clock.now],
    );
  }
  for (const id of [r[0]!, r[13]!]) {
    await t.db.run("INSERT INTO users (role, retiree_id, display_name, password_hash, created_at, updated_at) VALUES ('retiree', ?, 'x', 'hash', ?, ?)", [id, t.clock.now, t.clock.now]);
  }
  // An account without a PIN: created by an activation code never used.
  await t.db.run("INSERT INTO users (role, retiree_id, display_name, password_hash, created_at, updated_at) VALUES ('retiree', ?, 'x', NULL, ?, ?)", [r[14]!, t.clock.now, t.clock.now]);
}

/** Each retiree on the rolls of the demo region and the list's name for their state, one by one as /api/me/status decides it. */
async function statesOneByOne(): Promise<Map<number, { status: ListStatus; method: string | null; communityId: number }>> {
  const rows = await t.db.all<{ id: number }>(
    "SELECT r.id FROM retirees r JOIN communities c ON c.id = r.community_id WHERE c.region_id = 1 AND r.enrolment NOT IN ('deceased', 'moved', 'stopped')",
  );
  const out = new Map<number, { status: ListStatus; method: string | null; communityId: number }>();
  for (const { id } of rows) {
    const retiree = (await retireeById(t.db, id))!;
    const { status } = await retireeStatus(t.db, retiree, t.clock.now);
    out.set(id, { status: listStatusOf(status), method: status.state === 'certified' ? status.method : null, communityId: retiree.communityId });
  }
  return out;
}

const overviewCount = (c: StatusCounts, s: ListStatus): number =>
  ({ certified: c.certifiedTotal, under_review: c.underReview, verifying: c.verifying, due: c.due, overdue: c.overdue, suspended: c.suspended, not_open: c.notOpen })[s];

async function moveClockTo(day: string) {
  t.clock.now = Date.parse(`${day}T04:00:00Z`); // noon in Beijing
}

describe('the state filter is the rules’ state of every retiree', () => {
  it('lists exactly the retirees retireeStatus puts in each state, with the overview’s totals, before the deadline, after it and after the suspension date', async () => {
    // A month between the deadline and the suspension date, so "overdue" exists.
    await setPeriod(t.db, { regionCode: '110199', year: current.year, selfStart: current.selfStart, selfEnd: current.selfEnd, onsiteStart: current.onsiteStart, onsiteEnd: current.onsiteEnd, deadline: current.deadline, suspensionDate: addDays(current.deadline, 30) });
    current = (await periodsOfRegion(t.db, 1)).at(-1)!;
    const seen = new Set<ListStatus>();
    for (const day of [null, addDays(current.deadline, 2), addDays(current.suspensionDate, 3)]) {
      if (day) await moveClockTo(day);
      const truth = await statesOneByOne();
      const overview = (await officeOverview(t.db, OFFICE, t.clock.now)).regions[0]!;
      for (const status of LIST_STATUSES) {
        const expected = [...truth].filter(([, s]) => s.status === status).map(([id]) => id).sort((a, b) => a - b);
        const got = await everything({ status });
        expect(got.map((i) => i.id).sort((a, b) => a - b), `${status} on ${day ?? 'today'}`).toEqual(expected);
        expect(got.every((i) => i.status === status)).toBe(true);
        expect((await list({ status })).total, `${status} total`).toBe(overviewCount(overview.totals, status));
        for (const community of overview.communities) {
          expect((await list({ status, community: String(community.id) })).total, `${status} in ${community.name}`).toBe(overviewCount(community, status));
        }
        if (expected.length) seen.add(status);
      }
      expect((await list({ status: 'expected' })).total).toBe(overview.totals.retirees - overview.totals.notOpen);
      expect((await list()).total).toBe(overview.totals.retirees);
      for (const method of CERTIFICATION_METHODS) {
        const expected = [...truth].filter(([, s]) => s.method === method).map(([id]) => id).sort((a, b) => a - b);
        const got = (await everything({ status: 'certified', method })).map((i) => i.id).sort((a, b) => a - b);
        expect(got, method).toEqual(expected);
        expect((await list({ method })).total, `${method} alone`).toBe(overview.totals.certified[method]);
      }
    }
    // Every state of the rules was there to be checked at one of the three times.
    expect([...seen].sort()).toEqual([...LIST_STATUSES].sort());
  });

  it('the overview counts as the rules say and charts every certification when a retiree’s newest certification is of a period set up ahead', async () => {
    const chartTotal = (o: Awaited<ReturnType<typeof officeOverview>>['regions'][number]) => o.daily.reduce((sum, d) => sum + d.certified, 0);
    const check = async (label: string) => {
      const truth = await statesOneByOne();
      const overview = (await officeOverview(t.db, OFFICE, t.clock.now)).regions[0]!;
      for (const status of LIST_STATUSES) expect(overviewCount(overview.totals, status), `${status} ${label}`).toBe([...truth.values()].filter((s) => s.status === status).length);
      for (const method of CERTIFICATION_METHODS) expect(overview.totals.certified[method], `${method} ${label}`).toBe([...truth.values()].filter((s) => s.method === method).length);
      // The late one's certification is not of the population the period applies to.
      expect(chartTotal(overview), label).toBe(overview.totals.certifiedTotal);
    };
    await check('as seeded');
    // Next year's period, set up ahead, with an approval in it for one certified this year and one not.
    const next = { year: current.year + 1, selfStart: addDays(current.selfStart, 365), selfEnd: addDays(current.selfEnd, 365), onsiteStart: addDays(current.onsiteStart, 365), onsiteEnd: addDays(current.onsiteEnd, 365), deadline: addDays(current.deadline, 365), suspensionDate: addDays(current.suspensionDate, 365) };
    await setPeriod(t.db, { regionCode: '110199', ...next });
    const ahead = (await periodsOfRegion(t.db, 1)).find((p) => p.year === next.year)!;
    await insertCertification(fx.retirees[1]!.id, 'approved', 'worker', addDays(ahead.selfStart, 1), ahead.id);
    await insertCertification(fx.retirees[12]!.id, 'approved', 'self', addDays(ahead.selfStart, 2), ahead.id);
    await check('with a period ahead');
  });

  it('writes a filter as the fact combinations the rules accept, testing only the facts that matter', async () => {
    const ctx = await factsContext(t.db, { id: 1, time_zone: 'Asia/Shanghai' }, t.clock.now);
    const certified = factFilter((f) => stateOfFacts(f, ctx).state === 'certified');
    expect(certified).not.toContain('pending_review');
    expect(certified).not.toContain('verifying');
    // Before any period has started, everyone is "not open": no fact is read at all.
    const before = { ...ctx, today: '2000-01-01', current: null };
    expect(factFilter((f) => stateOfFacts(f, before).state === 'not_open')).toBe(ALWAYS);
    expect(factFilter((f) => stateOfFacts(f, before).state === 'open')).toBe(NEVER);
    // The switch answers for all 48 combinations exactly as the rules do.
    const states = ['not_open', 'open', 'under_review', 'verifying', 'certified', 'overdue', 'suspended'];
    const expr = factSwitch((f) => states.indexOf(stateOfFacts(f, ctx).state), 'lookup');
    expect(expr).toContain('CASE');
    expect(ALL_FACTS).toHaveLength(48);
  });
});

describe('paging and sorting', () => {
  it('finds the same page whichever way it looks: facts one by one in a window, or as sets', async () => {
    const cases: Record<string, string>[] = [
      { status: 'due' }, { status: 'certified', sort: 'community' }, { status: 'expected', dir: 'desc' }, { status: 'due', page: '2' }, { method: 'family' },
      { noReference: '1' }, { neverSignedIn: '1', sort: 'community', dir: 'desc' }, { status: 'due', noReference: '1', neverSignedIn: '1' }, { noReference: '1', sort: 'age' },
    ];
    for (const q of cases) {
      const query_ = query({ ...q, size: '10' });
      const usual = await officeRetirees(t.db, OFFICE, query_, t.clock.now);
      const sets = await officeRetirees(t.db, OFFICE, query_, t.clock.now, { maxLookups: 0, minWindow: 1, searchWalk: 0 });
      const tinyWindow = await officeRetirees(t.db, OFFICE, query_, t.clock.now, { maxLookups: 20_000, minWindow: 1, searchWalk: 0 });
      expect(sets.items.map((i) => i.id), JSON.stringify(q)).toEqual(usual.items.map((i) => i.id));
      expect(tinyWindow.items.map((i) => i.id), JSON.stringify(q)).toEqual(usual.items.map((i) => i.id));
      expect(sets.total).toBe(usual.total);
    }
  });

  it('a name search has the same total and pages whether its walk of the name index holds every match, stops early, or is not taken', async () => {
    const name = fx.retirees[15]!.name;
    for (const q of [name, name.slice(0, 1), name.slice(1), 'zzz'].flatMap((q): Record<string, string>[] => [{ q }, { q, dir: 'desc' }, { q, page: '2' }, { q, sort: 'community' }])) {
      const query_ = query({ ...q, size: '10' });
      const usual = await officeRetirees(t.db, OFFICE, query_, t.clock.now);
      for (const searchWalk of [0, 11, 1_000_000]) {
        const other = await officeRetirees(t.db, OFFICE, query_, t.clock.now, { maxLookups: 20_000, minWindow: 1000, searchWalk });
        expect(other.items.map((i) => i.id), `${JSON.stringify(q)} walk ${searchWalk}`).toEqual(usual.items.map((i) => i.id));
        expect(other.total, `${JSON.stringify(q)} walk ${searchWalk}`).toBe(usual.total);
      }
    }
  });

  it('pages by offset with a steady total, each retiree once', async () => {
    const all = await everything();
    const first = await list({ size: '10' });
    expect(first.total).toBe(all.length);
    expect(first.total).toBeGreaterThan(20);
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
    const third = await list({ size: '10', page: '3' });
    expect(third.items.map((i) => i.id)).toEqual(all.slice(20, 30).map((i) => i.id));
    expect((await list({ size: '10', page: '99' })).items).toEqual([]);
  });

  it('sorts by name, community, state, last certified and age, either way', async () => {
    const byName = await everything();
    const names = byName.map((i) => i.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect((await everything({ dir: 'desc' })).map((i) => i.id)).toEqual(byName.map((i) => i.id).reverse());

    const byCommunity = await everything({ sort: 'community' });
    const communityNames = byCommunity.map((i) => i.communityName);
    expect(communityNames).toEqual([...communityNames].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    const byStatus = (await everything({ sort: 'status' })).map((i) => LIST_STATUSES.indexOf(i.status));
    expect(byStatus).toEqual([...byStatus].sort((a, b) => a - b));
    const byStatusDesc = (await everything({ sort: 'status', dir: 'desc' })).map((i) => LIST_STATUSES.indexOf(i.status));
    expect(byStatusDesc).toEqual([...byStatusDesc].sort((a, b) => b - a));

    const last = (await everything({ sort: 'last_certified', dir: 'desc' })).map((i) => i.lastCertifiedOn ?? '');
    expect(last).toEqual([...last].sort().reverse());
    expect(last[0]).toBe(addDays(current.suspensionDate, 2));

    const ages = (await everything({ sort: 'age', dir: 'desc' })).map((i) => i.age!);
    expect(ages).toEqual([...ages].sort((a, b) => b - a));
  });
});

describe('each filter', () => {
  const ids = async (q: Record<string, string>) => (await everything(q)).map((i) => i.id).sort((a, b) => a - b);
  const r = (i: number) => fx.retirees[i]!.id;

  it('community, pension category and age band', async () => {
    const inHeping = await ids({ community: String(fx.communityId) });
    expect(inHeping).toEqual(fx.retirees.map((x) => x.id).filter((id) => id !== r(10)).sort((a, b) => a - b));
    expect(await ids({ category: 'urban_rural_resident' })).toEqual(
      (await t.db.all<{ id: number }>("SELECT id FROM retirees WHERE pension_category = 'urban_rural_resident' AND enrolment = 'active' AND community_id IN (SELECT id FROM communities WHERE region_id = 1) ORDER BY id")).map((x) => x.id),
    );
    const today = '2026-11-22';
    // Born on the days a band begins and ends: 80 today, 80 tomorrow, 90 today, 90 tomorrow.
    for (const [i, years, days] of [[20, 80, 0], [21, 80, 1], [22, 90, 0], [23, 90, 1]] as const) {
      const birth = addDays(addYears(today, -years), days).replaceAll('-', '');
      await t.db.run('UPDATE retirees SET id_number = substr(id_number, 1, 6) || ? || substr(id_number, 15) WHERE id = ?', [birth, r(i)]);
    }
    for (const [band, lo, hi] of [['under_60', 0, 59], ['60_69', 60, 69], ['70_79', 70, 79], ['80_89', 80, 89], ['90_plus', 90, 200]] as const) {
      const got = await everything({ age: band });
      const rows = await t.db.all<{ id: number; id_number: string }>(
        "SELECT r.id, r.id_number FROM retirees r JOIN communities c ON c.id = r.community_id WHERE c.region_id = 1 AND r.enrolment = 'active'",
      );
      const expected = rows.filter((x) => {
        const age = ageOn(`${x.id_number.slice(6, 10)}-${x.id_number.slice(10, 12)}-${x.id_number.slice(12, 14)}`, today);
        return age >= lo && age <= hi;
      });
      expect(got.map((i) => i.id).sort((a, b) => a - b), band).toEqual(expected.map((x) => x.id).sort((a, b) => a - b));
      expect(got.every((i) => i.age! >= lo && i.age! <= hi)).toBe(true);
    }
  });

  it('no reference photo: none active (a pending or removed one does not count)', async () => {
    const without = await ids({ noReference: '1' });
    expect(without).not.toContain(r(0));
    expect(without).not.toContain(r(1));
    expect(without).toContain(r(2));
    expect(without).toContain(r(3));
    expect((await list()).total - without.length).toBe(2);
    const row = (await everything()).find((i) => i.id === r(0))!;
    expect(row.hasReference).toBe(true);
  });

  it('never signed in: no PIN ever set (an account without one counts as never)', async () => {
    const never = await ids({ neverSignedIn: '1' });
    expect(never).not.toContain(r(0));
    expect(never).not.toContain(r(13));
    expect(never).toContain(r(14));
    // The demo retirees who set a PIN are signed in; the one with only an activation code is not.
    const demo = await t.db.all<{ id: number; id_number: string }>('SELECT id, id_number FROM retirees WHERE id_number IN (?, ?)', [DEMO.retireeOpen.idNumber, DEMO.retireeNew.idNumber]);
    expect(never).not.toContain(demo.find((d) => d.id_number === DEMO.retireeOpen.idNumber)!.id);
    expect(never).toContain(demo.find((d) => d.id_number === DEMO.retireeNew.idNumber)!.id);
  });

  it('search by name (part of it), by the last ID digits, by a whole ID number', async () => {
    const target = fx.retirees[15]!;
    expect((await everything({ q: target.name })).map((i) => i.id)).toContain(target.id);
    expect((await everything({ q: target.name.slice(1) })).every((i) => i.name.includes(target.name.slice(1)))).toBe(true);
    const tail = target.idNumber.slice(-4);
    const byTail = await everything({ q: tail });
    expect(byTail.map((i) => i.id)).toContain(target.id);
    expect(byTail.every((i) => i.idNumber.endsWith(tail))).toBe(true);
    expect((await everything({ q: target.idNumber })).map((i) => i.id)).toEqual([target.id]);
    expect((await everything({ q: target.idNumber.toLowerCase() })).map((i) => i.id)).toEqual([target.id]);
    expect(await everything({ q: '99999999' })).toEqual([]);
    // Search and filters together.
    expect((await everything({ q: target.name, status: 'not_open' })).length).toBe(0);
    // A name in Latin letters: any case; % and _ are letters, not wildcards.
    await t.db.run("UPDATE retirees SET name = 'Li_Ming 李明' WHERE id = ?", [r(16)]);
    expect((await everything({ q: 'li_m' })).map((i) => i.id)).toEqual([r(16)]);
    expect((await everything({ q: 'LI_MING' })).map((i) => i.id)).toEqual([r(16)]);
    expect(await everything({ q: 'L%g' })).toEqual([]);
    expect((await everything({ q: '李明' })).map((i) => i.id)).toEqual([r(16)]);
  });
});

describe('the office’s region', () => {
  it('an office sees only its own region; one over every region chooses, and may not be told another’s', async () => {
    const a = await everything();
    expect(a.length).toBeGreaterThan(0);
    expect(a.some((i) => i.communityName === '东村')).toBe(false);
    const b = await everything({}, { regionId: 2 });
    expect(b.map((i) => i.communityName)).toEqual(['东村']);
    // A community of the other region as a filter finds nothing.
    const dongcun = (await t.db.get<{ id: number }>("SELECT id FROM communities WHERE name = '东村'"))!.id;
    expect((await list({ community: String(dongcun) })).total).toBe(0);
    await expect(list({ region: '2' })).rejects.toMatchObject({ status: 403 });
    const all = await list({}, { regionId: null });
    expect(all.regions.map((x) => x.code)).toEqual(['110199', '130199']);
    expect(all.region.code).toBe('110199');
    expect((await list({ region: '2' }, { regionId: null })).items.map((i) => i.communityName)).toEqual(['东村']);
    await expect(list({ region: '99' }, { regionId: null })).rejects.toMatchObject({ status: 404 });
  });
});

describe('the lists', () => {
  /** Each list worked out one by one from retireeStatus and the certification rows. */
  async function listsOneByOne() {
    const truth = await statesOneByOne();
    const pause = suspendedFrom(await factsContext(t.db, { id: 1, time_zone: 'Asia/Shanghai' }, t.clock.now));
    const approvedOn = new Map(
      (await t.db.all<{ retiree_id: number; certified_on: string }>("SELECT retiree_id, certified_on FROM certifications WHERE period_id = ? AND status = 'approved'", [current.id])).map((x) => [x.retiree_id, x.certified_on]),
    );
    const ids = (pick: (id: number, s: { status: ListStatus }) => boolean) => [...truth].filter(([id, s]) => pick(id, s)).map(([id]) => id).sort((a, b) => a - b);
    return {
      not_certified: ids((_, s) => ['due', 'overdue', 'suspended'].includes(s.status)),
      to_be_suspended: ids((_, s) => ['due', 'overdue'].includes(s.status)),
      suspended: ids((_, s) => s.status === 'suspended'),
      certified: ids((_, s) => s.status === 'certified'),
      resumed: ids((id, s) => s.status === 'certified' && pause !== null && approvedOn.get(id)! >= pause),
    };
  }

  async function exported(list: (typeof EXPORT_LISTS)[number], pageSize: number) {
    const plan = await planExport(t.db, OFFICE, list, {}, t.clock.now);
    const rows: number[] = [];
    let pages = 0;
    for await (const page of exportPages(t.db, plan, pageSize)) {
      pages++;
      expect(page.length).toBeLessThanOrEqual(pageSize);
      rows.push(...page.map((r) => r.retireeId));
    }
    return { plan, rows, pages };
  }

  it('hold who the rules say, counted and exported page by page, before the deadline and after the suspension date', async () => {
    for (const day of [null, addDays(current.suspensionDate, 5)]) {
      if (day) await moveClockTo(day);
      const expected = await listsOneByOne();
      const counts = await officeLists(t.db, OFFICE, {}, t.clock.now);
      for (const list of EXPORT_LISTS) {
        expect(counts.lists.find((l) => l.list === list)!.count, `${list} on ${day ?? 'today'}`).toBe(expected[list].length);
        const { plan, rows, pages } = await exported(list, 3);
        expect(plan.count).toBe(expected[list].length);
        expect([...rows].sort((a, b) => a - b), list).toEqual(expected[list]);
        if (rows.length > 3) expect(pages).toBeGreaterThan(1);
      }
    }
    // After the suspension date: nobody is still to be suspended, and the late certification resumed one pension.
    const after = await officeLists(t.db, OFFICE, {}, t.clock.now);
    expect(after.lists.find((l) => l.list === 'to_be_suspended')!.count).toBe(0);
    expect(after.lists.find((l) => l.list === 'resumed')!.count).toBe(1);
  });

  it('a community’s lists hold only its retirees, in name order', async () => {
    const plan = await planExport(t.db, OFFICE, 'not_certified', { community: fx.communityId }, t.clock.now);
    const rows = [];
    for await (const page of exportPages(t.db, plan, 4)) rows.push(...page);
    expect(rows.length).toBe(plan.count);
    expect(rows.every((r) => r.communityName === '和平社区')).toBe(true);
    const names = rows.map((r) => r.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const counts = await officeLists(t.db, OFFICE, { community: fx.communityId }, t.clock.now);
    expect(counts.lists.find((l) => l.list === 'not_certified')!.count).toBe(plan.count);
  });
});

it('every status filter value parses', () => {
  for (const status of STATUS_FILTERS) expect(query({ status }).status).toBe(status);
});
