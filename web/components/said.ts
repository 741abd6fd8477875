// The words a screen shows, as lines a voice can read (decision 093): each shown text carries the
// catalog key and the typed values it was rendered from, so what 读给我听 reads is the screen's own
// words, never a second copy of them.
import { formatDate, formatDateTime, t } from '../i18n/index.ts';
import type { ReadKey } from '../voice/read-keys.ts';
import type { SpeechValue } from '../voice/speakable.ts';

/** A shown text: a catalog key and the values of its placeholders. */
export interface Line {
  key: ReadKey;
  values?: Record<string, SpeechValue>;
}

function shown(v: SpeechValue): string {
  if ('date' in v) return formatDate(v.date);
  if ('dateTime' in v) return formatDateTime(v.dateTime);
  if ('year' in v) return String(v.year);
  if ('number' in v) return String(v.number);
  if ('digits' in v) return v.digits;
  if ('text' in v) return v.text;
  return lineText({ key: v.key as ReadKey, values: v.values ?? {} });
}

/** The line as the screen shows it. */
export function lineText(line: Line): string {
  return t(line.key, Object.fromEntries(Object.entries(line.values ?? {}).map(([name, v]) => [name, shown(v)])));
}

/** Marks an element whose words are `line` (rendered by the element's own code, e.g. PhoneLink). */
export const said = (line: Line) => ({ 'data-say': JSON.stringify(line) });

// checkVisibility came with Chrome 105 and Safari 17.4; an older phone's browser is asked whether the
// element has a box at all (a closed <details> gives its content none).
const shownOnScreen = (el: HTMLElement) => (typeof el.checkVisibility === 'function' ? el.checkVisibility() : el.getClientRects().length > 0);

/**
 * The marked lines shown inside `root`, in reading order: hidden ones (a closed <details>) left
 * out; after a chosen option (aria-pressed), "已选".
 */
export function readLines(root: Element): Line[] {
  const lines: Line[] = [];
  for (const el of root.querySelectorAll<HTMLElement>('[data-say]')) {
    if (el.parentElement?.closest('[data-say]')) continue;
    if (!shownOnScreen(el)) continue;
    lines.push(JSON.parse(el.dataset.say!) as Line);
    if (el.closest('[aria-pressed="true"]')) lines.push({ key: 'read.chosen' });
  }
  return lines;
}
