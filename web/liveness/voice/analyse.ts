// The read-digits recording judged against the mouth (issue 18 §4, decision 079): syllables in the
// recording, and whether the mouth moved with them. Pure; the phone calls it with its decoded clip
// (runtime/voice-decode.ts), the tests and the CLI with WAV files.
import { voiceOutcome, type VoiceCheck } from '../../../shared/voice-check.ts';
import { loudness } from './loudness.ts';
import { countSyllables } from './syllables.ts';
import { syncScore, type MouthSample } from './av-sync.ts';

export type { MouthSample } from './av-sync.ts';

export interface VoiceRecording {
  /** Mono samples, −1..1. */
  samples: Float32Array;
  sampleRate: number;
  /** When the first sample was taken, on the frames' clock (ms). */
  startMs: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Without a recording: the step passed on the mouth alone and the office hears nothing. */
export const NO_MICROPHONE: VoiceCheck = { outcome: 'no_microphone', syllables: null, sync: null, lagMs: null, floorDb: null, peakDb: null, windowMs: 0 };

/** The recording is the window: it runs from the read-digits prompt to a little after the step passed. */
export function analyseVoice(rec: VoiceRecording, mouth: readonly MouthSample[]): VoiceCheck {
  const l = loudness(rec.samples, rec.sampleRate);
  const windowMs = Math.round((rec.samples.length / rec.sampleRate) * 1000);
  const syl = countSyllables(l);
  const sync = syncScore(l, rec.startMs, syl.floorDb, mouth, rec.startMs, rec.startMs + windowMs);
  const finite = (x: number) => (Number.isFinite(x) ? round1(Math.max(-200, Math.min(20, x))) : null);
  const inputs = { syllables: syl.count, sync: sync.r, lagMs: sync.r === null ? null : sync.lagMs, floorDb: finite(syl.floorDb), peakDb: finite(syl.peakDb), windowMs };
  return { outcome: voiceOutcome(inputs), ...inputs };
}
