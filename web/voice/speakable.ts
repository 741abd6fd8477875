// Everything the app may say aloud, by id, in both languages. A text may hold `{digits}` (spoken
// one clip per digit, so the offline clips cover every 4-digit challenge with ten small files) and
// `{count}` (a small number of times, "还可以再试 3 次"); the text around them is its own clips.
import { en as retireeEn, SPOKEN_KEYS, zh as retireeZh } from '../i18n/retiree.ts';
import { RUNTIME_MESSAGES, type RuntimeMessageId } from '../liveness/runtime/messages.ts';
import { PROMPTS, type Lang } from '../liveness/prompts.ts';

export type { Lang };

export interface SpeechVars {
  digits?: string;
  count?: number;
}

export const DIGIT_WORDS: Record<Lang, readonly string[]> = {
  'zh-CN': ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
};

// A count is read like a digit except where the language says otherwise: 两次, not 二次.
const COUNT_WORDS: Record<Lang, Partial<Record<number, string>>> = { 'zh-CN': { 2: '两' }, en: {} };

/**
 * Screen instructions spoken by the app outside the liveness check: the retiree catalog's `say.*`
 * keys, so what is shown and what is said can never drift apart.
 */
export const UI_SPEECH: Record<string, Record<Lang, string>> = Object.fromEntries(
  SPOKEN_KEYS.map((key) => [key, { 'zh-CN': retireeZh[key], en: retireeEn[key] }]),
);

/** What the check screen says when the camera or the engine cannot start: its title, then what to do. */
export const runtimeSpeechId = (id: RuntimeMessageId) => `runtime.${id}`;
const runtimeText = (id: RuntimeMessageId, lang: Lang) => {
  const { title, action } = RUNTIME_MESSAGES[id];
  return lang === 'zh-CN' ? `${title[lang]}。${action[lang]}` : `${title[lang]}. ${action[lang]}`;
};

export function speakableTexts(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, text] of Object.entries(PROMPTS)) out[id] = text[lang];
  for (const [id, text] of Object.entries(UI_SPEECH)) out[id] = text[lang];
  for (const id of Object.keys(RUNTIME_MESSAGES) as RuntimeMessageId[]) out[runtimeSpeechId(id)] = runtimeText(id, lang);
  DIGIT_WORDS[lang].forEach((word, d) => (out[`digit.${d}`] = word));
  for (const [n, word] of Object.entries(COUNT_WORDS[lang])) if (word) out[`count.${n}`] = word;
  return out;
}

// "A{digits}B{count}C" splits into ['A', 'digits', 'B', 'count', 'C']: texts at even indexes.
const splitTemplate = (template: string) => template.split(/\{(digits|count)\}/);
// A piece with only punctuation ("." after a number) has nothing to say and gets no clip.
const hasWords = (piece: string) => /[\p{L}\p{N}]/u.test(piece);

const countClips = (lang: Lang, n: number): string[] =>
  n in COUNT_WORDS[lang] ? [`count.${n}`] : [...String(Math.max(0, Math.trunc(n)))].map((d) => `digit.${d}`);

/**
 * The clips that speak `id` with `vars`, in order: a text "A{digits}B" becomes the clips
 * `id#0` ("A"), `digit.N`…, `id#1` ("B"). Texts without placeholders are one clip, `id`.
 */
export function clipPlan(id: string, template: string, vars: SpeechVars = {}, lang: Lang = 'zh-CN'): string[] {
  const parts = splitTemplate(template);
  if (parts.length === 1) return [id];
  const plan: string[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      if (hasWords(part)) plan.push(`${id}#${i / 2}`);
    } else if (part === 'digits') {
      for (const d of vars.digits ?? '') if (/\d/.test(d)) plan.push(`digit.${d}`);
    } else if (vars.count !== undefined) plan.push(...countClips(lang, vars.count));
  });
  return plan;
}

/** The text of each clip file the generator must produce for a language. */
export function clipTexts(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, text] of Object.entries(speakableTexts(lang))) {
    const parts = splitTemplate(text);
    if (parts.length === 1) {
      out[id] = text;
      continue;
    }
    parts.forEach((part, i) => {
      if (i % 2 === 0 && hasWords(part)) out[`${id}#${i / 2}`] = part.trim();
    });
  }
  return out;
}

/**
 * A text as a voice should read it: a run of three or more digits (a phone number such as 12333)
 * digit by digit, not as "twelve thousand…"; used for the clips and for the device voice alike.
 */
export function readableText(text: string, lang: Lang): string {
  return text.replace(/\d{3,}/g, (run) => [...run].map((d) => (lang === 'zh-CN' ? DIGIT_WORDS[lang][Number(d)] : d)).join(lang === 'zh-CN' ? '' : ' '));
}

/** The whole sentence for the device's own voice: placeholders filled in, digits read one by one. */
export function sentence(template: string, lang: Lang, vars: SpeechVars = {}): string {
  const digits = vars.digits ? [...vars.digits].join(lang === 'zh-CN' ? '、' : ', ') : '';
  const count = vars.count === undefined ? '' : (COUNT_WORDS[lang][vars.count] ?? String(vars.count));
  return readableText(template.replace('{digits}', digits).replace('{count}', count), lang);
}

/** File name of a clip: ids contain dots and '#', which are fine in paths once '#' is escaped. */
export const clipFile = (id: string) => `${id.replace('#', '~')}.mp3`;
