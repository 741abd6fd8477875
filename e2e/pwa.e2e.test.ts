// The installable, offline PWA in real Chromium against the real server (test build):
//  1. installable (CDP Page.getInstallabilityErrors is empty, the manifest parses), the liveness
//     assets download once after sign-in with a visible "正在准备人脸检查：x / y MB", the stored
//     bytes equal the files; then with the network off and a reload the app opens signed in and
//     the liveness runtime loads its wasm and model from the service worker, nothing from the network;
//  2. a download cut off mid-file (a proxy drops the connection) and the app closed: reopened, it
//     asks for exactly the missing bytes with Range, and the stored file is identical to the original;
//  3. a new build: the banner appears; during a check it steps aside and an update asked for waits,
//     the end of the check reloads into the new version; another build, and a tap updates.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outDirFor } from '../scripts/build.ts';
import { DEMO } from '../server/seed/demo.ts';
import { CHROMIUM, launchBrowser, PHONE } from '../scripts/harness/browser.ts';
import { startServer, type RunningServer } from '../scripts/harness/server.ts';

const DIST = outDirFor('test');
const WASM = '/mediapipe/wasm/vision_wasm_module_internal.wasm';
const ENGINE = [WASM, '/mediapipe/wasm/vision_wasm_module_internal.js', '/models/face_landmarker.task'];
const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');
const fileSha = (url: string) => sha256(readFileSync(join(DIST, url)));
/** The gzip copy of an engine file the phone downloads instead (scripts/lib/pwa-assets.ts, decision 075). */
const gzipCopy = (url: string) => url.replace(/\/([^/]+)$/, '/gz/$1.gz');
const WASM_WIRE = gzipCopy(WASM);

interface PwaHook {
  livenessAssets(): () => { state: string; loadedBytes: number; totalBytes: number; error?: string };
  prepareLivenessAssets(): void;
  holdUpdates(reason: string): () => void;
}
declare const __stillherePwa: PwaHook;

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
  server = await startServer();
  // The default fake camera (a test pattern, no face): enough for the runtime to load and run.
  browser = await launchBrowser({ extraArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'] });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'allow' });
  return { context, page: await context.newPage() };
}

async function controlled(page: Page) {
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 }).toBe(true);
}

const assetState = (page: Page) => page.evaluate(() => __stillherePwa.livenessAssets()());

/** SHA-256 of what the asset cache holds for `url`, computed in the page. */
const cachedSha = (page: Page, url: string) =>
  page.evaluate(async (u) => {
    const hit = await (await caches.open('stillhere-assets-v1')).match(location.origin + u);
    if (!hit) return null;
    const digest = await crypto.subtle.digest('SHA-256', await hit.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, url);

/** Keys of the phone's settings store (IndexedDB 'stillhere'), read without the app's code. */
function rememberedKeys(): Promise<string[]> {
  return new Promise((resolve) => {
    const open = indexedDB.open('stillhere');
    open.onerror = () => resolve([]);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('settings')) return resolve([]);
      const keys = db.transaction('settings').objectStore('settings').getAllKeys();
      keys.onsuccess = () => resolve(keys.result.map(String));
      keys.onerror = () => resolve([]);
    };
  });
}

describe('installable and offline', () => {
  it('is installable: Chromium reports no installability errors, in Chinese and in English', async () => {
    // A normal (persistent) profile: Chromium never offers installation in incognito contexts.
    const profile = mkdtempSync(join(tmpdir(), 'stillhere-profile-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'], ...PHONE });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(server.url);
      await controlled(page);
      const cdp = await context.newCDPSession(page);
      const errors = async () => ((await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] }).installabilityErrors;
      expect(await errors()).toEqual([]);
      // English: the page links the English twin of the manifest, the same app.
      await page.evaluate(() => localStorage.setItem('stillhere.lang', 'en'));
      await page.reload();
      await expect.poll(() => page.evaluate(() => document.querySelector('link[rel="manifest"]')?.getAttribute('href'))).toBe('/manifest.en.webmanifest');
      const en = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; data: string };
      expect(en.errors).toEqual([]);
      expect(JSON.parse(en.data)).toMatchObject({ short_name: 'StillHere', lang: 'en', id: '/', start_url: '/' });
      expect(await errors()).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  it('installs, downloads the liveness assets once with progress, then opens and loads the engine with no network', async () => {
    const { context, page } = await phone();
    try {
      await page.goto(server.url);
      await controlled(page);
      const cdp = await context.newCDPSession(page);
      const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[]; data: string };
      expect(manifest.errors).toEqual([]);
      expect(manifest.url).toMatch(/\/manifest\.webmanifest$/);
      expect(JSON.parse(manifest.data)).toMatchObject({ short_name: '在这儿', lang: 'zh-CN', display: 'standalone', id: '/' });

      // Sign in (the sign-in screens have their own tests); the app keeps `me` on the phone.
      const signedIn = await page.evaluate(async ({ idNumber, pin }) => {
        const res = await fetch('/api/auth/sign-in/retiree', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ idNumber, pin }) });
        return res.status;
      }, DEMO.retireeOpen);
      expect(signedIn).toBe(200);

      // The download, slowed to ~20 Mbit/s so that the bar is seen moving.
      const harness = await context.newPage();
      const hcdp = await context.newCDPSession(harness);
      await hcdp.send('Network.enable');
      await hcdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 2_500_000, uploadThroughput: 2_500_000 });
      await harness.goto(`${server.url}/dev/pwa.html?prepare=1`);
      const seen: string[] = [];
      await expect
        .poll(
          async () => {
            const el = harness.getByTestId('asset-progress');
            seen.push(`${await el.getAttribute('data-state')}|${(await el.textContent()) ?? ''}`);
            return el.getAttribute('data-state');
          },
          { timeout: 90_000, interval: 200 },
        )
        .toBe('ready');
      const moving = seen.filter((s) => /^downloading\|正在准备人脸检查：\d+\.\d \/ (\d+\.\d) MB/.test(s));
      expect(moving.length, seen.join('\n')).toBeGreaterThan(2);
      const amounts = moving.map((s) => Number(/：(\d+\.\d)/.exec(s)![1]));
      expect(amounts.some((a) => a > 0)).toBe(true);
      expect(new Set(amounts).size).toBeGreaterThan(1);
      const final = await assetState(harness);
      expect(final.loadedBytes).toBe(final.totalBytes);
      // What crossed the wire: the engine's gzip copies (7.3 MB, not the 17.1 MB of the files) and the voice clips.
      const voiceDir = join(DIST, 'voice', 'zh-CN');
      const wire = ENGINE.reduce((n, url) => n + statSync(join(DIST, gzipCopy(url))).size, 0) + readdirSync(voiceDir).filter((f) => f.endsWith('.mp3')).reduce((n, f) => n + statSync(join(voiceDir, f)).size, 0);
      expect(final.totalBytes).toBe(wire);
      expect(ENGINE.reduce((n, url) => n + statSync(join(DIST, gzipCopy(url))).size, 0)).toBeLessThan(8_000_000);
      for (const url of ENGINE) expect(await cachedSha(harness, url), url).toBe(fileSha(url));
      await hcdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await harness.close();

      // The app, online once (it remembers who is signed in), then offline.
      await page.reload();
      await expect.poll(() => page.getByTestId('retiree-home').count(), { timeout: 30_000 }).toBe(1);
      // The phone has written down who is signed in (web/session.ts), which is what opens it offline.
      await expect.poll(() => page.evaluate(rememberedKeys), { timeout: 30_000 }).toContain('me');

      const failed: string[] = [];
      const fromNetwork: string[] = [];
      const fromWorker: string[] = [];
      context.on('requestfailed', (r) => failed.push(r.url()));
      context.on('response', (r) => {
        if (!r.url().startsWith(server.url) || r.url().includes('/api/')) return;
        (r.fromServiceWorker() ? fromWorker : fromNetwork).push(new URL(r.url()).pathname);
      });
      const consoleLines: string[] = [];
      page.on('console', (m) => consoleLines.push(m.text()));
      await context.setOffline(true);
      await page.reload();
      await expect
        .poll(() => page.getByTestId('retiree-home').count(), { timeout: 30_000, message: 'offline' })
        .toBe(1)
        .catch(async (err: unknown) => {
          throw new Error(`${String(err)}\npage: ${await page.evaluate(() => document.body.innerText).catch(() => '?')}\nfailed: ${failed.join(' ')}\nconsole: ${consoleLines.join('\n')}`);
        });
      await expect.poll(() => assetState(page).then((s) => s.state), { timeout: 30_000 }).toBe('ready');

      // A voice clip of the phone's language, as an <audio> element asks for it (a range), offline.
      const clip = readdirSync(join(DIST, 'voice', 'zh-CN')).find((f) => f.endsWith('.mp3'))!;
      const audio = await page.evaluate(async (u) => {
        const res = await fetch(u, { headers: { Range: 'bytes=0-' } });
        return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
      }, `/voice/zh-CN/${clip}`);
      expect(audio).toEqual({ status: 206, bytes: statSync(join(DIST, 'voice', 'zh-CN', clip)).size });

      // The real liveness runtime (module Worker, wasm, model) on the harness page, offline.
      const check = await context.newPage();
      await check.goto(`${server.url}/dev/liveness.html?steps=blink&runMs=1500&mic=0`);
      await check.waitForFunction(() => {
        const s = (window as unknown as { __liveness?: { status: string } }).__liveness?.status;
        return s === 'done' || s === 'error';
      }, null, { timeout: 90_000, polling: 250 });
      const report = (await check.evaluate(() => (window as unknown as { __liveness: { error?: unknown; runtime: { inWorker: boolean } | null } }).__liveness)) as {
        error?: unknown;
        runtime: { inWorker: boolean } | null;
      };
      expect(report.error).toBeUndefined();
      expect(report.runtime?.inWorker).toBe(true);
      expect(failed.filter((u) => !u.includes('/api/'))).toEqual([]);
      expect(fromNetwork).toEqual([]);
      for (const url of ENGINE) expect(fromWorker).toContain(url);
    } finally {
      await context.close();
    }
  });
});

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const IPHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

describe('the PWA pieces on screen', () => {
  it('pass axe (with 7:1 contrast) and the elder-UI sizes in every state, in Chinese and English', async () => {
    const cases = [
      { q: 'preview=downloading', text: '正在准备人脸检查：4.1 / 17.9 MB', en: 'Preparing the face check: 4.1 of 17.9 MB' },
      { q: 'preview=paused', text: '网络断了', en: 'The connection dropped' },
      { q: 'preview=ready', text: '人脸检查已经准备好', en: 'The face check is ready' },
      { q: 'preview=storage', text: '手机存储空间不够', en: 'The phone storage is full' },
      { q: 'preview=unavailable', text: '暂时下载不了', en: 'cannot be downloaded right now' },
      { q: 'preview=unsupported', text: '浏览器太旧', en: 'too old for the face check' },
      { q: 'update=ready', text: '有新版本 — 点这里更新', en: 'A new version is ready — tap to update' },
      { q: 'update=after', text: '检查做完后会自动更新', en: 'It will update when the check is finished' },
      { q: 'install=prompt', text: '把“在这儿”添加到手机桌面', en: 'Add StillHere to your home screen' },
      { q: 'install=ios', text: '点屏幕下方的“分享”按钮', en: 'Tap the Share button', ios: true },
    ];
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const c of cases) {
        const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block', bypassCSP: true, ...(c.ios ? { userAgent: IPHONE_UA } : {}) });
        try {
          const page = await context.newPage();
          await page.goto(`${server.url}/dev/pwa.html?${c.q}${lang === 'en' ? '&lang=en' : ''}`);
          await expect.poll(() => page.locator('body').textContent()).toContain(lang === 'en' ? c.en : c.text);
          await page.addScriptTag({ path: AXE });
          const violations = await page.evaluate(async () => {
            const w = window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } };
            const r = await w.axe.run(document, { rules: { 'color-contrast-enhanced': { enabled: true } } });
            return r.violations.map((v) => `${v.id} (${v.nodes.length})`);
          });
          expect(violations, `${lang} ${c.q}`).toEqual([]);
          const sizes = await page.evaluate(() => ({
            smallText: [...document.querySelectorAll('.pwa-assets p, .pwa-install p, .pwa-install li span, .pwa-update')]
              .filter((el) => parseFloat(getComputedStyle(el).fontSize) < 24)
              .map((el) => el.textContent),
            lowButtons: [...document.querySelectorAll('.pwa-assets button, .pwa-install button, button.pwa-update')]
              .filter((el) => el.getBoundingClientRect().height < 64)
              .map((el) => el.textContent),
          }));
          expect(sizes, `${lang} ${c.q}`).toEqual({ smallText: [], lowButtons: [] });
        } finally {
          await context.close();
        }
      }
    }
  });

  it('says at once, shown and spoken, that a network is needed once and how many minutes are left on a slow line', async () => {
    // The paused preview: 9.42 of 17.9 MB, so 8.48 MB left = 67.8 Mbit, 136 s at Slow 3G's
    // 500 kbit/s: "about 3 minutes".
    for (const lang of ['zh-CN', 'en'] as const) {
      const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' });
      try {
        const page = await context.newPage();
        const clips: string[] = [];
        page.on('request', (r) => {
          const m = /\/voice\/[^/]+\/(.+)\.mp3$/.exec(decodeURIComponent(r.url()));
          if (m) clips.push(m[1]!);
        });
        await page.goto(`${server.url}/dev/pwa.html?preview=paused${lang === 'en' ? '&lang=en' : ''}`);
        const advice = page.getByTestId('asset-advice');
        await expect.poll(() => advice.textContent()).toContain(lang === 'en' ? 'the minutes needed are about 3.' : '大约要下载 3 分钟');
        await expect.poll(() => clips.join(' ')).toContain('say.assets.offline~0');
        await expect.poll(() => clips.join(' ')).toMatch(lang === 'en' ? /say\.assets\.offline~0 digit\.3/ : /say\.assets\.offline~0 digit\.3 say\.assets\.offline~1/);
        expect(clips).not.toContain('say.assets.wait');
      } finally {
        await context.close();
      }
    }
  });
});

describe('resumable download', () => {
  let proxy: Server;
  let proxyUrl: string;
  const seenRanges: string[] = [];
  const CUT_AT = 2_000_000;
  let cuts = 0;

  beforeAll(async () => {
    // Between the phone and the server: the first full request for the wasm (its gzip copy, what the
    // phone downloads) loses its connection after CUT_AT bytes, as on a train leaving the village.
    proxy = createServer((req, res) => {
      const upstream = new URL(server.url);
      const cut = req.url === WASM_WIRE && !req.headers.range && cuts++ === 0;
      if (req.url === WASM_WIRE) seenRanges.push(req.headers.range ?? 'full');
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (!cut) {
          up.pipe(res);
          return;
        }
        let sent = 0;
        up.on('data', (chunk: Buffer) => {
          if (sent >= CUT_AT) return;
          const part = chunk.subarray(0, CUT_AT - sent);
          sent += part.length;
          res.write(part);
          if (sent >= CUT_AT) {
            // end(), not destroy(): what was written still reaches the phone, then the line goes dead.
            up.destroy();
            res.socket?.end();
          }
        });
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => proxy?.close(r));
  });

  it('keeps the bytes of a dropped download, resumes with Range after the app is reopened, and stores the exact file', async () => {
    const { context, page } = await phone();
    try {
      await page.goto(`${proxyUrl}/dev/pwa.html`);
      await controlled(page);
      await page.evaluate(() => __stillherePwa.prepareLivenessAssets());
      // The cut pauses the download; the app is closed before it retries.
      await expect.poll(() => assetState(page).then((s) => s.state), { timeout: 60_000, interval: 50 }).toBe('paused');
      const kept = (await assetState(page)).loadedBytes;
      await page.close();

      const again = await context.newPage();
      await again.goto(`${proxyUrl}/dev/pwa.html?prepare=1`);
      await expect.poll(() => assetState(again).then((s) => s.state), { timeout: 90_000 }).toBe('ready');
      // One full request (cut), then only the rest: nothing already on the phone was fetched again.
      expect(seenRanges.filter((r) => r === 'full'), seenRanges.join(', ')).toEqual(['full']);
      expect(seenRanges[0]).toBe('full');
      const resumed = seenRanges.find((r) => r.startsWith('bytes='));
      expect(resumed, seenRanges.join(', ')).toBeDefined();
      const from = Number(/^bytes=(\d+)-$/.exec(resumed!)![1]);
      // It resumes after what reached the page before the cut (the browser may drop what was still
      // in flight inside it when the connection died).
      expect(from).toBeGreaterThan(500_000);
      expect(from).toBeLessThanOrEqual(CUT_AT);
      expect(kept).toBeGreaterThan(from);
      // Stored decompressed: the exact file the engine loads.
      expect(await cachedSha(again, WASM)).toBe(fileSha(WASM));
      // Nothing half-done is left behind.
      const leftovers = await again.evaluate(async () => (await (await caches.open('stillhere-assets-partial-v1')).keys()).length);
      expect(leftovers).toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe('updates', () => {
  let dist: string;
  let updServer: RunningServer;

  beforeAll(async () => {
    // A copy of the build that the test can change into "the next version".
    dist = mkdtempSync(join(tmpdir(), 'stillhere-pwa-dist-'));
    cpSync(DIST, dist, { recursive: true });
    updServer = await startServer({ WEB_DIST: dist });
  });
  afterAll(async () => {
    await updServer?.stop();
    rmSync(dist, { recursive: true, force: true });
  });

  /** Turns the served build into version `tag`: a changed page, and a service worker listing its new revision. */
  function nextBuild(tag: string) {
    const html = join(dist, 'dev', 'pwa.html');
    const page = readFileSync(html, 'utf8').replace(/<meta name="stillhere-build"[^>]*>/, '');
    writeFileSync(html, page.replace('<head>', `<head><meta name="stillhere-build" content="${tag}" />`));
    const swPath = join(dist, 'sw.js');
    const sw = readFileSync(swPath, 'utf8');
    const entry = /\{"revision":"([0-9a-f]+)","url":"dev\/pwa\.html"\}/.exec(sw);
    expect(entry, 'dev/pwa.html in the precache manifest').not.toBeNull();
    writeFileSync(swPath, sw.replace(entry![1]!, createHash('md5').update(`${tag}${entry![1]}`).digest('hex')));
    // The server prefers the build's precompressed copies: they must go with the change.
    for (const f of [html, swPath]) for (const ext of ['.br', '.gz']) rmSync(f + ext, { force: true });
  }
  const build = (page: Page) => page.locator('meta[name="stillhere-build"]').getAttribute('content', { timeout: 1000 }).catch(() => null);

  it('shows the banner for a new version, waits for a running check, then reloads into it; a tap updates', async () => {
    const { context, page } = await phone();
    try {
      await page.goto(`${updServer.url}/dev/pwa.html`);
      await controlled(page);
      expect(await page.getByTestId('update-banner').count()).toBe(0);

      nextBuild('2');

      await page.evaluate(async () => {
        await (await navigator.serviceWorker.getRegistration())?.update();
      });
      const banner = page.getByTestId('update-banner');
      await expect.poll(() => banner.count(), { timeout: 30_000 }).toBe(1);
      expect(await banner.textContent()).toContain('有新版本 — 点这里更新');

      // A check starts: the band steps aside (one main action per screen). A tap that came just
      // before is accepted, but nothing reloads while the check runs.
      await page.evaluate(() => {
        (window as unknown as { release: () => void; marker: number }).release = __stillherePwa.holdUpdates('check');
        (window as unknown as { marker: number }).marker = 1;
      });
      await expect.poll(() => banner.count()).toBe(0);
      await page.evaluate(() => (__stillherePwa as unknown as { applyUpdate(): void }).applyUpdate());
      await expect.poll(() => banner.textContent()).toContain('检查做完后会自动更新');
      await page.waitForTimeout(1500);
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
      expect(await page.locator('meta[name="stillhere-build"]').count()).toBe(0);

      // The check ends: the page reloads into the new version.
      await page.evaluate(() => (window as unknown as { release: () => void }).release());
      await expect.poll(() => build(page), { timeout: 30_000 }).toBe('2');
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
      expect(await page.getByTestId('update-banner').count()).toBe(0);

      // Another version, no check running: the person taps the band and gets it.
      nextBuild('3');
      await page.evaluate(async () => {
        await (await navigator.serviceWorker.getRegistration())?.update();
      });
      await expect.poll(() => banner.count(), { timeout: 30_000 }).toBe(1);
      await banner.getByRole('button', { name: '有新版本 — 点这里更新' }).click();
      await expect.poll(() => build(page), { timeout: 30_000 }).toBe('3');
    } finally {
      await context.close();
    }
  });
});
