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
   * Set when this step stands in for the asked one (the action the seed gives at this place): a
   * person whose eyes show no usable blink is asked blinkSubstitute(actions) instead of blink
   * (issue 18 §1), and a person may ask for another action ("换一个动作", nextSwap, issue 17 §3).
   * The server checks the swap against the sequence its token's seed gives (stepsAnswer).
   */
  replaces: v.optional(v.picklist(ACTION_IDS)),
  /** 'person': the person asked for another action (nextSwap); absent: the engine swapped blink for eyes that show none. */
  swappedBy: v.optional(v.literal('person')),
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
  v.check((r) => r.steps.every((s) => (s.swappedBy === undefined ? s.replaces === undefined || s.replaces === 'blink' : s.replaces !== undefined)), 'only blink is swapped by the engine; a person\'s swap says what it replaces'),
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

/** The order "换一个动作" goes through after the asked action: eye and mouth first, as for blink's substitute. */
const SWAP_ORDER: readonly ActionId[] = ['open_mouth', 'look_up', 'turn_left', 'turn_right', 'blink'];

/** Would `actions` (distinct) do as a sequence? For a hand-made one-step test sequence, any one action does. */
const swapKeepsRules = (actions: readonly ActionId[]) => new Set(actions).size === actions.length && (actions.length === 1 || sequenceRulesHold(actions));

/**
 * What "换一个动作" asks next at place `at` of `current` (the actions as asked now, swaps
 * included), `asked` being the seed's action there: the next, after the current one, of the asked
 * action and SWAP_ORDER, going round, that no other step asks, that keeps every rule of
 * generateSequence, and is not in `avoid` (blink, for eyes that show none). Never read_digits
 * unless it was asked (its digits come from the seed). Null when no other action fits.
 */
export function nextSwap(current: readonly ActionId[], at: number, asked: ActionId, avoid: readonly ActionId[] = []): ActionId | null {
  const now = current[at];
  if (now === undefined) return null;
  const cycle = [asked, ...SWAP_ORDER.filter((a) => a !== asked)];
  const from = Math.max(0, cycle.indexOf(now));
  for (let k = 1; k < cycle.length; k++) {
    const c = cycle[(from + k) % cycle.length] as ActionId;
    if (c === now || avoid.includes(c) || (c === 'read_digits' && c !== asked)) continue;
    if (swapKeepsRules(current.map((a, i) => (i === at ? c : a)))) return c;
  }
  return null;
}

type AnswerStep = { action: ActionId; replaces?: ActionId | undefined; swappedBy?: 'person' | undefined };

/**
 * Do these result steps answer this sequence: the same actions in the same order, except steps
 * that say which asked action they replace? Without a person's swap in the check, the only swap is
 * blink for exactly blinkSubstitute's choice (the engine's, for eyes that show no blink). Once the
 * person asked for another action anywhere, every swapped step must stand where its action was
 * asked, be no read_digits (its digits were not drawn) and the whole sequence must keep the
 * generator's rules: what a person may choose, nothing more.
 */
export function stepsAnswer(seq: ChallengeSequence, steps: readonly AnswerStep[]): boolean {
  if (steps.length !== seq.actions.length) return false;
  const byPerson = steps.some((s) => s.swappedBy === 'person');
  const each = steps.every((s, i) => {
    const asked = seq.actions[i];
    if (s.replaces === undefined) return s.swappedBy === undefined && s.action === asked;
    if (s.replaces !== asked || s.action === asked || s.action === 'read_digits') return false;
    if (s.swappedBy === 'person' || byPerson) return s.swappedBy === 'person' || asked === 'blink';
    return asked === 'blink' && s.action === blinkSubstitute(seq.actions);
  });
  return each && (!byPerson || swapKeepsRules(steps.map((s) => s.action)));
}

/** The digits a result must carry: the seed's, exactly when a read_digits step is still asked. */
export function answeredDigits(seq: ChallengeSequence, actions: readonly ActionId[]): string | null {
  return actions.includes('read_digits') ? (seq.digits ?? null) : null;
}

function drawDigits(random: () => number): string {
  for (;;) {
    const d = Array.from({ length: 4 }, () => Math.floor(random() * 10) % 10).join('');
    if (!/^(\d)\1{3}$/.test(d)) return d;
  }
}
