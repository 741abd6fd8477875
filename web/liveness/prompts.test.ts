import { describe, expect, it } from 'vitest';
import { ACTION_IDS, QUALITY_STATES, REASON_CODES, VERDICTS } from '../../shared/liveness.ts';
import { PROMPTS, formatDigits, promptText, qualityPromptId, repromptId, stepPromptId, type PromptId } from './prompts.ts';

describe('prompt catalog', () => {
  const ids = Object.keys(PROMPTS) as PromptId[];

  it('has calm, non-empty zh-CN and English text for every id', () => {
    for (const id of ids) {
      const zh = PROMPTS[id]['zh-CN'];
      const en = PROMPTS[id].en;
      expect(zh.trim().length, id).toBeGreaterThan(1);
      expect(en.trim().length, id).toBeGreaterThan(1);
      expect(zh, id).toMatch(/[\u4e00-\u9fff]/);
      // Short enough to read at a large font and to speak in one breath; no exclamations.
      expect(zh.length, id).toBeLessThanOrEqual(40);
      expect(zh + en, id).not.toMatch(/[!！]/);
    }
  });

  it('covers every action, quality state, verdict and reason', () => {
    for (const a of ACTION_IDS) {
      expect(PROMPTS[stepPromptId(a)]).toBeDefined();
      expect(PROMPTS[repromptId(a)]).toBeDefined();
    }
    for (const q of QUALITY_STATES) {
      const id = qualityPromptId(q);
      if (q === 'ok') expect(id).toBeNull();
      else expect(PROMPTS[id!]).toBeDefined();
    }
    for (const v of VERDICTS) expect(PROMPTS[`verdict.${v}`]).toBeDefined();
    for (const r of REASON_CODES) expect(PROMPTS[`advice.${r}`]).toBeDefined();
  });

  it('fills in the digits, spaced for the eye and one by one for speech', () => {
    expect(promptText('prompt.read_digits', 'zh-CN', { digits: '3729' })).toBe('请大声读出这几个数字：3 7 2 9');
    expect(promptText('prompt.read_digits', 'zh-CN', { digits: '3729' }, true)).toContain('三、七、二、九');
    expect(promptText('prompt.read_digits', 'en', { digits: '3729' }, true)).toContain('3, 7, 2, 9');
    expect(formatDigits('0105', 'zh-CN', true)).toBe('零、一、零、五');
    expect(promptText('quality.too_far', 'zh-CN')).toBe('请把手机稍微靠近一点');
    expect(promptText('quality.too_far', 'en')).toBe('Move the phone a little closer');
  });
});
