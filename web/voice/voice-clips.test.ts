// The bundled clips must exist for every speakable text and must have been made from the current
// text: change a prompt and forget `npx tsx scripts/make-voice-clips.ts`, and this fails.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipFile, clipPlan, clipTexts, speakableTexts } from './speakable.ts';

const dir = join(import.meta.dirname, '..', '..', 'public', 'voice');
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Record<string, Record<string, string>>;

describe.each(['zh-CN', 'en'] as const)('%s clips', (lang) => {
  it('cover every clip text, made from the current wording', () => {
    const texts = clipTexts(lang);
    expect(index[lang]).toEqual(texts);
    for (const id of Object.keys(texts)) expect(existsSync(join(dir, lang, clipFile(id))), id).toBe(true);
  });

  it('speak a digits prompt as text, one clip per digit, text', () => {
    const template = speakableTexts(lang)['prompt.read_digits']!;
    const plan = clipPlan('prompt.read_digits', template, { digits: '3729' });
    expect(plan).toEqual(['prompt.read_digits#0', 'digit.3', 'digit.7', 'digit.2', 'digit.9']);
    for (const id of plan) expect(existsSync(join(dir, lang, clipFile(id))), id).toBe(true);
  });
});
