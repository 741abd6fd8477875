// Walks every retiree and family screen through the real UI (and the test-only result preview for
// the failed / other-routes results), calling `visit(name, page)` on each. Used by the
// accessibility test (axe-core on every screen) and by scripts/screenshots.ts (docs/screens/).
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { Db } from '../../server/db/sqlite.ts';
import { DEMO } from '../../server/seed/demo.ts';
import { PHONE } from './browser.ts';
import { addReferencePhotos, clipPeoplePhotos } from './identity.ts';
import { passableSeed, plantChallenge, tapKeys } from './retiree-phone.ts';

export type Visit = (name: string, page: Page) => Promise<void>;

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const testId = (page: Page, id: string) => page.getByTestId(id);
const shown = (page: Page, id: string) => until(id, async () => (await testId(page, id).count()) > 0);
const state = (page: Page, value: string) => until(`status ${value}`, async () => (await testId(page, 'status-card').getAttribute('data-state')) === value);
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).click();

async function synced(page: Page) {
  await until('first sync', async () => ((await testId(page, 'sync-last').textContent()) ?? '').includes('上次发送成功'));
}

export interface TourOptions {
  url: string;
  db: Db;
  /** Chromium with the composite face clip as its camera. */
  camera: Browser;
  /** Chromium without a camera (the check's camera problem screen). */
  noCamera: Browser;
  context?: BrowserContextOptions;
}

export async function tourScreens(o: TourOptions, visit: Visit): Promise<void> {
  const options = { ...PHONE, serviceWorkers: 'allow' as const, ...o.context };
  const context = await o.camera.newContext(options);
  const page = await context.newPage();
  await page.goto(o.url);

  // Sign-in: ID keypad, then PIN keypad.
  await shown(page, 'keypad');
  await visit('sign-in-id', page);
  await tapKeys(page, DEMO.retireeOpen.idNumber);
  await tapKeys(page, DEMO.retireeOpen.pin.slice(0, 3));
  await visit('sign-in-pin', page);
  await tapKeys(page, DEMO.retireeOpen.pin.slice(3));
  await button(page, '登录');

  await state(page, 'open');
  await synced(page);
  await visit('home', page);
  await plantChallenge(page, o.db, passableSeed());
  // The office holds this retiree's photos, so the server's face match certifies the check (issue 14).
  const retiree = (await o.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
  await addReferencePhotos(o.url, retiree, clipPeoplePhotos());

  await testId(page, 'start-check').click();
  await shown(page, 'consent');
  await visit('consent', page);
  await button(page, '不用人脸，我要现场或上门认证');
  await shown(page, 'consent-declined');
  await visit('consent-declined', page);
  await button(page, '我改主意了，用人脸认证');
  await shown(page, 'prepare');
  await visit('prepare', page);
  await button(page, '我准备好了，开始');
  await until('check running', async () => ((await testId(page, 'step-line').textContent()) ?? '').length > 0, 90_000);
  await visit('check', page);
  await until('result', async () => (await testId(page, 'check-result').getAttribute('data-sync')) === 'sent', 150_000);
  // Sent, then certified once the app's re-sync brings the server's face match (~20 s later).
  await until('certified result', async () => (await testId(page, 'check-result').getAttribute('data-stage')) === 'certified', 90_000);
  await visit('result-passed', page);
  await button(page, '回到首页');
  await state(page, 'certified');
  await visit('home-certified', page);

  await button(page, '认证记录');
  await until('history', async () => (await page.locator('[data-testid="attempt"]').count()) > 0);
  await visit('history', page);
  await button(page, '回到首页');
  await button(page, '设置');
  await shown(page, 'settings');
  await visit('settings', page);
  await button(page, '修改密码');
  await visit('settings-change-pin', page);
  await page.getByRole('button', { name: '特大', exact: true }).click();
  await button(page, '回到首页');
  await visit('home-extra-large', page);
  await button(page, '设置');
  await page.getByRole('button', { name: '大', exact: true }).click();
  await button(page, '回到首页');
  await button(page, '帮助');
  await shown(page, 'help');
  await visit('help', page);
  await button(page, '回到首页');
  await button(page, '设置');
  await button(page, '退出登录');

  // First time: the letter's QR scanner (the camera shows no letter here), typed instead: the
  // activation code; then the staff / family form.
  await testId(page, 'first-use').click();
  await until('scanner', async () => (await testId(page, 'scan-letter').getAttribute('data-phase')) === 'scanning', 60_000);
  await visit('first-use-scan', page);
  await button(page, '手动输入');
  await tapKeys(page, DEMO.retireeNew.idNumber);
  await tapKeys(page, DEMO.retireeNew.activationCode.slice(0, 4));
  await visit('activate-code', page);
  await button(page, '改身份证号码');
  await button(page, '社区工作人员、家属或社保经办人员登录');
  await visit('sign-in-staff', page);
  await page.getByLabel('用户名').fill(DEMO.family.username);
  await page.getByLabel('密码', { exact: true }).fill(DEMO.family.password);
  await button(page, '登录');
  await shown(page, 'pick-retiree');
  await synced(page);
  await visit('family-pick', page);
  await testId(page, 'pick-retiree').click();
  await state(page, 'certified');
  await visit('family-retiree', page);

  // A failed check, which a clip cannot reach quickly, from the test-only preview page. Since the
  // other routes are offered from the first failure (decision 078) a failure always shows them: one
  // picture, not a "failed" and an "alternatives" that came out the same.
  const preview = await context.newPage();
  await preview.goto(`${o.url}/dev/screens.html?screen=alternatives`);
  await shown(preview, 'check-result');
  await shown(preview, 'alternatives');
  await visit('result-failed', preview);
  await preview.close();
  await context.close();

  // No camera on this phone: the check says so and what to do.
  const bare = await o.noCamera.newContext(options);
  const p2 = await bare.newPage();
  await p2.goto(o.url);
  await tapKeys(p2, DEMO.retireeSuspended.idNumber);
  await tapKeys(p2, DEMO.retireeSuspended.pin);
  await button(p2, '登录');
  await state(p2, 'suspended');
  await visit('home-suspended', p2);
  await testId(p2, 'start-check').click();
  await button(p2, '同意，用人脸认证');
  await button(p2, '我准备好了，开始');
  await shown(p2, 'check-problem');
  await visit('check-camera-problem', p2);
  await bare.close();
}
