// 读给我听 / "Read it to me" (decision 093) on the real app in Chromium against the real server: on
// the retiree's Home, History, Settings and Help the button reads everything the screen shows, in
// order, in Chinese and English; pressing it again stops; Home says its status card by itself when
// it opens. Two ways of hearing it:
//   - a phone with its own voice: a stand-in speechSynthesis with one local voice per language
//     records each sentence (Chromium here has no voice), and the sentence must hold every word of
//     the screen's innerText, in order (numbers are said as words, so digits are left out of the
//     comparison and the dates are checked on their own);
//   - a phone without: the bundled clips play, and the clips asked for, put back into their words
//     (public/voice/index.json), must hold the same (a name, which no clip holds, left out).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { smallPhone, textSize } from '../scripts/harness/small-phone.ts';
import { tapKeys } from '../scripts/harness/retiree-phone.ts';
import { en as coreEn } from '../web/i18n/en.ts';
import { en as readEn, zh as readZh } from '../web/i18n/read-aloud.ts';
import { en as retireeEn, zh as retireeZh } from '../web/i18n/retiree.ts';
import { zhCN } from '../web/i18n/zh-CN.ts';
import { SAID_OTHERWISE } from '../web/voice/read-keys.ts';

const env = useServerAndBrowser();

const LANGS = [
  { lang: 'zh-CN', locale: 'zh-CN', words: { ...zhCN, ...retireeZh, ...readZh } },
  { lang: 'en', locale: 'en-US', words: { ...coreEn, ...retireeEn, ...readEn } },
] as const;
type Lang = (typeof LANGS)[number]['lang'];

/** A phone with a local voice for each language: what it is asked to say is kept in window.__said. */
function deviceVoice() {
  const w = window as unknown as { __said: string[]; __cancels: number };
  w.__said = [];
  w.__cancels = 0;
  const voices = [
    { name: 'stand-in zh', lang: 'zh-CN', localService: true, default: true, voiceURI: 'zh' },
    { name: 'stand-in en', lang: 'en-US', localService: true, default: false, voiceURI: 'en' },
  ];
  let current: { onerror?: ((e: unknown) => void) | null } | null = null;
  class Utterance {
    text: string;
    voice: unknown = null;
    lang = '';
    rate = 1;
    onend: ((e: unknown) => void) | null = null;
    onerror: ((e: unknown) => void) | null = null;
    constructor(text: string) {
      this.text = text;
    }
  }
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
  Object.defineProperty(window, 'speechSynthesis', {
    configurable: true,
    value: {
      getVoices: () => voices,
      // A sentence is "being said" until it is cancelled: the test decides when speech ends.
      speak(u: Utterance) {
        current = u;
        w.__said.push(u.text);
      },
      cancel() {
        w.__cancels++;
        const u = current;
        current = null;
        u?.onerror?.({ error: 'interrupted' });
      },
      addEventListener() {},
      removeEventListener() {},
    },
  });
}

/**
 * The words of a text, to compare what is shown with what is said: digits and punctuation left out.
 * Chinese: each run of characters between them ("请在", "年", "月", "日", "前完成认证"), which must be
 * said whole; English: each word.
 */
function words(text: string, lang: Lang): string[] {
  if (lang === 'zh-CN') return text.split(/[^\p{Script=Han}A-Za-z]+/u).filter(Boolean);
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

/** The first shown word not said, in order, with what came before it; null when all were said. */
function missing(shown: string[], said: string[]): string | null {
  // Chinese runs are found inside the said characters run together; English words one by one.
  const chinese = shown.some((w) => /\p{Script=Han}/u.test(w));
  const heard = chinese ? said.join('') : said;
  let at = 0;
  for (let i = 0; i < shown.length; i++) {
    const found = chinese ? (heard as string).indexOf(shown[i]!, at) : (heard as string[]).indexOf(shown[i]!, at);
    if (found < 0) return `${shown.slice(Math.max(0, i - 8), i).join(' ')} ▶${shown[i]}◀ ${shown.slice(i + 1, i + 6).join(' ')}`;
    at = found + (chinese ? shown[i]!.length : 1);
  }
  return null;
}

/** What the screen shows, less the button's own words and words said in the listener's language. */
async function shownWords(page: Page, lang: Lang): Promise<string[]> {
  const text = await page.locator('main').first().evaluate((main: HTMLElement) => {
    const button = main.querySelector<HTMLElement>('[data-testid="read-aloud"]')!;
    return main.innerText.replace(button.innerText, '');
  });
  const spokenElse = Object.keys(SAID_OTHERWISE[lang]).map((k) => (lang === 'zh-CN' ? readZh : readEn)[k as keyof typeof readZh]);
  return words(spokenElse.reduce((t, w) => t.replace(w, ''), text), lang);
}

async function signIn(context: BrowserContext, words: Record<string, string>): Promise<Page> {
  const page = await context.newPage();
  await page.goto(env.server.url);
  await tapKeys(page, DEMO.retireeOpen.idNumber);
  await tapKeys(page, DEMO.retireeOpen.pin);
  await page.getByRole('button', { name: words['signIn.submit'], exact: true }).click();
  await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
  return page;
}

const said = (page: Page) => page.evaluate(() => (window as unknown as { __said: string[] }).__said);

describe('读给我听 reads the whole screen', () => {
  it('on Home, History, Settings and Help, in Chinese and English, with the device voice', { timeout: 300_000 }, async () => {
    for (const { lang, locale, words: catalog } of LANGS) {
      const context = await env.browser.newContext(smallPhone(locale));
      await context.addInitScript(deviceVoice);
      const page = await signIn(context, catalog);

      // Home says its card by itself, then the invitation: the card's words, with the deadline as words.
      // (The sign-in screen's instructions were said before it.)
      const invitation = catalog['say.home.start'];
      await expect.poll(async () => (await said(page)).some((s) => s.includes(invitation)), { timeout: 30_000 }).toBe(true);
      const opening = (await said(page)).find((s) => s.includes(invitation))!;
      const card = (await page.getByTestId('status-card').innerText()) ?? '';
      expect(missing(words(card, lang), words(opening, lang)), `${lang} Home opening: ${opening}`).toBeNull();
      expect(opening, 'the deadline is said as words').toMatch(lang === 'zh-CN' ? /二零二\S年\S+月\S+日/ : /(January|February|March|April|May|June|July|August|September|October|November|December) [a-z -]+, twenty/);

      for (const screen of ['home', 'history', 'settings', 'help'] as const) {
        if (screen !== 'home') {
          await page.getByRole('button', { name: catalog[`nav.${screen}`], exact: true }).click();
          await page.getByTestId(screen).waitFor();
        }
        const button = page.getByTestId('read-aloud');
        // Reachable without scrolling at 大 and 特大: at the top of the screen, under its title; on
        // Home it does not push 开始人脸认证 out of sight (decision 065). Pictures in /tmp/read-aloud/.
        for (const size of ['xlarge', 'large'] as const) {
          await textSize(page, size);
          await page.evaluate(() => window.scrollTo(0, 0));
          const box = (await button.boundingBox())!;
          expect(box.y + box.height, `${lang} ${screen} ${size}`).toBeLessThanOrEqual(640);
          expect(box.height).toBeGreaterThanOrEqual(64);
          if (screen === 'home') {
            const start = (await page.getByTestId('start-check').boundingBox())!;
            expect(start.y >= 0 && start.y + start.height <= 640, `${lang} 开始人脸认证 at ${size}`).toBe(true);
          }
          await page.screenshot({ path: `/tmp/read-aloud/${lang}-${screen}-${size}.png` });
        }
        expect(await button.innerText()).toBe(catalog['read.aloud']);
        const before = (await said(page)).length;
        await button.click();
        await expect.poll(async () => (await said(page)).length, { timeout: 10_000 }).toBe(before + 1);
        const sentence = (await said(page)).at(-1)!;
        const shown = await shownWords(page, lang);
        expect(shown.length).toBeGreaterThan(5);
        expect(missing(shown, words(sentence, lang)), `${lang} ${screen}: ${sentence}`).toBeNull();
        if (lang === 'zh-CN') expect(sentence, 'never a digit run said as a number').not.toMatch(/\d{3,}/);
        // Pressing again stops it.
        expect(await button.innerText()).toBe(catalog['read.stop']);
        const cancels = await page.evaluate(() => (window as unknown as { __cancels: number }).__cancels);
        await button.click();
        await expect.poll(() => button.innerText()).toBe(catalog['read.aloud']);
        expect(await page.evaluate(() => (window as unknown as { __cancels: number }).__cancels)).toBeGreaterThan(cancels);
        if (screen !== 'home') await page.getByRole('button', { name: catalog['nav.home'], exact: true }).last().click();
        await page.getByTestId('retiree-home').waitFor();
      }
      await context.close();
    }
  });

  it('on Home with a family member’s request to answer (the test build’s screens page)', { timeout: 120_000 }, async () => {
    for (const { lang, locale, words: catalog } of LANGS) {
      const context = await env.browser.newContext(smallPhone(locale));
      await context.addInitScript(deviceVoice);
      const page = await context.newPage();
      await page.goto(`${env.server.url}/dev/screens.html?screen=home-asked`);
      await page.getByTestId('family-ask').waitFor();
      // Home's own words when it opens say the request first, as the screen shows it first.
      const ask = catalog['say.family.ask'];
      await expect.poll(async () => (await said(page)).some((s) => s.startsWith(ask) && s.includes(catalog['say.home.start'])), { timeout: 30_000 }).toBe(true);
      const before = (await said(page)).length;
      await page.getByTestId('read-aloud').click();
      await expect.poll(async () => (await said(page)).length, { timeout: 10_000 }).toBe(before + 1);
      const sentence = (await said(page)).at(-1)!;
      expect(missing(await shownWords(page, lang), words(sentence, lang)), `${lang}: ${sentence}`).toBeNull();
      await context.close();
    }
  });

  it('on the family member’s home, in Chinese and English', { timeout: 120_000 }, async () => {
    for (const { lang, locale, words: catalog } of LANGS) {
      const context = await env.browser.newContext(smallPhone(locale));
      await context.addInitScript(deviceVoice);
      const page = await context.newPage();
      await page.goto(env.server.url);
      await page.getByRole('button', { name: lang === 'en' ? /community worker, family/ : /社区工作人员、家属/ }).click();
      await page.getByLabel(lang === 'en' ? 'Username' : '用户名').fill(DEMO.family.username);
      await page.getByLabel(lang === 'en' ? 'Password' : '密码', { exact: true }).fill(DEMO.family.password);
      await page.getByRole('button', { name: catalog['signIn.submit'], exact: true }).click();
      await page.getByTestId('pick-retiree').first().waitFor();
      await page.getByTestId('sync-last').waitFor();
      const button = page.getByTestId('read-aloud');
      const box = (await button.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(640);
      const before = (await said(page)).length;
      await button.click();
      await expect.poll(async () => (await said(page)).length, { timeout: 10_000 }).toBe(before + 1);
      const sentence = (await said(page)).at(-1)!;
      expect(missing(await shownWords(page, lang), words(sentence, lang)), `${lang}: ${sentence}`).toBeNull();
      await page.screenshot({ path: `/tmp/read-aloud/${lang}-family-home.png` });
      await context.close();
    }
  });

  it('on Home with the bundled clips, when the phone has no voice', { timeout: 300_000 }, async () => {
    const index = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'public', 'voice', 'index.json'), 'utf8')) as Record<Lang, Record<string, string>>;
    for (const { lang, locale, words: catalog } of LANGS) {
      const context = await env.browser.newContext(smallPhone(locale));
      // Every clip played, in order (a request would miss a clip played twice: the second comes from the cache).
      await context.addInitScript(() => {
        const played: string[] = ((window as unknown as { __played: string[] }).__played = []);
        const play = HTMLMediaElement.prototype.play;
        HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
          played.push(this.src);
          return play.call(this);
        };
      });
      const page = await context.newPage();
      let from = 0;
      const asked = async () =>
        (await page.evaluate(() => (window as unknown as { __played: string[] }).__played))
          .slice(from)
          .map((src) => decodeURIComponent(/\/voice\/[^/]+\/([^/]+)\.mp3$/.exec(src)?.[1] ?? src).replace('~', '#'));
      await page.goto(env.server.url);
      await tapKeys(page, DEMO.retireeOpen.idNumber);
      await tapKeys(page, DEMO.retireeOpen.pin);
      await page.getByRole('button', { name: catalog['signIn.submit'], exact: true }).click();
      await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
      // Home's own opening words first (its last clip is the invitation), then the button.
      await expect.poll(async () => (await asked()).includes('say.home.start'), { timeout: 60_000 }).toBe(true);
      from = (await asked()).length;
      await page.getByTestId('read-aloud').click();
      // The last shown text on Home is the Help button: the reading has reached the end when its clip plays.
      await expect.poll(async () => (await asked()).at(-1), { timeout: 120_000 }).toBe('nav.help');
      const heard = (await asked()).map((id) => index[lang][id] ?? `(no clip ${id})`).join(' ');
      expect(heard).not.toContain('(no clip');
      // The retiree's name is the one thing on Home no clip holds (only a device voice says it).
      const nameWords = new Set(words(DEMO.retireeOpen.name, lang));
      const shown = (await shownWords(page, lang)).filter((w) => !nameWords.has(w));
      expect(missing(shown, words(heard, lang)), `${lang}: ${heard}`).toBeNull();
      await context.close();
    }
  });
});
