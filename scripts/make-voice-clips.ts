// Regenerates the bundled voice clips (public/voice/<lang>/*.mp3) from the speakable texts, for
// phones without a zh-CN / English speech voice. Needs espeak-ng and ffmpeg (Debian:
// `apt-get install -y espeak-ng ffmpeg`). Only clips whose text changed are redone (`--all` redoes
// every one); the index records each clip's text so a test can tell when a clip is stale. Every
// clip written is decoded again and must be audible speech as long as its text, or the script
// stops (docs/decisions/060-voice-clips.md says why espeak-ng, and what went wrong before).
//   npx tsx scripts/make-voice-clips.ts [--all]
import { execFileSync } from 'node:child_process';
import { pinyin } from 'pinyin-pro';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clipFile, clipTexts, readableText, type Lang } from '../web/voice/speakable.ts';
import { ROOT } from './build.ts';
import { clipLevels, clipProblem } from './lib/clip-audio.ts';

// espeak-ng's Mandarin voice does not read Han characters reliably (Debian's dictionary falls back
// to spelling them in English), but reads tone-numbered pinyin well, so Chinese goes in as pinyin.
const toPinyin = (text: string) =>
  pinyin(readableText(text, 'zh-CN'), { toneType: 'num', type: 'array', nonZh: 'consecutive' })
    .map((s) => (/^[，、：；,:;]$/.test(s) ? ',' : /^[。！？.!?]$/.test(s) ? '.' : s))
    .join(' ')
    .replace(/ ([,.])/g, '$1');

const VOICES: Record<Lang, { voice: string; speed: number; prepare: (text: string) => string }> = {
  // Slower than espeak's default of 175 words a minute: the listeners are old.
  'zh-CN': { voice: 'cmn-latn-pinyin', speed: 130, prepare: toPinyin },
  en: { voice: 'en-us', speed: 135, prepare: (text) => readableText(text, 'en') },
};

// Trim the silence espeak leaves before and after the words, keep the pauses between phrases
// (they help an old ear), and end on 60 ms of silence so the encoder's last frame holds no speech.
// The 100 ms of digital silence put in front first is what makes the trim safe: ffmpeg 5.1's
// silenceremove with its default start_threshold of 0 returns nothing at all for a clip whose
// first sample is already sound, which espeak does for words starting with a vowel, l, m or n
// (零 一 二 五 六, "one", "eight"…): those became the empty 227-byte MP3s of issue 17.
const TRIM = [
  'adelay=100:all=1',
  'silenceremove=start_periods=1:start_threshold=-50dB',
  'areverse',
  'adelay=100:all=1',
  'silenceremove=start_periods=1:start_threshold=-50dB',
  'areverse',
  'apad=pad_dur=0.06',
].join(',');

const all = process.argv.includes('--all');
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
    if (!all && previous[id] === text && existsSync(out)) continue;
    const wav = join(langDir, '.tmp.wav');
    const { voice, speed, prepare } = VOICES[lang];
    execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-w', wav, prepare(text)]);
    // Mono 22 kHz MP3 at 24 kbit/s: plays on every phone browser, a few KB per prompt, and is part of
    // the first download of a phone with no speech voice, so every kilobyte counts.
    execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-i', wav, '-af', TRIM, '-ac', '1', '-ar', '22050', '-b:a', '24k', out]);
    rmSync(wav);
    const problem = clipProblem(clipLevels(out), text, lang);
    if (problem) throw new Error(`${lang} ${id} (“${text}”): ${problem}`);
    made++;
  }
  for (const id of Object.keys(previous)) if (!(id in texts)) rmSync(join(langDir, clipFile(id)), { force: true });
  index[lang] = texts;
}
writeFileSync(indexFile, `${JSON.stringify(index, null, 1)}\n`);
console.log(`voice clips: ${made} made, index at ${indexFile}`);
