// Issue 14 "Privacy": the consent notice says the check's pictures are compared with a reference
// photo on the server (and the spoken notice says so too); Help says what is kept, where, from whom
// it is kept away, for how long, and that the office erases it on request (issue 15, decision 052).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en, zh } from './retiree.ts';

const source = (file: string) => readFileSync(join(import.meta.dirname, '..', file), 'utf8');

describe('privacy texts', () => {
  it('the consent notice, shown and spoken, says a reference photo is compared on the server', () => {
    expect(zh['consent.compare']).toMatch(/社保局的电脑上.*登记照片.*比一比/);
    expect(zh['consent.compare']).toMatch(/社保局原有的照片.*第一次认证时拍的照片/);
    expect(en['consent.compare']).toMatch(/compared with your reference photo/);
    expect(zh['say.consent']).toContain('登记照片比一比');
    expect(en['say.consent']).toContain('compared with your reference photo');
    expect(source('components/Consent.tsx')).toContain("t('consent.compare')");
  });

  it('Help says what is kept, only on the server, from whom it is kept away, and for how long', () => {
    const zhHelp = [zh['help.privacy.kept'], zh['help.privacy.reference'], zh['help.privacy.biometric'], zh['help.privacy.howLong']].join('');
    for (const words of ['作为认证的凭据', '生物识别信息', '只存在社保局的服务器上', '别的社区的工作人员', '别的老人', '只留最新的几张', '一个月后删除', '请社保局提前删除', '3 年']) expect(zhHelp).toContain(words);
    const enHelp = [en['help.privacy.kept'], en['help.privacy.reference'], en['help.privacy.biometric'], en['help.privacy.howLong']].join(' ');
    for (const words of ['evidence', 'biometric data', 'only on the office’s server', 'other communities', 'other retirees', 'newest few', 'deleted a month after the pension ends', 'ask the office to delete']) expect(enHelp).toContain(words);
    const help = source('retiree/Help.tsx');
    for (const key of ['help.privacy.reference', 'help.privacy.biometric']) expect(help).toContain(`t('${key}')`);
  });

  // New-user walkthrough: both said "two small photos" and nothing of the digits' recording, which the
  // check keeps too (2–3 key frames and, for the read-digits step, a short recording), as Help's
  // "for how long" line already said.
  it('the consent notice and Help name everything a check keeps: 2–3 photos and the recording of the digits', () => {
    for (const key of ['consent.kept', 'help.privacy.kept'] as const) {
      expect(zh[key], key).toContain('两三张');
      expect(zh[key], key).toContain('录音');
      expect(en[key], key).toMatch(/two or three/i);
      expect(en[key], key).toContain('recording');
    }
  });
});
