// Family service end to end (issue 19) in real Chromium against the real server and SQLite.
// 1. A new family member signs up on the sign-in screen and asks to help the demo retiree; the
//    retiree, signed in on another phone (browser context), sees "王小明（儿子）想帮您做每年的认证。同意吗？"
//    on Home and agrees with the large button; the family member's phone then lists the retiree,
//    and certifies them with the fixture clip on the rear camera (method family, matched against the
//    retiree's reference photos); the retiree ends the link in Settings, and the family member can no
//    longer see them.
// 2. A community worker records the retiree's consent at the door with no signal; the decision waits
//    on the phone and is applied once when the signal is back.
// The new screens are checked with axe (0 violations) and photographed for docs/screens/ (none of
// them shows a camera picture).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { axe } from '../scripts/harness/axe.ts';
import { PHONE, setNoSignal } from '../scripts/harness/browser.ts';
import { addReferencePhotos, clipPeoplePhotos, decidedAttempt, onlyAttempt, pushAnswers } from '../scripts/harness/identity.ts';
import { passableSeed, plantChallenge, tapKeys, useCameraPhone } from '../scripts/harness/retiree-phone.ts';
import { HAS_SHARED, SKIP_REASON } from '../scripts/harness/shared-data.ts';

const suite = HAS_SHARED ? describe : describe.skip;
const env = useCameraPhone();

const SON = { name: '王小明', phone: '13800138000', username: 'wang.xiaoming', password: 'xiaoming-2026-pw' };

async function noAxeViolations(page: Page) {
  const { violations, passed } = await axe(page);
  expect(passed).toBeGreaterThan(10);
  expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
}

const shot = (page: Page, name: string) => page.screenshot({ path: `docs/screens/family-${name}.png` });
const retireeIdOf = async (idNumber: string) => (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;
const linked = async (username: string, retireeId: number) =>
  !!(await env.db.get('SELECT 1 FROM family_links f JOIN users u ON u.id = f.user_id WHERE u.username = ? AND f.retiree_id = ?', [username, retireeId]));

async function signUp(page: Page, who: typeof SON) {
  await page.getByRole('link', { name: '我是家属，第一次用：注册' }).click();
  await expect.poll(() => page.getByTestId('family-sign-up').count()).toBe(1);
  await page.getByLabel('您的姓名').fill(who.name);
  await page.getByLabel('您的手机号码').fill(who.phone);
  await page.getByLabel('用户名（以后登录用）').fill(who.username);
  await page.getByLabel('密码（至少 10 位）').fill(who.password);
  await page.getByLabel('再输一次密码').fill(who.password);
}

async function askFor(page: Page, idNumber: string, name: string, relation: string) {
  await page.getByTestId('family-add').click();
  await page.getByLabel('老人的身份证号码（18 位）').fill(idNumber);
  await page.getByLabel('老人的姓名（和身份证上一样）').fill(name);
  await page.getByRole('button', { name: relation, exact: true }).click();
}

suite('family service (亲情服务)', () => {
  it('signs up, asks, the retiree agrees on Home, the family member certifies, the retiree ends it', async () => {
    const retiree = await retireeIdOf(DEMO.retireeOpen.idNumber);
    await addReferencePhotos(env.server.url, retiree, clipPeoplePhotos());

    // The family member's phone: sign up (a wrong field is said next to it first).
    const family = await env.browser.newContext({ ...PHONE, serviceWorkers: 'allow', bypassCSP: true });
    const answers = await pushAnswers(family);
    const fam = await family.newPage();
    await fam.goto(env.server.url);
    await signUp(fam, SON);
    await fam.getByLabel('再输一次密码').fill('not-the-same-pw');
    await fam.getByTestId('sign-up-submit').click();
    expect(await fam.getByRole('alert').textContent()).toContain('两次输入的密码不一样');
    await fam.getByLabel('再输一次密码').fill(SON.password);
    await noAxeViolations(fam);
    await shot(fam, 'sign-up');
    await fam.getByTestId('sign-up-submit').click();
    await expect.poll(() => fam.getByTestId('family-none').count(), { timeout: 30_000 }).toBe(1);

    // Ask to help the retiree: a request, which shows as waiting.
    await askFor(fam, DEMO.retireeOpen.idNumber, DEMO.retireeOpen.name, '儿子');
    await noAxeViolations(fam);
    await shot(fam, 'add');
    await fam.getByTestId('add-submit').click();
    await expect.poll(() => fam.getByTestId('family-notice').count()).toBe(1);
    await expect.poll(() => fam.locator('[data-testid="family-request"][data-state="pending"]').count(), { timeout: 60_000 }).toBe(1);
    expect(await fam.getByTestId('pick-retiree').count()).toBe(0);
    expect(await linked(SON.username, retiree)).toBe(false);
    await noAxeViolations(fam);

    // The retiree's phone: Home asks, with two large buttons.
    const own = await env.browser.newContext({ ...PHONE, serviceWorkers: 'allow', bypassCSP: true });
    const ret = await own.newPage();
    await ret.goto(env.server.url);
    await tapKeys(ret, DEMO.retireeOpen.idNumber);
    await tapKeys(ret, DEMO.retireeOpen.pin);
    await ret.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => ret.getByTestId('family-ask').count(), { timeout: 60_000 }).toBe(1);
    expect(await ret.getByTestId('family-ask').locator('h2').textContent()).toBe('王小明（儿子）想帮您做每年的认证。同意吗？');
    const yes = ret.getByTestId('family-ask-yes');
    const box = (await yes.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(64);
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.viewport!.height);
    await noAxeViolations(ret);
    await shot(ret, 'retiree-ask');
    await yes.click();
    await expect.poll(() => ret.getByTestId('family-ask').count()).toBe(0);
    await expect.poll(() => linked(SON.username, retiree), { timeout: 60_000 }).toBe(true);
    const approved = await env.db.get<{ event: string; details: string }>("SELECT event, details FROM audit_log WHERE event = 'family_linked' ORDER BY id DESC LIMIT 1");
    expect(JSON.parse(approved!.details)).toMatchObject({ via: 'retiree', relation: 'son' });

    // The family member's phone lists the retiree with status and deadline after its next pull.
    await fam.reload();
    const pick = fam.getByTestId('pick-retiree');
    await expect.poll(() => pick.count(), { timeout: 60_000 }).toBe(1);
    expect(await pick.textContent()).toContain(DEMO.retireeOpen.name);
    expect(await pick.textContent()).toMatch(/\d{4}\*{10}\d{3}[\dX]/);
    expect(await fam.getByTestId('pick-status').getAttribute('data-state')).toBe('open');
    expect(await fam.getByTestId('family-reminder').count()).toBe(1);
    await noAxeViolations(fam);
    await shot(fam, 'home');

    // …and certifies them on the rear camera, the retiree's own face checked.
    await expect.poll(() => fam.getByTestId('sync-last').textContent(), { timeout: 30_000 }).toContain('上次发送成功');
    await plantChallenge(fam, env.db, passableSeed());
    await pick.click();
    await fam.getByTestId('start-check').click();
    await fam.getByRole('button', { name: '同意，用人脸认证' }).click();
    await fam.getByRole('button', { name: '我准备好了，开始' }).click();
    await expect.poll(() => fam.getByTestId('check-result').count(), { timeout: 180_000, interval: 500 }).toBe(1);
    expect(await fam.getByTestId('check-result').getAttribute('data-verdict')).toBe('passed');
    await expect.poll(() => fam.getByTestId('check-result').getAttribute('data-sync'), { timeout: 60_000 }).toBe('sent');
    const attemptId = (await onlyAttempt(env.db, retiree)).id;
    expect(answers.of(attemptId)).toBe('verifying');
    expect(await decidedAttempt(env.db, attemptId)).toMatchObject({ outcome: 'certified', match_decision: 'match' });
    const son = (await env.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [SON.username]))!.id;
    expect(await env.db.get('SELECT method, recorded_by FROM certifications WHERE evidence_ref = ?', [attemptId])).toEqual({ method: 'family', recorded_by: son });
    await fam.getByRole('button', { name: '回到首页' }).click();

    // The retiree sees who can help in Settings, in plain words, and ends it.
    await ret.getByRole('button', { name: '设置', exact: true }).click();
    const helper = ret.locator(`[data-testid="family-helper"][data-family-user-id="${son}"]`);
    await expect.poll(() => helper.count(), { timeout: 60_000 }).toBe(1);
    expect(await helper.textContent()).toContain('王小明（儿子）可以用自己的手机帮您认证');
    await helper.getByTestId('helper-end').click();
    await helper.scrollIntoViewIfNeeded();
    await noAxeViolations(ret);
    await shot(ret, 'retiree-helpers');
    await helper.getByTestId('helper-end-yes').click();
    await expect.poll(() => linked(SON.username, retiree), { timeout: 60_000 }).toBe(false);
    const ended = await env.db.get<{ details: string }>("SELECT details FROM audit_log WHERE event = 'family_link_ended' ORDER BY id DESC LIMIT 1");
    expect(JSON.parse(ended!.details)).toMatchObject({ by: 'retiree', family: son });

    // The family member can no longer see the retiree: not on the phone after its next pull, not from the server.
    await fam.reload();
    await expect.poll(() => fam.locator('[data-testid="family-request"][data-state="ended"]').count(), { timeout: 60_000 }).toBe(1);
    expect(await fam.getByTestId('pick-retiree').count()).toBe(0);
    expect(await fam.evaluate(async (id) => (await fetch(`/api/retirees/${id}`)).status, retiree)).toBe(404);
    await family.close();
    await own.close();
  });

  it('a worker records the retiree\'s consent at the door without signal; it is applied once, later', async () => {
    const father = await retireeIdOf(DEMO.retireeCertified.idNumber);
    // A daughter asks (her own phone, online).
    const family = await env.browser.newContext({ ...PHONE, serviceWorkers: 'allow', bypassCSP: true });
    const fam = await family.newPage();
    await fam.goto(env.server.url);
    await signUp(fam, { name: '李小华', phone: '13900139000', username: 'li.xiaohua', password: 'xiaohua-2026-pw' });
    await fam.getByTestId('sign-up-submit').click();
    await expect.poll(() => fam.getByTestId('family-none').count(), { timeout: 30_000 }).toBe(1);
    await askFor(fam, DEMO.retireeCertified.idNumber, DEMO.retireeCertified.name, '女儿');
    await fam.getByTestId('add-submit').click();
    await expect.poll(() => fam.getByTestId('family-notice').count()).toBe(1);

    // The worker's phone pulls the roster (with the request) while there is signal.
    const phone = await env.browser.newContext({ ...PHONE, serviceWorkers: 'allow', bypassCSP: true });
    const w = await phone.newPage();
    await w.goto(env.server.url);
    await w.getByRole('button', { name: /社区工作人员、家属/ }).click();
    await w.getByLabel('用户名').fill(DEMO.worker.username);
    await w.getByLabel('密码', { exact: true }).fill(DEMO.worker.password);
    await w.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => w.getByTestId('worker-app').count(), { timeout: 30_000 }).toBe(1);
    await w.getByTestId('roster-search').fill(DEMO.retireeCertified.idNumber.slice(-6));
    const row = w.locator(`[data-testid="roster-row"][data-id="${father}"]`);
    await expect.poll(() => row.count(), { timeout: 60_000 }).toBe(1);

    // At the door, no signal: the retiree agrees, the worker records it.
    await setNoSignal(phone, true);
    await row.click();
    const request = w.getByTestId('family-request');
    await expect.poll(() => request.count(), { timeout: 60_000 }).toBe(1);
    expect(await request.textContent()).toContain('李小华（女儿）申请帮老人认证');
    await noAxeViolations(w);
    await shot(w, 'worker-request');
    await w.getByTestId('family-approve').click();
    await expect.poll(() => w.locator('[data-testid="family-decision"][data-state="waiting"]').count()).toBe(1);
    expect(await linked('li.xiaohua', father)).toBe(false);

    // Signal again: sent once, the link made, the answer shown.
    await setNoSignal(phone, false);
    await w.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => linked('li.xiaohua', father), { timeout: 90_000 }).toBe(true);
    await expect.poll(() => w.locator('[data-testid="family-decision"][data-state="sent"]').count(), { timeout: 60_000 }).toBe(1);
    expect((await env.db.get<{ n: number }>("SELECT count(*) AS n FROM link_decisions WHERE action = 'approve' AND retiree_id = ?", [father]))!.n).toBe(1);
    const entry = await env.db.get<{ details: string }>("SELECT details FROM audit_log WHERE event = 'family_linked' ORDER BY id DESC LIMIT 1");
    expect(JSON.parse(entry!.details)).toMatchObject({ via: 'worker', relation: 'daughter' });

    // The daughter's phone lists her father after its next pull.
    await fam.reload();
    await expect.poll(() => fam.getByTestId('pick-retiree').count(), { timeout: 60_000 }).toBe(1);
    await family.close();
    await phone.close();
  });
});

if (!HAS_SHARED) it.skip(`family service e2e (${SKIP_REASON})`, () => undefined);
