// What descriptor distances mean: the one place the face-match thresholds live (decision 049).
// Pure functions, no tfjs: the routes and the office screens can import them freely.

/**
 * Euclidean distance between two 128-d descriptors (face-api's recognition net; the same person
 * is typically 0.1–0.45 apart, different people 0.5–1.0).
 */
export function faceDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`Descriptors differ in length (${a.length} vs ${b.length})`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

export interface FaceThresholds {
  /** distance ≤ match → the same person. */
  match: number;
  /** distance ≥ mismatch → a different person. Between the two: uncertain (a person looks). */
  mismatch: number;
  /** distance ≤ strong → sure enough to keep the frame as a new reference (faces age). */
  strong: number;
}

/**
 * Calibrated on ../shared/fixtures (decision 049 has the numbers). The lowest impostor distance
 * measured is 0.482, between key frames of two young Asian men; the retirees are Chinese, so
 * `match` stays below it with a margin, and genuine pairs between 0.45 and 0.60 (photos years apart,
 * a turned head) go to a person as uncertain rather than being passed blindly. No genuine pair came
 * near `mismatch` (highest 0.527). `strong` is lower still: a wrong reference would let the wrong
 * person pass every later check.
 */
export const FACE_THRESHOLDS: Readonly<FaceThresholds> = Object.freeze({ match: 0.45, mismatch: 0.6, strong: 0.4 });

export type MatchDecision = 'match' | 'uncertain' | 'mismatch' | 'no_reference' | 'no_face';

export interface MatchVerdict {
  decision: MatchDecision;
  /** Closest frame-to-reference distance; null without a usable frame or a reference. */
  distance: number | null;
  /** The farthest usable frame's closest distance (how unlike the references the worst frame is). */
  worst: number | null;
  /** Index into `frames` of the frame at `distance`. */
  bestFrame: number | null;
  /** The best frame is close enough (≤ strong) to be kept as a new reference; only ever with 'match'. */
  strong: boolean;
}

/**
 * One check's key frames against the retiree's references.
 * Each usable frame's distance is its distance to the closest reference (references are the same
 * person at different ages and in different light, so any one of them may fit best).
 *   - no references → no_reference; no frame with a descriptor → no_face;
 *   - match when the closest frame is ≤ match AND every usable frame is < mismatch: the frames of
 *     one check must all show the retiree, so a check whose frames show two different people
 *     (the retiree for one frame, someone else for the rest) is never a match;
 *   - mismatch when even the closest frame is ≥ mismatch; otherwise uncertain.
 */
export function decideMatch(
  frames: readonly (Float32Array | null)[],
  references: readonly Float32Array[],
  t: Readonly<FaceThresholds> = FACE_THRESHOLDS,
): MatchVerdict {
  const none = { distance: null, worst: null, bestFrame: null, strong: false };
  if (references.length === 0) return { decision: 'no_reference', ...none };
  let distance = Infinity;
  let worst = -Infinity;
  let bestFrame = -1;
  frames.forEach((frame, i) => {
    if (!frame) return;
    const d = Math.min(...references.map((r) => faceDistance(frame, r)));
    if (d < distance) {
      distance = d;
      bestFrame = i;
    }
    worst = Math.max(worst, d);
  });
  if (bestFrame < 0) return { decision: 'no_face', ...none };
  const decision: MatchDecision =
    distance <= t.match && worst < t.mismatch ? 'match' : distance >= t.mismatch ? 'mismatch' : 'uncertain';
  return { decision, distance, worst, bestFrame, strong: decision === 'match' && distance <= t.strong };
}

/**
 * A key frame the phone sends is a crop around one face (decision 024): below this many pixels
 * across, the recognition net (150 px input) reads little of it, and a phone never crops smaller.
 */
export const MIN_KEYFRAME_FACE_PX = 64;

/** What the server saw in one key frame: faces found, the largest one's width in pixels. */
export interface KeyframeFaces {
  faces: number;
  faceWidthPx: number | null;
}

/**
 * Whether every key frame shows exactly one face of usable size (issue 15). A check is evidence
 * only if each of its images is: a second face in the frame is somebody else who could have done
 * the actions, a frame without a face is no evidence at all. Null means all frames are usable.
 */
export function keyframeFacesProblem(frames: readonly (KeyframeFaces | null)[]): string | null {
  for (const [i, f] of frames.entries()) {
    if (!f || f.faces === 0) return `key frame ${i}: no face`;
    if (f.faces > 1) return `key frame ${i}: ${f.faces} faces`;
    if ((f.faceWidthPx ?? 0) < MIN_KEYFRAME_FACE_PX) return `key frame ${i}: face ${Math.round(f.faceWidthPx ?? 0)} px across (needs ${MIN_KEYFRAME_FACE_PX})`;
  }
  return null;
}
