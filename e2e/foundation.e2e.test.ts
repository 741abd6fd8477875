// The spine in real Chromium: the built PWA served by the real server, demo data in a real SQLite
// file, sign-in / activation / status through the UI, and nothing loaded from another origin.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { PHONE, setNoSignal } from '../scripts/harness/browser.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';

const env = useServerAndBrowser();

async function newPage(locale = 'zh-CN'): Promise<{ context: BrowserContext; page: Page; foreign: string[] }> {
  const context = await env.browser.newContext({ ...PHONE, locale });
  const page = await context.newPage();
  const foreign: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(env.server.url) && !req.url().startsWith('data:') && !req.url().startsWith('blob:')) foreign.push(req.url());
  });
  await page.goto(env.server.url);
  return { context, page, foreign };
}

async function signInRetiree(page: Page, idNumber: string, pin: string) {
  await page.getByLabel('身份证号码').fill(idNumber);
  await page.getByLabel('6 位密码').fill(pin);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

describe('retiree sign-in and status', () => {
  it('signs in with ID number and PIN, shows the open window, and stays signed in after a reload', async () => {
    const { context, page, foreign } = await newPage();
    await signInRetiree(page, DEMO.retireeOpen.idNumber, DEMO.retireeOpen.pin);
    const card = page.getByTestId('status-card');
    // The status comes from the first sync after sign-in, which shares two cores with the rest.
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 20_000 }).toBe('open');
    expect(await card.textContent()).toMatch(/请在 .+ 前完成认证/);
    await expect.poll(() => page.getByText('010-6500 5678').count()).toBe(1);

    await page.reload();
    await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: 20_000 }).toBe('open');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'sh_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    expect(foreign).toEqual([]);

    // Sign-out lives in Settings (issue 5: one main action on Home).
    await page.getByRole('button', { name: '设置', exact: true }).click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect.poll(() => page.getByLabel('身份证号码').count()).toBe(1);
    const rows = await env.db.all<{ event: string }>("SELECT event FROM audit_log WHERE event IN ('sign_in', 'sign_out') ORDER BY id");
    expect(rows.map((r) => r.event)).toEqual(expect.arrayContaining(['sign_in', 'sign_out']));
    await context.close();
  });

  it('a sign-out without signal holds: back with signal, the app does not sign the retiree in again and the session ends', async () => {
    const { context, page } = await newPage();
    await signInRetiree(page, DEMO.retireeCertified.idNumber, DEMO.retireeCertified.pin);
    await expect.poll(() => page.getByTestId('status-card').count(), { timeout: 20_000 }).toBe(1);
    const userId = (await env.db.get<{ id: number }>('SELECT u.id FROM users u JOIN retirees r ON r.id = u.retiree_id WHERE r.id_number = ?', [DEMO.retireeCertified.idNumber]))!.id;
    const sessions = () => env.db.all('SELECT id FROM sessions WHERE user_id = ?', [userId]);
    expect(await sessions()).toHaveLength(1);

    await setNoSignal(context, true);
    await page.getByRole('button', { name: '设置', exact: true }).click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect.poll(() => page.getByLabel('身份证号码').count()).toBe(1);
    // The server never heard of it: the session and its HttpOnly cookie are still there.
    expect(await sessions()).toHaveLength(1);
    await page.reload();
    await expect.poll(() => page.getByLabel('身份证号码').count(), { timeout: 20_000 }).toBe(1);

    await setNoSignal(context, false);
    await page.reload();
    await expect.poll(() => page.getByLabel('身份证号码').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => sessions(), { timeout: 10_000 }).toHaveLength(0);
    expect(await page.getByTestId('status-card').count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByLabel('身份证号码').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('status-card').count()).toBe(0);
    await context.close();
  });

  it('flags a mistyped ID number as it is typed, in plain Chinese', async () => {
    const { context, page } = await newPage();
    const wrong = DEMO.retireeOpen.idNumber.slice(0, 17) + (DEMO.retireeOpen.idNumber.endsWith('1') ? '2' : '1');
    await page.getByLabel('身份证号码').fill(wrong);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('有一位输错了');
    await context.close();
  });

  it('says how many tries are left after a wrong PIN', async () => {
    const { context, page } = await newPage();
    await signInRetiree(page, DEMO.retireeCertified.idNumber, '902817');
    await expect.poll(() => page.locator('.error').textContent()).toContain('身份证号码或密码不对');
    const throttle = await env.db.get<{ failures: number }>('SELECT failures FROM login_throttle WHERE key = ?', [`retiree:${DEMO.retireeCertified.idNumber}`]);
    expect(throttle?.failures).toBe(1);
    await context.close();
  });

  it('activates a first-time retiree with the one-time code and a new PIN', async () => {
    const { context, page } = await newPage();
    // "第一次使用" opens the letter's QR scanner; this browser has no camera, so the codes are typed.
    await page.getByRole('button', { name: /^第一次使用/ }).click();
    await page.getByRole('button', { name: '手动输入' }).click();
    await page.getByLabel('身份证号码').fill(DEMO.retireeNew.idNumber);
    await page.getByLabel(/激活码/).fill(DEMO.retireeNew.activationCode);
    await page.getByLabel('设置 6 位密码').fill('123456');
    await page.getByLabel('再输一次密码').fill('123456');
    await page.getByRole('button', { name: '设置密码并登录' }).click();
    await expect.poll(() => page.locator('.error').textContent()).toContain('太容易被猜到');

    await page.getByLabel('设置 6 位密码').fill('502718');
    await page.getByLabel('再输一次密码').fill('502718');
    await page.getByRole('button', { name: '设置密码并登录' }).click();
    await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: 20_000 }).toBe('open');

    const code = await env.db.get<{ used_at: number | null }>(
      'SELECT a.used_at FROM activation_codes a JOIN retirees r ON r.id = a.retiree_id WHERE r.id_number = ?',
      [DEMO.retireeNew.idNumber],
    );
    expect(code?.used_at).toBeGreaterThan(0);
    await context.close();
  });

  it('shows the suspended state for a retiree whose window closed', async () => {
    const { context, page } = await newPage();
    await signInRetiree(page, DEMO.retireeSuspended.idNumber, DEMO.retireeSuspended.pin);
    await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: 20_000 }).toBe('suspended');
    expect(await page.getByTestId('status-card').textContent()).toContain('养老金已暂停发放');
    await context.close();
  });
});

describe('staff and language', () => {
  it('signs a worker in with username and password, in English when chosen', async () => {
    const { context, page } = await newPage('en-US');
    await page.getByRole('button', { name: /community worker/ }).click();
    await page.getByLabel('Username').fill(DEMO.worker.username);
    await page.getByLabel('Password').fill(DEMO.worker.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: "刘芳's roster" }).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('roster-row').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await context.close();
  });
});

describe('parts of the app loaded later', () => {
  it('says so in plain words when a part cannot be loaded, and loads it on "Try again"', async () => {
    // No service worker: the page itself fetches the worker part, and the route below can refuse it.
    const context = await env.browser.newContext({ ...PHONE, locale: 'en-US', serviceWorkers: 'block' });
    const page = await context.newPage();
    let refused = 0;
    await page.route(/\/assets\/WorkerApp-[^/]+\.js$/, (route) => {
      refused++;
      return route.abort('internetdisconnected');
    });
    await page.goto(env.server.url);
    await page.getByRole('button', { name: /community worker/ }).click();
    await page.getByLabel('Username').fill(DEMO.worker.username);
    await page.getByLabel('Password').fill(DEMO.worker.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('This page could not be opened');
    expect(refused).toBeGreaterThan(0);

    await page.unroute(/\/assets\/WorkerApp-[^/]+\.js$/);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: "刘芳's roster" }).count()).toBe(1);
    await context.close();
  });
});

describe('served from our own origin', () => {
  it('sends a strict CSP and serves the MediaPipe wasm and the model itself', async () => {
    const { context, page } = await newPage();
    const res = await page.request.get(env.server.url);
    const csp = res.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toContain('unsafe-inline');

    const assets = await page.evaluate(async () => {
      const wasm = await fetch('/mediapipe/wasm/vision_wasm_internal.wasm');
      const model = await fetch('/models/face_landmarker.task');
      const bytes = new Uint8Array(await model.arrayBuffer());
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return {
        wasmType: wasm.headers.get('content-type'),
        wasmOk: wasm.ok,
        modelSha: [...digest].map((b) => b.toString(16).padStart(2, '0')).join(''),
      };
    });
    expect(assets).toEqual({
      wasmType: 'application/wasm',
      wasmOk: true,
      modelSha: '64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff',
    });
    await context.close();
  });
});
