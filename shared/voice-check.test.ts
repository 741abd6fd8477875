import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { VOICE_PARAMS, VoiceCheck, voiceOutcome, voiceReviewReason } from './voice-check.ts';

const HEARD: VoiceCheck = { outcome: 'heard', syllables: 5, sync: 0.5, lagMs: 40, floorDb: -60, peakDb: -25, windowMs: 5000 };
const digits = [{ action: 'turn_left' }, { action: 'read_digits' }];

describe('voice outcome', () => {
  it('draws heard, not heard, out of step and no microphone from the numbers', () => {
    expect(voiceOutcome(HEARD)).toBe('heard');
    expect(voiceOutcome({ syllables: VOICE_PARAMS.minSyllables - 1, sync: 0.9 })).toBe('not_heard');
    expect(voiceOutcome({ syllables: 6, sync: VOICE_PARAMS.minSync - 0.01 })).toBe('out_of_step');
    expect(voiceOutcome({ syllables: 6, sync: null })).toBe('out_of_step');
    expect(voiceOutcome({ syllables: null, sync: null })).toBe('no_microphone');
    expect(voiceOutcome(null)).toBe('no_microphone');
  });

  it('gives the office a reason only for read-digits checks, from the numbers rather than the claimed outcome', () => {
    expect(voiceReviewReason({ steps: [{ action: 'blink' }, { action: 'look_up' }] })).toBeNull();
    expect(voiceReviewReason({ steps: digits, voice: HEARD })).toBeNull();
    expect(voiceReviewReason({ steps: digits })).toBe('digits_not_heard');
    expect(voiceReviewReason({ steps: digits, voice: { ...HEARD, syllables: 0 } })).toBe('digits_not_heard');
    expect(voiceReviewReason({ steps: digits, voice: { ...HEARD, sync: 0 } })).toBe('voice_out_of_step');
  });

  it('takes only well-formed measurements', () => {
    expect(v.safeParse(VoiceCheck, HEARD).success).toBe(true);
    expect(v.safeParse(VoiceCheck, { ...HEARD, sync: 2 }).success).toBe(false);
    expect(v.safeParse(VoiceCheck, { ...HEARD, outcome: 'maybe' }).success).toBe(false);
  });
});
