// Does the face move as a plane? A head has depth: when it turns, the nose slides across the cheeks
// and no flat map explains the landmarks' motion. A photo (held, tilted, bent a little) moves as a
// plane, which an affine map explains up to landmark noise. Pure, on 2D landmark positions.

export interface Point {
  x: number;
  y: number;
}

/**
 * Root-mean-square distance between `to` and the best affine map of `from` (least squares), in
 * the points' units. Null when fewer than 6 pairs or the points are degenerate (all on a line).
 */
export function affineResidual(from: readonly Point[], to: readonly Point[]): number | null {
  const n = Math.min(from.length, to.length);
  if (n < 6) return null;
  // Centre both sets: the translation drops out and the 2x2 normal equations are well conditioned.
  let mx = 0;
  let my = 0;
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < n; i++) {
    mx += from[i]!.x;
    my += from[i]!.y;
    nx += to[i]!.x;
    ny += to[i]!.y;
  }
  mx /= n;
  my /= n;
  nx /= n;
  ny /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  let ux = 0;
  let uy = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < n; i++) {
    const x = from[i]!.x - mx;
    const y = from[i]!.y - my;
    const u = to[i]!.x - nx;
    const v = to[i]!.y - ny;
    sxx += x * x;
    sxy += x * y;
    syy += y * y;
    ux += u * x;
    uy += u * y;
    vx += v * x;
    vy += v * y;
  }
  const det = sxx * syy - sxy * sxy;
  if (!(Math.abs(det) > 1e-12 * (sxx * syy + 1e-30))) return null;
  // [a b; c d] = [ux uy; vx vy] · inv([sxx sxy; sxy syy])
  const a = (ux * syy - uy * sxy) / det;
  const b = (uy * sxx - ux * sxy) / det;
  const c = (vx * syy - vy * sxy) / det;
  const d = (vy * sxx - vx * sxy) / det;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = from[i]!.x - mx;
    const y = from[i]!.y - my;
    const du = to[i]!.x - nx - (a * x + b * y);
    const dv = to[i]!.y - ny - (c * x + d * y);
    sum += du * du + dv * dv;
  }
  return Math.sqrt(sum / n);
}

/** Least head rotation (degrees from the reference pose) at which depth shows in the landmarks. */
export const MIN_PLANARITY_ANGLE = 12;

/**
 * The residual per face width per sine of the rotation between the two poses: about the face's
 * depth relief for a head, about the landmark noise for a plane. Null below MIN_PLANARITY_ANGLE.
 */
export function planarityRatio(from: readonly Point[], to: readonly Point[], faceWidth: number, angleDeg: number): number | null {
  if (!(Math.abs(angleDeg) >= MIN_PLANARITY_ANGLE) || !(faceWidth > 0)) return null;
  const r = affineResidual(from, to);
  return r === null ? null : r / (faceWidth * Math.sin((Math.abs(angleDeg) * Math.PI) / 180));
}
