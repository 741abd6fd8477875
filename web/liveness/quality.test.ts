import { describe, expect, it } from 'vitest';
import { LIVENESS_PARAMS } from './params.ts';
import { assessFrameQuality, boxOutsideFraction, createQualityTracker } from './quality.ts';
import type { FrameSignals } from './signals.ts';
import { frame, frames } from './test-frames.ts';
import { loopTrace } from './trace.ts';
import { CLIPS, SKIP_MESSAGE, loadTrace, tracesAvailable } from '../../scripts/harness/trace-fixtures.ts';

const Q = LIVENESS_PARAMS.quality;
const box = (x: number, y: number, w: number, h: number) => ({ x, y, w, h, cx: x + w / 2, cy: y + h / 2 });

describe('assessFrameQuality', () => {
  it.each([
    ['no face', frame(0, null), 'no_face', true],
    ['two faces', { ...frame(0), faceCount: 2 }, 'multiple_faces', true],
    ['tiny face (0.10)', frame(0, { box: box(0.45, 0.45, 0.1, 0.13) }), 'too_far', true],
    ['small face (0.17, like turn_up_man_beard): advice only', frame(0, { box: box(0.41, 0.4, 0.17, 0.22) }), 'too_far', false],
    ['huge face', frame(0, { box: box(0.1, 0.05, 0.8, 0.9) }), 'too_close', true],
    ['face at the edge', frame(0, { box: box(0.75, 0.3, 0.3, 0.4) }), 'off_centre', true],
    ['face high up', frame(0, { box: box(0.35, -0.05, 0.3, 0.35) }), 'off_centre', true],
    ['dim face: advice', frame(0, { luma: 35 }), 'too_dark', false],
    ['very dark face: blocking', frame(0, { luma: 20 }), 'too_dark', true],
    ['dark room, face lit by the screen: advice', frame(0, { luma: 60 }, { frameLuma: 20 }), 'too_dark', false],
    ['dark room, unknown face light', frame(0, {}, { frameLuma: 20 }), 'too_dark', true],
    ['window behind (face 70, frame 180)', frame(0, { luma: 70 }, { frameLuma: 180 }), 'too_bright', false],
    ['overexposed face', frame(0, { luma: 240 }, { frameLuma: 150 }), 'too_bright', false],
    ['well lit', frame(0, { luma: 130 }, { frameLuma: 120 }), 'ok', false],
    ['unknown light (traces)', frame(0), 'ok', false],
  ] as [string, FrameSignals, string, boolean][])('%s → %s', (_name, f, state, blocking) => {
    expect(assessFrameQuality(f)).toEqual({ state, blocking });
  });

  it('asks to hold still only when asked to check it', () => {
    expect(assessFrameQuality(frame(0), { headSpeed: 90, wantStill: true }).state).toBe('hold_still');
    expect(assessFrameQuality(frame(0), { headSpeed: 90 }).state).toBe('ok');
  });

  it('treats a frontal face that keeps dropping out as covered, but a turned-away face as nothing to fix', () => {
    expect(assessFrameQuality(frame(0), { presence: 0.5 })).toEqual({ state: 'face_covered', blocking: true });
    expect(assessFrameQuality(frame(0, null), { presence: 0.5 })).toEqual({ state: 'face_covered', blocking: true });
    expect(assessFrameQuality(frame(0, null), { turnedAway: true })).toEqual({ state: 'ok', blocking: true });
  });

  it('measures how much of the box is outside the image', () => {
    expect(boxOutsideFraction(box(0.2, 0.2, 0.4, 0.4))).toBeCloseTo(0, 9);
    expect(boxOutsideFraction(box(0.8, 0.2, 0.4, 0.4))).toBeCloseTo(0.5);
    expect(boxOutsideFraction(box(-0.1, -0.1, 0.4, 0.4))).toBeCloseTo(1 - 0.09 / 0.16);
  });
});

describe('quality tracker: calm, no flicker', () => {
  const small = { box: box(0.45, 0.45, 0.1, 0.13) };

  it('a single odd frame, or states alternating every frame, never change what is shown', () => {
    const q = createQualityTracker();
    const shown = new Set<string>();
    for (const f of frames(0, 10_000, (t) => (Math.round(t / 33) % 2 ? small : {}))) shown.add(q.update(f).shown);
    for (const f of frames(10_000, 12_000, (t) => (t === 11_022 ? null : {}))) shown.add(q.update(f).shown);
    expect([...shown]).toEqual(['ok']);
  });

  it('a lasting problem shows after enterMs, and clears only after minShowMs and exitMs', () => {
    const q = createQualityTracker();
    const changes: [number, string][] = [];
    for (const f of frames(0, 6000, (t) => (t >= 1000 && t < 2000 ? small : {}))) {
      const u = q.update(f);
      if (u.changed) changes.push([f.tMs, u.shown]);
    }
    expect(changes.map((c) => c[1])).toEqual(['too_far', 'ok']);
    expect(changes[0]![0] - 1000).toBeGreaterThanOrEqual(Q.enterMs);
    expect(changes[0]![0] - 1000).toBeLessThan(Q.enterMs + 70);
    expect(changes[1]![0] - changes[0]![0]).toBeGreaterThanOrEqual(Q.minShowMs);
  });

  it('shows face_covered when a frontal face keeps dropping in and out', () => {
    const q = createQualityTracker();
    let last = 'ok';
    for (const f of frames(0, 4000, (t) => (t < 1000 || Math.round(t / 33) % 2 ? {} : null))) last = q.update(f).shown;
    expect(last).toBe('face_covered');
  });
});

const clipSuite = tracesAvailable() ? describe : describe.skip;
clipSuite(tracesAvailable() ? 'quality on the real clips' : `quality on the real clips (${SKIP_MESSAGE})`, () => {
  it.each(CLIPS)('%s: every frame with a face is usable (nothing blocks the fixtures)', (name) => {
    const q = createQualityTracker();
    for (const lf of loopTrace(loadTrace(name), 16_000)) {
      const u = q.update(lf.signals, { wantStill: true });
      if (lf.signals.face) expect(u.instant.blocking, `${lf.loop}@${lf.mediaTime}: ${u.instant.state}`).toBe(false);
    }
  });

  it('turn_up_man_beard (width 0.17): only "a little closer" advice; his profile losses are not "no face"', () => {
    const q = createQualityTracker();
    const shown = new Set<string>();
    for (const lf of loopTrace(loadTrace('turn_up_man_beard'), 30_000)) shown.add(q.update(lf.signals).shown);
    expect([...shown].sort()).toEqual(['ok', 'too_far']);
  });

  it('the spoof clips (width 0.17-0.24) are not blocked by size either', () => {
    for (const name of ['spoof_phone_replay_selfie', 'spoof_phone_replay_man_webcam'] as const) {
      for (const lf of loopTrace(loadTrace(name), 10_000)) {
        expect(assessFrameQuality(lf.signals).blocking).toBe(false);
      }
    }
  });
});
