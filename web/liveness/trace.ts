// Test and benchmark support: per-frame traces recorded from real FaceLandmarker runs
// (../shared/fixtures/video/traces/*.csv) turned into FrameSignals. Pure: parsing only, no fs.
import { seededRandom } from '../../shared/liveness.ts';
import type { FrameSignals } from './signals.ts';

export interface TraceRow {
  frame: number;
  /** Wall-clock ms since the first processed frame: what the runtime's clock would show. */
  tMs: number;
  /** Clip time in seconds: what the fixtures README's timings refer to. */
  mediaTime: number;
  inferMs: number;
  faces: number;
  width: number;
  height: number;
  /** Every other column by name; NaN where the trace left it empty (faces = 0 rows). */
  values: Record<string, number>;
}

export function parseTraceCsv(text: string): TraceRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim());
  return lines.map((line) => {
    const cells = line.split(',');
    const values: Record<string, number> = {};
    header.forEach((h, i) => {
      const cell = (cells[i] ?? '').trim();
      values[h] = cell === '' ? Number.NaN : Number(cell);
    });
    const num = (k: string) => values[k] ?? Number.NaN;
    return {
      frame: num('frame'),
      tMs: num('t_ms'),
      mediaTime: num('media_time'),
      inferMs: num('infer_ms'),
      faces: num('faces'),
      width: num('w'),
      height: num('h'),
      values,
    };
  });
}

/**
 * FrameSignals from a trace row. The trace already holds pose, EAR, box and blink; it has no
 * pixels, so luma and sharpness are null ("unknown", which quality treats as acceptable). Rows
 * with faces = 0 (or any missing signal) become face = null rather than zeros, so nothing reads
 * an empty row as "eyes open, head straight".
 */
export function fromTraceRow(row: TraceRow, tMs: number = row.tMs): FrameSignals {
  const val = (k: string) => row.values[k] ?? Number.NaN;
  const needed = ['eyeBlinkLeft', 'eyeBlinkRight', 'jawOpen', 'yaw', 'pitch', 'roll', 'earL', 'earR', 'face_w', 'face_h', 'face_cx', 'face_cy'];
  const complete = row.faces > 0 && needed.every((k) => Number.isFinite(val(k)));
  const w = val('face_w');
  const h = val('face_h');
  const cx = val('face_cx');
  const cy = val('face_cy');
  return {
    tMs,
    faceCount: Number.isFinite(row.faces) ? row.faces : 0,
    face: complete
      ? {
          yaw: val('yaw'),
          pitch: val('pitch'),
          roll: val('roll'),
          blink: (val('eyeBlinkLeft') + val('eyeBlinkRight')) / 2,
          ear: (val('earL') + val('earR')) / 2,
          jaw: val('jawOpen'),
          box: { x: cx - w / 2, y: cy - h / 2, w, h, cx, cy },
          luma: null,
        }
      : null,
    frameLuma: null,
    inferMs: Number.isFinite(row.inferMs) ? row.inferMs : null,
    sharpness: null,
  };
}

export interface LoopedFrame {
  signals: FrameSignals;
  /** Which pass through the clip (0-based) and the clip time of this frame, for assertions. */
  loop: number;
  mediaTime: number;
}

/**
 * The clip repeated like Chromium's looping fake camera, for at least `totalMs`, with
 * timestamps that keep increasing across loops (one median frame interval between the last row
 * of a pass and the first row of the next).
 */
export function loopTrace(rows: readonly TraceRow[], totalMs: number): LoopedFrame[] {
  if (rows.length === 0) return [];
  const first = rows[0] as TraceRow;
  const last = rows[rows.length - 1] as TraceRow;
  const steps = rows.slice(1).map((r, i) => r.tMs - (rows[i] as TraceRow).tMs).sort((a, b) => a - b);
  const step = steps[Math.floor(steps.length / 2)] ?? 33;
  const period = last.tMs - first.tMs + step;
  const out: LoopedFrame[] = [];
  for (let loop = 0; loop * period < totalMs; loop++) {
    for (const r of rows) {
      const t = r.tMs - first.tMs + loop * period;
      if (t > totalMs) return out;
      out.push({ signals: fromTraceRow(r, t), loop, mediaTime: r.mediaTime });
    }
  }
  return out;
}

export interface FrameRate {
  /** Analysed frames per second. */
  fps: number;
  /** Share of those frames lost at random (0..1), as on a phone whose model falls behind. */
  drop?: number;
  /** Seed of the drops, so a failing run can be replayed exactly. */
  seed?: number;
}

/** The rates every trace-driven verdict must survive (issue 18 §3): a slow phone, the clips' own, a fast one, and losses. */
export const TEST_RATES: readonly FrameRate[] = [
  { fps: 8 },
  { fps: 15 },
  { fps: 30 },
  { fps: 15, drop: 0.2, seed: 18 },
  { fps: 8, drop: 0.2, seed: 7 },
];

export const rateName = (r: FrameRate): string => `${r.fps} fps${r.drop ? ` −${Math.round(r.drop * 100)}% (seed ${r.seed ?? 0})` : ''}`;

/**
 * What an engine analysing `rate.fps` frames a second would have seen of the same clip: at each
 * tick the newest frame the camera had delivered, stamped with the tick's time (a phone samples
 * the camera, it does not replay the clip's own timestamps). Dropped ticks leave a longer gap.
 * `items` must be in time order; `time` reads an item's clip time, `stamp` re-times it.
 */
export function resampleBy<T>(items: readonly T[], time: (x: T) => number, stamp: (x: T, tMs: number) => T, rate: FrameRate): T[] {
  if (items.length === 0) return [];
  const step = 1000 / rate.fps;
  const random = seededRandom(rate.seed ?? 0);
  const t0 = time(items[0] as T);
  const tEnd = time(items[items.length - 1] as T);
  const out: T[] = [];
  let i = 0;
  for (let k = 0; t0 + k * step <= tEnd; k++) {
    const tick = t0 + k * step;
    while (i + 1 < items.length && time(items[i + 1] as T) <= tick) i++;
    if (rate.drop && random() < rate.drop) continue;
    out.push(stamp(items[i] as T, Math.round(tick * 10) / 10));
  }
  return out;
}

export const resampleFrames = (frames: readonly FrameSignals[], rate: FrameRate): FrameSignals[] =>
  resampleBy(frames, (f) => f.tMs, (f, tMs) => ({ ...f, tMs }), rate);

export const resampleLooped = (frames: readonly LoopedFrame[], rate: FrameRate): LoopedFrame[] =>
  resampleBy(frames, (f) => f.signals.tMs, (f, tMs) => ({ ...f, signals: { ...f.signals, tMs } }), rate);
