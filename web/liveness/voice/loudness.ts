// The voice's loudness over time, as the syllable counter and the audio-visual check read it
// (issue 18 §4, decision 079). Speech is band-passed to where vowels carry their energy (a
// 2nd-order high-pass at 300 Hz and low-pass at 2.5 kHz: hum, traffic rumble and hiss fall away),
// then measured as RMS in dB every 10 ms. Pure: no DOM, no Web Audio, so Node tests run it on the
// fixture recordings and the phone on its decoded clip.

export const HOP_MS = 10;
const WINDOW_MS = 25;

export interface Loudness {
  /** dBFS of the band-passed signal, one value per HOP_MS, the first centred at HOP_MS / 2. */
  db: Float32Array;
  hopMs: number;
}

/** RBJ cookbook biquad, run in place. */
function biquad(x: Float32Array, sampleRate: number, kind: 'high' | 'low', f0: number): void {
  const w0 = (2 * Math.PI * f0) / sampleRate;
  const alpha = Math.sin(w0) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w0);
  const b1 = kind === 'low' ? 1 - cos : -(1 + cos);
  const b0 = kind === 'low' ? b1 / 2 : -b1 / 2;
  const a0 = 1 + alpha;
  const [nb0, nb1, nb2, na1, na2] = [b0 / a0, b1 / a0, b0 / a0, (-2 * cos) / a0, (1 - alpha) / a0];
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i] as number;
    const y0 = nb0 * x0 + nb1 * x1 + nb2 * x2 - na1 * y1 - na2 * y2;
    x2 = x1;
    x1 = x0;
    y2 = y1;
    y1 = y0;
    x[i] = y0;
  }
}

export function loudness(samples: Float32Array, sampleRate: number): Loudness {
  const x = Float32Array.from(samples);
  if (sampleRate > 1000) {
    biquad(x, sampleRate, 'high', 300);
    biquad(x, sampleRate, 'low', Math.min(2500, sampleRate * 0.45));
  }
  const hop = Math.max(1, Math.round((sampleRate * HOP_MS) / 1000));
  const win = Math.max(hop, Math.round((sampleRate * WINDOW_MS) / 1000));
  const n = Math.max(0, Math.floor((x.length - win) / hop) + 1);
  const db = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let i = k * hop; i < k * hop + win; i++) sum += (x[i] as number) ** 2;
    db[k] = 10 * Math.log10(sum / win + 1e-10);
  }
  return { db, hopMs: HOP_MS };
}

/** Moving average over `ms` (centred), on the dB values. */
export function smooth(db: Float32Array, hopMs: number, ms: number): Float32Array {
  const half = Math.max(0, Math.round(ms / hopMs / 2));
  const out = new Float32Array(db.length);
  for (let i = 0; i < db.length; i++) {
    let s = 0;
    let c = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(db.length - 1, i + half); j++) {
      s += db[j] as number;
      c++;
    }
    out[i] = s / c;
  }
  return out;
}

/** The p-quantile (0..1) of the values. */
export function quantile(xs: ArrayLike<number>, p: number): number {
  if (!xs.length) return NaN;
  const s = Array.from(xs).sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))] as number;
}
