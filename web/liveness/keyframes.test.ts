import { describe, expect, it } from 'vitest';
import type { Baseline } from './baseline.ts';
import { createKeyFramePicker, keyFrameScore } from './keyframes.ts';
import { frame } from './test-frames.ts';

const b: Baseline = { yaw: 2, pitch: -5, blink: 0.15, ear: 0.3, jaw: 0.02, faceWidth: 0.3, atMs: 0, eyesUncertain: false, blinkNoise: 0, earNoise: 0 };

describe('keyFrameScore', () => {
  it('prefers frontal, open-eyed, closed-mouth, well-lit, sharp frames', () => {
    const best = keyFrameScore(frame(0, { yaw: 2, pitch: -5, blink: 0.15, jaw: 0.02, luma: 130 }, { frameLuma: 120, sharpness: 30 }), b);
    expect(best).toBeGreaterThan(0.8);
    const worse = [
      frame(0, { yaw: 25, pitch: -5 }),
      frame(0, { yaw: 2, pitch: -5, blink: 0.7 }),
      frame(0, { yaw: 2, pitch: -5, jaw: 0.6 }),
      frame(0, { yaw: 2, pitch: -5, luma: 35 }),
      frame(0, { yaw: 2, pitch: -5, luma: 70 }, { frameLuma: 200 }),
      frame(0, { yaw: 2, pitch: -5, box: { x: 0.45, y: 0.45, w: 0.08, h: 0.1, cx: 0.49, cy: 0.5 } }),
      frame(0, { yaw: 2, pitch: -5 }, { sharpness: 1 }),
    ];
    for (const f of worse) expect(keyFrameScore(f, b)).toBeLessThan(best * 0.8);
  });
  it('is 0 without exactly one face', () => {
    expect(keyFrameScore(frame(0, null), b)).toBe(0);
    expect(keyFrameScore({ ...frame(0), faceCount: 2 }, b)).toBe(0);
  });
  it('works before the baseline exists', () => {
    expect(keyFrameScore(frame(0), null)).toBeGreaterThan(0.5);
  });
});

describe('key frame picker', () => {
  it('keeps the best few, spread out, and says what to release', () => {
    const p = createKeyFramePicker(2, 1000, 0.3, 300);
    expect(p.offer(0, 0.2)).toEqual({ keep: false, drop: [] });
    expect(p.offer(100, 0.5)).toEqual({ keep: true, drop: [] });
    expect(p.offer(3000, 0.6)).toEqual({ keep: true, drop: [] });
    expect(p.offer(3500, 0.4)).toEqual({ keep: false, drop: [] }); // near a better one
    expect(p.offer(3600, 0.7)).toEqual({ keep: true, drop: [3000] }); // near a worse one: replaces it
    expect(p.offer(6000, 0.5)).toEqual({ keep: false, drop: [] }); // full, not better than the worst
    expect(p.offer(9000, 0.9)).toEqual({ keep: true, drop: [100] });
    expect(p.chosen()).toEqual([
      { tMs: 3600, score: 0.7 },
      { tMs: 9000, score: 0.9 },
    ]);
  });
  it('a frame between two kept ones replaces both only if it beats both', () => {
    const p = createKeyFramePicker(3, 1000, 0, 2000);
    p.offer(0, 0.5);
    p.offer(1500, 0.6);
    expect(p.offer(800, 0.55)).toEqual({ keep: false, drop: [] });
    expect(p.offer(800, 0.65)).toEqual({ keep: true, drop: [0, 1500] });
    expect(p.chosen().map((k) => k.tMs)).toEqual([800]);
  });
  it('a check that passes within a second still leaves two frames: a spare ≥300 ms from the kept one', () => {
    const p = createKeyFramePicker(3, 1000, 0.3, 300);
    expect(p.offer(0, 0.6)).toEqual({ keep: true, drop: [] });
    expect(p.offer(200, 0.5)).toEqual({ keep: false, drop: [] }); // too close even for a spare
    expect(p.offer(400, 0.5)).toEqual({ keep: true, drop: [] }); // the spare
    expect(p.offer(500, 0.55)).toEqual({ keep: true, drop: [400] }); // a better spare
    expect(p.offer(600, 0.4)).toEqual({ keep: false, drop: [] }); // a worse one
    expect(p.chosen().map((k) => k.tMs)).toEqual([0, 500]);
  });
  it('a better frame near the kept one takes its place and the old one may become the spare', () => {
    const p = createKeyFramePicker(3, 1000, 0.3, 300);
    p.offer(0, 0.5);
    expect(p.offer(100, 0.6)).toEqual({ keep: true, drop: [0] }); // 0 is too close to be a spare
    expect(p.offer(500, 0.7)).toEqual({ keep: true, drop: [] }); // 100 stays as the spare, 400 ms away
    expect(p.chosen()).toEqual([
      { tMs: 100, score: 0.6 },
      { tMs: 500, score: 0.7 },
    ]);
  });
  it('the spare is released once a second frame ≥1 s away is kept, and comes back if two merge into one', () => {
    const p = createKeyFramePicker(3, 1000, 0.3, 300);
    p.offer(0, 0.5);
    p.offer(400, 0.4);
    expect(p.offer(1500, 0.6)).toEqual({ keep: true, drop: [400] });
    expect(p.chosen().map((k) => k.tMs)).toEqual([0, 1500]);
    // Beats both kept frames, which both lie within 1 s: they merge into it, and the better of the
    // two far enough away is held again.
    expect(p.offer(800, 0.9)).toEqual({ keep: true, drop: [0] });
    expect(p.chosen().map((k) => k.tMs)).toEqual([800, 1500]);
  });
  it('never holds a spare when only one frame is wanted, and reset forgets everything', () => {
    const one = createKeyFramePicker(1, 1000, 0.3, 300);
    one.offer(0, 0.5);
    expect(one.offer(500, 0.4)).toEqual({ keep: false, drop: [] });
    expect(one.chosen()).toHaveLength(1);
    const p = createKeyFramePicker(3, 1000, 0.3, 300);
    p.offer(0, 0.5);
    p.offer(400, 0.4);
    p.reset();
    expect(p.chosen()).toEqual([]);
  });
});
