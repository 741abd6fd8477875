import { expect, it } from 'vitest';
import { pinProblem } from './pin.ts';

it.each([
  ['12345', 'format'],
  ['12345a', 'format'],
  ['111111', 'repeated'],
  ['121212', 'repeated'],
  ['123123', 'repeated'],
  ['123456', 'sequence'],
  ['654321', 'sequence'],
  ['890123', 'sequence'],
  ['493107', null],
  ['271828', null],
])('pin %s → %s', (pin, problem) => expect(pinProblem(pin)).toBe(problem));

it.each(['491231', '311249', '123149', '194912'])('refuses birth-date PIN %s for someone born 1949-12-31', (pin) => {
  expect(pinProblem(pin, '1949-12-31')).toBe('birth_date');
});
