// Dates, years and numbers as the clips say them and the device voice is given them: the same
// words for both (decision 093), at the edges of the calendar (1st, 10th, 20th, 31st, December).
import { describe, expect, it } from 'vitest';
import { clipPlan, clipTexts, sentence } from './speakable.ts';
import { dateTimeWords, dateWords, numberWords, wordsText, yearWords, type Word } from './spoken-values.ts';

const zh = (words: Word[]) => wordsText(words, 'zh-CN');
const en = (words: Word[]) => wordsText(words, 'en');

describe('dates', () => {
  it('in Chinese: the year digit by digit, the month, the day as a number word', () => {
    expect(zh(dateWords('2026-12-04', 'zh-CN'))).toBe('二零二六年十二月四日');
    expect(zh(dateWords('2026-01-01', 'zh-CN'))).toBe('二零二六年一月一日');
    expect(zh(dateWords('2026-03-10', 'zh-CN'))).toBe('二零二六年三月十日');
    expect(zh(dateWords('2026-06-20', 'zh-CN'))).toBe('二零二六年六月二十日');
    expect(zh(dateWords('2026-12-31', 'zh-CN'))).toBe('二零二六年十二月三十一日');
    // 二日, not 两日: only a count of things says 两.
    expect(zh(dateWords('2030-02-02', 'zh-CN'))).toBe('二零三零年二月二日');
  });

  it('in English: the month name, the day number, the year in pairs', () => {
    expect(en(dateWords('2026-12-04', 'en'))).toBe('December four, twenty twenty six');
    expect(en(dateWords('2026-01-01', 'en'))).toBe('January one, twenty twenty six');
    expect(en(dateWords('2026-03-10', 'en'))).toBe('March ten, twenty twenty six');
    expect(en(dateWords('2026-06-20', 'en'))).toBe('June twenty, twenty twenty six');
    expect(en(dateWords('2026-12-31', 'en'))).toBe('December thirty one, twenty twenty six');
  });

  it('every word of a date is a clip', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const texts = clipTexts(lang);
      for (const w of dateWords('2026-12-31', lang).filter((w) => /\p{L}/u.test(w.text))) expect(texts[w.clip!], `${lang} ${w.clip}`).toBe(w.text);
    }
  });
});

describe('years and numbers', () => {
  it('say years', () => {
    expect(zh(yearWords(2026, 'zh-CN'))).toBe('二零二六');
    expect(en(yearWords(2026, 'en'))).toBe('twenty twenty six');
    expect(en(yearWords(2009, 'en'))).toBe('two thousand nine');
    expect(en(yearWords(2000, 'en'))).toBe('two thousand');
    expect(en(yearWords(1999, 'en'))).toBe('nineteen ninety nine');
  });

  it('say Chinese numbers with 十, 百, 千 and one 零 for a gap, 两 for a count of two', () => {
    const cases: [number, string][] = [
      [0, '零'],
      [1, '一'],
      [10, '十'],
      [12, '十二'],
      [20, '二十'],
      [31, '三十一'],
      [100, '一百'],
      [105, '一百零五'],
      [110, '一百一十'],
      [180, '一百八十'],
      [1005, '一千零五'],
      [1020, '一千零二十'],
      [2026, '二千零二十六'],
    ];
    for (const [n, words] of cases) expect(zh(numberWords(n, 'zh-CN')), String(n)).toBe(words);
    expect(zh(numberWords(2, 'zh-CN', true))).toBe('两');
    expect(zh(numberWords(2, 'zh-CN'))).toBe('二');
  });

  it('say English numbers', () => {
    const cases: [number, string][] = [
      [0, 'zero'],
      [7, 'seven'],
      [13, 'thirteen'],
      [30, 'thirty'],
      [45, 'forty five'],
      [180, 'one hundred eighty'],
      [1005, 'one thousand five'],
    ];
    for (const [n, words] of cases) expect(en(numberWords(n, 'en')), String(n)).toBe(words);
  });

  it('say a moment as formatDateTime shows it', () => {
    const at = new Date(2026, 11, 4, 21, 5).getTime();
    expect(zh(dateTimeWords(at, 'zh-CN'))).toBe('十二月四日二十一点零五分');
    expect(en(dateTimeWords(at, 'en'))).toBe('December four at nine oh five PM');
    expect(zh(dateTimeWords(new Date(2026, 0, 1, 9, 0).getTime(), 'zh-CN'))).toBe('一月一日九点');
    expect(en(dateTimeWords(new Date(2026, 0, 1, 0, 30).getTime(), 'en'))).toBe('January one at twelve thirty AM');
  });
});

describe('a read text with values', () => {
  it('says the same words with the clips and with the device voice', () => {
    const vars = { values: { date: { date: '2026-12-31' } } };
    expect(sentence('请在 {date} 前完成认证', 'zh-CN', vars)).toBe('请在 二零二六年十二月三十一日 前完成认证');
    expect(clipPlan('status.open', '请在 {date} 前完成认证', vars, 'zh-CN')).toEqual([
      'status.open#0',
      'digit.2',
      'digit.0',
      'digit.2',
      'digit.6',
      'date.year',
      'month.12',
      'digit.3',
      'num.10',
      'digit.1',
      'date.day',
      'status.open#1',
    ]);
    expect(sentence('Please certify by {date}', 'en', vars)).toBe('Please certify by December thirty one, twenty twenty six');
  });

  it('says another text inside a text, and a name only with the device voice', () => {
    const vars = { values: { year: { year: 2025 }, date: { date: '2025-10-13' }, method: { key: 'method.self' } } };
    const template = '{year} 年：已认证（{date}，{method}）';
    expect(sentence(template, 'zh-CN', vars)).toBe('二零二五 年：已认证，二零二五年十月十三日，本人手机认证，');
    expect(clipPlan('history.yearDone', template, vars, 'zh-CN').at(-1)).toBe('method.self');
    // Brackets are said as pauses.
    expect(sentence('{name}，您好', 'zh-CN', { values: { name: { text: '王秀兰' } } })).toBe('王秀兰，您好');
    expect(clipPlan('home.greeting', '{name}，您好', { values: { name: { text: '王秀兰' } } }, 'zh-CN')).toEqual(['home.greeting#1']);
  });

  it('reads a count of days as a number, not digit by digit', () => {
    expect(sentence('还有 {days} 天。', 'zh-CN', { values: { days: { number: 45 } } })).toBe('还有 四十五 天。');
    expect(sentence('{days} days left.', 'en', { values: { days: { number: 2 } } })).toBe('two days left.');
  });
});
