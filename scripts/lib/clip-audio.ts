// How loud and how long a voice clip really is, measured from its decoded samples: the generator
// checks each clip it writes with this, and web/voice/voice-clips.test.ts checks every bundled one,
// so a clip that decodes to silence (or to nothing) cannot ship again.
import { execFileSync } from 'node:child_process';

export interface ClipLevels {
  seconds: number;
  /** Root mean square of the whole clip, in dBFS. */
  rmsDb: number;
  peakDb: number;
  /** Share of 20 ms windows louder than -40 dBFS: speech has many, a silent clip none. */
  voicedShare: number;
}

const RATE = 16_000;
const WINDOW = RATE / 50;
const db = (x: number) => (x > 0 ? 20 * Math.log10(x) : -Infinity);

export function decodeToPcm(file: string): Int16Array {
  const out = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 's16le', '-ac', '1', '-ar', String(RATE), '-'], { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Int16Array(out.buffer, out.byteOffset, out.byteLength >> 1);
}

export function levels(samples: Int16Array): ClipLevels {
  let sum = 0;
  let peak = 0;
  let voiced = 0;
  let windows = 0;
  for (let start = 0; start < samples.length; start += WINDOW) {
    let windowSum = 0;
    const end = Math.min(samples.length, start + WINDOW);
    for (let i = start; i < end; i++) {
      const x = samples[i]! / 32768;
      windowSum += x * x;
      peak = Math.max(peak, Math.abs(x));
    }
    sum += windowSum;
    windows++;
    if (db(Math.sqrt(windowSum / (end - start))) > -40) voiced++;
  }
  return {
    seconds: samples.length / RATE,
    rmsDb: samples.length ? db(Math.sqrt(sum / samples.length)) : -Infinity,
    peakDb: db(peak),
    voicedShare: windows ? voiced / windows : 0,
  };
}

export const clipLevels = (file: string): ClipLevels => levels(decodeToPcm(file));

/**
 * How much there is to say: Han characters and digits for Chinese (one syllable each), words for
 * English (a run of three or more digits, like a phone number, is read digit by digit).
 */
export function spokenUnits(text: string, lang: 'zh-CN' | 'en'): number {
  if (lang === 'zh-CN') return (text.match(/[\u4e00-\u9fff0-9]/g) ?? []).length;
  const digitRuns = (text.match(/\d{3,}/g) ?? []).reduce((n, run) => n + run.length - 1, 0);
  return (text.match(/[A-Za-z0-9’']+/g) ?? []).length + digitRuns;
}

/** Why a clip is not audible speech of a sensible length for its text, or null when it is. */
export function clipProblem(l: ClipLevels, text: string, lang: 'zh-CN' | 'en'): string | null {
  const units = spokenUnits(text, lang);
  // Measured on espeak-ng at the script's speeds: about 0.25 s a syllable, 0.4 s a word; the range
  // is wide enough for another voice and the speech rate, narrow enough to catch a clip cut short.
  const [min, max] = lang === 'zh-CN' ? [0.1 * units, 0.2 + 0.6 * units] : [0.15 * units, 0.3 + 0.9 * units];
  if (l.seconds < min || l.seconds > max) return `lasts ${l.seconds.toFixed(2)} s; ${units} ${lang === 'zh-CN' ? 'syllables' : 'words'} want ${min.toFixed(2)}–${max.toFixed(2)} s`;
  if (l.peakDb < -12) return `peak ${l.peakDb.toFixed(1)} dBFS is too quiet`;
  if (l.rmsDb < -30) return `RMS ${l.rmsDb.toFixed(1)} dBFS is too quiet`;
  if (l.voicedShare < 0.5) return `only ${Math.round(l.voicedShare * 100)}% of it is sound`;
  return null;
}
