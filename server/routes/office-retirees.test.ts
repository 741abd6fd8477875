// The office's retiree list, lists and exports over HTTP (issue 16, decision 056): who may ask
// (each route, each role), region A against region B, bad filters, masked ID numbers, and the files:
// CSV with a BOM and the header in the clerk's language, XLSX, both parsed back (csv-parse,
// exceljs) to the rows the lists hold, more than one page of them, each export audited, none
// served to a request another site made.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/dates.ts';
import type { OfficeLists, RetireeList } from '../../shared/schemas/office-retirees.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { DEMO } from '../seed/demo.ts';
import { addWorkerFixture, type WorkerFixture } from '../seed/worker-fixture.ts';
import { EXPORT_PAGE } from '../store/office-exports.ts';
import { periodsOfRegion } from '../store/regions.ts';
import { createStaffUser } from '../store/users.ts';
import { client, createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';
import { contentDisposition, rfc5987 } from './office-retirees.ts';

let t: TestApp;
let fx: WorkerFixture;
let admin: Client;

beforeEach(async () => {
  t = await createTestApp();
  fx = await addWorkerFixture(t.db, createPasswordHasher(10), t.clock.now, { username: 'wang.fang', password: 'wang-fang-2026', displayName: '王芳', communityName: '和平社区', count: 8 });
  admin = await signIn(t, DEMO.admin);
});
afterEach(async () => t.close());

const ROUTES = ['/api/office/retirees', '/api/office/retirees?status=due', '/api/office/lists', '/api/office/exports/not_certified.csv', '/api/office/exports/suspended.xlsx'];

async function countyOffice(): Promise<Client> {
  await createStaffUser(t.db, createPasswordHasher(10), { role: 'admin', username: 'county.office', password: 'county-office-2026', displayName: '县社保 吴敏', regionCode: '130199' }, t.clock.now);
  return signIn(t, { username: 'county.office', password: 'county-office-2026' });
}

async function download(c: Client, path: string, headers: Record<string, string> = {}) {
  const res = await c.request(path, { headers });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const csvRows = (bytes: Uint8Array): string[][] => parse(Buffer.from(bytes).toString('utf8'), { bom: true, trim: true, relax_column_count: false });

async function xlsxRows(bytes: Uint8Array): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('who may use the list, the lists and the exports', () => {
  it('answers 401 signed out and 403 to retirees, family members and workers on every route; the office gets 200', async () => {
    const others: [string, Client][] = [
      ['anonymous', client(t)],
      ['retiree', await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin })],
      ['family', await signIn(t, DEMO.family)],
      ['worker', await signIn(t, DEMO.worker)],
    ];
    for (const path of ROUTES) {
      for (const [who, c] of others) {
        const res = await c.request(path);
        expect(res.status, `${who} ${path}`).toBe(who === 'anonymous' ? 401 : 403);
        expect(await res.text(), `${who} ${path}`).not.toContain('张桂兰');
      }
      const mine = await admin.request(path);
      expect(mine.status, path).toBe(200);
      await mine.arrayBuffer(); // an export streams: read it to the end before the database closes
    }
    // Nothing was exported by anyone else: the only audit entries are the office's own.
    const entries = await t.db.all<{ user_id: number }>("SELECT user_id FROM audit_log WHERE event = 'list_exported'");
    expect(entries.length).toBe(2);
  });

  it('rejects a malformed filter with 400 and an unknown list with 404', async () => {
    for (const q of ['status=nope', 'community=abc', 'method=fax', 'age=100', 'category=x', 'noReference=yes', 'sort=phone', 'dir=up', 'page=0', 'size=5', 'size=500', 'extra=1', `q=${'张'.repeat(41)}`]) {
      expect((await admin.request(`/api/office/retirees?${q}`)).status, q).toBe(400);
    }
    expect((await admin.request('/api/office/lists?status=due')).status).toBe(400);
    expect((await admin.request('/api/office/exports/everyone.csv')).status).toBe(404);
    expect((await admin.request('/api/office/exports/suspended.pdf')).status).toBe(404);
    expect((await admin.request('/api/office/exports/suspended.csv?lang=fr')).status).toBe(400);
  });
});

describe('region A and region B', () => {
  it('region A’s office sees nothing of B in the list, the lists or an export, and B’s nothing of A', async () => {
    const b = await countyOffice();
    const listA = (await admin.json<RetireeList>('/api/office/retirees?size=100')).body;
    expect(listA.region.code).toBe('110199');
    expect(listA.regions.map((r) => r.code)).toEqual(['110199']);
    expect(listA.items.map((i) => i.communityName)).not.toContain('东村');
    expect(listA.total).toBe(4 + 8);
    const listB = (await b.json<RetireeList>('/api/office/retirees')).body;
    expect(listB.items.map((i) => i.name)).toEqual([DEMO.retireeSuspended.name]);
    expect(JSON.stringify(listB)).not.toContain('幸福里');
    // Naming the other region is refused; naming the other region's community finds nobody.
    expect((await admin.request('/api/office/retirees?region=2')).status).toBe(403);
    expect((await admin.request('/api/office/lists?region=2')).status).toBe(403);
    expect((await admin.request('/api/office/exports/suspended.csv?region=2')).status).toBe(403);
    const dongcun = (await t.db.get<{ id: number }>("SELECT id FROM communities WHERE name = '东村'"))!.id;
    expect((await admin.json<RetireeList>(`/api/office/retirees?community=${dongcun}`)).body.total).toBe(0);
    expect((await admin.request(`/api/office/exports/suspended.csv?community=${dongcun}`)).status).toBe(404);
    // B's suspended list is B's one retiree, A's holds nobody of B.
    const suspendedB = csvRows((await download(b, '/api/office/exports/suspended.csv')).bytes);
    expect(suspendedB.slice(1).map((r) => r[1])).toEqual([DEMO.retireeSuspended.name]);
    const suspendedA = csvRows((await download(admin, '/api/office/exports/suspended.csv')).bytes);
    expect(suspendedA.slice(1)).toEqual([]);
  });
});

describe('the list', () => {
  it('masks ID numbers, pages, and says each state in the rules’ terms', async () => {
    const body = (await admin.json<RetireeList>('/api/office/retirees?size=10')).body;
    expect(body.total).toBe(12);
    expect(body.items).toHaveLength(10);
    for (const i of body.items) expect(i.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(JSON.stringify(body)).not.toContain(DEMO.retireeOpen.idNumber);
    const second = (await admin.json<RetireeList>('/api/office/retirees?size=10&page=2')).body;
    expect(second.items).toHaveLength(2);
    expect(new Set([...body.items, ...second.items].map((i) => i.id)).size).toBe(12);
    const certified = (await admin.json<RetireeList>('/api/office/retirees?status=certified')).body;
    expect(certified.items.map((i) => [i.name, i.status, i.method])).toEqual([[DEMO.retireeCertified.name, 'certified', 'self']]);
    const review = (await admin.json<RetireeList>('/api/office/retirees?status=under_review')).body;
    expect(review.items.map((i) => i.name)).toEqual([DEMO.retireeReview.name]);
    // Search by the last four digits of an ID number.
    const tail = DEMO.retireeOpen.idNumber.slice(-4);
    const found = (await admin.json<RetireeList>(`/api/office/retirees?q=${tail}`)).body;
    expect(found.items.map((i) => i.name)).toContain(DEMO.retireeOpen.name);
  });
});

describe('the lists and their files', () => {
  it('counts each list; the not-yet-certified CSV has a BOM, the header in the clerk’s language and the rows, and is audited', async () => {
    const lists = (await admin.json<OfficeLists>('/api/office/lists')).body;
    const count = (l: string) => lists.lists.find((x) => x.list === l)!.count;
    // The demo region: 张桂兰 due, 王秀英 due, the 8 fixture retirees due; 李建国 certified; 赵德明 under review.
    expect(count('not_certified')).toBe(10);
    expect(count('to_be_suspended')).toBe(10);
    expect(count('certified')).toBe(1);
    expect(count('suspended')).toBe(0);
    expect(count('resumed')).toBe(0);

    const { res, bytes } = await download(admin, '/api/office/exports/not_certified.csv?lang=zh-CN');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="not-certified-110199-2026-11-22\.csv"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe('未认证名单-演示区-2026-11-22.csv');
    const rows = csvRows(bytes);
    expect(rows[0]).toEqual(['社区', '姓名', '身份证号', '年龄', '电话', '地址', '状态', '上次认证日期']);
    expect(rows).toHaveLength(1 + 10);
    // (The fixture community has a 张桂兰 of its own.)
    const open = rows.find((r) => r[1] === DEMO.retireeOpen.name && r[0] === '幸福里社区')!;
    expect(open[2]).toBe(`${DEMO.retireeOpen.idNumber.slice(0, 4)}**********${DEMO.retireeOpen.idNumber.slice(14)}`);
    expect(open[5]).toBe('幸福里 3 号楼 2 单元 401');
    expect(open[6]).toBe('待认证');
    const fixture = rows.find((r) => r[1] === fx.retirees[0]!.name)!;
    expect(fixture[4]).toBe('13810000000');
    // Community by community (in name order), then by name.
    expect(rows.slice(1).map((r) => r[0])).toEqual([...rows.slice(1).map((r) => r[0])].sort());

    const audit = await t.db.get<{ user_id: number; subject: string; details: string }>("SELECT user_id, subject, details FROM audit_log WHERE event = 'list_exported' ORDER BY id DESC LIMIT 1");
    expect(audit).toMatchObject({ subject: 'region:110199' });
    expect(JSON.parse(audit!.details)).toEqual({ list: 'not_certified', format: 'csv', rows: 10 });
    const adminId = (await t.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.admin.username]))!.id;
    expect(audit!.user_id).toBe(adminId);

    // In English when the console is, with the whole ID number on a payment list (after a tab, so Excel keeps it as text).
    const english = csvRows((await download(admin, '/api/office/exports/certified.csv', { 'Accept-Language': 'en-GB,en;q=0.9' })).bytes);
    expect(english[0]).toEqual(['Community', 'Name', 'ID number', 'Pension category', 'Method', 'Certified on']);
    expect(english[1]).toEqual(['幸福里社区', DEMO.retireeCertified.name, DEMO.retireeCertified.idNumber, 'Urban employees', 'Self', expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)]);
    const raw = Buffer.from((await download(admin, '/api/office/exports/certified.csv')).bytes).toString('utf8');
    expect(raw).toContain(`\t${DEMO.retireeCertified.idNumber}`);
  });

  it('the XLSX holds the same rows as the CSV, its header row frozen', async () => {
    const { res, bytes } = await download(admin, '/api/office/exports/not_certified.xlsx?lang=en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain('filename="not-certified-110199-2026-11-22.xlsx"');
    const rows = await xlsxRows(bytes);
    expect(rows[0]).toEqual(['Community', 'Name', 'ID number', 'Age', 'Phone', 'Address', 'Status', 'Last certified']);
    expect(rows).toHaveLength(11);
    const csv = csvRows((await download(admin, '/api/office/exports/not_certified.csv?lang=en')).bytes);
    const normal = (r: unknown[]) => Array.from({ length: 8 }, (_, i) => r[i]).map((v) => (v === undefined || v === null ? '' : String(v)));
    expect(rows.map(normal)).toEqual(csv.map(normal));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('Not yet certified');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const open = rows.find((r) => r[1] === DEMO.retireeOpen.name && r[0] === '幸福里社区')!;
    expect(open[7]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The whole ID number on a payment list is a text cell, every digit kept.
    const certified = await xlsxRows((await download(admin, '/api/office/exports/certified.xlsx')).bytes);
    expect(certified[1]![2]).toBe(DEMO.retireeCertified.idNumber);
  });

  it('streams an export longer than one page of the database, every row once, in both formats', async () => {
    const extra = EXPORT_PAGE + 150;
    await addWorkerFixture(t.db, createPasswordHasher(10), t.clock.now, { username: 'li.ming', password: 'li-ming-2026', communityName: '长安社区', count: extra, offset: 8 });
    const csv = csvRows((await download(admin, '/api/office/exports/not_certified.csv')).bytes);
    expect(csv.length - 1).toBe(10 + extra);
    const names = csv.slice(1).map((r) => r.join('|'));
    expect(new Set(names).size).toBe(names.length);
    const xlsx = await xlsxRows((await download(admin, '/api/office/exports/not_certified.xlsx')).bytes);
    expect(xlsx.length - 1).toBe(10 + extra);
    const lists = (await admin.json<OfficeLists>('/api/office/lists')).body;
    expect(lists.lists.find((l) => l.list === 'not_certified')!.count).toBe(10 + extra);
  });

  it('one community’s list only, named so in the file', async () => {
    const { res, bytes } = await download(admin, `/api/office/exports/not_certified.csv?community=${fx.communityId}`);
    const rows = csvRows(bytes);
    expect(rows.slice(1).map((r) => r[0])).toEqual(Array(8).fill('和平社区'));
    expect(decodeURIComponent(res.headers.get('content-disposition')!.split("UTF-8''")[1]!)).toBe('未认证名单-演示区-和平社区-2026-11-22.csv');
  });

  it('after the suspension date: the suspended list, and who a late certification resumed', async () => {
    const current = (await periodsOfRegion(t.db, 1)).at(-1)!;
    t.clock.now = Date.parse(`${addDays(current.suspensionDate, 3)}T04:00:00Z`);
    admin = await signIn(t, DEMO.admin);
    await t.db.run(
      `INSERT INTO certifications (retiree_id, period_id, status, method, certified_on, certified_at, evidence_ref, created_at) VALUES (?, ?, 'approved', 'on_site', ?, ?, 'form 17', ?)`,
      [fx.retirees[0]!.id, current.id, addDays(current.suspensionDate, 1), t.clock.now, t.clock.now],
    );
    const suspended = csvRows((await download(admin, '/api/office/exports/suspended.csv?lang=en')).bytes);
    expect(suspended[0]).toEqual(['Community', 'Name', 'ID number', 'Age', 'Pension category', 'Phone', 'Address', 'Pension paused since']);
    expect(suspended).toHaveLength(1 + 9);
    expect(suspended.slice(1).every((r) => r[7] === current.suspensionDate)).toBe(true);
    const resumed = csvRows((await download(admin, '/api/office/exports/resumed.csv?lang=en')).bytes);
    expect(resumed.slice(1)).toEqual([['和平社区', fx.retirees[0]!.name, fx.retirees[0]!.idNumber, 'Urban employees', 'On site', addDays(current.suspensionDate, 1), current.suspensionDate]]);
    expect(csvRows((await download(admin, '/api/office/exports/to_be_suspended.csv')).bytes).slice(1)).toEqual([]);
  });

  it('refuses an export another site asked for, and audits nothing then', async () => {
    for (const site of ['cross-site', 'same-site']) {
      expect((await admin.request('/api/office/exports/not_certified.csv', { headers: { 'Sec-Fetch-Site': site } })).status, site).toBe(403);
    }
    expect((await t.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE event = 'list_exported'"))!.n).toBe(0);
    // A link in the console, or the address typed or bookmarked, downloads.
    for (const site of ['same-origin', 'none']) {
      const res = await admin.request('/api/office/exports/not_certified.csv', { headers: { 'Sec-Fetch-Site': site } });
      expect(res.status, site).toBe(200);
      await res.arrayBuffer(); // read to the end before the test closes the database
    }
  });
});

describe('Content-Disposition', () => {
  it('keeps an ASCII name and encodes the full one per RFC 5987', () => {
    expect(rfc5987("名单 (1)'*.csv")).toBe("%E5%90%8D%E5%8D%95%20%281%29%27%2A.csv");
    expect(contentDisposition('a"b.csv', '未认证.csv')).toBe(`attachment; filename="a_b.csv"; filename*=UTF-8''%E6%9C%AA%E8%AE%A4%E8%AF%81.csv`);
  });
});
