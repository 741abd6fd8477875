// The result screen after a passed check (issue 14): "认证成功" only once the server certified it;
// sent and waiting for the face match says so; the office looking at it says so. Every word shown
// is in the spoken text too.
import { describe, expect, it } from 'vitest';
import * as retiree from '../i18n/retiree.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { en } from '../i18n/en.ts';
import { certifiedYear, passedStage, passedWords, type PassedStage } from './result-words.ts';

const CATALOG = { 'zh-CN': { ...zhCN, ...retiree.zh }, en: { ...en, ...retiree.en } } as Record<'zh-CN' | 'en', Record<string, string>>;
const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

describe('passedStage', () => {
  it('follows the attempt from the phone to the server’s decision', () => {
    expect(passedStage(undefined)).toBe('saved');
    expect(passedStage({ syncState: 'waiting' })).toBe('saved');
    expect(passedStage({ syncState: 'sending' })).toBe('saved');
    // The server's daily quota holds it on the phone (issue 15): said so, and that it goes tomorrow.
    expect(passedStage({ syncState: 'waiting' }, true)).toBe('held');
    expect(passedStage({ syncState: 'sending' }, true)).toBe('saved');
    expect(passedStage({ syncState: 'sent', outcome: { kind: 'verifying' } }, true)).toBe('verifying');
    expect(passedStage({ syncState: 'sent', outcome: { kind: 'verifying' } })).toBe('verifying');
    expect(passedStage({ syncState: 'sent', outcome: { kind: 'certified', periodId: 1, certifiedOn: '2026-04-01' } })).toBe('certified');
    expect(passedStage({ syncState: 'sent', outcome: { kind: 'already_certified', periodId: 1 } })).toBe('certified');
    for (const reviewReason of ['face_uncertain', 'face_mismatch', 'no_reference', 'no_face', 'no_token'] as const) {
      expect(passedStage({ syncState: 'sent', outcome: { kind: 'review', reviewReason } })).toBe('review');
    }
  });
});

describe('passedWords', () => {
  const stages: PassedStage[] = ['saved', 'held', 'verifying', 'certified', 'review', 'not_passed'];

  it('says 认证成功 only once certified, and that the check is sent and being matched while it is', () => {
    const zh = CATALOG['zh-CN'];
    for (const stage of stages) {
      const w = passedWords(stage, 'own');
      const shown = `${zh[w.title]}${w.body ? zh[w.body] : ''}${zh[w.say]}`;
      if (stage === 'certified') expect(zh[w.title]).toBe('认证成功');
      else expect(shown).not.toMatch(/认证成功|已认证\s✓/);
    }
    const v = passedWords('verifying', 'own');
    expect(zh[v.title]).toBe('人脸检查做完了，已经发送');
    expect(zh[v.body!]).toContain('是不是您本人');
    expect(zh[v.body!]).toContain('几分钟');
    expect(zh[passedWords('verifying', 'other').body!]).toContain('是不是老人本人');
    // With the office: handed over, and when to expect an answer; no tick, no 认证成功 (issue 17 §2).
    expect(zh[passedWords('review', 'own').title]).toBe('已交给社保局核对');
    expect(zh[passedWords('review', 'own').say]).toContain('已交给社保局核对，一般 5 个工作日内有结果');
    expect(zh[passedWords('review', 'own').body!]).toContain('一般 5 个工作日内有结果');
    expect(passedWords('review', 'own').icon).toBe('wait');
    // A green tick only once certified (decision 063): kept, held, sent and being matched wait too.
    for (const stage of stages) for (const whose of ['own', 'other'] as const) expect(passedWords(stage, whose).icon, `${stage} ${whose}`).toBe(stage === 'certified' ? 'check' : stage === 'not_passed' ? 'none' : 'wait');
    expect(CATALOG.en[v.title]).toBe('Check done and sent');
    expect(zh[passedWords('held', 'own').body!]).toMatch(/保存在手机上.*上限.*明天会自动发送/);
  });

  it.each(['zh-CN', 'en'] as const)('speaks every word it shows (%s)', (lang) => {
    const c = CATALOG[lang];
    for (const stage of stages) {
      for (const whose of ['own', 'other'] as const) {
        const w = passedWords(stage, whose);
        const spoken = norm(c[w.say]!);
        expect(spoken, `${stage} ${whose}: title`).toContain(norm(c[w.title]!));
        // The certified line names the year and is shown, not spoken, as before issue 14.
        if (w.body && stage !== 'certified') expect(spoken, `${stage} ${whose}: body`).toContain(norm(c[w.body]!));
        expect(retiree.SPOKEN_KEYS).toContain(w.say);
      }
    }
  });
});

describe('certifiedYear', () => {
  it('names the certified period’s year, not the phone’s clock (issue 17 §2)', () => {
    // A late check in January 2027 certifies the 2026 period.
    expect(certifiedYear({ state: 'certified', year: 2026, certifiedOn: '2027-01-10', method: 'self', validUntil: '2027-06-30', nextOpensOn: '2027-04-01' })).toBe(2026);
    expect(certifiedYear({ state: 'verifying', year: 2026, submittedOn: '2027-01-10', dueOn: '2026-06-30' })).toBeNull();
    expect(certifiedYear(null)).toBeNull();
  });
});
