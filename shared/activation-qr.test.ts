import { expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { activationQrPayload, parseActivationQr } from './activation-qr.ts';

const { idNumber, activationCode } = DEMO.retireeNew;

it('writes version 1 of the payload and reads it back', () => {
  const text = activationQrPayload(idNumber, activationCode);
  expect(text).toBe(`SH:ACT:1:${idNumber}:${activationCode}`);
  expect(parseActivationQr(text)).toEqual({ ok: true, value: { idNumber, code: activationCode } });
  // Only QR alphanumeric characters: the small, sturdy encoding.
  expect(text).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
});

it('forgives spaces around it and lower case (an x check character, some readers)', () => {
  const withX = '11010519491231002X';
  expect(parseActivationQr(`  sh:act:1:${withX.toLowerCase()}:12345678\n`)).toEqual({ ok: true, value: { idNumber: withX, code: '12345678' } });
});

it.each([
  ['https://weixin.qq.com/r/abc', 'foreign'],
  ['', 'foreign'],
  [`${DEMO.retireeNew.idNumber}`, 'foreign'],
  [`SH:PAY:1:${idNumber}:${activationCode}`, 'foreign'],
  [`SH:ACT:2:${idNumber}:${activationCode}`, 'newer_version'],
  [`SH:ACT:2:something:else:entirely`, 'newer_version'],
  [`SH:ACT:0:${idNumber}:${activationCode}`, 'damaged'],
  [`SH:ACT:X:${idNumber}:${activationCode}`, 'damaged'],
  [`SH:ACT:1:${idNumber.slice(0, 17)}${idNumber.endsWith('1') ? '2' : '1'}:${activationCode}`, 'damaged'],
  [`SH:ACT:1:${idNumber}:2026030`, 'damaged'],
  [`SH:ACT:1:${idNumber}:${activationCode}:extra`, 'damaged'],
  [`SH:ACT:1:${idNumber}`, 'damaged'],
])('refuses %j as %s', (text, problem) => {
  expect(parseActivationQr(text)).toEqual({ ok: false, problem });
});

it('refuses to write a payload that would not read back', () => {
  expect(() => activationQrPayload('110199195211050040', activationCode)).toThrow(/damaged/);
  expect(() => activationQrPayload(idNumber, '1234')).toThrow(/damaged/);
});
