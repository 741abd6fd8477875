// Does a "passed" result carry the evidence that a check really took place? The phone's verdict is
// a claim (issue 15): a made-up result with no key frames, "0 frames analysed in 0 ms", must never
// certify anybody. These are floors, not a second liveness engine: the least any real run of the
// engine (web/liveness, its params.ts) can produce for the asked sequence, so an honest phone never
// falls below them (web/liveness/evidence-rules.test.ts replays every fixture clip to show it), and
// a fabricated result has to invent timings and frame counts that a person could have performed.
// Pure: the server checks at push time (server/sync/prepare.ts), and the numbers are one place.
import type { ActionId, LivenessResult } from './liveness.ts';

export const EVIDENCE_RULES = {
  /** Key frames a passed check must carry: the office was promised two images (decision 024). */
  minKeyFrames: 2,
  /** The baseline needs this long of still, frontal frames (params.baseline.windowMs)... */
  minBaselineMs: 500,
  /** ...and at least this many frames: two ≥ 500 ms apart with no gap over 450 ms (params.baseline) is already three. */
  minBaselineFrames: 4,
  /**
   * Least time from the prompt to a passed step. Turns and look-up hold 300 ms beyond the
   * threshold; open_mouth holds 500 ms; a blink closes and opens again (≥ 100 ms even for one
   * deliberate blink, issue 18); reading four digits aloud is at least three mouth cycles, which no
   * one speaks in under 450 ms.
   */
  minStepMs: { blink: 100, turn_left: 300, turn_right: 300, look_up: 300, open_mouth: 500, read_digits: 450 } satisfies Record<ActionId, number>,
  /** Least analysed frames per step: beyond-threshold frames, closed then open, three cycles up and down. */
  minStepFrames: { blink: 2, turn_left: 2, turn_right: 2, look_up: 2, open_mouth: 2, read_digits: 6 } satisfies Record<ActionId, number>,
  /** No phone analyses faces faster than this (the engine runs at the camera's rate or below). */
  maxFps: 120,
  /** Rounding: each duration is rounded to whole ms on the phone. */
  slackMs: 5,
} as const;

/** Why a passed result is not evidence of a check, in the words the office reads; null when it is. */
export type EvidenceProblem =
  | { reason: 'evidence_missing'; detail: string }
  | { reason: 'evidence_implausible'; detail: string };

/**
 * Checks a passed result against the floors above. `keyFrames` is how many different key-frame
 * JPEGs came with it (the same image twice is one). Results that did not pass are not evidence of anything and are not checked.
 */
export function evidenceProblem(result: LivenessResult, keyFrames: number, rules = EVIDENCE_RULES): EvidenceProblem | null {
  if (result.verdict !== 'passed') return null;
  if (keyFrames < rules.minKeyFrames) return { reason: 'evidence_missing', detail: `${keyFrames} key frames (needs ${rules.minKeyFrames})` };

  const slack = rules.slackMs;
  if (result.baselineMs + slack < rules.minBaselineMs) return implausible(`baseline in ${result.baselineMs} ms (needs ≥ ${rules.minBaselineMs})`);
  for (const step of result.steps) {
    const least = rules.minStepMs[step.action];
    if (step.durationMs + slack < least) return implausible(`${step.action} in ${step.durationMs} ms (needs ≥ ${least})`);
  }
  // The baseline and the steps follow one another, so the whole check lasts at least their sum.
  const parts = result.baselineMs + result.steps.reduce((s, x) => s + x.durationMs, 0);
  if (result.durationMs + slack * (result.steps.length + 1) < parts) return implausible(`check of ${result.durationMs} ms shorter than its parts (${parts} ms)`);

  const frames = result.inference.frames;
  const leastFrames = rules.minBaselineFrames + result.steps.reduce((s, x) => s + rules.minStepFrames[x.action], 0);
  if (frames < leastFrames) return implausible(`${frames} frames analysed (needs ≥ ${leastFrames} for this sequence)`);
  const mostFrames = Math.ceil(((result.durationMs + 1000) * rules.maxFps) / 1000);
  if (frames > mostFrames) return implausible(`${frames} frames in ${result.durationMs} ms (over ${rules.maxFps} a second)`);
  if (result.inference.medianMs <= 0) return implausible('frames analysed in 0 ms');
  return null;
}

const implausible = (detail: string): EvidenceProblem => ({ reason: 'evidence_implausible', detail });
