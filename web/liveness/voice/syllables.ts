// Syllables in a recording, counted as peaks of the band-passed loudness (decision 079). Each
// syllable has a vowel, and a vowel is a loudness peak between two dips (consonants, pauses), so
// counting peaks that rise far enough above the person's own noise floor and are separated by a
// dip counts syllables without knowing the language. Quiet voices count: every level is relative
// to the recording's own floor, never absolute.
import { quantile, smooth, type Loudness } from './loudness.ts';

export const SYLLABLE_PARAMS = {
  /** Envelope smoothing, ms: shorter than a syllable (~150-250 ms), longer than a pitch period. */
  smoothMs: 50,
  /** The noise floor is this quantile of the whole recording's loudness (it starts before the voice). */
  floorQuantile: 0.1,
  /** A peak counts when it is this far above the floor, dB. */
  minRiseDb: 10,
  /** Two peaks are two syllables when the loudness dips this far between them, dB. */
  dipDb: 4,
  /** Peaks closer than this are one syllable, ms. */
  minGapMs: 100,
} as const;

export interface SyllableCount {
  count: number;
  /** Peak times, ms from the recording's start. */
  peaksMs: number[];
  floorDb: number;
  /** Loudest level (98th percentile), dB. */
  peakDb: number;
}

/** Syllables whose peak lies in [fromMs, toMs] (ms from the recording's start; all of it by default). */
export function countSyllables(l: Loudness, fromMs = 0, toMs = Infinity, p = SYLLABLE_PARAMS): SyllableCount {
  const sm = smooth(l.db, l.hopMs, p.smoothMs);
  const floorDb = quantile(sm, p.floorQuantile);
  const peakDb = quantile(sm, 0.98);
  const on = floorDb + p.minRiseDb;
  const peaksMs: number[] = [];
  // Hysteresis: follow a rise to its top; the top is a syllable once the level has fallen dipDb
  // below it; the next one starts once the level has risen dipDb above the valley.
  let rising = true;
  let top = -Infinity;
  let topAt = 0;
  let valley = Infinity;
  const tAt = (i: number) => (i + 0.5) * l.hopMs;
  for (let i = 0; i < sm.length; i++) {
    const y = sm[i] as number;
    if (rising) {
      if (y > top) {
        top = y;
        topAt = i;
      } else if (y <= top - p.dipDb) {
        const t = tAt(topAt);
        const last = peaksMs[peaksMs.length - 1];
        if (top >= on && (last === undefined || t - last >= p.minGapMs)) peaksMs.push(t);
        rising = false;
        valley = y;
      }
    } else if (y < valley) valley = y;
    else if (y >= valley + p.dipDb) {
      rising = true;
      top = y;
      topAt = i;
    }
  }
  // A recording cut mid-syllable: its last rise counts if it got loud enough.
  if (rising && top >= on) {
    const t = tAt(topAt);
    const last = peaksMs[peaksMs.length - 1];
    if (last === undefined || t - last >= p.minGapMs) peaksMs.push(t);
  }
  const inWindow = peaksMs.filter((t) => t >= fromMs && t <= toMs);
  return { count: inWindow.length, peaksMs: inWindow, floorDb, peakDb };
}
