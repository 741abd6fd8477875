// Re-activation by the office, seen from the retiree's phone in real Chromium (issue 15, decision
// 051): the phone was signed in; the office issues a code for the account in use and it is used;
// the next time the app opens, the sign-in screen says — on the page, in large text, not in a
// pop-up, and aloud — that the office reset the PIN, in Chinese, and in English when chosen; signing
// in with the new PIN ends the message.
import { describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { PHONE } from '../scripts/harness/browser.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';

const env = useServerAndBrowser();
const who = DEMO.retireeCertified;

/** A JSON request to the server as another browser would send it, with its own cookie. */
async function call(path: string, json: unknown, cookie = ''): Promise<{ status: number; body: any; cookie: string }> {
  const res = await fetch(`${env.server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: env.server.url, ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify(json),
  });
  const set = res.headers.getSetCookie().find((c) => c.startsWith('sh_session='));
  return { status: res.status, body: await res.json(), cookie: set ? set.split(';')[0]! : cookie };
}

describe('re-activation seen from the phone', () => {
  it('the sign-in screen tells the retiree the office reset the PIN, in words and aloud, until they sign in again', async () => {
    const context = await env.browser.newContext({ ...PHONE, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(env.server.url);
    await page.getByLabel('身份证号码').fill(who.idNumber);
    await page.getByLabel('6 位密码').fill(who.pin);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => page.getByTestId('status-card').count(), { timeout: 30_000 }).toBe(1);

    // The office resets the PIN: a code for the account in use, used at the counter.
    const office = await call('/api/auth/sign-in', { username: DEMO.admin.username, password: DEMO.admin.password });
    const retireeId = (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [who.idNumber]))!.id;
    const issued = await call(`/api/retirees/${retireeId}/activation-codes`, {}, office.cookie);
    expect(issued.status).toBe(201);
    expect((await call('/api/auth/activate', { idNumber: who.idNumber, code: issued.body.code, pin: '502718' })).status).toBe(200);

    const spoken = page.waitForRequest((r) => r.url().endsWith('/voice/zh-CN/say.signIn.pinReset.mp3'), { timeout: 30_000 });
    await page.reload();
    const notice = page.getByTestId('signed-out-reason');
    await expect.poll(() => notice.count(), { timeout: 30_000 }).toBe(1);
    expect(await notice.textContent()).toContain('社保局重新设置了您的密码');
    expect(await notice.getAttribute('role')).toBe('status');
    expect(await notice.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(24);
    expect(await page.locator('dialog, [role="dialog"], [role="alertdialog"]').count()).toBe(0);
    // The same words are spoken (this Chromium has no speech voice, so the bundled clip plays).
    await spoken;

    await page.getByRole('button', { name: 'English' }).click();
    expect(await notice.textContent()).toContain('The social security office has reset your PIN');
    await page.getByRole('button', { name: '中文' }).click();

    await page.getByLabel('身份证号码').fill(who.idNumber);
    await page.getByLabel('6 位密码').fill('502718');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => page.getByTestId('status-card').count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: '设置', exact: true }).click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect.poll(() => page.getByLabel('身份证号码').count()).toBe(1);
    expect(await notice.count()).toBe(0);
    await context.close();
  });
});
