// Numbers, years and dates as words, each word its own small clip, so that the bundled clips can say
// any date or count the screens show (Home's deadline, History's years) with a few dozen files, and
// the device's own voice is given exactly the same words (decision 093). Chinese: years digit by
// digit (二零二六年), months as 一月…十二月, days and counts as number words (十二月四日, 还有 三十 天,
// 两 for a count of two). English: month names, day numbers as cardinals ("December four"), years
// in pairs ("twenty twenty-six").
import type { Lang } from '../liveness/prompts.ts';

/** One spoken word: its clip, or `null` for words no clip holds (a name: only a device voice can say it). */
export interface Word {
  clip: string | null;
  text: string;
}

export const DIGIT_WORDS: Record<Lang, readonly string[]> = {
  'zh-CN': ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
};

const MONTHS: Record<Lang, readonly string[]> = {
  'zh-CN': ['一月', '二月', '三月', '四月', '五月', '六月', '七月', '八月', '九月', '十月', '十一月', '十二月'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

const EN_TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** The words besides the digits that numbers and dates are made of, by clip id. */
export function valueWordTexts(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  DIGIT_WORDS[lang].forEach((word, d) => (out[`digit.${d}`] = word));
  MONTHS[lang].forEach((word, i) => (out[`month.${i + 1}`] = word));
  if (lang === 'zh-CN') {
    Object.assign(out, { 'count.2': '两', 'num.10': '十', 'num.100': '百', 'num.1000': '千', 'date.year': '年', 'date.day': '日', 'time.hour': '点', 'time.minute': '分' });
  } else {
    EN_TEENS.forEach((word, i) => (out[`num.${10 + i}`] = word));
    EN_TENS.forEach((word, i) => word && (out[`num.${i * 10}`] = word));
    Object.assign(out, { 'num.100': 'hundred', 'num.1000': 'thousand', 'time.at': 'at', 'time.oh': 'oh', 'time.am': 'AM', 'time.pm': 'PM' });
  }
  return out;
}

const word = (lang: Lang, clip: string): Word => ({ clip, text: valueWordTexts(lang)[clip]! });
const digit = (lang: Lang, d: number): Word => word(lang, `digit.${d}`);

/** Digits one by one ("010-6500 5678" → 零 一 零 …), anything else in the string left out. */
export function digitWords(digits: string, lang: Lang): Word[] {
  return [...digits].filter((c) => /\d/.test(c)).map((c) => digit(lang, Number(c)));
}

function zhNumber(n: number): Word[] {
  const lang = 'zh-CN';
  if (n === 0) return [digit(lang, 0)];
  const [th, h, te, u] = [Math.floor(n / 1000) % 10, Math.floor(n / 100) % 10, Math.floor(n / 10) % 10, n % 10];
  const out: Word[] = [];
  // 一千零五, 一百零五, 一千零二十: one 零 stands for the missing places before the next digit.
  let gap = false;
  if (th) out.push(digit(lang, th), word(lang, 'num.1000'));
  if (h) out.push(digit(lang, h), word(lang, 'num.100'));
  else if (th && (te || u)) gap = true;
  if (te) {
    if (gap) out.push(digit(lang, 0));
    gap = false;
    // 十二, not 一十二; but 一百一十二.
    if (te !== 1 || n >= 100) out.push(digit(lang, te));
    out.push(word(lang, 'num.10'));
  } else if ((th || h) && u) gap = true;
  if (u) {
    if (gap) out.push(digit(lang, 0));
    out.push(digit(lang, u));
  }
  return out;
}

function enUnder100(n: number): Word[] {
  const lang = 'en';
  if (n < 10) return [digit(lang, n)];
  if (n < 20) return [word(lang, `num.${n}`)];
  const tens = word(lang, `num.${Math.floor(n / 10) * 10}`);
  return n % 10 ? [tens, digit(lang, n % 10)] : [tens];
}

function enNumber(n: number): Word[] {
  const lang = 'en';
  const [th, h, rest] = [Math.floor(n / 1000) % 10, Math.floor(n / 100) % 10, n % 100];
  const out: Word[] = [];
  if (th) out.push(digit(lang, th), word(lang, 'num.1000'));
  if (h) out.push(digit(lang, h), word(lang, 'num.100'));
  if (rest || n === 0) out.push(...enUnder100(rest));
  return out;
}

/**
 * A whole number as words. `count`: a number of things, where Chinese says 两 for two (两天, 两次)
 * but 二 inside a date. Numbers from 10 000 on are read digit by digit: no screen shows one.
 */
export function numberWords(n: number, lang: Lang, count = false): Word[] {
  const whole = Math.max(0, Math.trunc(n));
  if (whole >= 10_000) return digitWords(String(whole), lang);
  if (lang === 'zh-CN') return count && whole === 2 ? [word(lang, 'count.2')] : zhNumber(whole);
  return enNumber(whole);
}

/** A year: 二零二六 in Chinese, "twenty twenty-six" (and "two thousand nine") in English. */
export function yearWords(year: number, lang: Lang): Word[] {
  if (lang === 'zh-CN') return digitWords(String(year), lang);
  const [hi, lo] = [Math.floor(year / 100), year % 100];
  if (year >= 1100 && year < 10_000 && lo >= 10) return [...enUnder100(hi), ...enUnder100(lo)];
  return enNumber(year);
}

/** A calendar date "YYYY-MM-DD": 二零二六年十二月四日; "December four, twenty twenty-six". */
export function dateWords(iso: string, lang: Lang): Word[] {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (lang === 'zh-CN') return [...yearWords(y, lang), word(lang, 'date.year'), word(lang, `month.${m}`), ...zhNumber(d), word(lang, 'date.day')];
  return [word(lang, `month.${m}`), ...enUnder100(d), { clip: null, text: ',' }, ...yearWords(y, lang)];
}

/**
 * A moment in the phone's own time, as formatDateTime shows it (month, day, hour and minute):
 * 十二月四日 二十一点零五分; "December four at nine oh five PM".
 */
export function dateTimeWords(ms: number, lang: Lang): Word[] {
  const at = new Date(ms);
  const [m, d, h, min] = [at.getMonth() + 1, at.getDate(), at.getHours(), at.getMinutes()];
  if (lang === 'zh-CN') {
    const minutes = min === 0 ? [] : [...(min < 10 ? [digit(lang, 0)] : []), ...zhNumber(min), word(lang, 'time.minute')];
    return [word(lang, `month.${m}`), ...zhNumber(d), word(lang, 'date.day'), ...zhNumber(h), word(lang, 'time.hour'), ...minutes];
  }
  const minutes = min === 0 ? [] : min < 10 ? [word(lang, 'time.oh'), digit(lang, min)] : enUnder100(min);
  return [word(lang, `month.${m}`), ...enUnder100(d), word(lang, 'time.at'), ...enUnder100(h % 12 || 12), ...minutes, word(lang, h < 12 ? 'time.am' : 'time.pm')];
}

/** The words as one piece of a sentence for the device voice: run together in Chinese, spaced in English. */
export function wordsText(words: readonly Word[], lang: Lang): string {
  if (lang === 'zh-CN') return words.map((w) => w.text).join('');
  return words.map((w) => w.text).join(' ').replace(/ ,/g, ',');
}
