// The family member's list at 360×640, in Chinese and English, at both text sizes (大, 特大), in real
// Chromium against the real server (new-user walkthrough):
//   - 添加老人 / Add a parent was the filled button while the card of a retiree who still needs the
//     check, which leads to it, was only outlined: now that card is filled, a settled one stays
//     outlined, and 添加老人 is a secondary (outlined) button (decision 095);
//   - a date ("请在 2026年6月30日 前完成认证", "June 30, 2026") stays whole on its line, and the
//     masked ID number wraps only between its groups.
// The demo family member helps the demo retiree whose check is due; here she helps the certified
// demo retiree too.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { linkFamily } from '../server/store/users.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { LANGS, signInAsStaff, SIZES, smallPhone, textSize } from '../scripts/harness/small-phone.ts';
import { splitDates } from '../scripts/harness/whole-text.ts';

const env = useServerAndBrowser();

const BRAND = 'rgb(11, 61, 46)';
const WHITE = 'rgb(255, 255, 255)';

beforeAll(async () => {
  const family = (await env.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.family.username]))!.id;
  const certified = (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeCertified.idNumber]))!.id;
  await linkFamily(env.db, family, certified, 'son', Date.now());
});

describe('the family member’s list', () => {
  it('fills the card of the retiree who still needs the check, outlines 添加老人, and keeps dates whole', async () => {
    for (const { lang, locale } of LANGS) {
      const context = await env.browser.newContext(smallPhone(locale));
      const page = await context.newPage();
      await signInAsStaff(page, env.server.url, lang);
      const cards = page.getByTestId('pick-retiree');
      await expect.poll(() => cards.count(), { timeout: 30_000 }).toBe(2);

      const look = (target: ReturnType<Page['locator']>) => target.evaluate((el) => ({ background: getComputedStyle(el).backgroundColor, color: getComputedStyle(el).color }));
      const due = page.locator('[data-testid="pick-retiree"]:has([data-state="open"])');
      const done = page.locator('[data-testid="pick-retiree"]:has([data-state="certified"])');
      expect(await look(due), `${lang}: the card leading to the check`).toEqual({ background: BRAND, color: WHITE });
      expect((await look(done)).background, `${lang}: a certified retiree's card`).toBe(WHITE);
      expect(await look(page.getByTestId('family-add')), `${lang}: 添加老人`).toEqual({ background: WHITE, color: BRAND });
      // Every word on the filled card is white (the status line was brown on white).
      const words = await due.evaluate((el) => [...el.querySelectorAll('span')].map((s) => getComputedStyle(s).color));
      expect(new Set(words), lang).toEqual(new Set([WHITE]));

      for (const size of SIZES) {
        await textSize(page, size);
        await page.screenshot({ path: `/tmp/desk-family-home-${lang}-${size}.png`, fullPage: true });
        const dates = await splitDates(page, '[data-testid="family-pick"]');
        expect(dates.checked, `${lang} ${size}`).toBeGreaterThanOrEqual(2);
        expect(dates.split, `${lang} ${size}`).toEqual([]);
        // The masked ID number wraps between its groups, never inside one ("1101**********0" / "021").
        const idLines = await page.locator('[data-testid="family-pick"] .id-group').evaluateAll((groups) =>
          groups.map((g) => {
            const range = document.createRange();
            range.selectNodeContents(g);
            return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom))).size;
          }),
        );
        expect(idLines.length, `${lang} ${size}`).toBe(6);
        expect(idLines.every((n) => n === 1), `${lang} ${size}: ${idLines}`).toBe(true);
      }
      await context.close();
    }
  });
});
