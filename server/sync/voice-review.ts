// The office's look at a stored read-digits check's voice (issue 18 §4, decision 080): the outcome
// drawn again from the numbers the phone stored, beside the outcome it claimed.
import * as v from 'valibot';
import { VoiceCheck, voiceAssessment, type VoiceAssessment } from '../../shared/voice-check.ts';
import { ACTION_IDS } from '../../shared/liveness.ts';

const StoredSteps = v.object({ steps: v.array(v.object({ action: v.picklist(ACTION_IDS) })), voice: v.optional(v.unknown()) });

/** Null when the stored result is unreadable or the check did not ask to read digits. */
export function storedVoiceCheck(resultJson: string | null): VoiceAssessment | null {
  if (!resultJson) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(resultJson);
  } catch {
    return null;
  }
  const parsed = v.safeParse(StoredSteps, raw);
  if (!parsed.success) return null;
  const voice = v.safeParse(VoiceCheck, parsed.output.voice);
  return voiceAssessment({ steps: parsed.output.steps, ...(voice.success ? { voice: voice.output } : {}) });
}
