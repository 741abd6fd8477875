// A worker's phone outdoors and before the first door (issue 17 §5), in real Chromium against the
// real server: the face-check files download from sign-in with a bar on the worker's own screens,
// with no signal before they are in the app says plainly that checks cannot run offline yet, how
// much is left and how long it takes on a slow connection, and once they are in it says the phone
// is ready. Every worker screen a worker walks through keeps text ≥ 18 px and targets ≥ 56 px
// (MIIT’s rules for general apps used by older people) and never scrolls sideways at 360 px. Dates,
// amounts and phone numbers stay whole on their line, in Chinese and English, and a number written with
// dashes and spaces ("010-6500 5678", as the office imported it) dials as digits (new-user walkthrough).
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../server/auth/password.ts';
import { addWorkerFixture, fixtureIdNumber, type WorkerFixture } from '../server/seed/worker-fixture.ts';
import { createLinkRequest } from '../server/store/family-link-requests.ts';
import { insertRetiree } from '../server/store/retirees.ts';
import { createFamilyUser } from '../server/store/users.ts';
import { PHONE, setNoSignal } from '../scripts/harness/browser.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { phoneOnOneLine, placeholderFits, splitAmounts, splitDates } from '../scripts/harness/whole-text.ts';

const env = useServerAndBrowser();
let fx: WorkerFixture;
/** A fifth retiree whose phone number the office imported with a dash and a space, and whose son asks to help. */
let phoned: number;

beforeAll(async () => {
  const passwords = createPasswordHasher(12);
  fx = await addWorkerFixture(env.db, passwords, Date.now(), { username: 'zhao.min', password: 'zhao-min-2026', displayName: '赵敏', communityName: '向阳社区', count: 4 });
  const idNumber = fixtureIdNumber(480);
  phoned = await insertRetiree(env.db, { idNumber, name: '钱桂芳', pensionCategory: 'urban_employee', address: '向阳社区 7 号楼 2 单元 301', phone: '010-6500 5678', enrolledOn: '2010-01-01' }, fx.communityId, Date.now());
  const son = await createFamilyUser(env.db, { username: 'qian.lei', displayName: '钱磊', phone: '13800138000', hash: await passwords.hash('qian-lei-2026-pw') }, Date.now());
  await createLinkRequest(env.db, son!.id, { idNumber, name: '钱桂芳', relation: 'son' }, Date.now());
});

async function signIn(page: Page, en = false) {
  await page.goto(env.server.url);
  await page.getByRole('button', { name: en ? /community worker, family/ : /社区工作人员、家属/ }).click();
  await page.getByLabel(en ? 'Username' : '用户名').fill(fx.username);
  await page.getByLabel(en ? 'Password' : '密码', { exact: true }).fill(fx.password);
  await page.getByRole('button', { name: en ? 'Sign in' : '登录', exact: true }).click();
  await expect.poll(() => page.getByTestId('worker-app').count(), { timeout: 30_000 }).toBe(1);
}

/** In the page: visible text smaller than 18 px, targets lower than 56 px, and sideways scrolling. */
function outdoorProblems(): { small: string[]; low: string[]; sideways: number } {
  const visible = (el: Element) => {
    const r = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
  };
  const small: string[] = [];
  const walker = document.createTreeWalker(document.querySelector('[data-testid="worker-app"]')!, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement!;
    if (!n.textContent?.trim() || !visible(el) || el.closest('.w-visually-hidden')) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < 18) small.push(`${px}px "${n.textContent.trim().slice(0, 30)}"`);
  }
  const low: string[] = [];
  for (const el of document.querySelectorAll('[data-testid="worker-app"] :is(button, a[href], input:not([type=radio]):not([type=checkbox]), select, textarea, [role=button])')) {
    if (!visible(el)) continue;
    const h = el.getBoundingClientRect().height;
    if (h < 56) low.push(`${Math.round(h)}px <${el.tagName.toLowerCase()}> "${(el.textContent ?? '').trim().slice(0, 30)}"`);
  }
  return { small, low, sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth };
}

const expectOutdoor = async (page: Page, screen: string) => {
  const p = await page.evaluate(outdoorProblems);
  expect(p, screen).toEqual({ small: [], low: [], sideways: 0 });
};

describe('a worker’s phone before the first door', () => {
  it('downloads the face-check files from sign-in and says what that means with and without signal', async () => {
    const context = await env.browser.newContext({ ...PHONE, viewport: { width: 360, height: 640 } });
    const page = await context.newPage();
    try {
      // The wasm's download never finishes: the phone stays short of the engine.
      let held = 0;
      await page.route('**/mediapipe/wasm/**', (route) => {
        held++;
        return route.abort('connectionreset');
      });
      await signIn(page);
      const assets = page.getByTestId('worker-assets');
      await expect.poll(() => assets.getAttribute('data-state'), { timeout: 60_000 }).toMatch(/downloading|paused/);
      await expect.poll(() => held, { timeout: 60_000 }).toBeGreaterThan(0);
      await expect.poll(() => assets.textContent()).toMatch(/人脸认证文件|网络断了/);

      // No signal: the plain sentence, with what is left and the time on a slow connection.
      await setNoSignal(context, true);
      await expect.poll(() => assets.textContent(), { timeout: 30_000 }).toMatch(/现在不能离线认证。还差 \d+\.\d\sMB，信号慢时大约要 \d+ 分钟：请在有信号的地方打开一次。/);
      await expectOutdoor(page, 'roster, offline, files missing');
      await page.screenshot({ path: 'docs/screens/worker-assets-offline.png' });

      // Signal again, nothing held back: the files come in, the roster drops the line and the day
      // summary says the phone is ready.
      await setNoSignal(context, false);
      await page.unroute('**/mediapipe/wasm/**');
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await expect.poll(() => page.getByTestId('worker-assets').count(), { timeout: 120_000, interval: 500 }).toBe(0);
      await page.getByTestId('open-summary').click();
      await expect.poll(() => page.getByTestId('worker-assets').textContent()).toContain('没有信号也能认证\u00a0✓');
      await expectOutdoor(page, 'day summary');
    } finally {
      await context.close();
    }
  });

  it('keeps text ≥ 18 px and targets ≥ 56 px on the roster, a retiree’s page, an outcome and the day summary', async () => {
    const context = await env.browser.newContext({ ...PHONE, viewport: { width: 360, height: 640 } });
    const page = await context.newPage();
    try {
      await page.route('**/{mediapipe,models}/**', (route) => route.abort());
      await signIn(page);
      await expect.poll(() => page.getByTestId('roster-row').count(), { timeout: 30_000 }).toBe(fx.retirees.length + 1);
      await expectOutdoor(page, 'roster');
      await page.getByTestId('roster-row').first().click();
      await expect.poll(() => page.getByTestId('retiree-page').count()).toBe(1);
      await expectOutdoor(page, 'retiree page');
      await page.getByRole('button', { name: /不在家/ }).first().click();
      await expect.poll(() => page.locator('.w-fieldset, textarea').count()).toBeGreaterThan(0);
      await expectOutdoor(page, 'outcome: not at home');
      await page.getByTestId('open-summary').click();
      await expect.poll(() => page.getByTestId('day-summary').count()).toBe(1);
      await expectOutdoor(page, 'day summary');
    } finally {
      await context.close();
    }
  });

  it('keeps dates, amounts, phone numbers and the search hint whole on the roster and a retiree’s page, and dials a number written with dashes and spaces, in Chinese and English', async () => {
    for (const { locale, en } of [{ locale: 'zh-CN', en: false }, { locale: 'en-US', en: true }]) {
      const context = await env.browser.newContext({ ...PHONE, viewport: { width: 360, height: 640 }, deviceScaleFactor: 1, locale });
      const page = await context.newPage();
      try {
        await page.route('**/{mediapipe,models}/**', (route) => route.abort());
        await signIn(page, en);
        await expect.poll(() => page.getByTestId('roster-row').count(), { timeout: 30_000 }).toBe(fx.retirees.length + 1);
        // Each row's badge names the deadline ("待认证 · 截止 2026年6月30日"); "日" stayed alone on a line.
        const roster = await splitDates(page, '[data-testid="roster"]');
        expect(roster.checked, locale).toBeGreaterThanOrEqual(fx.retirees.length + 1);
        expect(roster.split, `${locale} roster`).toEqual([]);
        // The face-check files' line above it: "0.0 / 10.3" and "MB" were on two lines.
        await expect.poll(() => page.getByTestId('worker-assets').textContent(), { timeout: 30_000 }).toMatch(/MB/);
        expect(await splitAmounts(page, '[data-testid="worker-assets"]'), locale).toEqual({ checked: 1, split: [] });
        // The search box's hint is read whole (English was cut off at "…last ID digits or").
        expect(await placeholderFits(page.getByTestId('roster-search')), locale).toMatchObject({ fits: true });
        await page.screenshot({ path: `/tmp/desk-worker-roster-${locale}.png`, fullPage: true });

        await page.locator(`[data-testid="roster-row"][data-id="${phoned}"]`).click();
        await expect.poll(() => page.getByTestId('retiree-page').count()).toBe(1);
        const phone = page.getByTestId('retiree-phone');
        expect(await phone.getAttribute('href'), locale).toBe('tel:01065005678');
        expect(await phone.textContent(), locale).toBe('010-6500 5678');
        expect(await phoneOnOneLine(phone), locale).toEqual({ lines: 1, inside: true });
        // The son's request, with his number to call first.
        const son = page.getByTestId('family-request-phone');
        await expect.poll(() => son.count(), { timeout: 60_000 }).toBe(1);
        expect(await son.getAttribute('href'), locale).toBe('tel:13800138000');
        expect(await phoneOnOneLine(son), locale).toEqual({ lines: 1, inside: true });
        const page1 = await splitDates(page, '[data-testid="retiree-page"]');
        expect(page1.checked, locale).toBeGreaterThan(0);
        expect(page1.split, `${locale} retiree page`).toEqual([]);
        await expectOutdoor(page, `${locale} retiree page with a family request`);
        await page.screenshot({ path: `/tmp/desk-worker-retiree-${locale}.png`, fullPage: true });
      } finally {
        await context.close();
      }
    }
  });
});
