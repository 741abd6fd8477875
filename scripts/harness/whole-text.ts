// Dates, amounts and phone numbers must not break across lines ("截止 2026年6月30日" with "日" alone on
// the next line, "June 30," / "2026", "10.3" / "MB", "010-6500" / "5678"): what the browser tests
// measure, in the page.
import type { Locator, Page } from 'playwright-core';

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December';
/** The dates as formatDate and the screens' date-and-time formats write them, zh-CN and English. */
const DATES = [
  '\\d{4}年\\d{1,2}月\\d{1,2}日', // 2026年6月30日
  '\\d{1,2}月\\d{1,2}日 \\d{1,2}:\\d{2}', // 6月30日 14:05
  '\\d{1,2}/\\d{1,2},? \\d{1,2}:\\d{2}(?: [AP]M)?', // 6/30 14:05, 6/30, 02:05 PM
  `(?:${MONTHS}) \\d{1,2}, \\d{4}`, // June 30, 2026
  `(?:${MONTHS}) \\d{1,2} at \\d{1,2}:\\d{2}(?: [AP]M)?`, // June 30 at 02:05 PM
];
/** An amount of megabytes, alone or as "done / total" ("0.0 / 10.3 MB", "0.0 of 9.5 MB"), whatever the spaces. */
const AMOUNTS = ['\\d+(?:\\.\\d+)?(?:\\s(?:/|of)\\s\\d+(?:\\.\\d+)?)?\\sMB'];

/**
 * Every date on the page inside `root` and the ones that lie on more than one line though they
 * would fit on one. `checked` says how many were found, so a screen without dates does not pass for
 * one with whole dates.
 */
export const splitDates = (page: Page, root = 'body') => splitRuns(page, root, DATES);
/** The same for amounts of megabytes. */
export const splitAmounts = (page: Page, root = 'body') => splitRuns(page, root, AMOUNTS);

function splitRuns(page: Page, root: string, sources: string[]): Promise<{ checked: number; split: string[] }> {
  return page.evaluate(([rootSelector, sources]) => {
    const patterns = sources.map((s) => new RegExp(s, 'g'));
    const root = document.querySelector(rootSelector)!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let checked = 0;
    const split: string[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent ?? '';
      const el = n.parentElement!;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || el.closest('.w-visually-hidden, .visually-hidden')) continue;
      for (const re of patterns) {
        for (const m of text.matchAll(re)) {
          const range = document.createRange();
          range.setStart(n, m.index);
          range.setEnd(n, m.index + m[0].length);
          const rects = [...range.getClientRects()].filter((c) => c.width > 0);
          const lines = new Set(rects.map((c) => Math.round(c.bottom)));
          checked++;
          if (lines.size < 2) continue;
          // A run wider than the whole line (特大 on a narrow phone) has to break; any other must not.
          let box: Element = el;
          while (box.parentElement && getComputedStyle(box).display.startsWith('inline')) box = box.parentElement;
          const st = getComputedStyle(box);
          const room = box.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight);
          const width = rects.reduce((sum, c) => sum + c.width, 0);
          if (width <= room) split.push(`"${m[0]}" in "${text.trim().slice(0, 60)}"`);
        }
      }
    }
    return { checked, split };
  }, [root, sources] as const);
}

/** The phone number inside `link` (its .phone-number) on one line and inside the link. */
export function phoneOnOneLine(link: Locator): Promise<{ lines: number; inside: boolean }> {
  return link.evaluate((el) => {
    const number = el.querySelector<HTMLElement>('.phone-number') ?? (el as HTMLElement);
    const range = document.createRange();
    range.selectNodeContents(number);
    const lines = new Set([...range.getClientRects()].filter((c) => c.width > 0).map((c) => Math.round(c.bottom)));
    return { lines: lines.size, inside: number.getBoundingClientRect().right <= el.getBoundingClientRect().right + 1 };
  });
}

/** Whether an input's placeholder fits its box: a hint cut off at the edge cannot be read. */
export function placeholderFits(input: Locator): Promise<{ fits: boolean; text: string; width: number; room: number }> {
  return input.evaluate((el: HTMLInputElement) => {
    const s = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const width = Math.ceil(ctx.measureText(el.placeholder).width);
    const room = Math.floor(el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight));
    return { fits: width <= room, text: el.placeholder, width, room };
  });
}
