// The bundled clips must exist for every speakable text, must have been made from the current
// text (change a prompt and forget `npx tsx scripts/make-voice-clips.ts`, and this fails), and must
// decode to audible speech of a length that fits their text: a clip that decodes to silence is
// refused by the browser and, before issue 17, silenced the rest of the sentence.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipLevels, clipProblem } from '../../scripts/lib/clip-audio.ts';
import { READ_TEXTS } from './read-keys.ts';
import { clipFile, clipPlan, clipTexts, speakableTexts } from './speakable.ts';

const dir = join(import.meta.dirname, '..', '..', 'public', 'voice');
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Record<string, Record<string, string>>;

describe.each(['zh-CN', 'en'] as const)('%s clips', (lang) => {
  it('cover every clip text, made from the current wording', () => {
    const texts = clipTexts(lang);
    expect(index[lang]).toEqual(texts);
    for (const id of Object.keys(texts)) expect(existsSync(join(dir, lang, clipFile(id))), id).toBe(true);
  });

  it('can speak every speakable id, with every digit', () => {
    for (const [id, template] of Object.entries(speakableTexts(lang))) {
      const plan = clipPlan(id, template, { digits: '0123456789', count: 2 }, lang);
      // A read text made only of values ("{year}: {state}") has no clip of its own.
      if (!/[\p{L}\p{N}]/u.test(template.replace(/\{\w+\}/g, ''))) continue;
      expect(plan.length, id).toBeGreaterThan(0);
      for (const clip of plan) expect(existsSync(join(dir, lang, clipFile(clip))), `${id}: ${clip}`).toBe(true);
    }
  });

  it('hold no placeholder the clips cannot say', () => {
    // Instructions take {digits} and {count}; the texts 读给我听 reads take typed values (decision 093).
    for (const [id, text] of Object.entries(speakableTexts(lang))) {
      const placeholders = id in READ_TEXTS[lang] ? /\{\w+\}/g : /\{(digits|count)\}/g;
      expect(text.replace(placeholders, ''), id).not.toMatch(/[{}]/);
    }
  });

  it('say every date of a year and every count a screen shows, word by word', () => {
    const texts = clipTexts(lang);
    const days = Array.from({ length: 366 }, (_, i) => new Date(Date.UTC(2028, 0, 1 + i)).toISOString().slice(0, 10));
    for (const date of days) for (const clip of clipPlan('x', '{date}', { values: { date: { date } } }, lang)) expect(texts[clip], `${date} ${clip}`).toBeDefined();
    for (let n = 0; n < 10_000; n += 7) for (const clip of clipPlan('x', '{n}', { values: { n: { number: n } } }, lang)) expect(texts[clip], `${n} ${clip}`).toBeDefined();
  });

  it('speak a digits prompt as text, one clip per digit, text', () => {
    const template = speakableTexts(lang)['prompt.read_digits']!;
    const plan = clipPlan('prompt.read_digits', template, { digits: '3729' });
    expect(plan).toEqual(['prompt.read_digits#0', 'digit.3', 'digit.7', 'digit.2', 'digit.9']);
    for (const id of plan) expect(existsSync(join(dir, lang, clipFile(id))), id).toBe(true);
  });

  // Decodes every clip with ffmpeg, one after the other (~200 per language): seconds on a quiet
  // machine, more than vitest's 20 s default on a busy 2-core CI runner.
  it('are each audible speech as long as their text', { timeout: 180_000 }, () => {
    const problems: string[] = [];
    for (const [id, text] of Object.entries(clipTexts(lang))) {
      try {
        const problem = clipProblem(clipLevels(join(dir, lang, clipFile(id))), text, lang);
        if (problem) problems.push(`${id} (“${text}”): ${problem}`);
      } catch {
        problems.push(`${id} (“${text}”): does not decode`);
      }
    }
    expect(problems).toEqual([]);
  });
});
