import { describe, expect, it } from 'vitest';
import { ageOn, checkIdNumberPrefix, groupIdNumber, idCheckChar, parseIdNumber } from './id-number.ts';

const TODAY = '2026-11-22';

describe('parseIdNumber (GB 11643-1999)', () => {
  it('accepts the example printed in the standard', () => {
    expect(parseIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: { normalized: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', sex: 'female' },
    });
  });

  it('reads the sex from the 17th digit (odd = male)', () => {
    const r = parseIdNumber(withCheck('11010519491231003'), TODAY);
    expect(r.ok && r.value.sex).toBe('male');
  });

  it.each([
    ['lower-case x is normalised', '11010519491231002x', '11010519491231002X'],
    ['surrounding spaces are ignored', ' 11010519491231002X ', '11010519491231002X'],
  ])('%s', (_name, input, normalized) => {
    const r = parseIdNumber(input, TODAY);
    expect(r.ok && r.value.normalized).toBe(normalized);
  });

  it.each([
    ['too short', '1101051949123100', 'length'],
    ['too long', '11010519491231002X1', 'length'],
    ['letters inside', '1101051949A231002X', 'characters'],
    ['X not at the end', '11010519491231X021', 'characters'],
    ['unknown province 99', withCheck('99010519491231002'), 'region'],
    ['month 13', withCheck('11010519491331002'), 'birth_date'],
    ['30 February', withCheck('11010519490230002'), 'birth_date'],
    ['29 February in a common year (1949)', withCheck('11010519490229002'), 'birth_date'],
    ['born in the future', withCheck('11010520270101002'), 'birth_date'],
    ['born before 1900', withCheck('11010518991231002'), 'birth_date'],
    ['wrong check digit', '110105194912310021', 'checksum'],
    ['X where a digit belongs', '11010519491231001X', 'checksum'],
  ])('rejects %s', (_name, id, problem) => {
    expect(parseIdNumber(id, TODAY)).toEqual({ ok: false, problem });
  });

  it('accepts 29 February in a leap year (1948) and in 2000', () => {
    expect(parseIdNumber(withCheck('11010519480229002'), TODAY).ok).toBe(true);
    expect(parseIdNumber(withCheck('11010520000229002'), TODAY).ok).toBe(true);
    expect(parseIdNumber(withCheck('11010519000229002'), TODAY)).toEqual({ ok: false, problem: 'birth_date' });
  });

  it('computes every check character 0-9 and X correctly', () => {
    const seen = new Set<string>();
    for (let seq = 0; seq < 200 && seen.size < 11; seq++) {
      const first17 = `1101051949123${String(seq).padStart(3, '0')}`.slice(0, 17).padEnd(17, '0');
      const c = idCheckChar(first17);
      seen.add(c);
      // Independent recomputation with the ISO 7064 MOD 11-2 definition: sum(a_i * 2^(17-i)) mod 11.
      let s = 0;
      for (let i = 0; i < 17; i++) s += Number(first17[i]) * (2 ** (17 - i) % 11);
      const expected = (12 - (s % 11)) % 11;
      expect(c).toBe(expected === 10 ? 'X' : String(expected));
    }
    expect(seen.size).toBe(11);
  });
});

describe('checkIdNumberPrefix', () => {
  it.each([
    ['', null],
    ['1', null],
    ['99', 'region'],
    ['1101051949', null],
    ['11010519491331', 'birth_date'],
    ['11010519491231002', null],
    ['110105194912310021', 'checksum'],
    ['11010519491231002X', null],
    ['1101X', 'characters'],
  ])('%s → %s', (prefix, problem) => {
    expect(checkIdNumberPrefix(prefix, TODAY)).toBe(problem);
  });
});

describe('ageOn', () => {
  it.each([
    ['1949-12-31', '2026-12-30', 76],
    ['1949-12-31', '2026-12-31', 77],
    ['1948-02-29', '2026-02-28', 77],
    ['1948-02-29', '2026-03-01', 78],
  ])('born %s, on %s → %i', (birth, date, age) => {
    expect(ageOn(birth, date)).toBe(age);
  });
});

it('groups an ID number as region / birth date / sequence', () => {
  expect(groupIdNumber('11010519491231002X')).toBe('110105 19491231 002X');
});

function withCheck(first17: string): string {
  return first17 + idCheckChar(first17);
}
