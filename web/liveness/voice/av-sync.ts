// Does the mouth move with the voice? (issue 18 §4, decision 079.) A live person's jaw opens on
// each syllable, so over the read-digits step the mouth-open signal and the voice's loudness rise
// and fall together; a silent replay has no voice to follow, and a replay with another voice (or a
// voice from a loudspeaker beside a still face) has loudness that the mouth does not follow. The
// score is the best Pearson correlation between the two over a lag search of ±maxLagMs: the jaw
// leads the sound by some tens of ms, and the camera and the microphone are not started at the
// same instant.
import { smooth, type Loudness } from './loudness.ts';

export const SYNC_PARAMS = {
  /** Both signals are compared on this grid, ms. */
  gridMs: 20,
  /** Lags tried, ms either way. */
  maxLagMs: 200,
  /** The loudness is smoothed to the jaw's pace (~100 ms), and counted from the noise floor up to this many dB. */
  smoothMs: 100,
  capDb: 40,
  /** Frames further apart than this leave a hole (no mouth value is made up over a stall), ms. */
  maxFrameGapMs: 300,
  /**
   * Both signals lose their slow trend (a moving mean over this long) before they are compared, so
   * the score follows syllables, not just "talking now, silent now": any voice and any talking
   * mouth share that much.
   */
  detrendMs: 1500,
  /** Fewer compared points than this (at gridMs) and the score is null: too little to tell. */
  minPoints: 50,
} as const;

export interface MouthSample {
  /** Frame time on the same clock as the audio's start. */
  tMs: number;
  /** jawOpen (0..1), or null when the frame had no face. */
  jaw: number | null;
}

export interface SyncScore {
  /** Best correlation over the lags, −1..1; null when too little overlapped to tell. */
  r: number | null;
  /** Lag of the best correlation: positive when the voice comes after the mouth, ms. */
  lagMs: number;
  /** Grid points compared (at gridMs). */
  points: number;
}

function mouthOnGrid(mouth: readonly MouthSample[], t0: number, n: number, p: typeof SYNC_PARAMS): Float64Array {
  const out = new Float64Array(n).fill(NaN);
  const pts = mouth.filter((m): m is { tMs: number; jaw: number } => m.jaw !== null);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const t = t0 + i * p.gridMs;
    while (k + 1 < pts.length && (pts[k + 1] as MouthSample).tMs <= t) k++;
    const a = pts[k];
    const b = pts[k + 1];
    if (!a || !b || a.tMs > t || b.tMs - a.tMs > p.maxFrameGapMs) continue;
    out[i] = a.jaw + ((b.jaw - a.jaw) * (t - a.tMs)) / (b.tMs - a.tMs);
  }
  return out;
}

/** Each point minus the mean of the valid points within ±ms/2 (NaN stays NaN). */
function detrend(x: Float64Array, gridMs: number, ms: number): Float64Array {
  const half = Math.round(ms / gridMs / 2);
  const out = new Float64Array(x.length).fill(NaN);
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i] as number)) continue;
    let s = 0;
    let c = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(x.length - 1, i + half); j++) {
      const y = x[j] as number;
      if (Number.isNaN(y)) continue;
      s += y;
      c++;
    }
    out[i] = (x[i] as number) - s / c;
  }
  return out;
}

function pearson(x: Float64Array, y: Float64Array): { r: number | null; n: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    n++;
    sx += a;
    sy += b;
  }
  if (n < 3) return { r: null, n };
  const mx = sx / n;
  const my = sy / n;
  let cxy = 0;
  let cxx = 0;
  let cyy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    cxy += (a - mx) * (b - my);
    cxx += (a - mx) ** 2;
    cyy += (b - my) ** 2;
  }
  // A flat signal (a still mouth, a silent microphone) follows nothing.
  if (cxx < 1e-9 || cyy < 1e-9) return { r: 0, n };
  return { r: cxy / Math.sqrt(cxx * cyy), n };
}

/**
 * `audioStartMs` is when the recording's first sample was taken, on the frames' clock; `floorDb`
 * the recording's noise floor (syllables.ts); the window is on the frames' clock too.
 */
export function syncScore(l: Loudness, audioStartMs: number, floorDb: number, mouth: readonly MouthSample[], fromMs: number, toMs: number, p = SYNC_PARAMS): SyncScore {
  const voice = smooth(l.db, l.hopMs, p.smoothMs);
  const voiceAt = (t: number): number => {
    const i = Math.round((t - audioStartMs) / l.hopMs - 0.5);
    if (i < 0 || i >= voice.length) return NaN;
    return Math.min(p.capDb, Math.max(0, (voice[i] as number) - floorDb));
  };
  const n = Math.max(0, Math.floor((toMs - fromMs) / p.gridMs));
  const m = detrend(mouthOnGrid(mouth, fromMs, n, p), p.gridMs, p.detrendMs);
  let best: SyncScore = { r: null, lagMs: 0, points: 0 };
  for (let lag = -p.maxLagMs; lag <= p.maxLagMs; lag += p.gridMs) {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = voiceAt(fromMs + i * p.gridMs + lag);
    const { r, n: used } = pearson(m, detrend(a, p.gridMs, p.detrendMs));
    if (r === null || used < p.minPoints) continue;
    if (best.r === null || r > best.r) best = { r, lagMs: lag, points: used };
  }
  return best.r === null ? best : { ...best, r: Math.round(best.r * 1000) / 1000 };
}
