// Regenerates the bundled voice clips (public/voice/<lang>/*.mp3) from the speakable texts, for
// phones without a zh-CN / English speech voice. Needs espeak-ng and ffmpeg (Debian:
// `apt-get install -y espeak-ng ffmpeg`). Only clips whose text changed are redone; the index
// records each clip's text so a test can tell when a clip is stale.
//   npx tsx scripts/make-voice-clips.ts
import { execFileSync } from 'node:child_process';
import { pinyin } from 'pinyin-pro';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clipFile, clipTexts, type Lang } from '../web/voice/speakable.ts';
import { ROOT } from './build.ts';

// espeak-ng's Mandarin voice does not read Han characters reliably (Debian's dictionary falls back
// to spelling them in English), but reads tone-numbered pinyin well, so Chinese goes in as pinyin.
const toPinyin = (text: string) =>
  pinyin(text, { toneType: 'num', type: 'array', nonZh: 'consecutive' })
    .map((s) => (/^[，、：；,:;]$/.test(s) ? ',' : /^[。！？.!?]$/.test(s) ? '.' : s))
    .join(' ')
    .replace(/ ([,.])/g, '$1');

const VOICES: Record<Lang, { voice: string; speed: number; prepare: (text: string) => string }> = {
  // Slower than espeak's default of 175 words a minute: the listeners are old.
  'zh-CN': { voice: 'cmn-latn-pinyin', speed: 130, prepare: toPinyin },
  en: { voice: 'en-us', speed: 135, prepare: (text) => text },
};

const dir = join(ROOT, 'public', 'voice');
const indexFile = join(dir, 'index.json');
const index: Record<string, Record<string, string>> = existsSync(indexFile) ? JSON.parse(readFileSync(indexFile, 'utf8')) : {};

let made = 0;
for (const lang of Object.keys(VOICES) as Lang[]) {
  const texts = clipTexts(lang);
  const langDir = join(dir, lang);
  mkdirSync(langDir, { recursive: true });
  const previous = index[lang] ?? {};
  for (const [id, text] of Object.entries(texts)) {
    const out = join(langDir, clipFile(id));
    if (previous[id] === text && existsSync(out)) continue;
    const wav = join(langDir, '.tmp.wav');
    const { voice, speed, prepare } = VOICES[lang];
    execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-w', wav, prepare(text)]);
    // Mono 22 kHz MP3 at 32 kbit/s: plays on every phone browser, a few KB per prompt.
    execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-i', wav, '-af', 'silenceremove=start_periods=1:stop_periods=-1:stop_duration=0.3:stop_threshold=-45dB', '-ac', '1', '-ar', '22050', '-b:a', '32k', out]);
    rmSync(wav);
    made++;
  }
  for (const id of Object.keys(previous)) if (!(id in texts)) rmSync(join(langDir, clipFile(id)), { force: true });
  index[lang] = texts;
}
writeFileSync(indexFile, `${JSON.stringify(index, null, 1)}\n`);
console.log(`voice clips: ${made} made, index at ${indexFile}`);
