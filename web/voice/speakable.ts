// Everything the app may say aloud, by id, in both languages. A text may hold `{digits}` (spoken
// one clip per digit, so the offline clips cover every 4-digit challenge with ten small files) and
// `{count}` (a number of times, "还可以再试 3 次"); the text around them is its own clips. The texts
// a screen's 读给我听 reads (web/voice/read-keys.ts) may hold any placeholder, filled by a typed
// value (a date, a year, a number, another text, a name: decision 093), said by the words of
// web/voice/spoken-values.ts, each word its own clip.
import { en as retireeEn, SPOKEN_KEYS, zh as retireeZh } from '../i18n/retiree.ts';
import { RUNTIME_MESSAGES, type RuntimeMessageId } from '../liveness/runtime/messages.ts';
import { PROMPTS, type Lang } from '../liveness/prompts.ts';
import { READ_TEXTS } from './read-keys.ts';
import { dateTimeWords, dateWords, digitWords, numberWords, valueWordTexts, wordsText, yearWords, type Word } from './spoken-values.ts';

export type { Lang };
import { DIGIT_WORDS } from './spoken-values.ts';
export { DIGIT_WORDS };

/** A value in a read text's placeholder, as the screen shows it and the voice says it. */
export type SpeechValue =
  | { date: string } // "YYYY-MM-DD"
  | { dateTime: number } // ms, the phone's own time zone
  | { year: number }
  | { number: number } // a count of things: 两 for two in Chinese
  | { digits: string } // a phone number: digit by digit
  | { key: string; values?: Record<string, SpeechValue> } // another read text ("本人手机认证")
  | { text: string }; // words no clip holds (a name, the office's note): only a device voice says them

export interface SpeechVars {
  digits?: string;
  count?: number;
  values?: Record<string, SpeechValue>;
}

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

const made: Partial<Record<Lang, Record<string, string>>> = {};

/** Every text by id; the catalogs do not change while the app runs, so they are gathered once. */
export function speakableTexts(lang: Lang): Record<string, string> {
  return (made[lang] ??= gather(lang));
}

function gather(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, text] of Object.entries(PROMPTS)) out[id] = text[lang];
  for (const [id, text] of Object.entries(UI_SPEECH)) out[id] = text[lang];
  for (const id of Object.keys(RUNTIME_MESSAGES) as RuntimeMessageId[]) out[runtimeSpeechId(id)] = runtimeText(id, lang);
  for (const [id, text] of Object.entries(READ_TEXTS[lang])) out[id] = text;
  Object.assign(out, valueWordTexts(lang));
  return out;
}

// "A{digits}B{count}C" splits into ['A', 'digits', 'B', 'count', 'C']: texts at even indexes.
const splitTemplate = (template: string) => template.split(/\{(\w+)\}/);
// A piece with only punctuation ("." after a number) has nothing to say and gets no clip.
const hasWords = (piece: string) => /[\p{L}\p{N}]/u.test(piece);
// The words of a piece between placeholders: the punctuation it starts with ("：已认证（" after a
// year) belongs to the value before it, and espeak would say it ("colon").
const pieceText = (piece: string) => piece.trim().replace(/^[\p{P}\s]+/u, '');

/** The words of one placeholder's value; a text value's own words come from its template. */
function valueWords(name: string, vars: SpeechVars, lang: Lang): Word[] {
  if (name === 'digits') return digitWords(vars.digits ?? '', lang);
  if (name === 'count') return vars.count === undefined ? [] : numberWords(vars.count, lang, true);
  const v = vars.values?.[name];
  if (!v) return [];
  if ('date' in v) return dateWords(v.date, lang);
  if ('dateTime' in v) return dateTimeWords(v.dateTime, lang);
  if ('year' in v) return yearWords(v.year, lang);
  if ('number' in v) return numberWords(v.number, lang, true);
  if ('digits' in v) return digitWords(v.digits, lang);
  if ('text' in v) return [{ clip: null, text: v.text }];
  const template = speakableTexts(lang)[v.key];
  return template === undefined ? [] : speechWords(v.key, template, { values: v.values ?? {} }, lang);
}

/**
 * What speaks `id` with `vars`, word by word: a text "A{digits}B" becomes the clips `id#0` ("A"),
 * `digit.N`…, `id#1` ("B"); a text without placeholders is one clip, `id`. A word with no clip (a
 * name) has only its text, for the device voice.
 */
export function speechWords(id: string, template: string, vars: SpeechVars = {}, lang: Lang = 'zh-CN'): Word[] {
  const parts = splitTemplate(template);
  if (parts.length === 1) return [{ clip: id, text: template }];
  const words: Word[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      if (hasWords(part)) words.push({ clip: `${id}#${i / 2}`, text: pieceText(part) });
    } else words.push(...valueWords(part, vars, lang));
  });
  return words;
}

/** The clips that speak `id` with `vars`, in order (see speechWords). */
export function clipPlan(id: string, template: string, vars: SpeechVars = {}, lang: Lang = 'zh-CN'): string[] {
  return speechWords(id, template, vars, lang).flatMap((w) => (w.clip ? [w.clip] : []));
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
      if (i % 2 === 0 && hasWords(part)) out[`${id}#${i / 2}`] = pieceText(part);
    });
  }
  return out;
}

/**
 * A text as a voice should read it: brackets as pauses; a run of three or more digits (a phone number such as 12333)
 * digit by digit, not as "twelve thousand…"; used for the clips and for the device voice alike.
 */
export function readableText(text: string, lang: Lang): string {
  // Brackets are a pause, not words: espeak says "open bracket".
  const paused = text.replace(/\s*[(（)）]\s*/g, lang === 'zh-CN' ? '，' : ', ');
  return paused.replace(/\d{3,}/g, (run) => [...run].map((d) => (lang === 'zh-CN' ? DIGIT_WORDS[lang][Number(d)] : d)).join(lang === 'zh-CN' ? '' : ' '));
}

/**
 * The whole sentence for the device's own voice: placeholders filled in with the same words the
 * clips say (digits one by one, numbers, years and dates as words), other digit runs read one by one.
 */
export function sentence(template: string, lang: Lang, vars: SpeechVars = {}): string {
  const filled = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'digits') return vars.digits ? [...vars.digits].join(lang === 'zh-CN' ? '、' : ', ') : '';
    const v = vars.values?.[name];
    // Another text is itself a sentence with its own placeholders.
    if (v && 'key' in v) {
      const inner = speakableTexts(lang)[v.key];
      return inner === undefined ? '' : sentence(inner, lang, { values: v.values ?? {} });
    }
    return wordsText(valueWords(name, vars, lang), lang);
  });
  return readableText(filled, lang);
}

/** File name of a clip: ids contain dots and '#', which are fine in paths once '#' is escaped. */
export const clipFile = (id: string) => `${id.replace('#', '~')}.mp3`;
