// Node-only helper for the voice tests: reads the fixture recordings in ../shared (skipped cleanly
// where they are absent), makes variants of them with ffmpeg and digits read by espeak-ng, all in
// a temporary folder (nothing is written into the repository).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sharedDir } from './trace-fixtures.ts';

export const videoDir = (): string => path.join(sharedDir(), 'fixtures', 'video');
export const wavPath = (clip: string): string => path.join(videoDir(), `${clip}.wav`);
export const TALKING_CLIPS = ['talking_av_man', 'talking_av_woman'] as const;
export const audioAvailable = (): boolean => TALKING_CLIPS.every((c) => existsSync(wavPath(c)));
export const AUDIO_SKIP_MESSAGE = `skipped: ${wavPath('talking_av_man')} not found (set STILLHERE_SHARED_DIR)`;

const has = (cmd: string, flag: string) => {
  try {
    execFileSync(cmd, [flag], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
export const toolsAvailable = (): boolean => has('ffmpeg', '-version') && has('espeak-ng', '--version');

export interface Wav {
  samples: Float32Array;
  sampleRate: number;
}

/** 16-bit PCM WAV (any channel count: the first channel is read). */
export function readWav(file: string): Wav {
  const b = readFileSync(file);
  let off = 12;
  let sampleRate = 0;
  let channels = 1;
  while (off + 8 <= b.length) {
    const id = b.toString('ascii', off, off + 4);
    const size = b.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      channels = b.readUInt16LE(off + 10);
      sampleRate = b.readUInt32LE(off + 12);
      if (b.readUInt16LE(off + 22) !== 16) throw new Error(`${file}: not 16-bit PCM`);
    } else if (id === 'data') {
      const n = Math.floor(Math.min(size, b.length - off - 8) / 2 / channels);
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = b.readInt16LE(off + 8 + i * 2 * channels) / 32768;
      return { samples, sampleRate };
    }
    off += 8 + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

let tmp: string | null = null;
const tmpFile = (name: string) => path.join((tmp ??= mkdtempSync(path.join(tmpdir(), 'stillhere-voice-'))), name);

/** ffmpeg with `args` between the inputs (files, or lavfi sources such as "anoisesrc=…") and a 16 kHz mono WAV output; returns its path. */
export function ffmpegWav(name: string, inputs: string[], args: string[]): string {
  const out = tmpFile(`${name}.wav`);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...inputs.flatMap((i) => (/^[a-z]+=/.test(i) ? ['-f', 'lavfi', '-i', i] : ['-i', i])), ...args, '-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', out]);
  return out;
}

/** espeak-ng reading `text` in `voice`, as a 16 kHz mono WAV path. */
export function espeakWav(name: string, voice: string, text: string): string {
  const raw = tmpFile(`${name}-raw.wav`);
  execFileSync('espeak-ng', ['-v', voice, '-s', '120', '-w', raw, text]);
  return ffmpegWav(name, [raw], []);
}

/** The same recording played `loops` times back to back at the camera's clip length (the fake camera loops its clip). */
export function looped(w: Wav, clipMs: number, loops: number): Wav {
  const per = Math.round((clipMs / 1000) * w.sampleRate);
  const out = new Float32Array(per * loops);
  for (let k = 0; k < loops; k++) out.set(w.samples.subarray(0, Math.min(per, w.samples.length)), k * per);
  return { samples: out, sampleRate: w.sampleRate };
}
