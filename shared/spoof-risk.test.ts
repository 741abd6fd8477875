import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { SPOOF_PARAMS, SpoofRisk, spoofParts, spoofScore, type SpoofInputs } from './spoof-risk.ts';

const none: SpoofInputs = { frames: 50, texture: 0.6, bezel: 2, planarity: 0.17, sizeJumps: 0 };

describe('spoofScore', () => {
  it('scores a sharp face with nothing framing it, turning as a head does, at 0', () => {
    expect(spoofScore(none)).toEqual({ score: 0, threshold: SPOOF_PARAMS.threshold, flagged: false, inputs: none });
  });

  it('flags neither a soft face alone (a dim webcam) nor straight edges alone (a window frame)', () => {
    expect(spoofScore({ ...none, texture: 0.2 }).flagged).toBe(false);
    expect(spoofScore({ ...none, bezel: 80 }).flagged).toBe(false);
  });

  it('flags a soft face framed on both sides (a phone replay), a flat turn, and face-size jumps, each on its own', () => {
    expect(spoofScore({ ...none, texture: 0.29, bezel: 12.5 })).toMatchObject({ flagged: true });
    expect(spoofScore({ ...none, planarity: 0.03 })).toMatchObject({ score: 1, flagged: true });
    expect(spoofScore({ ...none, sizeJumps: 2 })).toMatchObject({ score: 1, flagged: true });
  });

  it('has each part rise monotonically with its sign, and unknown inputs count as no sign', () => {
    const tex = [0.6, 0.5, 0.45, 0.4, 0.36, 0.3].map((texture) => spoofParts({ ...none, texture }).texture);
    expect(tex).toEqual([...tex].sort((a, b) => a - b));
    expect(tex[0]).toBe(0);
    expect(tex.at(-1)).toBe(1);
    expect(spoofParts({ frames: 10, texture: null, bezel: null, planarity: null, sizeJumps: 0 })).toEqual({ texture: 0, bezel: 0, planarity: 0, sizeJumps: 0 });
  });

  it('scores nothing without measured frames, and its output passes the shared schema', () => {
    expect(spoofScore({ ...none, frames: 0, texture: 0.1, bezel: 90 }).score).toBe(0);
    expect(v.safeParse(SpoofRisk, spoofScore({ ...none, texture: 0.29, bezel: 12.5 })).success).toBe(true);
    expect(v.safeParse(SpoofRisk, { ...spoofScore(none), score: 1.5 }).success).toBe(false);
  });
});
