// The smallest phone the elder UI promises to fit (360×640), in each language and text size, for
// the walkthrough tests that look at every screen the way a new user meets it.
import type { BrowserContextOptions, Page } from 'playwright-core';
import { DEMO } from '../../server/seed/demo.ts';
import { PHONE } from './browser.ts';

export const LANGS = [
  { lang: 'zh-CN', locale: 'zh-CN' },
  { lang: 'en', locale: 'en-US' },
] as const;

/** Settings' text sizes, 大 and 特大. */
export const SIZES = ['large', 'xlarge'] as const;

export const smallPhone = (locale: string): BrowserContextOptions => ({ ...PHONE, viewport: { width: 360, height: 640 }, deviceScaleFactor: 1, locale });

/** What Settings › 字的大小 does (web/components/prefs.ts): every size follows the root's; then two frames to lay out. */
export async function textSize(page: Page, size: (typeof SIZES)[number]): Promise<void> {
  await page.evaluate((s) => (document.documentElement.dataset.textSize = s), size);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Signs a staff or family account in from the sign-in screen, in the page's language (the demo family member by default). */
export async function signInAsStaff(page: Page, url: string, lang: (typeof LANGS)[number]['lang'], who: { username: string; password: string } = DEMO.family): Promise<void> {
  const en = lang === 'en';
  await page.goto(url);
  await page.getByRole('button', { name: en ? /community worker, family/ : /社区工作人员、家属/ }).click();
  await page.getByLabel(en ? 'Username' : '用户名').fill(who.username);
  await page.getByLabel(en ? 'Password' : '密码', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: en ? 'Sign in' : '登录', exact: true }).click();
}
