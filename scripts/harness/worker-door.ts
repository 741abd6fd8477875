// The worker's check screen asks the retiree's consent before the first face check (decision 085):
// the browser tests record a "yes" the way a worker does, once the screen knows whether it must ask.
import type { Page } from 'playwright-core';

const CONSENT = '[data-testid="certify"]';

/** Where the consent stands on the open check screen: needed, face, alternative (never unknown once settled). */
export async function doorConsent(page: Page): Promise<string> {
  await page.waitForFunction((sel) => {
    const v = document.querySelector(sel)?.getAttribute('data-consent');
    return v !== undefined && v !== null && v !== 'unknown';
  }, CONSENT, { timeout: 30_000 });
  return (await page.locator(CONSENT).getAttribute('data-consent')) ?? '';
}

/** The retiree agrees at the door: the worker records it (unless this phone has their yes already). */
export async function agreeAtTheDoor(page: Page): Promise<void> {
  // The server's earlier yes can still arrive after the question appeared and take it away: then
  // there is nothing to tap, and the wait below sees the yes.
  if ((await doorConsent(page)) !== 'face') await page.getByTestId('consent-face').click({ timeout: 10_000 }).catch(() => undefined);
  await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-consent') === 'face', CONSENT, { timeout: 30_000 });
}
