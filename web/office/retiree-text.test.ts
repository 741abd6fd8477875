import { describe, expect, it } from 'vitest';
import { certificationStatus, type CertificationPeriod } from '../../shared/certification-rules.ts';
import { setLang } from '../i18n/index.ts';
import './catalog.ts';
import { say, statusSentence } from './retiree-text.ts';

const period: CertificationPeriod = { id: 1, year: 2026, selfStart: '2026-03-01', selfEnd: '2026-06-30', onsiteStart: '2026-06-01', onsiteEnd: '2026-06-30', deadline: '2026-06-30', suspensionDate: '2026-08-01' };
const state = (today: string, certifications: Parameters<typeof certificationStatus>[0]['certifications'] = []) => certificationStatus({ periods: [period], certifications, today });
const iso = (d: string) => d;

describe('the status sentence', () => {
  it('says what the rules say, in the clerk’s words', () => {
    globalThis.localStorage ??= { setItem() {}, getItem: () => null } as unknown as Storage;
    globalThis.document ??= { documentElement: {} } as unknown as Document;
    setLang('zh-CN');
    expect(say(statusSentence(state('2026-04-01', [{ periodId: 1, status: 'approved', method: 'self', certifiedOn: '2026-03-14' }]), 'active', []), iso)).toBe('已认证（本人手机，2026-03-14）');
    expect(say(statusSentence(state('2026-06-20'), 'active', []), iso)).toBe('待认证，截止 2026-06-30（还有 10 天）');
    expect(say(statusSentence(state('2026-06-30'), 'active', []), iso)).toBe('待认证，今天截止');
    expect(say(statusSentence(state('2026-07-02'), 'active', []), iso)).toBe('已逾期：2026-06-30 截止，2026-08-01 起暂停发放');
    expect(say(statusSentence(state('2026-08-02'), 'active', []), iso)).toBe('养老金已暂停发放（自 2026-08-01 起）');
    const review = state('2026-04-01', [{ periodId: 1, status: 'pending_review', method: 'self', certifiedOn: '2026-03-30' }]);
    expect(say(statusSentence(review, 'active', [{ type: 'attempt', id: 'x', reason: 'face_uncertain', receivedAt: 0 }]), iso)).toBe('审核中：人脸不确定');
    expect(say(statusSentence(review, 'active', []), iso)).toBe('审核中：本人手机');
    expect(say(statusSentence(state('2026-08-02'), 'deceased', []), iso)).toBe('已去世：不在领取名单上，不需要认证');
    setLang('en');
    expect(say(statusSentence(state('2026-06-20'), 'active', []), iso)).toBe('Due by 2026-06-30 (10 days left)');
  });
});
