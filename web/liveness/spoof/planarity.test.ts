import { describe, expect, it } from 'vitest';
import { SPOOF_PARAMS } from '../../../shared/spoof-risk.ts';
import { affineResidual, planarityRatio, type Point } from './planarity.ts';

// A face-like point cloud: an ellipse of points 160 px wide whose depth bulges in the middle and
// peaks at the nose, as a head's does. z = 0 everywhere is the same face printed on paper.
function face(flat: boolean): { x: number; y: number; z: number }[] {
  const pts: { x: number; y: number; z: number }[] = [];
  for (let i = 0; i < 117; i++) {
    const a = (i * 2.399963) % (2 * Math.PI);
    const r = Math.sqrt((i + 0.5) / 117);
    const x = 80 * r * Math.cos(a);
    const y = 105 * r * Math.sin(a);
    const nose = 30 * Math.exp(-(x * x + (y - 10) * (y - 10)) / 400);
    pts.push({ x, y, z: flat ? 0 : 60 * (1 - r * r) + nose });
  }
  return pts;
}

/** Rotates about the vertical axis (yaw) and projects with a 600 px focal length at 500 px distance. */
function view(pts: { x: number; y: number; z: number }[], yawDeg: number, noise = 0, seed = 1): Point[] {
  const c = Math.cos((yawDeg * Math.PI) / 180);
  const s = Math.sin((yawDeg * Math.PI) / 180);
  let x = seed;
  const rand = () => {
    x = (x * 16807) % 2147483647;
    return x / 2147483647 - 0.5;
  };
  return pts.map((p) => {
    const X = c * p.x + s * p.z;
    const Z = -s * p.x + c * p.z + 500;
    return { x: (600 * X) / Z + 320 + noise * rand(), y: (600 * p.y) / Z + 240 + noise * rand() };
  });
}

describe('planarity', () => {
  it('fits a plane seen from another angle with almost no residual, and a head turned as far with a large one', () => {
    const flat = face(true);
    const head = face(false);
    const plane = planarityRatio(view(flat, 0, 1), view(flat, 25, 1, 7), 160, 25)!;
    const live = planarityRatio(view(head, 0, 1), view(head, 25, 1, 7), 160, 25)!;
    expect(plane).toBeLessThan(SPOOF_PARAMS.planarity.lo);
    expect(live).toBeGreaterThan(SPOOF_PARAMS.planarity.hi);
  });

  it('says nothing below the least turn, and nothing from too few or collinear points', () => {
    const head = face(false);
    expect(planarityRatio(view(head, 0), view(head, 8), 160, 8)).toBeNull();
    expect(affineResidual(view(head, 0).slice(0, 5), view(head, 20).slice(0, 5))).toBeNull();
    const line = Array.from({ length: 10 }, (_, i) => ({ x: i, y: 2 * i }));
    expect(affineResidual(line, line)).toBeNull();
  });

  it('is exact for an affine map', () => {
    const pts = view(face(false), 0);
    const moved = pts.map((p) => ({ x: 1.1 * p.x + 0.2 * p.y + 5, y: -0.1 * p.x + 0.9 * p.y - 3 }));
    expect(affineResidual(pts, moved)).toBeLessThan(1e-6);
  });
});
