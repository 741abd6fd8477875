// Liveness check vocabulary shared by the phone (web/liveness) and the server: action ids,
// verdicts, reason codes, quality states, the compact result the phone syncs, and the
// deterministic challenge-sequence generator. Pure TypeScript: no DOM, no Node APIs.
import * as v from 'valibot';
import { SpoofRisk } from './spoof-risk.ts';
import { VoiceCheck } from './voice-check.ts';

/** Bumped whenever thresholds or rules change, so the server can tell results apart. */
export const LIVENESS_ENGINE_VERSION = 'stillhere-liveness/1.1.0';

export const ACTION_IDS = ['blink', 'turn_left', 'turn_right', 'look_up', 'open_mouth', 'read_digits'] as const;
export type ActionId = (typeof ACTION_IDS)[number];

/** Actions that move the whole head: a replayed video of a still face cannot produce them. */
export const HEAD_ACTIONS: readonly ActionId[] = ['turn_left', 'turn_right', 'look_up'];
/** Actions of the eyes or mouth. */
export const FACE_ACTIONS: readonly ActionId[] = ['blink', 'open_mouth', 'read_digits'];

export const VERDICTS = ['passed', 'failed', 'abandoned', 'timed_out'] as const;
export type Verdict = (typeof VERDICTS)[number];

// Stable codes; clients and the server switch on them, never on text. Restart reasons appear in
// `restarts`, verdict reasons in `reason`.
export const REASON_CODES = [
  // abandoned
  'user_cancelled',
  'app_backgrounded',
  'camera_unavailable',
  // timed_out
  'timeout_no_face',
  'timeout_baseline',
  'timeout_action',
  // failed
  'multiple_faces',
  'face_changed',
  'engine_error',
  // restart reasons (not verdicts)
  'face_lost',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const RESTART_REASONS = ['face_lost'] as const satisfies readonly ReasonCode[];
export type RestartReason = (typeof RESTART_REASONS)[number];

/** Which reason codes each non-passing verdict may carry (a passed result carries none). */
export const VERDICT_REASONS: Readonly<Record<Exclude<Verdict, 'passed'>, readonly ReasonCode[]>> = {
  abandoned: ['user_cancelled', 'app_backgrounded', 'camera_unavailable'],
  timed_out: ['timeout_no_face', 'timeout_baseline', 'timeout_action'],
  failed: ['multiple_faces', 'face_changed', 'engine_error'],
};

export const QUALITY_STATES = [
  'ok',
  'no_face',
  'multiple_faces',
  'too_far',
  'too_close',
  'off_centre',
  'too_dark',
  'too_bright',
  'face_covered',
  'hold_still',
] as const;
export type QualityState = (typeof QUALITY_STATES)[number];

export const DELEGATES = ['GPU', 'CPU', 'unknown'] as const;
export type Delegate = (typeof DELEGATES)[number];

const nonNegInt = v.pipe(v.number(), v.integer(), v.minValue(0));
const nonNegMs = v.pipe(v.number(), v.minValue(0), v.maxValue(3_600_000));

export const LivenessStep = v.strictObject({
  action: v.picklist(ACTION_IDS),
  passed: v.boolean(),
  /** From the prompt being shown to the action being accepted (or to the end of the check). */
  durationMs: nonNegMs,
  /**
   * Strongest signal seen during the step, relative to the person's baseline: degrees for turns
   * and look_up, jawOpen rise for open_mouth and read_digits, blink-score rise for blink.
   */
  peak: v.pipe(v.number(), v.minValue(-360), v.maxValue(360)),
  /** Blinks seen (blink) or mouth open/close cycles (read_digits); absent for other actions. */
  count: v.optional(nonNegInt),
  /**
   * Set when this step stands in for the asked one: a person whose eyes show no usable blink is
   * asked blinkSubstitute(actions) instead (issue 18 §1). The server checks the swap against the
   * sequence its token's seed gives (stepsAnswer).
   */
  replaces: v.optional(v.literal('blink')),
});
export type LivenessStep = v.InferOutput<typeof LivenessStep>;

export const QualityEvent = v.strictObject({
  state: v.picklist(QUALITY_STATES),
  /** Milliseconds since the check started. */
  atMs: nonNegMs,
  durationMs: nonNegMs,
});
export type QualityEvent = v.InferOutput<typeof QualityEvent>;

export const InferenceStats = v.strictObject({
  frames: nonNegInt,
  medianMs: nonNegMs,
  p95Ms: nonNegMs,
  delegate: v.picklist(DELEGATES),
});
export type InferenceStats = v.InferOutput<typeof InferenceStats>;

export const RestartEvent = v.strictObject({
  reason: v.picklist(RESTART_REASONS),
  atMs: nonNegMs,
});

/** The compact result a phone stores and syncs. Only numbers and ids: no images, no landmarks. */
export const LivenessResult = v.pipe(
  v.strictObject({
    engineVersion: v.pipe(v.string(), v.maxLength(64)),
    /** The seed the sequence was generated from (server-issued), so the server can re-derive it. */
    seed: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffff_ffff)),
    /** Opaque id of the server-issued challenge this attempt answers (binds result to challenge). */
    challengeId: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/))),
    verdict: v.picklist(VERDICTS),
    reason: v.nullable(v.picklist(REASON_CODES)),
    durationMs: nonNegMs,
    /** Time spent collecting the look-straight baseline (last, successful collection). */
    baselineMs: nonNegMs,
    steps: v.pipe(v.array(LivenessStep), v.minLength(1), v.maxLength(3)),
    digits: v.optional(v.pipe(v.string(), v.regex(/^\d{4}$/))),
    restarts: v.pipe(v.array(RestartEvent), v.maxLength(50)),
    quality: v.pipe(v.array(QualityEvent), v.maxLength(50)),
    inference: InferenceStats,
    /** How much the check looks like a replayed screen or a print (shared/spoof-risk.ts); absent from older phones. */
    spoofRisk: v.optional(SpoofRisk),
    /** Read-digits only: whether the microphone heard about four syllables in step with the mouth (shared/voice-check.ts); absent from older phones. */
    voice: v.optional(VoiceCheck),
  }),
  v.check((r) => (r.verdict === 'passed' ? r.reason === null : r.reason !== null && VERDICT_REASONS[r.verdict].includes(r.reason)), 'reason does not match verdict'),
  v.check((r) => r.verdict !== 'passed' || r.steps.every((s) => s.passed), 'a passed result must have every step passed'),
  v.check((r) => r.steps.some((s) => s.action === 'read_digits') === (r.digits !== undefined), 'digits must be present exactly when read_digits was asked'),
  v.check((r) => new Set(r.steps.map((s) => s.action)).size === r.steps.length, 'actions must be distinct'),
);
export type LivenessResult = v.InferOutput<typeof LivenessResult>;

// ---------------------------------------------------------------------------------------------
// Sequence generation

export interface ChallengeSequence {
  seed: number;
  actions: ActionId[];
  /** Four digits to read aloud, present exactly when `read_digits` is one of the actions. */
  digits?: string;
}

/** A random 32-bit seed from the platform CSPRNG (browsers and Node 20 both have globalThis.crypto). */
export function randomSeed(): number {
  const buf = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buf);
  return buf[0] ?? 0;
}

/**
 * mulberry32: tiny, fast, good enough to spread choices evenly. Not a CSPRNG: unpredictability
 * comes from the seed, which the server draws with a CSPRNG and issues per attempt.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length) % items.length];
  if (item === undefined) throw new Error('pick from empty list');
  return item;
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1)) % (i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

const isTurn = (a: ActionId) => a === 'turn_left' || a === 'turn_right';

/**
 * Rules (why):
 * - 2 or 3 distinct actions, equally likely: short enough for a 90-year-old, varied enough that a
 *   prepared video rarely matches.
 * - At least one head action (turn/look up) and one eye/mouth action: a screen replay of a blink
 *   alone, or a generic "shake your head" clip alone, cannot satisfy a sequence.
 * - turn_left and turn_right are never adjacent: a left-right head shake is the most common
 *   movement in any face video, so adjacent opposite turns would be the cheapest pair to replay.
 * - Digits: 4 random digits, never all the same (reading "1111" is barely a mouth movement).
 */
export function generateSequence(source: number | (() => number)): ChallengeSequence {
  const seed = typeof source === 'number' ? source >>> 0 : Math.floor(source() * 0x1_0000_0000) >>> 0;
  const random = seededRandom(seed);
  const count = random() < 0.5 ? 2 : 3;
  for (;;) {
    const head = pick(HEAD_ACTIONS, random);
    const face = pick(FACE_ACTIONS, random);
    const rest = ACTION_IDS.filter((a) => a !== head && a !== face);
    const chosen = count === 3 ? [head, face, pick(rest, random)] : [head, face];
    const actions = shuffle(chosen, random);
    const adjacentTurns = actions.some((a, i) => i > 0 && isTurn(a) && isTurn(actions[i - 1] as ActionId));
    if (adjacentTurns) continue; // re-draw from the same stream: still deterministic per seed
    const seq: ChallengeSequence = { seed, actions };
    if (actions.includes('read_digits')) seq.digits = drawDigits(random);
    return seq;
  }
}

/** The generator's rules for an ordered list of actions (see generateSequence). */
export function sequenceRulesHold(actions: readonly ActionId[]): boolean {
  return (
    actions.length >= 2 &&
    actions.length <= 3 &&
    new Set(actions).size === actions.length &&
    actions.some((a) => HEAD_ACTIONS.includes(a)) &&
    actions.some((a) => FACE_ACTIONS.includes(a)) &&
    !actions.some((a, i) => i > 0 && isTurn(a) && isTurn(actions[i - 1] as ActionId))
  );
}

/** Eye and mouth first (blink is one), then head actions; never read_digits, which needs digits the seed did not draw. */
const BLINK_SUBSTITUTES: readonly ActionId[] = ['open_mouth', 'look_up', 'turn_left', 'turn_right'];

/**
 * What a person whose eyes show no usable blink amplitude is asked instead of blink: the first of
 * BLINK_SUBSTITUTES that the sequence lacks and that keeps every rule of generateSequence in
 * blink's place. Deterministic, so the server re-derives it from the seed. Null when the sequence
 * has no blink (or, for a hand-made one-step test sequence, when no swap keeps the rules).
 */
export function blinkSubstitute(actions: readonly ActionId[]): ActionId | null {
  const at = actions.indexOf('blink');
  if (at < 0) return null;
  const single = actions.length === 1;
  for (const c of BLINK_SUBSTITUTES) {
    if (actions.includes(c)) continue;
    const swapped = actions.map((a, i) => (i === at ? c : a));
    if (single ? FACE_ACTIONS.includes(c) : sequenceRulesHold(swapped)) return c;
  }
  return null;
}

/**
 * Do these result steps answer this sequence: the same actions in the same order, except that a
 * step marked `replaces: 'blink'` stands where blink was asked and is exactly blinkSubstitute's
 * choice?
 */
export function stepsAnswer(seq: ChallengeSequence, steps: readonly { action: ActionId; replaces?: 'blink' | undefined }[]): boolean {
  if (steps.length !== seq.actions.length) return false;
  return steps.every((s, i) => {
    const asked = seq.actions[i];
    if (s.replaces === undefined) return s.action === asked;
    return asked === 'blink' && s.action === blinkSubstitute(seq.actions);
  });
}

function drawDigits(random: () => number): string {
  for (;;) {
    const d = Array.from({ length: 4 }, () => Math.floor(random() * 10) % 10).join('');
    if (!/^(\d)\1{3}$/.test(d)) return d;
  }
}
