// After declining the face check the screen is said as shown (new-user walkthrough: it was the one
// silent screen on the way to a check): its title, its words and, when the phone knows it, the
// office's number, in both languages, with bundled clips (web/voice/voice-clips.test.ts checks them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en, SPOKEN_KEYS, zh } from '../i18n/retiree.ts';

const strip = (s: string) => s.replace(/[\s，。：,.:!！’'{}]/g, '').replace(/digits|phone/g, '');

describe('ConsentDeclined', () => {
  it('says its title and words, and the office number when there is one', () => {
    for (const c of [zh, en]) {
      for (const key of ['say.consent.declined', 'say.consent.declined.noPhone'] as const) {
        expect(strip(c[key])).toContain(strip(c['consent.declined.title']));
        expect(strip(c[key])).toContain(strip(c['consent.declined.body']));
        // What stays once the visit is asked was said too.
        expect(strip(c[key])).toContain(strip(c['consent.declined.bodyAsked']));
        expect(SPOKEN_KEYS).toContain(key);
      }
      expect(c['say.consent.declined']).toContain('{digits}');
    }
    const source = readFileSync(join(import.meta.dirname, 'Consent.tsx'), 'utf8');
    expect(source).toContain("say('say.consent.declined', { digits:");
    expect(source).toContain("say('say.consent.declined.noPhone')");
  });
});
