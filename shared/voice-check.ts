// "Read the 4 digits" heard (issue 18 §4, decision 079): what the phone measured on the microphone
// during the read-digits step, and the rule that turns it into an outcome. The phone sends the
// numbers with the outcome it drew; the server draws the outcome again from the numbers (never the
// phone's word), and an attempt whose digits were not heard, or whose voice and mouth were out of
// step, goes to the office. The phone never fails a person on the spot for it (decision 080).
//
// Pure: no DOM, no Node APIs. The thresholds were measured on ../shared/fixtures/video's talking
// clips and their own sound (docs/decisions/079-read-digits-heard.md has the numbers).
import * as v from 'valibot';

export const VOICE_PARAMS = {
  /** Four digits are 4-8 syllables (七 qī, "seven" se-ven); a mumbled pair may merge into one peak. */
  minSyllables: 3,
  /** Mouth-open against voice loudness: the best correlation over ±200 ms must reach this. */
  minSync: 0.3,
} as const;

/**
 * heard: about four syllables, and the mouth moved with them. not_heard: the microphone recorded
 * but too few syllables rose above the person's own noise floor (a silent replay, a whisper, a dead
 * microphone). out_of_step: a voice, but not the one the mouth was making (a replay with another
 * voice, a loudspeaker beside a still face). no_microphone: nothing was recorded (refused, missing,
 * or a browser without recording).
 */
export const VOICE_OUTCOMES = ['heard', 'not_heard', 'out_of_step', 'no_microphone'] as const;
export type VoiceOutcome = (typeof VOICE_OUTCOMES)[number];

const db = v.nullable(v.pipe(v.number(), v.minValue(-200), v.maxValue(20)));

export const VoiceCheck = v.strictObject({
  outcome: v.picklist(VOICE_OUTCOMES),
  /** Syllables (loudness peaks above the floor) inside the step's window; null without a recording. */
  syllables: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000))),
  /** Best mouth-to-loudness correlation over the lag search, −1..1; null when too little overlapped. */
  sync: v.nullable(v.pipe(v.number(), v.minValue(-1), v.maxValue(1))),
  lagMs: v.nullable(v.pipe(v.number(), v.minValue(-1000), v.maxValue(1000))),
  /** The recording's noise floor and loudest level, dBFS (for the office: a very quiet microphone shows here). */
  floorDb: db,
  peakDb: db,
  /** Length of the window judged, ms. */
  windowMs: v.pipe(v.number(), v.minValue(0), v.maxValue(3_600_000)),
});
export type VoiceCheck = v.InferOutput<typeof VoiceCheck>;

export type VoiceInputs = Omit<VoiceCheck, 'outcome'>;

/** The outcome from the measured numbers; null (or no syllable count) when nothing was recorded. */
export function voiceOutcome(inputs: Pick<VoiceInputs, 'syllables' | 'sync'> | null, p = VOICE_PARAMS): VoiceOutcome {
  if (!inputs || inputs.syllables === null) return 'no_microphone';
  if (inputs.syllables < p.minSyllables) return 'not_heard';
  if (inputs.sync === null || inputs.sync < p.minSync) return 'out_of_step';
  return 'heard';
}

/** The server's view of a read-digits check's voice, which the office reads (GET /api/identity/reviews/:id). */
export interface VoiceAssessment extends VoiceInputs {
  /** Drawn again from the numbers (voiceOutcome); `no_microphone` when the phone sent none. */
  outcome: VoiceOutcome;
  /** What the phone said (null when it sent no voice at all). */
  claimed: VoiceOutcome | null;
  minSyllables: number;
  minSync: number;
}

/** Null when the check did not ask to read digits. */
export function voiceAssessment(result: { steps: readonly { action: string }[]; voice?: VoiceCheck | undefined }, p = VOICE_PARAMS): VoiceAssessment | null {
  if (!result.steps.some((s) => s.action === 'read_digits')) return null;
  const v0 = result.voice;
  const inputs: VoiceInputs = v0
    ? { syllables: v0.syllables, sync: v0.sync, lagMs: v0.lagMs, floorDb: v0.floorDb, peakDb: v0.peakDb, windowMs: v0.windowMs }
    : { syllables: null, sync: null, lagMs: null, floorDb: null, peakDb: null, windowMs: 0 };
  return { ...inputs, outcome: voiceOutcome(v0 ?? null, p), claimed: v0?.outcome ?? null, minSyllables: p.minSyllables, minSync: p.minSync };
}

/** Why the office must listen: null when the digits were heard in step (or were not asked). */
export function voiceReviewReason(result: { steps: readonly { action: string }[]; voice?: VoiceCheck | undefined }): 'digits_not_heard' | 'voice_out_of_step' | null {
  if (!result.steps.some((s) => s.action === 'read_digits')) return null;
  // A phone that sent no voice measurement heard nothing the server can weigh.
  const outcome = result.voice ? voiceOutcome(result.voice) : 'no_microphone';
  if (outcome === 'heard') return null;
  return outcome === 'out_of_step' ? 'voice_out_of_step' : 'digits_not_heard';
}
