// The first sign-in without 40 taps (issue 17 §4, decisions 064 and 065) in real Chromium against the
// real server and its SQLite file:
//   - "第一次使用" is a full-width button on the first screen; it opens the camera, which films the QR
//     code of a real demo activation letter (drawn by the letter's own code, played as Chromium's fake
//     camera): the ID number and the code are filled in, the retiree types only the PIN twice, and
//     the server activates the account with that code;
//   - a foreign QR code is refused in plain words, aloud;
//   - at 360×640 with the largest text size, in Chinese and English, every retiree screen's main
//     action (下一步, 登录, 同意, 我准备好了, 停止认证) is inside the screen without scrolling, and the ID field
//     shows all 18 characters when it says one is wrong.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activationQrPayload } from '../shared/activation-qr.ts';
import { DEMO } from '../server/seed/demo.ts';
import { launchBrowser, PHONE } from '../scripts/harness/browser.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { qrClip } from '../scripts/harness/letter-camera.ts';
import { tapKeys } from '../scripts/harness/retiree-phone.ts';

const letter = DEMO.retireeNew;
// The browser of this file films the demo retiree's letter; a second one films somebody else's QR code.
const env = useServerAndBrowser({ fakeVideo: () => qrClip(activationQrPayload(letter.idNumber, letter.activationCode)) });
let foreignCamera: Browser;
beforeAll(async () => {
  foreignCamera = await launchBrowser({ fakeVideo: qrClip('https://weixin.qq.com/r/not-a-letter', 'foreign') });
});
afterAll(async () => foreignCamera?.close());

// 1x: the screenshots are exactly what a 360×640 phone shows.
const SMALL = { ...PHONE, viewport: { width: 360, height: 640 }, deviceScaleFactor: 1 };

/** The element is inside the 360×640 screen and nothing covers its middle: seen and tappable without scrolling. */
async function inSight(target: Locator, what: string) {
  await target.waitFor();
  const seen = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return {
      inside: r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth,
      covered: !(at && (at === el || el.contains(at))),
      box: [Math.round(r.left), Math.round(r.top), Math.round(r.right), Math.round(r.bottom)],
      screen: [window.innerWidth, window.innerHeight],
    };
  });
  expect({ what, inside: seen.inside, covered: seen.covered }, `${what} at ${seen.box} on ${seen.screen}`).toEqual({ what, inside: true, covered: false });
}

/** The main action is in sight where the screen opens, and still after going back to the top. */
async function mainActionInSight(page: Page, target: Locator, what: string) {
  await inSight(target, what);
  await page.evaluate(() => window.scrollTo(0, 0));
  await inSight(target, `${what} (scrolled to the top)`);
}

describe('first use with the activation letter', () => {
  it('scans the letter’s QR code: the retiree types only the PIN twice and the account is activated', async () => {
    const context = await env.browser.newContext(SMALL);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.server.url);

    const firstUse = page.getByRole('button', { name: /^第一次使用/ });
    await inSight(firstUse, '第一次使用');
    expect(await firstUse.evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThanOrEqual(300);
    await firstUse.click();

    // The camera reads the letter: the PIN step comes with the ID number filled in and said to be read.
    await expect.poll(() => page.getByTestId('scan-ok').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('sign-in-id').getByTestId('id-group').allTextContents()).toEqual(['110199', '19521105', '0047']);
    expect(await page.getByLabel('设置 6 位密码').count()).toBe(1);
    const taps: string[] = [];
    page.on('request', (r) => r.url().includes('/voice/') && taps.push(r.url()));
    await tapKeys(page, '502718');
    await tapKeys(page, '502718');
    const submit = page.getByRole('button', { name: '设置密码并登录' });
    await inSight(submit, '设置密码并登录');
    await submit.click();

    await expect.poll(() => page.getByTestId('status-card').count(), { timeout: 30_000 }).toBe(1);
    const row = await env.db.get<{ used_at: number | null; password_hash: string | null }>(
      `SELECT a.used_at, u.password_hash FROM retirees r JOIN users u ON u.retiree_id = r.id
         JOIN activation_codes a ON a.retiree_id = r.id WHERE r.id_number = ? ORDER BY a.id DESC LIMIT 1`,
      [letter.idNumber],
    );
    expect(row?.used_at).toBeGreaterThan(0);
    expect(row?.password_hash).toBeTruthy();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a letter whose code is already used: the server says so and a new code is typed, not said to be scanned', async () => {
    const context = await env.browser.newContext(SMALL);
    const page = await context.newPage();
    await page.goto(env.server.url);
    await page.getByTestId('first-use').click();
    await expect.poll(() => page.getByTestId('scan-ok').count(), { timeout: 60_000 }).toBe(1);
    await tapKeys(page, '613524');
    await tapKeys(page, '613524');
    await page.getByRole('button', { name: '设置密码并登录' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 30_000 }).toContain('激活码不对、已经用过或已过期');
    expect(await page.locator('#field-code').count()).toBe(1);
    expect(await page.getByTestId('scan-ok').count()).toBe(0);
    await context.close();
  });

  it('refuses another QR code in plain words, aloud, and the codes can still be typed', async () => {
    const context = await foreignCamera.newContext(SMALL);
    const page = await context.newPage();
    await page.goto(env.server.url);
    const spoken = page.waitForRequest((r) => r.url().endsWith('/voice/zh-CN/say.scan.foreign.mp3'), { timeout: 60_000 });
    await page.getByTestId('first-use').click();
    const scanner = page.getByTestId('scan-letter');
    await expect.poll(() => scanner.getAttribute('data-problem'), { timeout: 60_000 }).toBe('foreign');
    expect(await page.getByTestId('scan-message').textContent()).toContain('这不是激活通知上的二维码');
    expect(await page.getByTestId('scan-message').getAttribute('role')).toBe('alert');
    await spoken;
    // Still on the scanner, with the way to type it in.
    expect(await page.getByLabel('设置 6 位密码').count()).toBe(0);
    await page.getByRole('button', { name: '手动输入' }).click();
    await expect.poll(() => page.getByLabel('身份证号码').count()).toBe(1);
    await context.close();
  });
});

const SCREENS = {
  'zh-CN': { who: DEMO.retireeOpen, xlarge: '特大', next: '下一步', signIn: '登录', agree: '同意，用人脸认证', ready: '我准备好了，开始', stop: '停止认证', settings: '设置', home: '回到首页', signOut: '退出登录', wrong: '有一位输错了', manual: '手动输入', activate: '设置密码并登录' },
  en: { who: DEMO.retireeSuspended, xlarge: 'Extra large', next: 'Next', signIn: 'Sign in', agree: 'I agree, use the face check', ready: 'I am ready, start', stop: 'Stop the check', settings: 'Settings', home: 'Back to home', signOut: 'Sign out', wrong: 'One digit is wrong', manual: 'Type it in', activate: 'Set PIN and sign in' },
} as const;

describe.each(Object.keys(SCREENS) as (keyof typeof SCREENS)[])('every main action in sight at 360×640, largest text (%s)', (locale) => {
  it('sign-in, first use, consent, before you start and the check', async () => {
    const s = SCREENS[locale];
    const context = await foreignCamera.newContext({ ...SMALL, locale, serviceWorkers: 'block' });
    const page = await context.newPage();
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const shot = (name: string) => page.screenshot({ path: `docs/screens/640-${locale}-${name}.png` });
    await page.goto(env.server.url);

    // Signed in once to choose the largest text size, which the phone keeps after signing out.
    await page.getByLabel(locale === 'en' ? 'ID card number' : '身份证号码').fill(s.who.idNumber);
    await page.getByLabel(locale === 'en' ? '6-digit PIN' : '6 位密码').fill(s.who.pin);
    await mainActionInSight(page, button(s.signIn), s.signIn);
    await button(s.signIn).click();
    await button(s.settings).click();
    await button(s.xlarge).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.textSize)).toBe('xlarge');
    await button(s.home).click();

    // Consent → before you start → the check (this camera films a QR code: no face, nothing fails).
    await page.getByTestId('start-check').click();
    await expect.poll(() => page.getByTestId('consent').count()).toBe(1);
    await mainActionInSight(page, button(s.agree), s.agree);
    await shot('consent');
    await button(s.agree).click();
    await expect.poll(() => page.getByTestId('prepare').count()).toBe(1);
    await mainActionInSight(page, button(s.ready), s.ready);
    await shot('prepare');
    await button(s.ready).click();
    await expect.poll(() => page.getByTestId('face-check').count()).toBe(1);
    await mainActionInSight(page, button(s.stop), s.stop);
    await expect.poll(() => page.getByTestId('face-check').getAttribute('data-phase'), { timeout: 90_000 }).toBe('running');
    await mainActionInSight(page, button(s.stop), `${s.stop} (running)`);
    // The instruction whole and above the 停止认证 bar, never under it (at 特大 in English it was, decision 089).
    const instruction = (await page.getByTestId('instruction').boundingBox())!;
    const stopBar = (await button(s.stop).boundingBox())!;
    expect(instruction.y, 'the instruction').toBeGreaterThanOrEqual(0);
    expect(instruction.y + instruction.height, 'the instruction above the stop bar').toBeLessThanOrEqual(stopBar.y);
    await shot('check');
    await button(s.stop).click();

    await button(s.settings).click();
    await button(s.signOut).click();
    await expect.poll(() => page.getByTestId('keypad').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.dataset.textSize)).toBe('xlarge');

    // The first screen: 第一次使用 at the top, 下一步 at the bottom.
    await mainActionInSight(page, page.getByTestId('first-use'), 'first use');
    await mainActionInSight(page, button(s.next), s.next);
    await shot('sign-in');
    // One digit wrong: all 18 characters are shown, in whole groups inside the field.
    const wrongId = s.who.idNumber.slice(0, 17) + (s.who.idNumber.endsWith('1') ? '2' : '1');
    await tapKeys(page, wrongId);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain(s.wrong);
    await inSight(page.getByRole('alert').first(), 'the wrong-digit message');
    const field = page.locator('.id-box');
    const shown = await field.evaluate((box) => {
      const b = box.getBoundingClientRect();
      const groups = [...box.querySelectorAll<HTMLElement>('[data-testid="id-group"]')].map((g) => {
        const r = g.getBoundingClientRect();
        return { text: g.textContent, whole: r.left >= b.left && r.right <= b.right && r.top >= b.top && r.bottom <= b.bottom && g.scrollWidth <= g.clientWidth + 1 };
      });
      return { groups, fits: box.scrollWidth <= box.clientWidth, inScreen: b.left >= 0 && b.right <= window.innerWidth };
    });
    expect(shown).toEqual({
      groups: [wrongId.slice(0, 6), wrongId.slice(6, 14), wrongId.slice(14)].map((text) => ({ text, whole: true })),
      fits: true,
      inScreen: true,
    });
    await inSight(field, 'the ID field');
    await shot('sign-in-wrong-digit');
    await mainActionInSight(page, button(s.next), `${s.next} (wrong digit)`);
    await page.getByRole('button', { name: locale === 'en' ? 'Delete one' : '删除一位' }).click();
    await tapKeys(page, s.who.idNumber.slice(17));
    await expect.poll(() => page.locator('#field-pin').count()).toBe(1);
    await mainActionInSight(page, button(s.signIn), `${s.signIn} (PIN)`);
    await shot('sign-in-pin');

    // First use, typed: the scanner (this camera films a foreign QR code), then each field's 下一步.
    await page.reload();
    await page.getByTestId('first-use').click();
    await expect.poll(() => page.getByTestId('scan-letter').getAttribute('data-problem'), { timeout: 60_000 }).toBe('foreign');
    await mainActionInSight(page, button(s.manual), s.manual);
    await page.evaluate(() => document.querySelectorAll('video').forEach((v) => (v.style.visibility = 'hidden')));
    await shot('scan-foreign');
    await button(s.manual).click();
    await tapKeys(page, letter.idNumber);
    await expect.poll(() => page.locator('#field-code').count()).toBe(1);
    await mainActionInSight(page, button(s.next), `${s.next} (code)`);
    await tapKeys(page, letter.activationCode);
    await mainActionInSight(page, button(s.next), `${s.next} (new PIN)`);
    await tapKeys(page, '502718');
    await mainActionInSight(page, button(s.activate), s.activate);
    await context.close();
  });
});
