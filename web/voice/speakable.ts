// Everything the app may say aloud, by id, in both languages. Texts with `{digits}` are spoken as
// the text around the placeholder plus one clip per digit, so the offline clips cover every
// 4-digit challenge with ten small files.
import { en as retireeEn, SPOKEN_KEYS, zh as retireeZh } from '../i18n/retiree.ts';
import { PROMPTS, type Lang } from '../liveness/prompts.ts';

export type { Lang };

export const DIGIT_WORDS: Record<Lang, readonly string[]> = {
  'zh-CN': ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
};

/**
 * Screen instructions spoken by the app outside the liveness check: the retiree catalog's `say.*`
 * keys, so what is shown and what is said can never drift apart.
 */
export const UI_SPEECH: Record<string, Record<Lang, string>> = Object.fromEntries(
  SPOKEN_KEYS.map((key) => [key, { 'zh-CN': retireeZh[key], en: retireeEn[key] }]),
);

export function speakableTexts(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, text] of Object.entries(PROMPTS)) out[id] = text[lang];
  for (const [id, text] of Object.entries(UI_SPEECH)) out[id] = text[lang];
  DIGIT_WORDS[lang].forEach((word, d) => (out[`digit.${d}`] = word));
  return out;
}

/**
 * The clips that speak `id` with `vars`, in order: a text "A{digits}B" becomes the clips
 * `id#0` ("A"), `digit.N`…, `id#1` ("B"). Texts without placeholders are one clip, `id`.
 */
export function clipPlan(id: string, template: string, vars: { digits?: string } = {}): string[] {
  if (!template.includes('{digits}')) return [id];
  const [before, after] = template.split('{digits}') as [string, string];
  const plan: string[] = [];
  if (before.trim()) plan.push(`${id}#0`);
  for (const d of vars.digits ?? '') if (/\d/.test(d)) plan.push(`digit.${d}`);
  if (after.trim()) plan.push(`${id}#1`);
  return plan;
}

/** The text of each clip file the generator must produce for a language. */
export function clipTexts(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, text] of Object.entries(speakableTexts(lang))) {
    if (!text.includes('{digits}')) {
      out[id] = text;
      continue;
    }
    const [before, after] = text.split('{digits}') as [string, string];
    if (before.trim()) out[`${id}#0`] = before.trim();
    if (after.trim()) out[`${id}#1`] = after.trim();
  }
  return out;
}

/** File name of a clip: ids contain dots and '#', which are fine in paths once '#' is escaped. */
export const clipFile = (id: string) => `${id.replace('#', '~')}.mp3`;
