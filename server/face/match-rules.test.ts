import { describe, expect, it } from 'vitest';
import { decideMatch, faceDistance, FACE_THRESHOLDS, keyframeFacesProblem, MIN_KEYFRAME_FACE_PX, type FaceThresholds } from './match-rules.ts';

// A descriptor at distance `d` from the origin descriptor along axis `axis` (distances add up exactly).
const at = (d: number, axis = 0) => {
  const v = new Float32Array(128);
  v[axis] = d;
  return v;
};
const ref = at(0);
const t: FaceThresholds = { match: 0.45, mismatch: 0.6, strong: 0.4 };

describe('faceDistance', () => {
  it('is the Euclidean distance', () => {
    const a = new Float32Array(128);
    const b = new Float32Array(128);
    b[0] = 3;
    b[5] = 4;
    expect(faceDistance(a, b)).toBeCloseTo(5, 6);
    expect(faceDistance(b, b)).toBe(0);
  });
  it('refuses descriptors of different lengths', () => {
    expect(() => faceDistance(new Float32Array(128), new Float32Array(64))).toThrow(/length/);
  });
});

describe('FACE_THRESHOLDS', () => {
  it('is ordered strong < match < mismatch and frozen', () => {
    expect(FACE_THRESHOLDS.strong).toBeLessThan(FACE_THRESHOLDS.match);
    expect(FACE_THRESHOLDS.match).toBeLessThan(FACE_THRESHOLDS.mismatch);
    expect(Object.isFrozen(FACE_THRESHOLDS)).toBe(true);
  });
});

describe('decideMatch', () => {
  it('without references: no_reference, even with faces', () => {
    expect(decideMatch([at(0.1)], [], t)).toEqual({ decision: 'no_reference', distance: null, worst: null, bestFrame: null, strong: false });
  });

  it('without a usable frame: no_face', () => {
    expect(decideMatch([null, null], [ref], t).decision).toBe('no_face');
    expect(decideMatch([], [ref], t).decision).toBe('no_face');
  });

  it('matches at and below the match threshold', () => {
    expect(decideMatch([at(0.45)], [ref], t).decision).toBe('match');
    expect(decideMatch([at(0.2)], [ref], t)).toMatchObject({ decision: 'match', bestFrame: 0, strong: true });
  });

  it('between the thresholds: uncertain', () => {
    expect(decideMatch([at(0.46)], [ref], t).decision).toBe('uncertain');
    expect(decideMatch([at(0.599)], [ref], t).decision).toBe('uncertain');
  });

  it('at and above mismatch: mismatch', () => {
    expect(decideMatch([at(0.6)], [ref], t).decision).toBe('mismatch');
    expect(decideMatch([at(0.9), at(0.7, 1)], [ref], t)).toMatchObject({ decision: 'mismatch', bestFrame: 1 });
  });

  it('takes each frame to its closest reference and the closest frame overall', () => {
    const refs = [at(1, 3), at(0)];
    const v = decideMatch([null, at(0.5), at(0.3, 1)], refs, t);
    expect(v.decision).toBe('match');
    expect(v.bestFrame).toBe(2);
    expect(v.distance).toBeCloseTo(0.3, 6);
    expect(v.worst).toBeCloseTo(0.5, 6);
  });

  it('a check whose frames show two people is never a match', () => {
    // Frame 0 is the retiree; frame 1 is someone else (≥ mismatch from every reference).
    const v = decideMatch([at(0.1), at(0.8, 1)], [ref], t);
    expect(v.decision).toBe('uncertain');
    expect(v.distance).toBeCloseTo(0.1, 6);
    expect(v.worst).toBeCloseTo(0.8, 6);
    expect(v.strong).toBe(false);
  });

  it('a frame merely between the thresholds does not stop a match', () => {
    expect(decideMatch([at(0.1), at(0.55, 1)], [ref], t).decision).toBe('match');
  });

  it('strong only at or below strong, and only with match', () => {
    expect(decideMatch([at(0.399)], [ref], t).strong).toBe(true); // float32(0.4) is a hair above 0.4
    expect(decideMatch([at(0.41)], [ref], t)).toMatchObject({ decision: 'match', strong: false });
    expect(decideMatch([at(0.1), at(0.7, 1)], [ref], t).strong).toBe(false);
  });

  it('uses the production thresholds by default', () => {
    expect(decideMatch([at(FACE_THRESHOLDS.match)], [ref]).decision).toBe('match');
    expect(decideMatch([at(FACE_THRESHOLDS.mismatch)], [ref]).decision).toBe('mismatch');
  });
});

describe('keyframeFacesProblem', () => {
  it('takes key frames that each show exactly one face of usable size', () => {
    expect(keyframeFacesProblem([{ faces: 1, faceWidthPx: 150 }, { faces: 1, faceWidthPx: MIN_KEYFRAME_FACE_PX }])).toBeNull();
  });
  it('names the first frame without a face, with several faces, or with a face too small to read', () => {
    expect(keyframeFacesProblem([{ faces: 1, faceWidthPx: 150 }, null])).toBe('key frame 1: no face');
    expect(keyframeFacesProblem([{ faces: 0, faceWidthPx: null }])).toBe('key frame 0: no face');
    expect(keyframeFacesProblem([{ faces: 2, faceWidthPx: 150 }])).toBe('key frame 0: 2 faces');
    expect(keyframeFacesProblem([{ faces: 1, faceWidthPx: 40.4 }])).toBe('key frame 0: face 40 px across (needs 64)');
  });
});
