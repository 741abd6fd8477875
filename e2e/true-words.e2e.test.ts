// "Say only what is true" (issue 17 §2) on the real app in Chromium against the real server: a
// certified retiree's Home says nothing of "no records" and never asks to tap a button that is not
// there; with no signal, History shows the certified year the phone knows; a family member who
// types a wrong password hears about the username and password, not an ID number.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { PHONE, setNoSignal } from '../scripts/harness/browser.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { tapKeys } from '../scripts/harness/retiree-phone.ts';

const env = useServerAndBrowser();

/**
 * Every voice clip the page plays (this Chromium has no speech voice, so the clips play): media
 * requests, not the offline download of every clip, which fetches them.
 */
function clipsAsked(page: Page): string[] {
  const asked: string[] = [];
  page.on('request', (r) => {
    const m = /\/voice\/[^/]+\/([^/]+)\.mp3$/.exec(r.url());
    if (m && r.resourceType() === 'media') asked.push(m[1]!);
  });
  return asked;
}

describe('the retiree app says only what is true', () => {
  it('a certified Home: no "no records", no "tap the big button"; offline History shows the certified year', { timeout: 240_000 }, async () => {
    const context = await env.browser.newContext({ ...PHONE, serviceWorkers: 'allow' });
    const page = await context.newPage();
    const asked = clipsAsked(page);
    await page.goto(env.server.url);
    // The retiree who is due now hears the invitation once Home has settled: the clips do play here.
    await tapKeys(page, DEMO.retireeOpen.idNumber);
    await tapKeys(page, DEMO.retireeOpen.pin);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
    await expect.poll(() => asked.includes('say.home.start'), { timeout: 30_000 }).toBe(true);
    await page.getByRole('button', { name: '设置', exact: true }).click();
    await page.getByRole('button', { name: '退出登录' }).click();

    asked.length = 0;
    await tapKeys(page, DEMO.retireeCertified.idNumber);
    await tapKeys(page, DEMO.retireeCertified.pin);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const card = page.getByTestId('status-card');
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 30_000 }).toBe('certified');
    await expect.poll(() => page.getByTestId('sync-last').textContent(), { timeout: 30_000 }).toContain('上次发送成功');
    const home = (await page.getByTestId('retiree-home').textContent()) ?? '';
    expect(home).toMatch(/年已认证/);
    expect(home).not.toContain('还没有认证记录');
    expect(await page.getByTestId('start-check').count()).toBe(0);
    // Home has settled (its status is kept on the phone) and said nothing about a button.
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 }).toBe(true);
    expect(asked).not.toContain('say.home.start');

    // No signal, History never opened before: the phone still knows the certified year.
    await setNoSignal(context, true);
    await page.getByRole('button', { name: '认证记录' }).click();
    const years = page.getByTestId('history-years');
    await expect.poll(() => years.locator('li[data-status="approved"]').count(), { timeout: 30_000 }).toBe(1);
    expect(await years.textContent()).toMatch(/\d{4} 年：已认证/);
    expect(await years.textContent()).not.toContain('还没有完成的年度认证');
    expect(asked).not.toContain('say.home.start');
    await setNoSignal(context, false);
    await context.close();
  });

  it('a family member with a wrong password hears 用户名或密码不对', { timeout: 120_000 }, async () => {
    const context = await env.browser.newContext({ ...PHONE, serviceWorkers: 'block' });
    const page = await context.newPage();
    const asked = clipsAsked(page);
    await page.goto(env.server.url);
    await page.getByRole('button', { name: /社区工作人员、家属/ }).click();
    await page.getByLabel('用户名').fill(DEMO.family.username);
    await page.getByLabel('密码', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 30_000 }).toMatch(/^用户名或密码不对。/);
    expect(await page.getByRole('alert').first().textContent()).not.toContain('身份证');
    await expect.poll(() => asked.some((c) => c.startsWith('say.signIn.wrongPassword')), { timeout: 30_000 }).toBe(true);
    await context.close();
  });
});
