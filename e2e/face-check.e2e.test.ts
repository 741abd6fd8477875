// The one face-check controller seen through the worker's outdoor screen (issue 17 §0, decision
// 062), in real Chromium with the fake camera (the composite clip of decision 039) against the real
// server: a check the worker stops is not an attempt (decision 038) and the preview comes back for
// the next one; and the screen waits for the face-check files before it opens the camera or lets
// the worker start, then carries on by itself once they are there. The elder screens (retiree and
// family) run the same controller in retiree.e2e, family.e2e and identity.e2e.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { PHONE, phoneRecords } from '../scripts/harness/browser.ts';
import { useCameraPhone } from '../scripts/harness/retiree-phone.ts';
import { HAS_SHARED, SKIP_REASON } from '../scripts/harness/shared-data.ts';
import { agreeAtTheDoor } from '../scripts/harness/worker-door.ts';

const suite = HAS_SHARED ? describe : describe.skip;
const env = useCameraPhone();
const ASSET_FILES = /\/(?:mediapipe|models)\//;

async function workerAt(context: BrowserContext): Promise<{ page: Page; retireeId: number }> {
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.getByRole('button', { name: /社区工作人员、家属/ }).click();
  await page.getByLabel('用户名').fill(DEMO.worker.username);
  await page.getByLabel('密码', { exact: true }).fill(DEMO.worker.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect.poll(() => page.getByTestId('roster-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
  const retireeId = (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
  await page.getByTestId('roster-search').fill(DEMO.retireeOpen.name);
  await page.locator(`[data-testid="roster-row"][data-id="${retireeId}"]`).click();
  await page.getByTestId('act-certify').click();
  // The retiree's consent first (decision 085): the worker records the retiree's yes.
  await agreeAtTheDoor(page);
  return { page, retireeId };
}

const phase = (page: Page) => page.getByTestId('certify').getAttribute('data-phase');

suite('the worker screen over the one face-check controller', () => {
  it('a check the worker stops is not an attempt: back to the preview, nothing on the phone', { timeout: 300_000 }, async () => {
    const context = await env.browser.newContext({ ...PHONE, serviceWorkers: 'allow', permissions: ['camera', 'microphone'] });
    const { page } = await workerAt(context);
    await expect.poll(() => page.getByTestId('certify').getAttribute('data-engine'), { timeout: 120_000 }).toBe('ready');
    await expect.poll(() => page.getByTestId('start-check').isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('start-check').click();
    // The check is under way: the engine gives its first instruction.
    await expect.poll(() => phase(page)).toBe('running');
    await expect.poll(() => page.locator('[data-testid="certify"] progress').count(), { timeout: 60_000 }).toBe(1);
    await page.getByRole('button', { name: '停止', exact: true }).click();

    await expect.poll(() => phase(page), { timeout: 30_000 }).toBe('setup');
    expect(await page.getByTestId('certify-result').count()).toBe(0);
    expect(await phoneRecords(page, 'attempts')).toEqual([]);
    // (The retiree's consent, recorded before the check, may still be in the outbox: it is not an attempt.)
    expect((await phoneRecords<{ kind: string }>(page, 'outbox')).filter((e) => e.kind !== 'consent')).toEqual([]);
    // The preview is back and the next check can start at once.
    await expect.poll(() => page.getByTestId('start-check').isEnabled()).toBe(true);
    expect(await page.locator('[data-testid="certify"] video').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
    await context.close();
  });

  it('waits for the face-check files before the camera and the start button, then carries on', { timeout: 300_000 }, async () => {
    const context = await env.browser.newContext({ ...PHONE, serviceWorkers: 'allow', permissions: ['camera', 'microphone'] });
    // The engine's files cannot be fetched yet (a phone whose download has not finished, no signal).
    let refused = 0;
    await context.route(ASSET_FILES, (route) => {
      refused++;
      return route.abort('internetdisconnected');
    });
    const { page } = await workerAt(context);
    await expect.poll(() => page.getByText('下载暂停，有信号时继续', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    // Nothing starts meanwhile, however often the download tries again: no start button, no camera, no engine.
    const tries = refused;
    await expect.poll(() => refused, { timeout: 60_000 }).toBeGreaterThan(tries);
    expect(await page.getByTestId('start-check').isDisabled()).toBe(true);
    expect(await phase(page)).toBe('assets');
    expect(await page.getByTestId('asset-wait').getAttribute('data-state')).toBe('paused');
    expect(await page.getByTestId('certify').getAttribute('data-engine')).toBe('idle');
    expect(await page.locator('[data-testid="certify"] video').evaluate((v: HTMLVideoElement) => v.srcObject === null)).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);

    // Signal: the download resumes by itself, then the camera and the engine; the worker can start.
    await context.unroute(ASSET_FILES);
    await expect.poll(() => page.getByTestId('certify').getAttribute('data-engine'), { timeout: 180_000, interval: 500 }).toBe('ready');
    await expect.poll(() => phase(page), { timeout: 30_000 }).toBe('setup');
    await expect.poll(() => page.getByTestId('start-check').isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await page.locator('[data-testid="certify"] video').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
    await context.close();
  });
});

if (!HAS_SHARED) it.skip(`face-check e2e (${SKIP_REASON})`, () => undefined);
