// Spoof risk (issue 18 §5, decision 068): how much a check looks like a replayed screen or a printed
// photo, whatever its actions did. The phone measures the inputs on full-resolution frames
// (web/liveness/spoof), the score is computed from them here, and the server computes it again from
// the inputs the phone sent (never taking the phone's score on trust) and from the key frames
// (server/sync/spoof-check.ts). A flagged check is never certified automatically and never
// rejected in front of the person: it goes to the office as "spoof risk".
//
// Pure: no DOM, no Node APIs. Every number that decides is in SPOOF_PARAMS, calibrated on
// ../shared/fixtures/video (docs/liveness.md "Spoof risk" has the per-clip scores).
import * as v from 'valibot';

export const SPOOF_PARAMS = {
  /** At or above this the check goes to the office. */
  threshold: 0.75,
  /**
   * Texture: mean |Laplacian| / mean |gradient| of the face's luma. A screen or a print seen by a
   * camera loses the finest detail (re-imaging blurs it), so the ratio falls. `hi` and above is
   * no sign, `lo` and below is the full sign.
   */
  texture: { hi: 0.5, lo: 0.36 },
  /**
   * Bezel: the weaker of the two strongest straight vertical edges beside the face (mean signed
   * luma step along a column, 0..255), i.e. a frame on both sides as a phone or a photo has.
   */
  bezel: { lo: 4, hi: 16 },
  /**
   * Planarity: landmark motion during a turn that a flat plane explains (affine fit residual per
   * face width per sin(turn angle)). A head has depth; a photo moves as a plane. At or below `lo`
   * the full sign, `hi` and above none.
   */
  planarity: { lo: 0.05, hi: 0.1 },
  /** Face-size jumps (a photo swapped, a replay cut) that make up the full sign. */
  sizeJumps: 2,
} as const;

const score01 = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const nullableNumber = (max: number) => v.nullable(v.pipe(v.number(), v.minValue(0), v.maxValue(max)));

/** What the phone measured over the whole check: medians over the frames that had one face. */
export const SpoofInputs = v.strictObject({
  /** Frames that had exactly one face and were measured. */
  frames: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000)),
  texture: nullableNumber(4),
  bezel: nullableNumber(255),
  /** Null when the head never turned far enough to tell (no turn or look-up of ≥ 12°). */
  planarity: nullableNumber(10),
  sizeJumps: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000)),
});
export type SpoofInputs = v.InferOutput<typeof SpoofInputs>;

export const SpoofRisk = v.strictObject({
  score: score01,
  threshold: score01,
  flagged: v.boolean(),
  inputs: SpoofInputs,
});
export type SpoofRisk = v.InferOutput<typeof SpoofRisk>;

/** The server's view of a check (server/sync/spoof-check.ts), which the office reads. */
export interface SpoofAssessment extends SpoofRisk {
  /** Median texture of the key frames as the server measured them; null without a readable frame. */
  keyFrameTexture: number | null;
  /** The score the phone claimed (null when it sent none), shown beside the server's. */
  phoneScore: number | null;
}

/** Each sign 0..1; the score is the strongest of them (screen/print texture and bezel count together). */
export interface SpoofParts {
  texture: number;
  bezel: number;
  planarity: number;
  sizeJumps: number;
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0);
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function spoofParts(inputs: SpoofInputs, p = SPOOF_PARAMS): SpoofParts {
  return {
    texture: inputs.texture === null ? 0 : clamp01((p.texture.hi - inputs.texture) / (p.texture.hi - p.texture.lo)),
    bezel: inputs.bezel === null ? 0 : clamp01((inputs.bezel - p.bezel.lo) / (p.bezel.hi - p.bezel.lo)),
    planarity: inputs.planarity === null ? 0 : clamp01((p.planarity.hi - inputs.planarity) / (p.planarity.hi - p.planarity.lo)),
    sizeJumps: clamp01(inputs.sizeJumps / p.sizeJumps),
  };
}

/**
 * The score from the inputs. A soft face alone is common (a cheap webcam, a dim room), and so are
 * straight edges beside a face (a window frame, a car pillar): a screen or a print shows both, so
 * that part is their geometric mean and is 0 when either is absent. A flat turn or face-size jumps
 * are signs on their own. Without measured frames there is nothing to score (0).
 */
export function spoofScore(inputs: SpoofInputs, p = SPOOF_PARAMS): SpoofRisk {
  const parts = spoofParts(inputs, p);
  const screen = Math.sqrt(parts.texture * parts.bezel);
  const score = inputs.frames > 0 ? round3(Math.max(screen, parts.planarity, parts.sizeJumps)) : 0;
  return { score, threshold: p.threshold, flagged: score >= p.threshold, inputs };
}
