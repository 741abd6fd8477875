import { beforeAll, describe, expect, it, vi } from 'vitest';
import { setLang } from '../i18n/index.ts';
import { statusDates, wholePieces } from './whole-dates.ts';

// setLang keeps the choice in localStorage and on <html lang>; neither exists in Node.
beforeAll(() => {
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined });
  vi.stubGlobal('document', { documentElement: {} });
});

describe('wholePieces', () => {
  it('cuts the words around each date, so the date can be kept whole on its line', () => {
    expect(wholePieces('待认证 · 截止 2026年6月30日', ['2026年6月30日'])).toEqual([
      { text: '待认证 · 截止 ', whole: false },
      { text: '2026年6月30日', whole: true },
    ]);
    expect(wholePieces('Certified on June 1, 2026, valid until June 30, 2027.', ['June 1, 2026', 'June 30, 2027', null])).toEqual([
      { text: 'Certified on ', whole: false },
      { text: 'June 1, 2026', whole: true, tail: ',' },
      { text: ' valid until ', whole: false },
      { text: 'June 30, 2027', whole: true, tail: '.' },
    ]);
    // The full stop after a date stays with it (a lone "。" began a line).
    expect(wholePieces('截止日期 2027年1月31日。', ['2027年1月31日'])).toEqual([
      { text: '截止日期 ', whole: false },
      { text: '2027年1月31日', whole: true, tail: '。' },
    ]);
  });

  it('leaves words without the dates as they are', () => {
    expect(wholePieces('已认证', ['2026年6月30日'])).toEqual([{ text: '已认证', whole: false }]);
    expect(wholePieces('', [])).toEqual([]);
  });
});

describe('statusDates', () => {
  it('names each date a status’s words can hold, as formatDate writes it', () => {
    setLang('zh-CN');
    expect(statusDates({ state: 'open', year: 2026, dueOn: '2026-06-30', daysLeft: 10, phase: 'self' } as never)).toEqual(['2026年6月30日']);
    setLang('en');
    expect(statusDates({ state: 'certified', year: 2026, certifiedOn: '2026-05-01', method: 'self', validUntil: '2027-06-30', nextOpensOn: null })).toEqual(['May 1, 2026', 'June 30, 2027']);
    setLang('zh-CN');
  });
});
