// The office clerk at a desk in the browser tests (issue 16): the desk's browser settings, signing
// in through the real sign-in screen, and the console's accessibility bar (axe-core, 0 violations).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO } from '../../server/seed/demo.ts';
import { axe } from './axe.ts';

/** A desk screen, the console's first language; CSP bypassed only so that axe can be injected. */
export const DESK = { viewport: { width: 1366, height: 900 }, locale: 'zh-CN', bypassCSP: true } as const;

/** Signs the demo office clerk in through the sign-in screen and waits for the console's overview. */
export async function signInAtDesk(page: Page, url: string, who: { username: string; password: string } = DEMO.admin): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: /社区工作人员、家属/ }).click();
  await page.getByLabel('用户名').fill(who.username);
  await page.getByLabel('密码', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect.poll(() => page.getByTestId('office-overview').count(), { timeout: 30_000 }).toBe(1);
}

/** axe-core finds nothing on the page as it is now, and really looked (a good number of rules passed). */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const { violations, passed } = await axe(page);
  expect(passed).toBeGreaterThan(10);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}
