// Which sentence is said aloud for which sign-in error, and that what is said is what is shown:
// the screen shows the spoken key's own text (plus, for a lock or a wait, the time to try again).
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { clipPlan, speakableTexts } from '../voice/speakable.ts';
import { foldsKeypad, signInErrorDates, signInErrorSpeech, signInErrorText } from './sign-in-errors.ts';

const locked = new ApiError(429, 'account_locked', 'x', { retryAt: Date.UTC(2026, 10, 22, 3, 30) });
const wait = new ApiError(429, 'rate_limited', 'x', { retryAt: Date.UTC(2026, 10, 22, 3, 30) });
const wrongPin = new ApiError(401, 'invalid_credentials', 'x', { attemptsLeft: 2 });

describe('foldsKeypad', () => {
  it('folds the keypad for a wait or a lock, whose words need the room (decision 094), not for a wrong PIN', () => {
    expect(foldsKeypad(wait)).toBe(true);
    expect(foldsKeypad(locked)).toBe(true);
    expect(foldsKeypad(wrongPin)).toBe(false);
    expect(foldsKeypad(new ApiError(0, 'network', 'x'))).toBe(false);
    expect(foldsKeypad(new Error('boom'))).toBe(false);
  });

  it('names the day and the time to try again as the words write them, to keep each whole on its line', () => {
    for (const err of [wait, locked]) {
      const [day, time] = signInErrorDates(err);
      expect(day).toMatch(/11月22日/);
      expect(signInErrorText(err)).toContain(day);
      expect(signInErrorText(err)).toContain(time);
    }
    expect(signInErrorDates(wrongPin)).toEqual([]);
  });
});

describe('signInErrorSpeech', () => {
  it('names the spoken sentence of each sign-in error', () => {
    expect(signInErrorSpeech(wrongPin)).toEqual({ key: 'say.signIn.wrongPin', count: 2 });
    expect(signInErrorSpeech(new ApiError(401, 'invalid_credentials', 'x'))).toEqual({ key: 'say.signIn.wrongPinNoCount' });
    expect(signInErrorSpeech(locked)).toEqual({ key: 'say.signIn.locked' });
    expect(signInErrorSpeech(wait)).toEqual({ key: 'say.signIn.wait' });
    expect(signInErrorSpeech(new ApiError(0, 'network', 'x'))).toEqual({ key: 'say.signIn.offline' });
    expect(signInErrorSpeech(new Error('boom'))).toBeNull();
  });

  it('shows the words it says', () => {
    for (const err of [wrongPin, locked, wait, new ApiError(0, 'network', 'x')]) {
      const speech = signInErrorSpeech(err)!;
      expect(signInErrorText(err).startsWith(t(speech.key, { count: speech.count ?? '' }))).toBe(true);
    }
    expect(signInErrorText(wrongPin)).toBe('身份证号码或密码不对。还可以再试 2 次。');
    expect(signInErrorText(locked)).toMatch(/12333.*可以再试的时间：11月22日/);
    // The wait follows wrong tries (or many from one network), never a fast finger: it does not blame
    // the person's speed (it said 试得太快了 / "That was too quick" to retirees who typed slowly).
    expect(signInErrorText(wait)).toMatch(/^现在要等一会儿才能再试。.*11月22日/);
    for (const lang of ['zh-CN', 'en'] as const) expect(speakableTexts(lang)['say.signIn.wait']).not.toMatch(/太快|too quick/i);
  });

  it('says 用户名或密码不对 to family and staff, who typed a username and a password (issue 17)', () => {
    expect(signInErrorSpeech(wrongPin, 'staff')).toEqual({ key: 'say.signIn.wrongPassword', count: 2 });
    expect(signInErrorSpeech(new ApiError(401, 'invalid_credentials', 'x'), 'staff')).toEqual({ key: 'say.signIn.wrongPasswordNoCount' });
    expect(signInErrorText(wrongPin, 'staff')).toBe('用户名或密码不对。还可以再试 2 次。');
    expect(signInErrorText(new ApiError(401, 'invalid_credentials', 'x'), 'staff')).not.toContain('身份证');
    // A lock or a wait is the same sentence for everybody.
    expect(signInErrorSpeech(locked, 'staff')).toEqual({ key: 'say.signIn.locked' });
  });

  it('says the tries left and the number to call with the bundled clips, 两 for two', () => {
    const zh = speakableTexts('zh-CN');
    expect(clipPlan('say.signIn.wrongPin', zh['say.signIn.wrongPin']!, { count: 2 }, 'zh-CN')).toEqual(['say.signIn.wrongPin#0', 'count.2', 'say.signIn.wrongPin#1']);
    expect(zh['say.signIn.locked']).toContain('12333');
  });
});

describe('other spoken errors', () => {
  it('every ID problem, the download screen and the camera and engine problems have a spoken form in both languages', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const texts = speakableTexts(lang);
      for (const id of ['say.id.length', 'say.id.characters', 'say.id.region', 'say.id.birth_date', 'say.id.checksum', 'say.assets.wait', 'say.assets.unavailable', 'say.assets.unsupported', 'runtime.camera.permission_denied', 'runtime.engine.load'])
        expect(texts[id], `${lang} ${id}`).toBeTruthy();
    }
    expect(speakableTexts('zh-CN')['runtime.camera.permission_denied']).toBe('没有打开相机的权限。请在手机的“设置”里，允许本应用使用相机，然后点“再试一次”。');
  });
});
