// The phone tells a person whose check went to the office when to expect an answer; the office's
// queue marks an item late against the same number (REVIEW_ANSWER_WORKING_DAYS). Every sentence
// that states the promise must state that number, in both languages, shown and spoken.
import { describe, expect, it } from 'vitest';
import { REVIEW_ANSWER_WORKING_DAYS } from '../../shared/certification-rules.ts';
import { en as coreEn } from './en.ts';
import { en as retireeEn, zh as retireeZh } from './retiree.ts';
import { en as workerEn, zh as workerZh } from './worker.ts';
import { zhCN } from './zh-CN.ts';

const texts = (catalog: Record<string, string>, pattern: RegExp) => Object.entries(catalog).filter(([, text]) => pattern.test(text));

describe('the answer the phone promises', () => {
  it('states the number the office is held to, wherever a text promises working days', () => {
    const zh = [...texts(retireeZh, /工作日/), ...texts(zhCN, /工作日/)];
    const en = [...texts(retireeEn, /working day/), ...texts(coreEn, /working day/)];
    // result.review.body, say.result.review, status.under_review.check.detail, at least.
    expect(zh.length).toBeGreaterThanOrEqual(3);
    expect(en.length).toBe(zh.length);
    for (const [key, text] of zh) expect(text, key).toContain(`${REVIEW_ANSWER_WORKING_DAYS} 个工作日`);
    for (const [key, text] of en) expect(text, key).toContain(`${REVIEW_ANSWER_WORKING_DAYS} working days`);
  });
});

describe("the worker's line for a check sent to the office", () => {
  it('states the promise through the same number: the text takes it as {n}, never a number of its own', () => {
    for (const catalog of [workerZh, workerEn] as Record<string, string>[]) {
      const promising = texts(catalog, /工作日|working day/);
      expect(promising.map(([key]) => key)).toContain('w.certify.review');
      for (const [key, text] of promising) expect(text, key).toMatch(/\{n\} (个工作日|working days)/);
    }
  });
});

