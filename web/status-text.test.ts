// The home card's words for each certification state: truthful about a check waiting for the
// server's face match (not "certified"), and about a check the office is looking at (issue 14).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CertificationState } from '../shared/certification-rules.ts';
import { setLang } from './i18n/index.ts';
import { statusText } from './status-text.ts';

// setLang keeps the choice in localStorage and on <html lang>; neither exists in Node.
beforeEach(() => {
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined });
  vi.stubGlobal('document', { documentElement: {} });
});
afterEach(() => {
  setLang('zh-CN');
  vi.unstubAllGlobals();
});

const verifying: CertificationState = { state: 'verifying', year: 2026, submittedOn: '2026-04-01', dueOn: '2026-06-30' };
const review = (method: 'self' | 'family' | 'worker' | 'home_visit'): CertificationState => ({ state: 'under_review', year: 2026, method, submittedOn: '2026-04-01', dueOn: '2026-06-30' });

describe('statusText', () => {
  it('says a sent check is being matched, never that it is certified, and offers no new check', () => {
    const s = statusText(verifying);
    expect(s).toMatchObject({ title: '已发送，正在核对是不是您本人', tone: 'quiet', checkUseful: false });
    expect(s.detail).toContain('2026年4月1日');
    expect(s.detail).toContain('几分钟');
    expect(s.detail).toContain('不用再做什么');
    expect(`${s.title}${s.detail}`).not.toMatch(/认证成功|已认证/);
    // A family member (or a worker) is told it is the retiree who is being checked.
    expect(statusText(verifying, 'other').title).toBe('已发送，正在核对是不是老人本人');
    setLang('en');
    expect(statusText(verifying).title).toBe('Sent — checking that it is you');
    expect(statusText(verifying).detail).toMatch(/few minutes.*nothing more to do/i);
  });

  it('tells a face check under review from a home visit under review', () => {
    expect(statusText(review('home_visit')).title).toBe('上门认证已提交，等待社保局审核');
    for (const method of ['self', 'family', 'worker'] as const) {
      const s = statusText(review(method));
      expect(s).toMatchObject({ title: '已交给社保局核对', tone: 'quiet', checkUseful: false });
      expect(s.detail).toContain('一般 5 个工作日内有结果');
      expect(s.detail).toContain('2026年4月1日');
      expect(s.detail).toContain('已认证');
      expect(s.detail).toContain('打电话');
      expect(s.title).not.toContain('上门');
    }
    setLang('en');
    expect(statusText(review('self')).title).toBe('Passed to the office to check');
    expect(statusText(review('self')).detail).toMatch(/may call/);
  });
});
