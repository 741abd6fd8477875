// The office's People and Audit log screens (issue 16, decision 059) in real Chromium against the
// real server and its SQLite file: the demo clerk creates a community worker (the first password is
// shown once), assigns the demo community, and the new worker — signed in through the API as the
// phone would — has that community's retirees on the roster; the clerk disables the worker and the
// worker's next request is refused; ends the demo family member's link, and the family member can no
// longer open that retiree; the audit log filtered by the worker shows exactly what was done to and
// by them. axe-core finds nothing on either screen; screenshots docs/screens/office-people.png and
// office-audit.png (demo data only).
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { apiSession, type ApiSession } from '../scripts/harness/office.ts';
import { DESK, expectNoAxeViolations, signInAtDesk } from '../scripts/harness/office-desk.ts';

const env = useServerAndBrowser();
const NEW_WORKER = { username: 'chen.jing', displayName: '陈静', phone: '139 1000 2026' };

let context: BrowserContext;
let page: Page;
let worker: ApiSession;
let workerId: number;

beforeAll(async () => {
  context = await env.browser.newContext(DESK);
  page = await context.newPage();
});
afterAll(async () => context?.close());

describe('People and the audit log', () => {
  it('the clerk signs in and opens People', async () => {
    await signInAtDesk(page, env.server.url);
    await page.getByTestId('office-nav-people').click();
    await expect.poll(() => page.getByTestId(`person-${DEMO.worker.username}`).count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('people-count').textContent()).toBe('共 3 个账号');
  });

  it('creates a worker, whose first password is shown once', async () => {
    await page.getByTestId('new-account').click();
    const form = page.getByTestId('new-account-form');
    await form.getByLabel('用户名（字母、数字、点）').fill(NEW_WORKER.username);
    await form.getByLabel('姓名').fill(NEW_WORKER.displayName);
    await form.getByLabel('电话（可不填）').fill(NEW_WORKER.phone);
    await page.getByTestId('create-account').click();
    await expect.poll(() => page.getByTestId('password-value').count(), { timeout: 15_000 }).toBe(1);
    const password = (await page.getByTestId('password-value').textContent())!.trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await expect.poll(() => page.getByTestId(`person-${NEW_WORKER.username}`).count()).toBe(1);
    workerId = (await env.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [NEW_WORKER.username]))!.id;
    // Closing the notice forgets the password: it is never shown again.
    await page.getByRole('button', { name: '我已记下，关闭' }).click();
    expect(await page.getByTestId('password-once').count()).toBe(0);
    worker = await apiSession(env.server.url, { username: NEW_WORKER.username, password }, 'e2e-people-new-worker');
    expect((await worker.json<{ total: number }>('/api/roster')).body.total).toBe(0);
  });

  it('assigns the community, and the worker sees its retirees on the roster', async () => {
    await page.getByTestId(`manage-${NEW_WORKER.username}`).click();
    const panel = page.getByTestId('account-panel');
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toBe(`管理 ${NEW_WORKER.displayName}`);
    await panel.getByTestId('assign').click();
    await expect.poll(() => panel.getByTestId('panel-said').textContent()).toBe(`${NEW_WORKER.displayName} 现在负责 幸福里社区。`);
    expect(await page.getByTestId(`person-${NEW_WORKER.username}`).textContent()).toContain('幸福里社区');
    const roster = await worker.json<{ total: number; retirees: { name: string }[] }>('/api/roster');
    const expected = (await env.db.all<{ name: string }>("SELECT r.name FROM retirees r JOIN communities c ON c.id = r.community_id WHERE c.name = '幸福里社区' AND r.enrolment NOT IN ('deceased', 'moved', 'stopped')")).map((r) => r.name);
    expect(roster.body.total).toBe(expected.length);
    expect(roster.body.retirees.map((r) => r.name).sort()).toEqual(expected.sort());
  });

  it("disables the worker after an inline confirmation, and the worker's next request is refused", async () => {
    const panel = page.getByTestId('account-panel');
    await panel.getByTestId('disable').click();
    expect(await panel.getByRole('group').textContent()).toContain('会立即被退出所有设备');
    await panel.getByTestId('confirm-yes').click();
    await expect.poll(() => page.getByTestId(`person-${NEW_WORKER.username}`).getByTestId('person-state').textContent()).toBe('已停用');
    expect(await panel.getByTestId('panel-said').textContent()).toBe(`${NEW_WORKER.displayName} 已停用，所有登录已结束。`);
    expect((await worker.json('/api/roster')).status).toBe(401);
  });

  it("ends the demo family member's link, and their access ends", async () => {
    const family = await apiSession(env.server.url, DEMO.family, 'e2e-people-family');
    const open = (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
    expect((await family.json(`/api/retirees/${open}`)).status).toBe(200);
    const links = page.getByTestId('family-links');
    const row = links.getByTestId(`link-${DEMO.family.username}-${open}`);
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('1101**********0021');
    expect(await row.textContent()).toContain('女儿'); // the relation in the reader's language, not its code
    expect(await row.textContent()).not.toContain('daughter');
    await row.getByTestId('end-link').click();
    await row.getByTestId('confirm-end-link').click();
    await expect.poll(() => links.getByTestId('links-said').textContent()).toBe(`已结束 张小红 与 ${DEMO.retireeOpen.name} 的关联。`);
    expect(await links.textContent()).toContain('没有家属关联。');
    expect((await family.json(`/api/retirees/${open}`)).status).toBe(404);
  });

  it('People passes axe, and its screenshot is taken', async () => {
    await expectNoAxeViolations(page);
    await page.screenshot({ path: 'docs/screens/office-people.png', fullPage: true });
  });

  it('the audit log filtered by the worker shows exactly what was done to and by them', async () => {
    await page.getByRole('link', { name: `操作日志：${NEW_WORKER.displayName}` }).click();
    await expect.poll(() => page.url()).toContain(`#/audit?user=${workerId}`);
    await expect.poll(() => page.getByTestId('audit-row').count(), { timeout: 15_000 }).toBe(4);
    const events = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event')));
    // The worker signed in (through the API) right after being created, before the assignment.
    expect(events).toEqual(['user_disabled', 'worker_assigned', 'sign_in', 'user_created']);
    const texts = await page.getByTestId('audit-row').allTextContents();
    expect(texts[0]).toContain('停用账号');
    expect(texts[0]).toContain('周强');
    expect(texts[1]).toContain('分配社区');
    expect(await page.getByTestId('audit-for-user').textContent()).toBe(`人员：${NEW_WORKER.displayName}（${NEW_WORKER.username}）`);
    // What the database holds for that account, both ways, is what the screen shows.
    const db = await env.db.all<{ event: string }>('SELECT event FROM audit_log WHERE user_id = ? OR subject_user_id = ? ORDER BY at DESC, id DESC', [workerId, workerId]);
    expect(db.map((r) => r.event)).toEqual(events);
    // Details in words, pretty-printed.
    await page.getByTestId('audit-row').nth(1).getByText('查看详情').click();
    expect(await page.getByTestId('audit-row').nth(1).locator('pre').textContent()).toContain('"community": "幸福里社区"');

    // Combined with an event: the filter form keeps the URL.
    await page.getByTestId('audit-event').selectOption('worker_assigned');
    await page.getByTestId('audit-apply').click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    expect(page.url()).toContain('event=worker_assigned');
    await page.goBack();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(4);
    await page.getByTestId('audit-row').nth(1).getByText('查看详情').click();
    await expectNoAxeViolations(page);
    await page.screenshot({ path: 'docs/screens/office-audit.png', fullPage: true });
  });
});
