// "Before you start" asks only for a hat or sunglasses to come off, never everyday glasses (the
// retiree needs them to read the prompts), and on a family member's phone speaks to the family
// member about the retiree, shown and spoken alike (issue 17 §2).
import { describe, expect, it } from 'vitest';
import * as retiree from '../i18n/retiree.ts';

const CATALOG = { 'zh-CN': retiree.zh, en: retiree.en } as Record<'zh-CN' | 'en', Record<string, string>>;
const OWN = ['prepare.tip.light', 'prepare.tip.hat', 'prepare.tip.alone', 'prepare.camera', 'say.prepare'];
const OTHER = OWN.map((k) => (k === 'say.prepare' ? 'say.prepare.other' : `${k}.other`));

describe('Before you start', () => {
  it('asks for a hat or sunglasses off and lets everyday glasses stay on', () => {
    const zh = CATALOG['zh-CN'];
    for (const k of ['prepare.tip.hat', 'prepare.tip.hat.other', 'say.prepare', 'say.prepare.other']) {
      expect(zh[k], k).toContain('墨镜');
      expect(zh[k], k).toContain('眼镜可以戴着');
      expect(zh[k], k).not.toMatch(/摘下[^，。]*(?<!墨)眼镜/);
      expect(CATALOG.en[k], k).toMatch(/sunglasses/);
      expect(CATALOG.en[k], k).toMatch(/glasses can stay on/);
    }
  });

  // New-user walkthrough: the English said "face the light, not a window", which reads as "do not face
  // a window", the opposite of 不要背对窗户 (a window behind the face darkens it; one in front lights it).
  it('warns against a window behind the face, in both languages', () => {
    for (const k of ['prepare.tip.light', 'prepare.tip.light.other']) {
      expect(CATALOG['zh-CN'][k], k).toContain('不要背对窗户');
      expect(CATALOG.en[k], k).toMatch(/back to a window/);
    }
  });

  it('speaks to the family member about the retiree on a family phone', () => {
    const zh = CATALOG['zh-CN'];
    for (const k of OTHER) {
      expect(zh[k], k).toBeTruthy();
      expect(zh[k], k).not.toContain('您');
    }
    expect(zh['prepare.tip.alone.other']).toBe('画面里只能有老人一个人');
    expect(zh['say.prepare.other']).toContain('请把相机对着老人');
    for (const k of OTHER) expect(CATALOG.en[k], k).not.toMatch(/\byour face\b|\bonly you\b/i);
    expect(retiree.SPOKEN_KEYS).toContain('say.prepare.other');
  });
});
