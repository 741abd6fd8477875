// Drives the liveness harness page (web/dev/liveness.html, test builds only) in headless Chromium
// with a video file as the camera. Shared by the CLI (scripts/liveness-cli.ts), the e2e tests and
// the benchmark (bench/liveness.ts). The server is the real one (scripts/harness/server.ts).
import type { Browser, BrowserContext } from 'playwright-core';
import type { HarnessReport } from '../../web/dev/liveness-report.ts';
import { launchBrowser } from './browser.ts';

export type { CheckReport, HarnessReport } from '../../web/dev/liveness-report.ts';

export interface HarnessQuery {
  steps: string;
  camera?: 'front' | 'rear';
  digits?: string;
  delegate?: 'auto' | 'CPU' | 'GPU';
  /** Shorter total time before timed_out (test builds only), ms. */
  timeoutMs?: number;
  /** End the check as timed_out once the camera has played this long (the CLI's --once), ms. */
  untilCameraMs?: number;
  checks?: number;
  runMs?: number;
  mic?: boolean;
  lang?: 'zh-CN' | 'en';
  dispose?: boolean;
  failGpu?: 'init' | 'detect';
  /**
   * Not part of the URL: slow the page's CPU down this many times (CDP Emulation.setCPUThrottlingRate)
   * for a low-end phone's frame rate (bench/lib/liveness-lowend.ts).
   */
  cpuThrottle?: number;
}

export function harnessPath(q: HarnessQuery): string {
  const p = new URLSearchParams({ steps: q.steps });
  if (q.camera) p.set('camera', q.camera);
  if (q.digits) p.set('digits', q.digits);
  if (q.delegate) p.set('delegate', q.delegate);
  if (q.timeoutMs) p.set('timeoutMs', String(q.timeoutMs));
  if (q.untilCameraMs) p.set('untilCameraMs', String(q.untilCameraMs));
  if (q.checks) p.set('checks', String(q.checks));
  if (q.runMs) p.set('runMs', String(q.runMs));
  if (q.mic === false) p.set('mic', '0');
  if (q.lang) p.set('lang', q.lang);
  if (q.dispose) p.set('dispose', '1');
  if (q.failGpu) p.set('failGpu', q.failGpu);
  return `/dev/liveness.html?${p}`;
}

export interface HarnessBrowser {
  browser: Browser;
  context: BrowserContext;
  /** Every request the pages and their Workers made, in order. */
  requests: string[];
  /** Requests to anything but the server's origin (data:/blob: excluded). */
  foreign: string[];
  consoleErrors: string[];
  /** Opens the harness in a new page, waits for the outcome, closes the page. */
  run(q: HarnessQuery, waitMs?: number): Promise<HarnessReport>;
  close(): Promise<void>;
}

/** Chromium with `video` (.mjpeg or .y4m, absolute or relative path) as its camera. */
export async function openHarnessBrowser(serverUrl: string, video: string, extraArgs: string[] = []): Promise<HarnessBrowser> {
  const browser = await launchBrowser({ fakeVideo: video, extraArgs });
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, locale: 'zh-CN' });
  const requests: string[] = [];
  const foreign: string[] = [];
  const consoleErrors: string[] = [];
  context.on('request', (req) => {
    const url = req.url();
    requests.push(url);
    if (!url.startsWith(`${serverUrl}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  return {
    browser,
    context,
    requests,
    foreign,
    consoleErrors,
    async run(q, waitMs) {
      const page = await context.newPage();
      if (q.cpuThrottle && q.cpuThrottle > 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: q.cpuThrottle });
      page.on('console', (m) => {
        if (m.type() === 'error' && !/favicon/.test(m.text())) consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      try {
        await page.goto(serverUrl + harnessPath(q));
        const limit = waitMs ?? (q.timeoutMs ?? 120_000) * (q.checks ?? 1) + 60_000;
        await page.waitForFunction(() => {
          const s = (window as unknown as { __liveness?: HarnessReport }).__liveness?.status;
          return s === 'done' || s === 'error';
        }, null, { timeout: limit, polling: 250 });
        return (await page.evaluate(() => (window as unknown as { __liveness: HarnessReport }).__liveness)) as HarnessReport;
      } finally {
        await page.close();
      }
    },
    close: () => browser.close(),
  };
}
