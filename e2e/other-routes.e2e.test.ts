// The other routes after a failed check (issue 17 §3, decision 078), in real Chromium against the
// real server: the retiree's check fails (the fake camera shows the retiree alone, then a second
// person beside her: the check ends failed, as it would at home), the result offers the routes as
// actions at once — the first failure — with 再试一次 in sight on a 360×640 phone; without signal
// 请社区工作人员上门 is kept on the phone and says so; 请家人帮忙 says truthfully who already helps;
// the office phone is a tel: button ≥ 64 px. Back online, the request is stored once and the
// community worker, signed in on another phone, sees the retiree first on the roster, marked 请求上门.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { PHONE, setNoSignal } from '../scripts/harness/browser.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { tapKeys } from '../scripts/harness/retiree-phone.ts';
import { HAS_SHARED, videoFixture } from '../scripts/harness/shared-data.ts';

const suite = HAS_SHARED ? describe : describe.skip;

/**
 * 4 s of one person alone (the check takes her as the retiree), then 10 s with a second person beside
 * her, looped: the check ends `failed` (several faces, or the face in the picture changing at a cut),
 * never passed, and never on a timer. Built in a temp folder from ../shared, never in the repo.
 */
function alongsideClip(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stillhere-routes-'));
  const alone = join(dir, 'alone.mjpeg');
  const two = join(dir, 'two.mjpeg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', videoFixture('neutral_woman.mp4'), '-t', '4', '-vf', 'fps=30', '-q:v', '3', alone]);
  execFileSync('ffmpeg', [
    '-loglevel', 'error', '-y',
    '-stream_loop', '3', '-i', videoFixture('neutral_man_webcam.mp4'),
    '-stream_loop', '1', '-i', videoFixture('neutral_woman.mp4'),
    '-filter_complex', '[0:v]crop=320:480:160:0[l];[1:v]crop=320:480:160:0[r];[l][r]hstack,fps=30',
    '-t', '10', '-q:v', '3', two,
  ]);
  const out = join(dir, 'alone_then_two.mjpeg');
  writeFileSync(out, Buffer.concat([readFileSync(alone), readFileSync(two)]));
  return out;
}

const env = useServerAndBrowser({ fakeVideo: alongsideClip, when: HAS_SHARED });
const CHECK_TIMEOUT = 240_000;
const SCREENSHOT = process.env.STILLHERE_SCREENSHOT_DIR;

async function signInRetiree(page: Page) {
  await page.goto(env.server.url);
  await tapKeys(page, DEMO.retireeOpen.idNumber);
  await tapKeys(page, DEMO.retireeOpen.pin);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
  await expect.poll(() => page.getByTestId('sync-last').textContent(), { timeout: 30_000 }).toContain('上次发送成功');
}

suite('the other routes after a failed check', () => {
  it('a failed check offers them as actions; a home-visit request made offline reaches the top of the worker roster', async () => {
    const retireeId = (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
    const phone = await env.browser.newContext({ ...PHONE, viewport: { width: 360, height: 640 }, serviceWorkers: 'allow' });
    const page = await phone.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInRetiree(page);

    await page.getByTestId('start-check').click();
    // The first check asks for consent first (the demo retiree has not answered it yet).
    await expect.poll(() => page.getByTestId('consent').count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: '同意，用人脸认证' }).click();
    await expect.poll(() => page.getByTestId('prepare').count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: '我准备好了，开始' }).click();
    await expect.poll(() => page.getByTestId('check-result').count(), { timeout: CHECK_TIMEOUT, interval: 500 }).toBe(1);
    const result = page.getByTestId('check-result');
    expect(await result.getAttribute('data-verdict')).toBe('failed');

    // The first failure of the day already offers the routes, each a real action.
    const routes = page.getByTestId('alternatives');
    await expect.poll(() => routes.count()).toBe(1);
    const call = page.getByTestId('route-call');
    expect(await call.getAttribute('href')).toBe('tel:01065005678');
    expect(await call.textContent()).toBe('打电话给社保局 010-6500 5678');
    for (const id of ['route-worker-ask', 'route-family', 'route-call']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.height, id).toBeGreaterThanOrEqual(64);
    }
    // 再试一次 is in sight without scrolling on a 360×640 phone.
    const again = (await page.getByTestId('result-try-again').boundingBox())!;
    expect(again.y).toBeGreaterThanOrEqual(0);
    expect(again.y + again.height).toBeLessThanOrEqual(640);
    if (SCREENSHOT) await page.screenshot({ path: join(SCREENSHOT, '640-result-routes.png') });

    // No signal: the request is kept on the phone, and the screen says only that.
    await setNoSignal(phone, true);
    await page.getByTestId('route-worker-ask').click();
    const worker = page.getByTestId('route-worker');
    await expect.poll(() => worker.getAttribute('data-state')).toBe('waiting');
    expect(await worker.textContent()).toBe('已保存在手机上，有信号时会发给社区工作人员。');
    expect(await env.db.get('SELECT 1 FROM visit_requests')).toBeUndefined();
    if (SCREENSHOT) await page.screenshot({ path: join(SCREENSHOT, '640-result-routes-waiting.png') });

    // 请家人帮忙: the demo retiree already has a helper, and the screen says who.
    await page.getByTestId('route-family').click();
    await expect.poll(() => page.getByTestId('family-howto').getAttribute('data-linked')).toBe('yes');
    expect(await page.getByTestId('family-linked').textContent()).toContain('张小红');
    await page.getByTestId('family-howto-back').click();
    await expect.poll(() => worker.getAttribute('data-state')).toBe('waiting');

    // Signal again: stored once, and the screen now says it is asked, with the day.
    await setNoSignal(phone, false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => worker.getAttribute('data-state'), { timeout: 60_000 }).toBe('open');
    expect(await worker.textContent()).toContain('已请求上门，工作人员会联系您。');
    expect(await env.db.all('SELECT retiree_id, state FROM visit_requests')).toEqual([{ retiree_id: retireeId, state: 'open' }]);

    // The community worker, on another phone, sees the retiree first, marked 请求上门.
    const workerPhone = await env.browser.newContext({ ...PHONE, serviceWorkers: 'allow' });
    const wp = await workerPhone.newPage();
    await wp.goto(env.server.url);
    await wp.getByRole('button', { name: /社区工作人员、家属/ }).click();
    await wp.getByLabel('用户名').fill(DEMO.worker.username);
    await wp.getByLabel('密码', { exact: true }).fill(DEMO.worker.password);
    await wp.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => wp.getByTestId('roster-row').count(), { timeout: 60_000 }).toBeGreaterThan(1);
    const first = wp.getByTestId('roster-row').first();
    expect(await first.getAttribute('data-id')).toBe(String(retireeId));
    expect(await first.getByTestId('row-visit-request').textContent()).toMatch(/^请求上门 · /);
    expect(await wp.getByTestId('row-visit-request').count()).toBe(1);
    // The retiree's page says so too, and what answers it.
    await first.click();
    await expect.poll(() => wp.getByTestId('retiree-visit-request').textContent()).toContain('老人请社区工作人员上门');

    // Home says it too, with the day, until a worker answers; the retiree can take it back, and
    // the withdrawal reaches the server through the same push.
    const clips: string[] = [];
    page.on('request', (r) => {
      const m = /\/voice\/zh-CN\/(.+)\.mp3$/.exec(decodeURIComponent(r.url()));
      if (m) clips.push(m[1]!);
    });
    await page.getByRole('button', { name: '回到首页' }).click();
    const line = page.getByTestId('home-visit-request');
    await expect.poll(() => line.getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
    expect(await line.textContent()).toContain('已请求上门，工作人员会联系您。');
    expect(await line.textContent()).toMatch(/请求的日期：\d{4}年\d{1,2}月\d{1,2}日/);
    // The main action stays in sight at 360×640 with the line on Home.
    const start = (await page.getByTestId('start-check').boundingBox())!;
    expect(start.y + start.height).toBeLessThanOrEqual(640);
    const withdraw = page.getByTestId('home-visit-withdraw');
    expect((await withdraw.boundingBox())!.height).toBeGreaterThanOrEqual(64);
    await withdraw.click();
    await expect.poll(() => line.count()).toBe(0);
    await expect.poll(() => clips).toContain('say.home.visitWithdrawn');
    // The request is closed as withdrawn; the withdrawal is its own row of the push (decision 078).
    await expect
      .poll(() => env.db.all('SELECT action, state, closed_by FROM visit_requests WHERE retiree_id = ? ORDER BY received_at, action', [retireeId]), { timeout: 60_000 })
      .toEqual([
        { action: 'request', state: 'closed', closed_by: 'withdrawn' },
        { action: 'withdraw', state: 'answered', closed_by: null },
      ]);

    expect(errors).toEqual([]);
    await workerPhone.close();
    await phone.close();
  });
});
