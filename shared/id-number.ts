// Resident identity card numbers, GB 11643-1999: 6-digit region code, 8-digit birth date,
// 3-digit sequence (odd = male), and an ISO 7064 MOD 11-2 check character (0-9 or X).
import { isValidDate, type LocalDate } from './dates.ts';

export type IdNumberProblem = 'length' | 'characters' | 'region' | 'birth_date' | 'checksum';

export interface IdNumberInfo {
  /** Upper-case, 18 characters. */
  normalized: string;
  regionCode: string;
  birthDate: LocalDate;
  sex: 'male' | 'female';
}

export type IdNumberResult = { ok: true; value: IdNumberInfo } | { ok: false; problem: IdNumberProblem };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

// Province-level prefixes of GB/T 2260 (plus 81/82/83 for Hong Kong, Macao and Taiwan residence
// permits). The full county table changes every year, so only the province is checked here.
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Validates a full ID number. `today` bounds the birth date (no births in the future) and keeps the
 * function pure; it defaults to the current UTC date.
 */
export function parseIdNumber(input: string, today: LocalDate = new Date().toISOString().slice(0, 10)): IdNumberResult {
  const id = input.trim().toUpperCase();
  if (id.length !== 18) return { ok: false, problem: 'length' };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: 'characters' };
  if (!PROVINCES.has(id.slice(0, 2))) return { ok: false, problem: 'region' };
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isValidDate(birthDate) || birthDate < '1900-01-01' || birthDate > today) {
    return { ok: false, problem: 'birth_date' };
  }
  if (idCheckChar(id) !== id[17]) return { ok: false, problem: 'checksum' };
  return {
    ok: true,
    value: {
      normalized: id,
      regionCode: id.slice(0, 6),
      birthDate,
      sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    },
  };
}

/**
 * Checks what has been typed so far, so a keypad can flag a mistake at the digit where it happens
 * rather than after all 18. Returns null while the prefix can still become a valid number.
 */
export function checkIdNumberPrefix(prefix: string, today?: LocalDate): IdNumberProblem | null {
  const id = prefix.toUpperCase();
  if (id.length > 18) return 'length';
  if (!/^\d{0,17}[\dX]?$/.test(id) || (id.includes('X') && id.length !== 18)) return 'characters';
  if (id.length >= 2 && !PROVINCES.has(id.slice(0, 2))) return 'region';
  if (id.length >= 14) {
    const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
    if (!isValidDate(birth) || birth < '1900-01-01' || birth > (today ?? new Date().toISOString().slice(0, 10))) {
      return 'birth_date';
    }
  }
  if (id.length === 18) {
    const r = parseIdNumber(id, today);
    return r.ok ? null : r.problem;
  }
  return null;
}

/** Age in completed years on `date`. */
export function ageOn(birthDate: LocalDate, date: LocalDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** "110105 19490312 002 2" → grouped for reading aloud and on screen. */
export function groupIdNumber(id: string): string {
  return [id.slice(0, 6), id.slice(6, 14), id.slice(14, 18)].filter(Boolean).join(' ');
}
