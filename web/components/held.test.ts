// The server's daily quota holding records on the phone (issue 15): shown on the sync line, and the
// same words spoken on Home.
import { expect, it } from 'vitest';
import { en } from '../i18n/en.ts';
import * as retiree from '../i18n/retiree.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { isHeld } from './held.ts';

it('holds only while something waits and the server’s day has not turned', () => {
  expect(isHeld({ heldUntil: 2_000, waiting: 1, sending: 0 }, 1_000)).toBe(true);
  expect(isHeld({ heldUntil: 2_000, waiting: 0, sending: 1 }, 1_000)).toBe(true);
  expect(isHeld({ heldUntil: 2_000, waiting: 0, sending: 0 }, 1_000)).toBe(false);
  expect(isHeld({ heldUntil: 2_000, waiting: 3, sending: 0 }, 2_000)).toBe(false);
  expect(isHeld({ heldUntil: null, waiting: 3, sending: 0 }, 1_000)).toBe(false);
});

it('says on the sync line, in plain words, exactly what Home speaks', () => {
  expect(zhCN['sync.held']).toBe(retiree.zh['say.sync.held']);
  expect(en['sync.held']).toBe(retiree.en['say.sync.held']);
  expect(zhCN['sync.held']).toMatch(/保存在手机上.*明天会自动发送/);
  expect(retiree.SPOKEN_KEYS).toContain('say.sync.held');
});
