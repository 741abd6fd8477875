// Pure helpers of the retiree screens: the grouped ID display, which checks count as failures for
// offering other routes, and the sign-in error words (tries left; locked until when, whom to call).
import { describe, expect, it } from 'vitest';
import { syntheticResult } from '../../shared/sync-fixtures.ts';
import { ApiError } from '../api/client.ts';
import { signInErrorText } from '../screens/sign-in-errors.ts';
import { countsAsFailure } from './attempt-rules.ts';
import { groupIdNumber } from './id-format.ts';

describe('groupIdNumber', () => {
  it('groups region, birth date and the last four as 6-8-4, also while typing', () => {
    expect(groupIdNumber('11019919521105004X')).toBe('110199 19521105 004X');
    expect(groupIdNumber('1101991952')).toBe('110199 1952');
    expect(groupIdNumber('110')).toBe('110');
    expect(groupIdNumber('')).toBe('');
  });
});

describe('countsAsFailure', () => {
  it('counts failed and timed-out checks, not passes and not a check the person stopped', () => {
    expect(countsAsFailure(syntheticResult({ seed: 1 }, 'passed'))).toBe(false);
    expect(countsAsFailure(syntheticResult({ seed: 1 }, 'failed'))).toBe(true);
    expect(countsAsFailure(syntheticResult({ seed: 1 }, 'timed_out'))).toBe(true);
    expect(countsAsFailure(syntheticResult({ seed: 1 }, 'abandoned'))).toBe(false);
    expect(countsAsFailure({ ...syntheticResult({ seed: 1 }, 'abandoned'), reason: 'camera_unavailable' })).toBe(true);
  });
});

describe('signInErrorText', () => {
  it('says how many tries are left, and until when a locked account waits and whom to call', () => {
    expect(signInErrorText(new ApiError(401, 'invalid_credentials', 'x', { attemptsLeft: 3 }))).toBe('身份证号码或密码不对。还可以再试 3 次。');
    const locked = signInErrorText(new ApiError(429, 'account_locked', 'x', { retryAt: Date.UTC(2026, 10, 22, 3, 30) }));
    expect(locked).toContain('账号暂时锁住了');
    expect(locked).toMatch(/11月22日/);
    expect(locked).toContain('社区');
    expect(signInErrorText(new ApiError(0, 'network', 'x'))).toContain('没有网络');
  });
});
