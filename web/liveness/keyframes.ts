// Key frames: the 2-3 best still images of the check, kept as evidence for face matching and
// human review. Scoring is pure; the runtime keeps the actual pixels for the frames we name.
import type { Baseline } from './baseline.ts';
import type { FrameSignals } from './signals.ts';

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

/**
 * 0..1: frontal, eyes open, mouth at rest, face large enough, well lit, sharp. A product, so one
 * bad factor (eyes shut, head turned) sinks the frame. Unknown light or sharpness (null) is
 * neutral. Without a baseline, absolute pose and eye values stand in.
 */
export function keyFrameScore(frame: FrameSignals, baseline: Baseline | null): number {
  const f = frame.face;
  if (!f || frame.faceCount !== 1) return 0;
  const dYaw = Math.abs(f.yaw - (baseline?.yaw ?? 0));
  const dPitch = Math.abs(f.pitch - (baseline?.pitch ?? 0));
  const frontal = clamp01(1 - (dYaw + dPitch) / 30);
  const eyes = clamp01(1 - Math.max(0, f.blink - (baseline?.blink ?? 0.3)) / 0.3);
  const mouth = clamp01(1 - Math.max(0, f.jaw - (baseline?.jaw ?? 0.1)) / 0.4);
  const size = clamp01(f.box.w / 0.25);
  let light = 1;
  if (f.luma !== null) {
    const l = f.luma;
    light = l < 70 ? clamp01((l - 25) / 45) : l > 200 ? clamp01((250 - l) / 50) : 1;
    if (frame.frameLuma !== null && frame.frameLuma > 110 && l < frame.frameLuma * 0.6) light *= 0.5;
  }
  const sharp = frame.sharpness === null ? 1 : frame.sharpness / (frame.sharpness + 8);
  return frontal * eyes * Math.sqrt(mouth) * Math.sqrt(size) * light * Math.sqrt(sharp);
}

export interface KeyFrame {
  tMs: number;
  score: number;
}

export interface KeyFramePicker {
  /** Offer a frame; says whether to keep its pixels and which kept frames (by tMs) to release. */
  offer(tMs: number, score: number): { keep: boolean; drop: number[] };
  chosen(): KeyFrame[];
  reset(): void;
}

/**
 * Best `keep` frames at least `minGapMs` apart (near-duplicates add nothing for review). A new
 * frame too close to kept ones replaces them only if it beats all of them.
 *
 * A check can pass within a second (the baseline is ready and the retiree opens the mouth at once),
 * and the rule above would then leave one image where the office was promised two (decision 024).
 * So while only one frame is kept, the best other frame at least `spareGapMs` from it is held as a
 * spare and counts as the second; it is released once a frame `minGapMs` away is kept.
 */
export function createKeyFramePicker(keep = 3, minGapMs = 1000, minScore = 0.3, spareGapMs = 300): KeyFramePicker {
  let kept: KeyFrame[] = [];
  let spare: KeyFrame | null = null;
  // A copy: `place` may push onto `kept`, and offer() compares the frames held before and after.
  const held = () => (spare ? [...kept, spare] : [...kept]);

  // The spare, chosen again after every change: the best candidate far enough from the one kept frame.
  const chooseSpare = (candidates: KeyFrame[]): KeyFrame | null => {
    const only = kept.length === 1 && keep >= 2 ? kept[0]! : null;
    if (!only) return null;
    const eligible = candidates.filter((c) => Math.abs(c.tMs - only.tMs) >= spareGapMs);
    return eligible.reduce<KeyFrame | null>((best, c) => (!best || c.score > best.score ? c : best), null);
  };

  // Which frames the spread rule keeps after this one; returns the frames it let go.
  const place = (frame: KeyFrame): KeyFrame[] => {
    const near = kept.filter((k) => Math.abs(k.tMs - frame.tMs) < minGapMs);
    if (near.length) {
      if (near.some((k) => frame.score <= k.score)) return [frame];
      kept = kept.filter((k) => !near.includes(k)).concat(frame);
      return near;
    }
    if (kept.length < keep) {
      kept.push(frame);
      return [];
    }
    const worst = kept.reduce((a, b) => (b.score < a.score ? b : a));
    if (frame.score <= worst.score) return [frame];
    kept = kept.filter((k) => k !== worst).concat(frame);
    return [worst];
  };

  return {
    offer(tMs, score) {
      if (score < minScore) return { keep: false, drop: [] };
      const before = held();
      const frame = { tMs, score };
      const letGo = place(frame);
      spare = chooseSpare(spare ? [spare, ...letGo] : letGo);
      const after = held();
      return { keep: after.includes(frame), drop: before.filter((k) => !after.includes(k)).map((k) => k.tMs) };
    },
    chosen: () => held().sort((a, b) => a.tMs - b.tMs),
    reset: () => {
      kept = [];
      spare = null;
    },
  };
}
