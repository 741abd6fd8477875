// The office console (issue 16) in real Chromium against the real server and its SQLite file: the
// demo clerk signs in at a desk, the overview's numbers are what the database holds for the demo
// region, the review queue shows a community worker's home-visit attestation with its photo and a
// worker's check that fell short of the evidence; the clerk approves the first (the retiree is then
// certified) and rejects the second with a reason, with the keyboard shortcuts; both decisions are
// in the audit log. axe-core finds nothing on either screen; the console fits a tablet; screenshots
// go to docs/screens/office-*.png (synthetic pictures only: support/office.ts).
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { apiSession, pushAttestation, pushThinCheck } from '../scripts/harness/office.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { DESK, expectNoAxeViolations, signInAtDesk } from '../scripts/harness/office-desk.ts';

const env = useServerAndBrowser();

let context: BrowserContext;
let page: Page;
const ids = {} as { seeded: string; attestation: string; attempt: string; attested: number; checked: number };

const retireeIdOf = async (idNumber: string) => (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;

beforeAll(async () => {
  // What the phones would have sent: worker.demo attests 王秀英 (bedridden), and sends a check of
  // 张桂兰 that says "passed" with a single key frame.
  const worker = await apiSession(env.server.url, DEMO.worker, 'e2e-office-worker-phone');
  ids.attested = await retireeIdOf(DEMO.retireeNew.idNumber);
  ids.checked = await retireeIdOf(DEMO.retireeOpen.idNumber);
  const attestation = await pushAttestation(worker, DEMO.worker.password, ids.attested, 1, '老人卧床三年，由女儿陪同，已核对身份证。');
  expect(attestation.answer.results[0]).toMatchObject({ status: 'accepted' });
  ids.attestation = attestation.id;
  const check = await pushThinCheck(worker, ids.checked, 2);
  expect(check.answer.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'review', reviewReason: 'evidence_missing' } });
  ids.attempt = check.id;
  // The demo itself brings one report: the worker's attestation for bedridden 赵德明, three days old.
  ids.seeded = (await env.db.get<{ id: string }>('SELECT o.id FROM visit_outcomes o JOIN retirees r ON r.id = o.retiree_id WHERE r.id_number = ?', [DEMO.retireeReview.idNumber]))!.id;
  context = await env.browser.newContext(DESK);
  page = await context.newPage();
});
afterAll(async () => context?.close());



/** The demo region's numbers, straight from the tables (the test's own SQL, not the server's). */
async function regionFromDb() {
  const region = (await env.db.get<{ id: number }>("SELECT id FROM regions WHERE code = '110199'"))!.id;
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10); // Asia/Shanghai
  const period = (await env.db.get<{ id: number; deadline: string }>(
    'SELECT id, deadline FROM certification_periods WHERE region_id = ? AND min(self_start, onsite_start) <= ? ORDER BY self_start DESC LIMIT 1',
    [region, today],
  ))!;
  expect(today <= period.deadline, 'the demo window is open today').toBe(true);
  const onRolls = `FROM retirees r JOIN communities c ON c.id = r.community_id WHERE c.region_id = ${region} AND r.enrolment NOT IN ('deceased', 'moved', 'stopped')`;
  const n = async (sql: string, params: (string | number)[] = []) => (await env.db.get<{ n: number }>(sql, params))!.n;
  const retirees = await n(`SELECT count(*) AS n ${onRolls}`);
  const byMethod = Object.fromEntries(
    (await env.db.all<{ method: string; n: number }>(`SELECT ce.method, count(*) AS n FROM certifications ce WHERE ce.period_id = ? AND ce.status = 'approved' AND ce.retiree_id IN (SELECT r.id ${onRolls}) GROUP BY ce.method`, [period.id])).map((r) => [r.method, r.n]),
  ) as Record<string, number>;
  const certified = Object.values(byMethod).reduce((s, x) => s + x, 0);
  const underReview = await n(
    `SELECT count(DISTINCT ce.retiree_id) AS n FROM certifications ce WHERE ce.period_id = ? AND ce.status = 'pending_review' AND ce.retiree_id IN (SELECT r.id ${onRolls})
        AND ce.retiree_id NOT IN (SELECT retiree_id FROM certifications WHERE period_id = ? AND status = 'approved')`,
    [period.id, period.id],
  );
  const verifying = await n(`SELECT count(DISTINCT a.retiree_id) AS n FROM attempts a WHERE a.outcome = 'verifying' AND a.retiree_id IN (SELECT r.id ${onRolls})`);
  const queue =
    (await n(`SELECT count(*) AS n FROM visit_outcomes o WHERE o.review = 'pending' AND o.retiree_id IN (SELECT r.id ${onRolls})`)) +
    (await n(`SELECT count(*) AS n FROM attempts a WHERE a.outcome = 'review' AND a.decision IS NULL AND a.retiree_id IN (SELECT r.id ${onRolls})`));
  return { retirees, byMethod, certified, underReview, verifying, due: retirees - certified - underReview - verifying, queue };
}

const tile = async (id: string) => Number(await page.getByTestId(`office-count-${id}`).getAttribute('data-value'));


describe('the office console', () => {
  it('overview: the numbers are what the database holds for the region, with the period, the chart and the table; no axe violations', async () => {
    await signInAtDesk(page, env.server.url);
    expect(await page.getByTestId('office-region').textContent()).toContain('演示区');
    await expect.poll(() => page.getByTestId('office-count-expected').count()).toBe(1);

    const db = await regionFromDb();
    expect(db.queue).toBe(3); // the seed's report and the two above
    expect(await tile('expected')).toBe(db.retirees);
    expect(await tile('certified')).toBe(db.certified);
    expect(await tile('underReview')).toBe(db.underReview);
    expect(await tile('verifying')).toBe(db.verifying);
    expect(await tile('due')).toBe(db.due);
    expect(await tile('overdue')).toBe(0);
    expect(await tile('suspended')).toBe(0);
    for (const m of ['self', 'family', 'worker', 'home_visit', 'on_site']) expect(await tile(`method-${m}`), m).toBe(db.byMethod[m] ?? 0);
    expect(Number(await page.getByTestId('office-count-queue').getAttribute('data-value'))).toBe(db.queue);
    // What the clerk reads, not only the attributes.
    expect(await page.getByTestId('office-count-certified').textContent()).toContain(`已认证${db.certified}`);
    expect(await page.getByTestId('office-phase').textContent()).toMatch(/认证进行中/);
    const deadline = (await env.db.get<{ deadline: string }>("SELECT p.deadline FROM certification_periods p JOIN regions g ON g.id = p.region_id WHERE g.code = '110199' ORDER BY p.self_start DESC LIMIT 1"))!.deadline;
    const [y, m, d] = deadline.split('-').map(Number);
    expect(await page.getByTestId('office-deadline').textContent()).toBe(`${y}年${m}月${d}日`);
    // Only the demo region: the county's village is another office's.
    expect(await page.locator('body').textContent()).not.toContain('东村');

    // The community table holds the same numbers, and sorts.
    const rows = page.getByTestId('community-row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td[data-column="retirees"]').textContent()).toBe(String(db.retirees));
    expect(await rows.first().locator('td[data-column="certifiedTotal"]').textContent()).toBe(String(db.certified));
    expect(await rows.first().locator('td[data-column="queue"]').textContent()).toBe(String(db.queue));
    // At a desk the whole table is in view; narrower, it scrolls in its own box.
    expect(await page.locator('.o-table-wrap').evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    await page.getByTestId('sort-due').click();
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('待认证');

    // The chart is drawn by the library, from the same numbers.
    // Two plots: the running total against the number to certify, and the certifications per day.
    await expect.poll(() => page.locator('.o-chart-canvas[data-ready="true"] canvas').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('office-chart-summary').textContent()).toContain(`已认证 ${db.certified} 人，本期应认证 ${db.retirees} 人`);

    await expectNoAxeViolations(page);
    await page.screenshot({ path: 'docs/screens/office-overview.png', fullPage: true });

    // Usable on a tablet held upright: nothing but the table's own box scrolls sideways.
    await page.setViewportSize({ width: 768, height: 1024 });
    // The chart redraws at the new width on its ResizeObserver, a frame or more after the resize.
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), { timeout: 10_000 }).toBeLessThanOrEqual(0);
    await page.setViewportSize(DESK.viewport);
  });

  it('review queue: the attestation with its photo is approved and certifies the retiree; the thin check is rejected with a reason; both audited', async () => {
    await page.getByTestId('office-nav-queue').click();
    const items = page.getByTestId('queue-item');
    await expect.poll(() => items.count()).toBe(3);
    // Oldest first: the seed's attestation, then this test's attestation, then the check.
    expect(await items.nth(0).getAttribute('data-queue-id')).toBe(ids.seeded);
    expect(await items.nth(1).getAttribute('data-queue-id')).toBe(ids.attestation);
    expect(await items.nth(2).getAttribute('data-queue-id')).toBe(ids.attempt);
    expect(await items.nth(1).textContent()).toContain('上门证明');
    // ID numbers are masked in the list.
    expect(await items.nth(1).textContent()).toContain(`${DEMO.retireeNew.idNumber.slice(0, 4)}**********${DEMO.retireeNew.idNumber.slice(14)}`);

    const detail = page.getByTestId('review-detail');
    await expect.poll(() => detail.getAttribute('data-id')).toBe(ids.seeded);
    // J goes to the next item, K back.
    await page.keyboard.press('j');
    await expect.poll(() => detail.getAttribute('data-id')).toBe(ids.attestation);
    await page.keyboard.press('j');
    await expect.poll(() => detail.getAttribute('data-id')).toBe(ids.attempt);
    await page.keyboard.press('k');
    await expect.poll(() => detail.getAttribute('data-id')).toBe(ids.attestation);

    // The evidence: the visit photo (really loaded), the note, the location, the signature, in words.
    const photo = page.getByTestId('review-visit-photo').locator('img');
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);
    expect(await page.getByTestId('review-note').textContent()).toBe('老人卧床三年，由女儿陪同，已核对身份证。');
    expect(await page.getByTestId('review-location').textContent()).toContain('纬度 39.90421');
    expect(await page.getByTestId('review-signature').textContent()).toBe('已核对无误');
    expect(await page.getByTestId('review-reason').textContent()).toContain('老人无法做人脸认证');
    expect(await page.getByTestId('review-references').textContent()).toContain('还没有参考照片');

    await expectNoAxeViolations(page);
    await page.screenshot({ path: 'docs/screens/office-review.png', fullPage: true });

    // A approves; the next item opens.
    await page.keyboard.press('a');
    await expect.poll(() => detail.getAttribute('data-id')).toBe(ids.attempt);
    expect(await page.getByTestId('queue-announcement').textContent()).toBe(`已批准：${DEMO.retireeNew.name}。`);
    expect(await env.db.get('SELECT review, decided_by IS NOT NULL AS decided FROM visit_outcomes WHERE id = ?', [ids.attestation])).toEqual({ review: 'approved', decided: 1 });
    expect(await env.db.all("SELECT status, method FROM certifications WHERE evidence_ref = ?", [ids.attestation])).toEqual([{ status: 'approved', method: 'home_visit' }]);
    // …and the retiree is certified, as the server's own status says.
    const clerk = await apiSession(env.server.url, DEMO.admin, 'e2e-office-desk');
    const status = await clerk.json<{ status: { state: string; method: string } }>(`/api/retirees/${ids.attested}/status`);
    expect(status.body.status).toMatchObject({ state: 'certified', method: 'home_visit' });

    // The check: the reason in plain words and its key frame.
    expect(await page.getByTestId('review-reason').textContent()).toContain('证据不足：少于两张不同的关键画面');
    const frame = page.getByTestId('review-keyframes').locator('img');
    await expect.poll(() => frame.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);
    expect(await page.getByTestId('review-distance').textContent()).toContain('没有比对');
    // R with no reason asks for one and rejects nothing.
    await page.keyboard.press('r');
    await expect.poll(() => page.getByTestId('review-refusal').textContent()).toBe('请先写明驳回原因。');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('reject-reason');
    expect(await env.db.get('SELECT decision FROM attempts WHERE id = ?', [ids.attempt])).toEqual({ decision: null });
    await page.getByTestId('reject-reason').fill('只有一张画面，请社区上门复核');
    await page.getByTestId('reject').click();
    // Only the seed's report is left.
    await expect.poll(() => items.count()).toBe(1);
    expect(await items.nth(0).getAttribute('data-queue-id')).toBe(ids.seeded);
    expect(await env.db.get('SELECT decision, decision_reason FROM attempts WHERE id = ?', [ids.attempt])).toEqual({ decision: 'rejected', decision_reason: '只有一张画面，请社区上门复核' });
    const checked = await clerk.json<{ status: { state: string } }>(`/api/retirees/${ids.checked}/status`);
    expect(checked.body.status.state).toBe('open');

    // Every decision is in the audit log, by the clerk, about the retiree.
    const admin = (await env.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.admin.username]))!.id;
    const audit = await env.db.all<{ event: string; user_id: number; subject: string; details: string }>("SELECT event, user_id, subject, details FROM audit_log WHERE event IN ('review_approved', 'review_rejected') ORDER BY id");
    expect(audit.map((a) => [a.event, a.user_id, a.subject])).toEqual([
      ['review_approved', admin, `retiree:${ids.attested}`],
      ['review_rejected', admin, `retiree:${ids.checked}`],
    ]);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ report: ids.attestation, kind: 'cannot_check' });
    expect(JSON.parse(audit[1]!.details)).toMatchObject({ attempt: ids.attempt, reason: 'evidence_missing', why: '只有一张画面，请社区上门复核' });

    // Back on the overview: one more certified by home visit, only the seed's report waiting.
    await page.getByTestId('office-nav-overview').click();
    const db = await regionFromDb();
    await expect.poll(() => tile('method-home_visit')).toBe(db.byMethod.home_visit);
    expect(db.byMethod.home_visit).toBe(1);
    expect(await tile('certified')).toBe(db.certified);
    expect(Number(await page.getByTestId('office-count-queue').getAttribute('data-value'))).toBe(1);
  });

  it('says so when the server refuses: an item decided meanwhile elsewhere, and a report the clerk recorded', async () => {
    const worker = await apiSession(env.server.url, DEMO.worker, 'e2e-office-worker-phone');
    const first = await pushAttestation(worker, DEMO.worker.password, ids.checked, 3, '第二次上门');
    const second = await pushAttestation(worker, DEMO.worker.password, ids.checked, 4, '第三次上门');
    await page.reload();
    await page.getByTestId('office-nav-queue').click();
    const detail = page.getByTestId('review-detail');
    await page.locator(`[data-queue-id="${first.id}"]`).click();
    await expect.poll(() => detail.getAttribute('data-id')).toBe(first.id);

    // Another clerk's decision reaches the server first: this one is refused, in words.
    const colleague = await apiSession(env.server.url, DEMO.admin, 'e2e-office-desk-2');
    expect((await colleague.json(`/api/reviews/${first.id}/decision`, { json: { decision: 'reject', reason: '已电话核实' } })).status).toBe(200);
    await page.getByTestId('approve').click();
    await expect.poll(() => page.getByTestId('review-refusal').textContent()).toContain('这一项现在不能这样处理');
    expect(await env.db.get('SELECT review, decision_reason FROM visit_outcomes WHERE id = ?', [first.id])).toEqual({ review: 'rejected', decision_reason: '已电话核实' });

    // The worker who recorded the other report becomes an office clerk: the console says they may not
    // decide on it, and the server refuses if they try anyway.
    await env.db.run("UPDATE users SET role = 'admin', region_id = (SELECT id FROM regions WHERE code = '110199') WHERE username = ?", [DEMO.worker.username]);
    const own = await env.browser.newContext(DESK);
    const ownPage = await own.newPage();
    await ownPage.goto(env.server.url);
    await ownPage.getByRole('button', { name: /社区工作人员、家属/ }).click();
    await ownPage.getByLabel('用户名').fill(DEMO.worker.username);
    await ownPage.getByLabel('密码', { exact: true }).fill(DEMO.worker.password);
    await ownPage.getByRole('button', { name: '登录', exact: true }).click();
    await ownPage.getByTestId('office-nav-queue').click();
    await ownPage.locator(`[data-queue-id="${second.id}"]`).click();
    await expect.poll(() => ownPage.getByTestId('review-detail').getAttribute('data-id')).toBe(second.id);
    expect(await ownPage.getByTestId('review-own').textContent()).toBe('这是您自己记录的，不能由您审核。请交给另一位经办人员。');
    expect(await ownPage.getByTestId('approve').isDisabled()).toBe(true);
    expect(await ownPage.getByTestId('reject').isDisabled()).toBe(true);
    const promoted = await apiSession(env.server.url, DEMO.worker, 'e2e-office-desk-3');
    expect((await promoted.json(`/api/reviews/${second.id}/decision`, { json: { decision: 'approve' } })).status).toBe(403);
    expect(await env.db.get('SELECT review FROM visit_outcomes WHERE id = ?', [second.id])).toEqual({ review: 'pending' });
    await own.close();
  });

  it('is in English from the catalog, and signs out', async () => {
    await page.getByTestId('office-nav-overview').click();
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByTestId('office-nav-queue').textContent()).toBe('Review queue');
    expect(await page.locator('h1').first().textContent()).toMatch(/certification overview$/);
    await page.getByTestId('sign-out').click();
    await expect.poll(() => page.getByTestId('office-app').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.dataset.console)).toBeUndefined();
  });
});
