// The read-digits voice check (issue 18 §4, decision 079) on real recordings: the talking clips'
// own sound (../shared/fixtures/video/*.wav), ffmpeg-made variants of it (an old person's quiet
// voice, a noisy room, silence) and digits read by espeak-ng, against the mouth measured on the
// same clips (testdata/*.mouth.json). Skipped with a message where ../shared or the tools are absent.
import { describe, expect, it } from 'vitest';
import { VOICE_PARAMS } from '../../../shared/voice-check.ts';
import { analyseVoice } from './analyse.ts';
import { syncScore, type MouthSample } from './av-sync.ts';
import { loudness } from './loudness.ts';
import { mouthTrace } from '../../../scripts/harness/mouth-traces.ts';
import { countSyllables } from './syllables.ts';
import { AUDIO_SKIP_MESSAGE, audioAvailable, espeakWav, ffmpegWav, looped, readWav, toolsAvailable, wavPath, type Wav } from '../../../scripts/harness/test-audio.ts';

const ready = audioAvailable() && toolsAvailable();
const suite = ready ? describe : describe.skip;
if (!ready) console.log(audioAvailable() ? 'skipped: ffmpeg or espeak-ng not installed' : AUDIO_SKIP_MESSAGE);

const syllables = (w: Wav, fromMs?: number, toMs?: number) => countSyllables(loudness(w.samples, w.sampleRate), fromMs, toMs).count;

suite('syllables in real speech', () => {
  it('counts the syllables of the man talking, and none in his pauses', () => {
    const w = readWav(wavPath('talking_av_man'));
    // Speech 0-2.35 s and 3.53-4.49 s (fixtures README): about 4 syllables a second.
    const talk = syllables(w, 0, 2350);
    console.log(`talking_av_man: ${talk} syllables in 0-2.35 s, ${syllables(w, 3530, 4490)} in 3.53-4.49 s`);
    expect(talk).toBeGreaterThanOrEqual(7);
    expect(talk).toBeLessThanOrEqual(14);
    expect(syllables(w, 2500, 3450)).toBe(0);
  });

  it('counts the same syllables in a quiet voice (−24 dB) and in a noisy room as at normal loudness', () => {
    const src = wavPath('talking_av_man');
    const normal = syllables(readWav(src), 0, 4600);
    const quiet = syllables(readWav(ffmpegWav('quiet', [src], ['-af', 'volume=-24dB'])), 0, 4600);
    const noisy = syllables(readWav(ffmpegWav('noisy', [src, 'anoisesrc=color=pink:amplitude=0.01:sample_rate=16000:duration=7'], ['-filter_complex', '[0]volume=-12dB[a];[a][1]amix=inputs=2:duration=first:normalize=0'])), 0, 4600);
    console.log(`talking_av_man 0-4.6 s: ${normal} syllables, quiet ${quiet}, noisy ${noisy}`);
    expect(Math.abs(quiet - normal)).toBeLessThanOrEqual(1);
    expect(Math.abs(noisy - normal)).toBeLessThanOrEqual(2);
  });

  it('hears four digits read in Mandarin and in English, also quietly over room noise, and nothing in noise alone', () => {
    const zh = readWav(espeakWav('zh', 'cmn', '三 七 一 九'));
    const en = readWav(espeakWav('en', 'en', 'three, seven, one, nine'));
    const zhQuiet = readWav(ffmpegWav('zh-quiet', [espeakWav('zh2', 'cmn', '三 七 一 九'), 'anoisesrc=color=pink:amplitude=0.003:sample_rate=16000:duration=6'], ['-filter_complex', '[0]volume=-20dB,adelay=800[a];[a][1]amix=inputs=2:duration=longest:normalize=0']));
    const noise = readWav(ffmpegWav('noise', ['anoisesrc=color=pink:amplitude=0.003:sample_rate=16000:duration=6'], []));
    const counts = { zh: syllables(zh), en: syllables(en), zhQuiet: syllables(zhQuiet), noise: syllables(noise) };
    console.log(`espeak-ng digits: ${JSON.stringify(counts)}`);
    for (const n of [counts.zh, counts.en, counts.zhQuiet]) {
      expect(n).toBeGreaterThanOrEqual(VOICE_PARAMS.minSyllables);
      expect(n).toBeLessThanOrEqual(10);
    }
    expect(counts.noise).toBe(0);
    expect(syllables({ samples: new Float32Array(48_000), sampleRate: 16_000 })).toBe(0);
  });
});

/** The correlation over every 4-s window (a read-digits step's length) of the measured mouth track. */
function windowScores(voice: Wav, mouth: MouthSample[], clipMs: number): number[] {
  const end = mouth[mouth.length - 1]!.tMs;
  const rec = looped(voice, clipMs, Math.ceil(end / clipMs) + 1);
  const l = loudness(rec.samples, rec.sampleRate);
  const floor = countSyllables(l).floorDb;
  const out: number[] = [];
  for (let a = mouth[0]!.tMs + 500; a + 4000 <= end - 500; a += 1000) {
    const r = syncScore(l, 0, floor, mouth, a, a + 4000).r;
    if (r !== null) out.push(r);
  }
  return out.sort((x, y) => x - y);
}
const median = (xs: number[]) => xs[xs.length >> 1]!;

suite('the mouth moving with the voice', () => {
  for (const [clip, other] of [
    ['talking_av_man', 'talking_av_woman'],
    ['talking_av_woman', 'talking_av_man'],
  ] as const) {
    it(`${clip}: the mouth follows the clip's own voice, not ${other}'s, nor digits read by another voice`, () => {
      const { clipMs, track } = mouthTrace(clip);
      const own = windowScores(readWav(wavPath(clip)), track, clipMs);
      const dubbed = windowScores(readWav(wavPath(other)), track, clipMs);
      const digits = windowScores(readWav(espeakWav(`digits-${clip}`, 'cmn', '三 七 一 九 五 零 八 二')), track, clipMs);
      const fmt = (xs: number[]) => `median ${median(xs).toFixed(2)} (${xs[0]!.toFixed(2)}..${xs[xs.length - 1]!.toFixed(2)}, ${xs.filter((x) => x >= VOICE_PARAMS.minSync).length}/${xs.length} windows in step)`;
      console.log(`${clip} sync: own voice ${fmt(own)}; ${other}'s voice ${fmt(dubbed)}; espeak digits ${fmt(digits)}`);
      expect(median(own)).toBeGreaterThanOrEqual(VOICE_PARAMS.minSync);
      expect(median(dubbed)).toBeLessThan(VOICE_PARAMS.minSync);
      expect(median(digits)).toBeLessThan(VOICE_PARAMS.minSync);
    });
  }

  it('a still face beside a voice (a loudspeaker, a photo) is out of step', () => {
    const { clipMs, track } = mouthTrace('talking_av_man');
    const still = track.map((m) => ({ tMs: m.tMs, jaw: m.jaw === null ? null : 0.02 }));
    expect(Math.max(...windowScores(readWav(wavPath('talking_av_man')), still, clipMs))).toBeLessThan(VOICE_PARAMS.minSync);
  });
});

suite('the outcome of a read-digits recording', () => {
  const { clipMs, track } = mouthTrace('talking_av_man');
  // One pass of the step: the recording from 1 s into the third loop, 5 s long, as the phone keeps it.
  const start = 2 * clipMs + 1000;
  const mouth = track.filter((m) => m.tMs >= start && m.tMs <= start + 5000);
  const cut = (w: Wav): Wav => {
    const rec = looped(w, clipMs, 4);
    const i = Math.round((start / 1000) * rec.sampleRate);
    return { samples: rec.samples.slice(i, i + 5 * rec.sampleRate), sampleRate: rec.sampleRate };
  };

  it('own voice: heard; another voice: out of step; a silent replay: not heard', () => {
    const own = analyseVoice({ ...cut(readWav(wavPath('talking_av_man'))), startMs: start }, mouth);
    const dubbed = analyseVoice({ ...cut(readWav(wavPath('talking_av_woman'))), startMs: start }, mouth);
    const silent = analyseVoice({ ...cut(readWav(ffmpegWav('room', ['anoisesrc=color=pink:amplitude=0.002:sample_rate=16000:duration=7'], []))), startMs: start }, mouth);
    console.log(`outcomes: own ${JSON.stringify(own)}; dubbed ${JSON.stringify(dubbed)}; silent ${JSON.stringify(silent)}`);
    expect(own.outcome).toBe('heard');
    expect(own.syllables).toBeGreaterThanOrEqual(VOICE_PARAMS.minSyllables);
    expect(Math.abs(own.lagMs!)).toBeLessThanOrEqual(200);
    expect(dubbed.outcome).toBe('out_of_step');
    expect(silent.outcome).toBe('not_heard');
    expect(silent.syllables).toBe(0);
  });
});
