// axe-core on every retiree and family screen (zh-CN, phone viewport, also with extra-large text):
// 0 violations, including the AAA contrast rule (the elder UI asks for ≥7:1), and no screen wider
// than the phone. The screens are
// reached through the real UI (support/screen-tour.ts); axe is injected from node_modules.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../server/db/sqlite.ts';
import { launchBrowser, PHONE } from '../scripts/harness/browser.ts';
import { compositeClip } from '../scripts/harness/retiree-phone.ts';
import { tourScreens } from '../scripts/harness/screen-tour.ts';
import { startServer, type RunningServer } from '../scripts/harness/server.ts';
import { HAS_SHARED, SKIP_REASON } from '../scripts/harness/shared-data.ts';
import { axe, type AxeViolation } from '../scripts/harness/axe.ts';

const suite = HAS_SHARED ? describe : describe.skip;
let server: RunningServer;
let camera: Browser;
let noCamera: Browser;
let db: Db;

beforeAll(async () => {
  if (!HAS_SHARED) return;
  server = await startServer();
  camera = await launchBrowser({ fakeVideo: compositeClip() });
  noCamera = await launchBrowser();
  db = await openDb(server.dbPath);
});
afterAll(async () => {
  await db?.close();
  await camera?.close();
  await noCamera?.close();
  await server?.stop();
});



/**
 * Android's system font size scales every CSS font size; the app sizes everything in rem from the
 * root's px size, so doubling the root is the same page a phone at 200% shows. Returns how far the
 * page then scrolls sideways and which visible controls or texts cut their own content off.
 */
async function clippedAtDoubleText(page: Page): Promise<{ sideways: number; clipped: string[] }> {
  return page.evaluate(async () => {
    const root = document.documentElement;
    const before = root.style.fontSize;
    root.style.fontSize = `${parseFloat(getComputedStyle(root).fontSize) * 2}px`;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const clipped: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('button, a, input, label, p, h1, h2, h3, li')) {
      // Hidden, or only for screen readers (clipped on purpose).
      if (el.offsetParent === null || el.closest('[aria-hidden="true"], .visually-hidden')) continue;
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') clipped.push(`${el.tagName.toLowerCase()} "${(el.textContent || (el as HTMLInputElement).value || '').trim().slice(0, 30)}"`);
    }
    const sideways = root.scrollWidth - window.innerWidth;
    root.style.fontSize = before;
    return { sideways: Math.max(0, sideways), clipped };
  });
}

suite('accessibility of every screen', () => {
  it('has 0 axe-core violations on each retiree and family screen, and fits a 360 px phone at 200% text', async () => {
    const found: Record<string, AxeViolation[]> = {};
    const visited: string[] = [];
    const atDoubleText: Record<string, { sideways: number; clipped: string[] }> = {};
    // CSP forbids inline scripts; the test context bypasses it only to inject axe.
    await tourScreens({ url: server.url, db, camera, noCamera, context: { bypassCSP: true } }, async (name, page) => {
      const { violations, passed } = await axe(page);
      // axe really looked: contrast, names, landmarks... each screen passes a good number of rules.
      expect(passed, name).toBeGreaterThan(10);
      visited.push(name);
      if (violations.length) found[name] = violations;
      // Nothing wider than a 360 px phone, also with extra-large text.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
      const doubled = await clippedAtDoubleText(page);
      if (doubled.sideways || doubled.clipped.length) atDoubleText[name] = doubled;
    });
    expect(visited.length).toBeGreaterThanOrEqual(20);
    expect(found, JSON.stringify(found, null, 1)).toEqual({});
    expect(atDoubleText, 'at 200% system text size').toEqual({});
  }, 600_000);

  // The stages a check reaches only after the server's face match (issue 14): a passed check being
  // matched, and one the office is checking, on the result screen and on Home. The tour above meets
  // them only for a moment, so the test build's screens page (web/dev/screens.tsx) holds each still.
  // And a check the server's daily quota holds on the phone until tomorrow (issue 15), said in plain words.
  it('has 0 axe-core violations on the verifying, office-review and quota-held result and Home states, also at 200% text', async () => {
    const context = await noCamera.newContext({ ...PHONE, locale: 'zh-CN', bypassCSP: true });
    const page = await context.newPage();
    const found: Record<string, AxeViolation[] | { sideways: number; clipped: string[] }> = {};
    const ready: Record<string, string> = {
      verifying: '[data-testid="check-result"][data-stage="verifying"]',
      review: '[data-testid="check-result"][data-stage="review"]',
      'home-verifying': '[data-testid="status-card"][data-state="verifying"]',
      'home-review': '[data-testid="status-card"][data-state="under_review"]',
      held: '[data-testid="check-result"][data-stage="held"]',
      'home-held': '[data-testid="sync-status"][data-state="held"]',
    };
    for (const [screen, selector] of Object.entries(ready)) {
      await page.goto(`${server.url}/dev/screens.html?screen=${screen}`);
      await page.waitForSelector(selector);
      if (screen.endsWith('held')) expect(await page.textContent('main'), screen).toContain('明天会自动发送');
      const { violations, passed } = await axe(page);
      expect(passed, screen).toBeGreaterThan(10);
      if (violations.length) found[screen] = violations;
      const doubled = await clippedAtDoubleText(page);
      if (doubled.sideways || doubled.clipped.length) found[`${screen} at 200%`] = doubled;
    }
    await context.close();
    expect(found, JSON.stringify(found, null, 1)).toEqual({});
  }, 120_000);
});

if (!HAS_SHARED) it.skip(`a11y e2e (${SKIP_REASON})`, () => undefined);
