// The office's Retirees list and Lists screen (issue 16, decision 056) in real Chromium against the
// real server: the demo region with a community of 90 more retirees in every state; the clerk clicks
// a number on the overview and the list holds exactly the retirees the database holds for it (the
// test's own SQL, page after page), the same from a number in the per-community table; filters,
// search (typed: the URL is replaced, not stacked), sorting and paging, all in the URL; a name opens
// the retiree's page. On Lists the counts are the database's, and the not-yet-certified list
// downloads as CSV and XLSX (Playwright's download event), opens (csv-parse, exceljs) with the
// expected rows, and each download is audited. axe-core finds nothing on either screen;
// screenshots docs/screens/office-retirees.png, office-lists.png.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../server/auth/password.ts';
import { DEMO } from '../server/seed/demo.ts';
import { addWorkerFixture, type WorkerFixture } from '../server/seed/worker-fixture.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { DESK, expectNoAxeViolations, signInAtDesk } from '../scripts/harness/office-desk.ts';

const env = useServerAndBrowser();

let context: BrowserContext;
let page: Page;
let fx: WorkerFixture;
let period: { id: number; start: string; deadline: string };
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10); // Asia/Shanghai
const METHODS = ['self', 'family', 'worker', 'on_site', 'home_visit'];
const HEPING = 90;
/** 和平社区's retirees on the rolls (one is deceased). */
const ON_ROLLS = HEPING - 1;

beforeAll(async () => {
  const region = (await env.db.get<{ id: number }>("SELECT id FROM regions WHERE code = '110199'"))!.id;
  period = (await env.db.get<{ id: number; start: string; deadline: string }>(
    'SELECT id, min(self_start, onsite_start) AS start, deadline FROM certification_periods WHERE region_id = ? AND min(self_start, onsite_start) <= ? ORDER BY self_start DESC LIMIT 1',
    [region, today()],
  ))!;
  // 和平社区: 90 retirees with a worker, in every state the list shows: 68 due (with the demo's 2,
  // more than a page), 20 certified (4 each way), 1 under review, 1 deceased.
  fx = await addWorkerFixture(env.db, createPasswordHasher(10), Date.now(), { username: 'wang.fang', password: 'wang-fang-2026', displayName: '王芳', communityName: '和平社区', count: HEPING });
  const r = fx.retirees.map((x) => x.id);
  const at = Date.now();
  for (let i = 0; i < 20; i++) {
    await env.db.run(
      `INSERT INTO certifications (retiree_id, period_id, status, method, certified_on, certified_at, evidence_ref, created_at) VALUES (?, ?, 'approved', ?, ?, ?, 'e2e', ?)`,
      [r[i]!, period.id, METHODS[i % 5]!, today(), at, at],
    );
  }
  await env.db.run(`INSERT INTO certifications (retiree_id, period_id, status, method, certified_on, certified_at, evidence_ref, created_at) VALUES (?, ?, 'pending_review', 'home_visit', ?, ?, 'e2e', ?)`, [r[20]!, period.id, today(), at, at]);
  await env.db.run("UPDATE retirees SET enrolment = 'deceased' WHERE id = ?", [r[21]!]);
  await env.db.run("UPDATE retirees SET pension_category = 'urban_rural_resident' WHERE id IN (?, ?, ?)", [r[30]!, r[31]!, r[32]!]);
  for (const id of r.slice(0, 10)) {
    await env.db.run(
      `INSERT INTO reference_faces (retiree_id, source, status, descriptor, photo, photo_type, sha256, width, height, created_at) VALUES (?, 'office_photo', 'active', zeroblob(512), x'00', 'image/jpeg', ?, 1, 1, ?)`,
      [id, `e2e-${id}`, at],
    );
  }
  context = await env.browser.newContext({ ...DESK, acceptDownloads: true });
  page = await context.newPage();
});
afterAll(async () => context?.close());

/** Who the database holds for a state, by the test's own SQL (not the server's): ids, sorted. */
async function idsFromDb(state: 'due' | 'certified' | 'under_review', extra: { method?: string; community?: number } = {}): Promise<number[]> {
  const onRolls = `FROM retirees r JOIN communities c ON c.id = r.community_id JOIN regions g ON g.id = c.region_id
    WHERE g.code = '110199' AND r.enrolment NOT IN ('deceased', 'moved', 'stopped') AND r.enrolled_on <= '${period.deadline}'`;
  const approved = `SELECT retiree_id FROM certifications WHERE period_id = ${period.id} AND status = 'approved'`;
  const pending = `SELECT retiree_id FROM certifications WHERE period_id = ${period.id} AND status = 'pending_review'`;
  const verifying = `SELECT retiree_id FROM attempts WHERE outcome = 'verifying' AND certified_on >= '${period.start}'`;
  const where = {
    due: `r.id NOT IN (${approved}) AND r.id NOT IN (${pending}) AND r.id NOT IN (${verifying})`,
    certified: `r.id IN (${approved}${extra.method ? ` AND method = '${extra.method}'` : ''})`,
    under_review: `r.id NOT IN (${approved}) AND r.id IN (${pending})`,
  }[state];
  const rows = await env.db.all<{ id: number }>(`SELECT r.id ${onRolls} AND ${where} ${extra.community ? `AND r.community_id = ${extra.community}` : ''} ORDER BY r.id`);
  return rows.map((x) => x.id);
}

/** Every retiree the list shows, page after page (following its "next page" link). */
async function listedIds(): Promise<number[]> {
  const ids: number[] = [];
  for (;;) {
    await expect.poll(() => page.getByTestId('retirees-total').getAttribute('data-value')).not.toBe('');
    const rows = page.getByTestId('retiree-row');
    await expect.poll(async () => (await rows.count()) > 0 || (await page.getByTestId('retirees-empty').count()) > 0).toBe(true);
    for (const id of await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-retiree'))))) ids.push(id);
    const next = page.getByTestId('retirees-next');
    if (!(await next.count())) return ids.sort((a, b) => a - b);
    const before = await page.getByTestId('retirees-page').textContent();
    await next.click();
    await expect.poll(() => page.getByTestId('retirees-page').textContent()).not.toBe(before);
  }
}

const total = async () => Number(await page.getByTestId('retirees-total').getAttribute('data-value'));
const hash = () => page.evaluate(() => location.hash);

describe('the Retirees list', () => {
  it('a number on the overview opens the list of exactly the retirees the database holds for it', async () => {
    await signInAtDesk(page, env.server.url);
    const due = await idsFromDb('due');
    expect(due.length).toBeGreaterThan(50); // more than one page
    expect(Number(await page.getByTestId('office-count-due').getAttribute('data-value'))).toBe(due.length);
    await page.getByTestId('office-link-due').click();
    await expect.poll(hash).toBe('#/retirees?status=due');
    await expect.poll(total).toBe(due.length);
    expect(await page.locator('[data-testid="retiree-row"]:not([data-status="due"])').count()).toBe(0);
    expect(await listedIds()).toEqual(due);

    // A method tile: certified by family.
    await page.getByTestId('office-nav-overview').click();
    await page.getByTestId('office-link-method-family').click();
    await expect.poll(hash).toBe('#/retirees?status=certified&method=family');
    expect(await listedIds()).toEqual(await idsFromDb('certified', { method: 'family' }));

    // A number in the per-community table: 和平社区's certified, then its under review.
    await page.getByTestId('office-nav-overview').click();
    const row = page.locator(`[data-testid="community-row"][data-community="${fx.communityId}"]`);
    await row.locator('td[data-column="certifiedTotal"] a').click();
    await expect.poll(hash).toBe(`#/retirees?status=certified&community=${fx.communityId}`);
    expect(await listedIds()).toEqual(await idsFromDb('certified', { community: fx.communityId }));
    await page.goBack();
    await row.locator('td[data-column="underReview"] a').click();
    await expect.poll(hash).toBe(`#/retirees?status=under_review&community=${fx.communityId}`);
    expect(await listedIds()).toEqual(await idsFromDb('under_review', { community: fx.communityId }));
  });

  it('filters, searches, sorts and pages, all in the URL; a name opens the retiree’s page', async () => {
    await page.getByTestId('office-nav-retirees').click();
    await expect.poll(hash).toBe('#/retirees');
    const everyone = (await env.db.get<{ n: number }>(
      "SELECT count(*) AS n FROM retirees r JOIN communities c ON c.id = r.community_id WHERE c.region_id = (SELECT id FROM regions WHERE code = '110199') AND r.enrolment = 'active'",
    ))!.n;
    await expect.poll(total).toBe(everyone);
    // ID numbers are masked in the list.
    const idCell = await page.getByTestId('retiree-row').first().locator('td').first().textContent();
    expect(idCell).toMatch(/^\d{4}\*{10}[\dX]{4}$/);

    // Typing a name: the URL follows without a history entry per letter.
    const historyBefore = await page.evaluate(() => history.length);
    const target = fx.retirees[40]!;
    await page.getByTestId('retirees-search').pressSequentially(target.name, { delay: 60 });
    await expect.poll(hash).toBe(`#/retirees?q=${encodeURIComponent(target.name)}`);
    expect(await page.evaluate(() => history.length)).toBe(historyBefore);
    await expect.poll(async () => (await listedIds()).includes(target.id)).toBe(true);
    const names = await page.getByTestId('retiree-row').locator('th a').allTextContents();
    expect(names.every((n) => n.includes(target.name))).toBe(true);

    // The last four digits of an ID number.
    await page.getByTestId('retirees-search').fill(target.idNumber.slice(-4));
    await expect.poll(hash).toBe(`#/retirees?q=${target.idNumber.slice(-4)}`);
    await expect.poll(async () => (await listedIds()).includes(target.id)).toBe(true);
    await page.getByTestId('retirees-search').fill('');
    await expect.poll(hash).toBe('#/retirees');

    // Community and category, each a history entry (Back undoes one).
    await page.getByTestId('retirees-community').selectOption(String(fx.communityId));
    await expect.poll(hash).toBe(`#/retirees?community=${fx.communityId}`);
    await expect.poll(total).toBe(ON_ROLLS);
    await page.getByTestId('retirees-category').selectOption('urban_rural_resident');
    await expect.poll(total).toBe(3);
    expect(await listedIds()).toEqual([fx.retirees[30]!.id, fx.retirees[31]!.id, fx.retirees[32]!.id].sort((a, b) => a - b));
    await page.goBack();
    await expect.poll(hash).toBe(`#/retirees?community=${fx.communityId}`);
    await expect.poll(total).toBe(ON_ROLLS);

    // Sorted by name the other way, then the second page: in the URL, and a reload keeps it.
    await page.getByTestId('retirees-sort-name').click();
    await expect.poll(hash).toBe(`#/retirees?community=${fx.communityId}&dir=desc`);
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('姓名');
    // The ascending page also has 50 rows: wait for the rows themselves to come back the other way.
    const shownDescending = async () => {
      const shown = await page.getByTestId('retiree-row').locator('th a').allTextContents();
      return shown.length === 50 && shown.join() === [...shown].sort().reverse().join();
    };
    await expect.poll(shownDescending).toBe(true);
    await page.getByTestId('retirees-next').click();
    await expect.poll(hash).toBe(`#/retirees?community=${fx.communityId}&dir=desc&page=2`);
    await expect.poll(() => page.getByTestId('retiree-row').count()).toBe(ON_ROLLS - 50);
    await page.reload();
    await expect.poll(() => page.getByTestId('retiree-row').count()).toBe(ON_ROLLS - 50);
    expect(await page.getByTestId('retirees-page').textContent()).toContain('第 2 / 2 页');

    // "No reference photo" (10 of them have one) starts again at the first page.
    await page.getByTestId('retirees-no-reference').check();
    await expect.poll(hash).toBe(`#/retirees?community=${fx.communityId}&noReference=1&dir=desc`);
    await expect.poll(total).toBe(ON_ROLLS - 10);
    const withPhoto = new Set(fx.retirees.slice(0, 10).map((x) => x.id));
    expect((await listedIds()).some((id) => withPhoto.has(id))).toBe(false);
    // "Never signed in": the fixture's retirees have no PIN; the demo's 张桂兰 has one.
    await page.getByTestId('retirees-clear').click();
    await expect.poll(hash).toBe('#/retirees?dir=desc');
    await page.getByTestId('retirees-never-signed-in').check();
    const open = (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
    const never = await listedIds();
    expect(never).not.toContain(open);
    expect(never).toContain(fx.retirees[0]!.id);

    // An empty result says so in words.
    await page.getByTestId('retirees-search').fill('没有这个人');
    await expect.poll(() => page.getByTestId('retirees-empty').textContent()).toContain('没有符合条件的老人。');

    // The list as a clerk sees it (axe finds nothing), then a name opens the retiree's page.
    await page.goto(`${env.server.url}/#/retirees?community=${fx.communityId}`);
    await expect.poll(() => page.getByTestId('retiree-row').count()).toBe(50);
    await expect.poll(() => page.getByTestId('retirees-search').inputValue()).toBe('');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await expectNoAxeViolations(page);
    await page.screenshot({ path: 'docs/screens/office-retirees.png', fullPage: true });
    const first = page.getByTestId('retiree-row').first();
    const id = await first.getAttribute('data-retiree');
    await first.locator('th a').click();
    await expect.poll(hash).toBe(`#/retirees/${id}`);
    await expect.poll(() => page.getByTestId('office-retiree').count()).toBe(1);
  });

  it('the overview counts open home-visit requests, and that number opens the list of who asked (decision 089)', async () => {
    // Two of 和平社区's retirees asked their worker to come (open); a third asked and was answered.
    const [a, b, c] = fx.retirees.slice(40, 43).map((x) => x.id);
    const user = (await env.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [fx.username]))!.id;
    const at = Date.now();
    for (const [i, id] of [a, b, c].entries()) {
      await env.db.run(
        `INSERT INTO visit_requests (id, user_id, device_id, seq, retiree_id, action, state, answer, device_time, received_at, closed_at, closed_by, closed_ref)
         VALUES (?, ?, 'e2e-visit-requests', ?, ?, 'request', ?, '{"kind":"visit_requested"}', ?, ?, ?, ?, ?)`,
        [`e2e-request-${i}`, user, i + 1, id!, id === c ? 'closed' : 'open', at, at, id === c ? at : null, id === c ? 'visit' : null, id === c ? 'e2e' : null],
      );
    }
    await page.getByTestId('office-nav-overview').click();
    await expect.poll(() => page.getByTestId('office-link-visitRequests').textContent()).toBe('2');
    await page.getByTestId('office-link-visitRequests').click();
    await expect.poll(hash).toBe('#/retirees?visitRequest=1');
    await expect.poll(total).toBe(2);
    expect(await listedIds()).toEqual([a!, b!].sort((x, y) => x - y));
    expect(await page.getByTestId('retirees-visit-request').isChecked()).toBe(true);
  });
});

describe('Lists and exports', () => {
  /** Each retiree of the not-yet-certified list as the database holds them: the due, with community, name and phone. */
  async function notCertifiedFromDb() {
    const due = await idsFromDb('due');
    return env.db.all<{ community: string; name: string; phone: string | null; address: string }>(
      `SELECT c.name AS community, r.name, r.phone, r.address FROM retirees r JOIN communities c ON c.id = r.community_id
        WHERE r.id IN (SELECT value FROM json_each(?)) ORDER BY c.name, r.name, r.id`,
      [JSON.stringify(due)],
    );
  }

  it('counts each list as the database does, and downloads the not-yet-certified list as CSV and XLSX with the expected rows, audited', async () => {
    await page.getByTestId('office-nav-lists').click();
    await expect.poll(hash).toBe('#/lists');
    const expected = await notCertifiedFromDb();
    await expect.poll(() => page.getByTestId('list-not_certified').getAttribute('data-count')).toBe(String(expected.length));
    expect(await page.getByTestId('list-to_be_suspended').getAttribute('data-count')).toBe(String(expected.length));
    expect(await page.getByTestId('list-certified').getAttribute('data-count')).toBe(String((await idsFromDb('certified')).length));
    expect(await page.getByTestId('list-suspended').getAttribute('data-count')).toBe('0');
    await expectNoAxeViolations(page);
    await page.screenshot({ path: 'docs/screens/office-lists.png', fullPage: true });

    // CSV: a plain link the browser saves with the session cookie.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-not_certified-csv').click()]);
    expect(csv.suggestedFilename()).toBe(`未认证名单-演示区-${today()}.csv`);
    const bytes = readFileSync((await csv.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.toString('utf8'), { bom: true, trim: true }) as string[][];
    expect(rows[0]).toEqual(['社区', '姓名', '身份证号', '年龄', '电话', '地址', '状态', '上次认证日期']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[4], r[5]])).toEqual(expected.map((e) => [e.community, e.name, e.phone ?? '', e.address]));
    expect(rows.slice(1).every((r) => r[6] === '待认证' && /^\d{4}\*{10}[\dX]{4}$/.test(r[2]!))).toBe(true);

    // XLSX: the same rows.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-not_certified-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toBe(`未认证名单-演示区-${today()}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await xlsx.path())!);
    const sheet = book.worksheets[0]!;
    const cells: string[][] = [];
    // (An empty cell is a hole in exceljs's row.)
    sheet.eachRow((row) => cells.push(Array.from({ length: rows[0]!.length }, (_, i) => (row.values as unknown[])[i + 1]).map((v) => (v === undefined || v === null ? '' : String(v)))));
    expect(cells[0]).toEqual(rows[0]);
    expect(cells.slice(1).map((r) => [r[0], r[1], r[4], r[5]])).toEqual(expected.map((e) => [e.community, e.name, e.phone ?? '', e.address]));

    // Both downloads are in the audit log: who, which list, how many rows.
    const clerk = (await env.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.admin.username]))!.id;
    const audit = await env.db.all<{ user_id: number; subject: string; details: string }>("SELECT user_id, subject, details FROM audit_log WHERE event = 'list_exported' ORDER BY id");
    expect(audit.map((a) => [a.user_id, a.subject, JSON.parse(a.details)])).toEqual([
      [clerk, 'region:110199', { list: 'not_certified', format: 'csv', rows: expected.length }],
      [clerk, 'region:110199', { list: 'not_certified', format: 'xlsx', rows: expected.length }],
    ]);

    // One community's list: chosen on the screen, in the URL and in the file.
    await page.getByTestId('lists-community').selectOption(String(fx.communityId));
    await expect.poll(hash).toBe(`#/lists?community=${fx.communityId}`);
    const heping = expected.filter((e) => e.community === '和平社区');
    await expect.poll(() => page.getByTestId('list-not_certified').getAttribute('data-count')).toBe(String(heping.length));
    const [one] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-not_certified-csv').click()]);
    const oneRows = parse(readFileSync((await one.path())!).toString('utf8'), { bom: true, trim: true }) as string[][];
    expect(oneRows.slice(1).map((r) => r[1])).toEqual(heping.map((e) => e.name));
  });

  it('is in English from the catalog, the files too', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByTestId('office-nav-lists').textContent()).toBe('Lists');
    expect(await page.locator('h1').textContent()).toBe('Lists and exports');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-certified-csv').click()]);
    expect(csv.suggestedFilename()).toMatch(/^Certified this period-演示区-和平社区-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parse(readFileSync((await csv.path())!).toString('utf8'), { bom: true, trim: true }) as string[][];
    expect(rows[0]).toEqual(['Community', 'Name', 'ID number', 'Pension category', 'Method', 'Certified on']);
    expect(rows.length - 1).toBe(20);
    await page.getByTestId('office-nav-retirees').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Retirees');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: '中文' }).click();
  });
});
