// Lighthouse accessibility audits plus Chromium's own installability check, offline, against a
// local server and the system Chromium (lighthouse ≥ 12 has no PWA category; installability is
// CDP Page.getInstallabilityErrors, the check Chromium itself uses before offering to install).
// Used by e2e/pwa-lighthouse.e2e.test.ts; also runnable on its own:
//
//   npx tsx scripts/lighthouse.ts            starts a test server (test build) and audits it
//   npx tsx scripts/lighthouse.ts --url http://127.0.0.1:8787   audits a running server
//
// Pages: the sign-in screen, the retiree's home (signed in as the demo retiree) and the PWA pieces
// (asset progress, install help: web/dev/pwa.html, test builds only). Prints score and failures.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { CHROMIUM, PHONE } from './harness/browser.ts';

export interface PageAudit {
  name: string;
  url: string;
  /** 0–100 */
  accessibility: number;
  failures: { id: string; title: string }[];
}

export interface AuditReport {
  installabilityErrors: unknown[];
  pages: PageAudit[];
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export async function auditApp(baseUrl: string, retiree: { idNumber: string; pin: string }, opts: { harness?: boolean } = {}): Promise<AuditReport> {
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), 'stillhere-lh-'));
  // A normal profile (Chromium never offers installation in incognito), reachable by Lighthouse
  // on the debugging port; Lighthouse opens its own tab in it and keeps its cookies and worker.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', `--remote-debugging-port=${port}`],
    ...PHONE,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(baseUrl);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };

    const pages: PageAudit[] = [];
    const audit = async (name: string, path: string) => {
      const url = new URL(path, baseUrl).href;
      const result = await lighthouse(url, {
        port,
        logLevel: 'error',
        output: 'json',
        onlyCategories: ['accessibility'],
        formFactor: 'mobile',
        screenEmulation: { mobile: true, width: 360, height: 740, deviceScaleFactor: 2, disabled: false },
        throttlingMethod: 'provided',
        // Keep the session cookie, the service worker and the phone's data between pages.
        disableStorageReset: true,
      });
      if (!result) throw new Error(`lighthouse gave no result for ${url}`);
      const { lhr } = result;
      const category = lhr.categories.accessibility;
      if (!category) throw new Error(`no accessibility category for ${url}`);
      const failures = category.auditRefs
        .map((ref) => lhr.audits[ref.id])
        .filter((a): a is NonNullable<typeof a> => a !== undefined && a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual' && a.scoreDisplayMode !== 'notApplicable')
        .map((a) => ({ id: a.id, title: a.title }));
      pages.push({ name, url, accessibility: Math.round((category.score ?? 0) * 100), failures });
    };

    await audit('sign-in', '/');
    const status = await page.evaluate(async ({ idNumber, pin }) => {
      const res = await fetch('/api/auth/sign-in/retiree', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ idNumber, pin }) });
      return res.status;
    }, retiree);
    if (status !== 200) throw new Error(`demo retiree sign-in failed: HTTP ${status}`);
    // The profile is signed in (Lighthouse's tab shares its cookies): the home screen shows.
    await page.reload();
    await page.waitForSelector('[data-testid="retiree-home"]', { timeout: 60_000 });
    await audit('retiree home', '/');
    if (opts.harness) await audit('pwa pieces (asset progress, install help)', '/dev/pwa.html');
    return { installabilityErrors, pages };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { DEMO } = await import('../server/seed/demo.ts');
  const at = process.argv.indexOf('--url');
  let stop = async () => undefined as unknown;
  let url = at > 0 ? process.argv[at + 1] : undefined;
  if (!url) {
    const { ensureBuilt } = await import('./build.ts');
    await ensureBuilt('test');
    const { startServer } = await import('./harness/server.ts');
    const server = await startServer();
    url = server.url;
    stop = () => server.stop();
  }
  try {
    const report = await auditApp(url, DEMO.retireeOpen, { harness: at < 0 });
    console.log(`installability errors: ${report.installabilityErrors.length === 0 ? 'none (installable)' : JSON.stringify(report.installabilityErrors)}`);
    for (const p of report.pages) {
      console.log(`accessibility ${p.accessibility}  ${p.name}  ${p.url}${p.failures.map((f) => `\n    ✗ ${f.id}: ${f.title}`).join('')}`);
    }
    process.exitCode = report.installabilityErrors.length === 0 && report.pages.every((p) => p.accessibility === 100) ? 0 : 1;
  } finally {
    await stop();
  }
}
