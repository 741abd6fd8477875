// The QR code on an activation letter (decision 064): what the office console prints and what the
// phone's first-use screen reads, so a first-time retiree types only the PIN, twice.
//
//   SH:ACT:1:110199195211050047:20260301
//   ^^ ^^^ ^ ^^^^^^^^^^^^^^^^^^ ^^^^^^^^
//   │  │   │ ID number (18)      activation code (8 digits)
//   │  │   version of this format
//   │  what it is for (an activation letter)
//   StillHere
//
// Every character is in the QR alphanumeric set (0-9, A-Z, ':'), so the code stays small (version 3
// at 25% error correction: big modules on a half A4 sheet, easy for an old phone's camera). A reader
// refuses what is not a letter of this app ("foreign"), a later version it does not know, and a
// letter whose ID number or code is not valid ("damaged"): each says something different.
import { parseIdNumber } from './id-number.ts';

export const ACTIVATION_QR_PREFIX = 'SH:ACT:';
export const ACTIVATION_QR_VERSION = 1;

export interface ActivationQr {
  idNumber: string;
  code: string;
}

export type ActivationQrProblem = 'foreign' | 'newer_version' | 'damaged';
export type ActivationQrResult = { ok: true; value: ActivationQr } | { ok: false; problem: ActivationQrProblem };

/** The text to encode in the letter's QR code. Throws on a value that would not read back. */
export function activationQrPayload(idNumber: string, code: string): string {
  const text = `${ACTIVATION_QR_PREFIX}${ACTIVATION_QR_VERSION}:${idNumber.toUpperCase()}:${code}`;
  const back = parseActivationQr(text);
  if (!back.ok) throw new Error(`not a valid activation letter QR payload (${back.problem})`);
  return text;
}

/** Reads a scanned QR code's text. Whitespace around it and lower case (some readers) are forgiven. */
export function parseActivationQr(scanned: string, today?: string): ActivationQrResult {
  const text = scanned.trim().toUpperCase();
  if (!text.startsWith(ACTIVATION_QR_PREFIX)) return { ok: false, problem: 'foreign' };
  const fields = text.slice(ACTIVATION_QR_PREFIX.length).split(':');
  const version = fields[0] ?? '';
  if (!/^\d{1,3}$/.test(version)) return { ok: false, problem: 'damaged' };
  if (Number(version) > ACTIVATION_QR_VERSION) return { ok: false, problem: 'newer_version' };
  if (Number(version) !== ACTIVATION_QR_VERSION || fields.length !== 3) return { ok: false, problem: 'damaged' };
  const [, id = '', code = ''] = fields;
  const parsed = parseIdNumber(id, today);
  if (!parsed.ok || !/^\d{8}$/.test(code)) return { ok: false, problem: 'damaged' };
  return { ok: true, value: { idNumber: parsed.value.normalized, code } };
}
