// The challenge state machine: baseline ("look straight"), then the sequence's actions in order,
// ending in a verdict and the compact result. Pure and deterministic: all time comes from frame
// timestamps, no clock, no randomness; the same frames give the same events and result.
//
//   baseline ──ready──▶ action[0] ──passed──▶ action[1] … ──last passed──▶ done(passed)
//      ▲                   │ face gone > 1.5 s (3 s if it vanished turned)   │
//      └──── restarted ◀───┘◀──────────────────────────────────────────────┘
//   any phase: total time > timing.totalTimeoutMs → done(timed_out) (the phone's own check has no
//              limit: decision 076); cancel/abort → done(abandoned|failed);
//   action: swap() → the same step asks another action the rules allow (the person's "换一个动作");
//   actions: several faces for 5 s in total → done(failed, multiple_faces);
//            face box jumps between two close frames → done(failed, face_changed).
import {
  LIVENESS_ENGINE_VERSION,
  LivenessResult,
  blinkSubstitute,
  nextSwap,
  type ActionId,
  type ChallengeSequence,
  type Delegate,
  type QualityEvent,
  type QualityState,
  type ReasonCode,
  type RestartReason,
  type Verdict,
} from '../../shared/liveness.ts';
import * as v from 'valibot';
import { blinkUsable, createActionDetector, type ActionDetector } from './actions.ts';
import { createBaselineCollector, type Baseline, type FrontalHint } from './baseline.ts';
import { createKeyFramePicker, keyFrameScore, type KeyFrame } from './keyframes.ts';
import { LIVENESS_PARAMS, type LivenessParams } from './params.ts';
import { frontalPromptId, qualityPromptId, repromptId, stepPromptId, type PromptId, type QualityPromptId } from './prompts.ts';
import { createQualityTracker } from './quality.ts';
import type { FrameSignals } from './signals.ts';

export interface ChallengeConfig {
  sequence: ChallengeSequence;
  /** Server-issued challenge id, copied into the result to bind it to the challenge. */
  challengeId?: string;
  /** Which MediaPipe delegate the runtime got, for the inference stats. */
  delegate?: Delegate;
  params?: LivenessParams;
  keyFrames?: { keep: number; minGapMs: number };
  /** Steps the person already swapped in an earlier run of this challenge (before a pause): asked so from the start. */
  swaps?: readonly PersonSwap[];
}

/** A step the person asked another action for ("换一个动作"). */
export interface PersonSwap {
  at: number;
  action: ActionId;
}

export type ChallengePhase = 'baseline' | 'action' | 'done';
/** Endings the runtime decides: cancel button, page hidden, camera gone, engine crash. */
export type AbortReason = 'user_cancelled' | 'app_backgrounded' | 'camera_unavailable' | 'engine_error';

export interface ChallengeState {
  phase: ChallengePhase;
  /** Index into sequence.actions; null during the baseline. */
  stepIndex: number | null;
  action: ActionId | null;
  stepCount: number;
  /** The instruction of the current step (look straight / the action / a baseline hint). */
  promptId: PromptId;
  /** Shown quality state, already debounced. */
  quality: QualityState;
  qualityPromptId: QualityPromptId | null;
  /** What to show and speak now: the quality prompt when it must come first, else promptId. */
  displayPromptId: PromptId;
  /** 0..1 over baseline + actions; 0..1 within the current step. */
  progress: number;
  stepProgress: number;
  elapsedMs: number;
  restarts: number;
  verdict: Verdict | null;
  reason: ReasonCode | null;
  /** Key-frame score of the last frame (0..1). */
  keyFrameScore: number;
  /** How long the current step (or the look-straight baseline) has been asked, in the frames' time: what the waiting help counts. */
  stepElapsedMs: number;
  /** The person's swaps in effect; swap() would change the current step (an action step with another action that fits). */
  swaps: PersonSwap[];
  canSwap: boolean;
  /** The digits to read, while a read_digits step is asked. */
  digits?: string;
}

export type ChallengeEvent =
  | { type: 'prompt'; atMs: number; promptId: PromptId; stepIndex: number | null; action: ActionId | null }
  | { type: 'reprompt'; atMs: number; promptId: PromptId; stepIndex: number | null; action: ActionId | null }
  | { type: 'quality'; atMs: number; state: QualityState; promptId: QualityPromptId | null }
  | { type: 'baseline_ready'; atMs: number; baseline: Baseline }
  | { type: 'step_passed'; atMs: number; stepIndex: number; action: ActionId; durationMs: number; peak: number }
  | { type: 'restarted'; atMs: number; reason: RestartReason }
  | { type: 'swapped'; atMs: number; stepIndex: number; from: ActionId; action: ActionId }
  | { type: 'keyframe'; atMs: number; tMs: number; score: number; drop: number[] }
  | { type: 'verdict'; atMs: number; verdict: Verdict; reason: ReasonCode | null };

export interface Challenge {
  /** Feed every analysed frame in time order; frames with non-increasing tMs are ignored. */
  push(frame: FrameSignals): ChallengeEvent[];
  /** The person pressed cancel (or the runtime gave up); tMs in the frames' clock. */
  abort(reason: AbortReason, tMs?: number): ChallengeEvent[];
  /** The person asks for another action at the current step ("换一个动作"); nothing happens outside an action step or when no other action fits. */
  swap(): ChallengeEvent[];
  state(): ChallengeState;
  /** The compact result, once a verdict exists. */
  result(): LivenessResult | null;
  /** Key frames chosen so far (frame tMs and score). */
  keyFrames(): KeyFrame[];
}

interface StepRecord {
  /** What the person is asked: the sequence's action, blink's substitute (issue 18 §1) or the person's swap (issue 17 §3). */
  action: ActionId;
  replaces?: ActionId;
  swappedBy?: 'person';
  passed: boolean;
  promptAt: number | null;
  durationMs: number;
  peak: number;
  count?: number;
}

const ALWAYS_FIRST: readonly QualityState[] = ['no_face', 'multiple_faces', 'face_covered'];
const round2 = (x: number) => Math.round(x * 100) / 100;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] ?? 0;
}

export function createChallenge(config: ChallengeConfig): Challenge {
  const p = config.params ?? LIVENESS_PARAMS;
  const seq = config.sequence;
  const n = seq.actions.length;
  if (n < 1 || n > 3) throw new Error('a challenge has 1-3 actions');

  const collector = createBaselineCollector(p.baseline);
  const qualityTracker = createQualityTracker(p.quality);
  const picker = createKeyFramePicker(config.keyFrames?.keep ?? 3, config.keyFrames?.minGapMs ?? 1000);

  let start: number | null = null;
  let lastT = -Infinity;
  let phase: ChallengePhase = 'baseline';
  let stepIndex: number | null = null;
  let baseline: Baseline | null = null;
  let baselineStart = 0;
  let baselineMs = 0;
  let detector: ActionDetector | null = null;
  /** The person's swaps, kept across restarts (they asked for them) and handed to the next run after a pause. */
  const personSwaps = new Map<number, ActionId>();
  for (const sw of config.swaps ?? []) if (seq.actions[sw.at] !== undefined && seq.actions[sw.at] !== sw.action) personSwaps.set(sw.at, sw.action);
  // Swaps that would ask one action twice are not the person's swaps of this sequence: asked as drawn.
  if (new Set(seq.actions.map((a, i) => personSwaps.get(i) ?? a)).size !== n) personSwaps.clear();
  const freshSteps = (): StepRecord[] =>
    seq.actions.map((asked, i) => {
      const swapped = personSwaps.get(i);
      return swapped ? { action: swapped, replaces: asked, swappedBy: 'person', passed: false, promptAt: null, durationMs: 0, peak: 0 } : { action: asked, passed: false, promptAt: null, durationMs: 0, peak: 0 };
    });
  let steps: StepRecord[] = freshSteps();
  let promptId: PromptId = 'prompt.look_straight';
  let lastPromptAt = 0;
  let lastFaceT = -Infinity;
  let lastFaceYawRel = 0;
  let lastFaceBox: { cx: number; cy: number; w: number } | null = null;
  let everFace = false;
  let multiFaceMs = 0;
  let shownQuality: QualityState = 'ok';
  const qualityLog: QualityEvent[] = [];
  let qualityOpen: { state: QualityState; at: number } | null = null;
  const restarts: { reason: RestartReason; atMs: number }[] = [];
  const inferMs: number[] = [];
  let frames = 0;
  let verdict: Verdict | null = null;
  let reason: ReasonCode | null = null;
  let endT = 0;
  let lastScore = 0;
  let stepProgress = 0;
  // Overall progress never moves backwards within a run (a ring that shrinks feels like failing);
  // only a restart resets it. stepProgress stays raw: "turn a little further" needs it.
  let overallProgress = 0;

  const rel = (t: number) => Math.max(0, Math.round(t - (start ?? t)));

  function closeQuality(t: number) {
    if (qualityOpen && qualityLog.length < 50) {
      qualityLog.push({ state: qualityOpen.state, atMs: rel(qualityOpen.at), durationMs: Math.max(0, Math.round(t - qualityOpen.at)) });
    }
    qualityOpen = null;
  }

  /** The action asked at step i (after any swap). */
  const stepAction = (i: number | null): ActionId | null => (i === null ? null : (steps[i]?.action ?? null));

  function prompt(t: number, id: PromptId, out: ChallengeEvent[]) {
    promptId = id;
    lastPromptAt = t;
    out.push({ type: 'prompt', atMs: rel(t), promptId: id, stepIndex, action: stepAction(stepIndex) });
  }

  function startStep(i: number, t: number, out: ChallengeEvent[]) {
    const rec = steps[i] as StepRecord;
    // Eyes whose blink this person's face cannot show (no room above the open level, or noise as
    // big as a blink) are not asked to blink until the time runs out: the step becomes the one
    // other action the sequence rules allow, and the result says so for the server to check.
    // With the person's swaps in the sequence the substitute is chosen among the actions asked now.
    const sub = rec.action === 'blink' && rec.replaces === undefined && !blinkUsable(baseline as Baseline, p) ? blinkSubstitute(personSwaps.size ? steps.map((s) => s.action) : seq.actions) : null;
    if (sub) {
      rec.action = sub;
      rec.replaces = 'blink';
    }
    stepIndex = i;
    phase = 'action';
    detector = createActionDetector(rec.action, baseline as Baseline, p);
    stepProgress = 0;
    rec.promptAt = t;
    prompt(t, stepPromptId(rec.action), out);
  }

  function end(t: number, v: Verdict, r: ReasonCode | null, out: ChallengeEvent[]) {
    if (phase === 'done') return;
    if (stepIndex !== null) {
      const rec = steps[stepIndex] as StepRecord;
      if (!rec.passed && rec.promptAt !== null) rec.durationMs = t - rec.promptAt;
    }
    phase = 'done';
    verdict = v;
    reason = r;
    endT = t;
    closeQuality(t);
    out.push({ type: 'verdict', atMs: rel(t), verdict: v, reason: r });
  }

  function restart(t: number, why: RestartReason, out: ChallengeEvent[]) {
    restarts.push({ reason: why, atMs: rel(t) });
    out.push({ type: 'restarted', atMs: rel(t), reason: why });
    phase = 'baseline';
    stepIndex = null;
    baseline = null;
    detector = null;
    collector.reset();
    frontal = { shown: null, candidate: null, since: t, shownAt: t };
    baselineStart = t;
    steps = freshSteps();
    lastFaceBox = null;
    stepProgress = 0;
    overallProgress = 0;
    prompt(t, 'prompt.look_straight', out);
  }

  /**
   * Which way to turn to face the camera, debounced like the quality prompts (enterMs to show,
   * minShowMs shown at least), so a head near the limit does not flip the spoken prompt.
   */
  let frontal: { shown: FrontalHint | null; candidate: FrontalHint | null; since: number; shownAt: number } = { shown: null, candidate: null, since: 0, shownAt: 0 };
  function updateFrontal(t: number) {
    const now = collector.problem() === 'not_frontal' ? collector.frontalHint() : collector.problem() === 'no_face' ? frontal.candidate : null;
    if (now !== frontal.candidate) frontal = { ...frontal, candidate: now, since: t };
    const needed = now === null ? p.quality.exitMs : p.quality.enterMs;
    if (now !== frontal.shown && t - frontal.since >= needed && t - frontal.shownAt >= p.quality.minShowMs) frontal = { ...frontal, shown: now, shownAt: t };
  }

  function baselineHint(): PromptId {
    const problem = collector.problem();
    if (problem === 'eyes_closed') return 'baseline.eyes_closed';
    if (problem === 'mouth_open') return 'baseline.mouth_open';
    if (frontal.shown) return frontalPromptId(frontal.shown);
    return 'prompt.look_straight';
  }

  function push(frame: FrameSignals): ChallengeEvent[] {
    const out: ChallengeEvent[] = [];
    if (phase === 'done' || !(frame.tMs > lastT)) return out;
    const t = frame.tMs;
    const dt = Number.isFinite(lastT) ? t - lastT : 0;
    lastT = t;
    frames++;
    if (frame.inferMs !== null) inferMs.push(frame.inferMs);
    if (start === null) {
      start = t;
      baselineStart = t;
      prompt(t, 'prompt.look_straight', out);
    }

    const q = qualityTracker.update(frame, { wantStill: phase === 'baseline' });
    if (q.changed) {
      closeQuality(t);
      shownQuality = q.shown;
      if (q.shown !== 'ok') qualityOpen = { state: q.shown, at: t };
      out.push({ type: 'quality', atMs: rel(t), state: q.shown, promptId: qualityPromptId(q.shown) });
    }

    if (t - start >= p.timing.totalTimeoutMs) {
      end(t, 'timed_out', !everFace ? 'timeout_no_face' : phase === 'baseline' ? 'timeout_baseline' : 'timeout_action', out);
      return out;
    }

    const single = frame.faceCount === 1 ? frame.face : null;
    const multi = frame.faceCount > 1;
    if (single) everFace = true;

    if (phase === 'action' && baseline) {
      // Face continuity. Measured since the last face seen, so a stall in the frame stream counts
      // as a loss too. Full profiles are not detected, so a face that vanished while turned gets
      // longer before we give up on it (turn_up_man_beard loses his face for 2.0 s mid-turn).
      const allowance = Math.abs(lastFaceYawRel) >= p.face.profileYaw ? p.face.profileLostRestartMs : p.face.lostRestartMs;
      if (!multi && t - lastFaceT > allowance) restart(t, 'face_lost', out);
    }

    if (phase === 'action' && baseline && detector && stepIndex !== null) {
      const rec = steps[stepIndex] as StepRecord;
      if (multi) {
        multiFaceMs += dt;
        if (multiFaceMs >= p.face.multipleFacesFailMs) {
          end(t, 'failed', 'multiple_faces', out);
          return out;
        }
        // Which face is "the" face is ambiguous: drop any half-done movement, and do not compare
        // the next single face with a box from before the crowd (it may have moved meanwhile).
        detector = createActionDetector(rec.action, baseline, p);
        lastFaceT = t;
        lastFaceBox = null;
      } else {
        if (single) {
          if (lastFaceBox && t - lastFaceT <= p.face.jumpWithinMs) {
            const shift = Math.hypot(single.box.cx - lastFaceBox.cx, single.box.cy - lastFaceBox.cy);
            const ratio = single.box.w > 0 && lastFaceBox.w > 0 ? Math.max(single.box.w / lastFaceBox.w, lastFaceBox.w / single.box.w) : 1;
            if (shift > p.face.jumpCentre || ratio > p.face.jumpSizeRatio) {
              end(t, 'failed', 'face_changed', out);
              return out;
            }
          }
          lastFaceT = t;
          lastFaceYawRel = single.yaw - baseline.yaw;
          lastFaceBox = { cx: single.box.cx, cy: single.box.cy, w: single.box.w };
        }
        const s = detector.push(frame);
        stepProgress = s.progress;
        rec.peak = s.peak;
        if (s.count !== undefined) rec.count = s.count;
        if (s.done) {
          rec.passed = true;
          rec.durationMs = t - (rec.promptAt ?? t);
          out.push({ type: 'step_passed', atMs: rel(t), stepIndex, action: rec.action, durationMs: Math.round(rec.durationMs), peak: round2(s.peak) });
          if (stepIndex + 1 < n) startStep(stepIndex + 1, t, out);
          else {
            end(t, 'passed', null, out);
            return out;
          }
        }
      }
      if (phase === 'action' && t - lastPromptAt >= p.timing.repromptMs) {
        lastPromptAt = t;
        const action = rec.action;
        out.push({ type: 'reprompt', atMs: rel(t), promptId: repromptId(action), stepIndex, action });
      }
    } else if (phase === 'baseline') {
      const b = collector.push(frame, !q.instant.blocking);
      updateFrontal(t);
      if (b) {
        baseline = b;
        baselineMs = t - baselineStart;
        lastFaceT = t;
        lastFaceYawRel = single ? single.yaw - b.yaw : 0;
        lastFaceBox = single ? { cx: single.box.cx, cy: single.box.cy, w: single.box.w } : null;
        out.push({ type: 'baseline_ready', atMs: rel(t), baseline: b });
        startStep(0, t, out);
      } else if (t - lastPromptAt >= p.timing.repromptMs) {
        lastPromptAt = t;
        const hint = baselineHint();
        out.push({ type: 'reprompt', atMs: rel(t), promptId: hint === 'prompt.look_straight' ? 'reprompt.look_straight' : hint, stepIndex: null, action: null });
      }
    }

    overallProgress = Math.max(overallProgress, rawProgress());
    lastScore = keyFrameScore(frame, baseline);
    if (!q.instant.blocking) {
      const k = picker.offer(t, lastScore);
      if (k.keep) out.push({ type: 'keyframe', atMs: rel(t), tMs: t, score: round2(lastScore), drop: k.drop });
    }
    return out;
  }

  function abort(why: AbortReason, tMs?: number): ChallengeEvent[] {
    const out: ChallengeEvent[] = [];
    if (phase === 'done') return out;
    const t = Math.max(tMs ?? lastT, Number.isFinite(lastT) ? lastT : 0);
    start ??= t;
    end(t, why === 'engine_error' ? 'failed' : 'abandoned', why, out);
    return out;
  }

  function swap(): ChallengeEvent[] {
    const out: ChallengeEvent[] = [];
    const next = swapTarget();
    if (next === null || stepIndex === null || !baseline) return out;
    const i = stepIndex;
    const rec = steps[i] as StepRecord;
    const asked = seq.actions[i] as ActionId;
    const from = rec.action;
    const t = Number.isFinite(lastT) ? lastT : 0;
    rec.action = next;
    if (next === asked) {
      delete rec.replaces;
      delete rec.swappedBy;
      personSwaps.delete(i);
    } else {
      // An eyes swap already made here stays the thing replaced: blink is what the seed asked.
      rec.replaces = asked;
      rec.swappedBy = 'person';
      personSwaps.set(i, next);
    }
    rec.peak = 0;
    delete rec.count;
    detector = createActionDetector(next, baseline, p);
    stepProgress = 0;
    rec.promptAt = t;
    out.push({ type: 'swapped', atMs: rel(t), stepIndex: i, from, action: next });
    prompt(t, stepPromptId(next), out);
    return out;
  }

  /** What swap() would ask now: blink never for eyes that show none. */
  function swapTarget(): ActionId | null {
    if (phase !== 'action' || stepIndex === null || !baseline) return null;
    return nextSwap(
      steps.map((s) => s.action),
      stepIndex,
      seq.actions[stepIndex] as ActionId,
      blinkUsable(baseline, p) ? [] : ['blink'],
    );
  }

  function rawProgress(): number {
    const passed = steps.filter((s) => s.passed).length + (phase === 'baseline' ? 0 : 1);
    const current = phase === 'baseline' ? collector.progress() : phase === 'action' ? stepProgress : 0;
    return Math.min(1, (passed + current) / (n + 1));
  }

  function state(): ChallengeState {
    const action = stepAction(stepIndex);
    const qPrompt = qualityPromptId(shownQuality);
    const qualityFirst = qPrompt !== null && phase !== 'done' && (phase === 'baseline' || ALWAYS_FIRST.includes(shownQuality));
    const basePrompt = phase === 'baseline' ? baselineHint() : promptId;
    const st: ChallengeState = {
      phase,
      stepIndex,
      action,
      stepCount: n,
      promptId: basePrompt,
      quality: shownQuality,
      qualityPromptId: qPrompt,
      displayPromptId: qualityFirst && qPrompt ? qPrompt : basePrompt,
      progress: phase === 'done' && verdict === 'passed' ? 1 : overallProgress,
      stepProgress: phase === 'baseline' ? collector.progress() : phase === 'action' ? stepProgress : 0,
      elapsedMs: start === null ? 0 : (phase === 'done' ? endT : lastT) - start,
      restarts: restarts.length,
      verdict,
      reason,
      keyFrameScore: lastScore,
      stepElapsedMs: phase === 'done' || !Number.isFinite(lastT) ? 0 : Math.max(0, lastT - (phase === 'action' ? ((stepIndex !== null ? steps[stepIndex]?.promptAt : null) ?? lastT) : baselineStart)),
      swaps: [...personSwaps].map(([at, a]) => ({ at, action: a })),
      canSwap: swapTarget() !== null,
    };
    const digits = digitsAsked();
    if (digits !== undefined) st.digits = digits;
    return st;
  }

  function result(): LivenessResult | null {
    if (phase !== 'done' || verdict === null) return null;
    const sorted = [...inferMs].sort((a, b) => a - b);
    const r: LivenessResult = {
      engineVersion: LIVENESS_ENGINE_VERSION,
      seed: seq.seed >>> 0,
      verdict,
      reason,
      durationMs: Math.round(endT - (start ?? endT)),
      baselineMs: Math.round(baselineMs),
      steps: steps.map((s) => {
        const step: LivenessResult['steps'][number] = { action: s.action, passed: s.passed, durationMs: Math.round(s.durationMs), peak: round2(s.peak) };
        if (s.action === 'blink' || s.action === 'read_digits') step.count = s.count ?? 0;
        if (s.replaces) step.replaces = s.replaces;
        if (s.swappedBy) step.swappedBy = s.swappedBy;
        return step;
      }),
      restarts: restarts.slice(0, 50),
      quality: [...qualityLog],
      inference: {
        frames,
        medianMs: round2(percentile(sorted, 0.5)),
        p95Ms: round2(percentile(sorted, 0.95)),
        delegate: config.delegate ?? 'unknown',
      },
    };
    if (config.challengeId !== undefined) r.challengeId = config.challengeId;
    const digits = digitsAsked();
    if (digits !== undefined) r.digits = digits;
    // Our own output must satisfy the schema the server checks; fail loudly in development.
    return v.parse(LivenessResult, r);
  }

  /** The seed's digits while a read_digits step is asked (a person may swap it for another action). */
  function digitsAsked(): string | undefined {
    return seq.digits !== undefined && steps.some((s) => s.action === 'read_digits') ? seq.digits : undefined;
  }

  return { push, abort, swap, state, result, keyFrames: () => picker.chosen() };
}
