// What the check says once it shows the waiting help (decision 076). The voice says only the newest
// sentence (a new one cuts the old off), and the engine re-prompts every timing.repromptMs, which
// would cut the help sentence off half-way: so when the help appears the instruction and the help
// are said as one sentence, re-prompts that would cut it are left out, and the next one after
// that is said with the help again. Outside the help everything passes through unchanged.
import type { PromptId } from '../liveness/prompts.ts';
import type { Speaker, SpeakVars } from '../liveness/runtime/index.ts';
import type { Voice } from '../voice/voice.ts';
import { LIVENESS_PARAMS } from '../liveness/params.ts';

/** Long enough for an instruction and the help sentence at a slow speaking rate, with a re-prompt's gap after it. */
export const HELP_SENTENCE_MS = LIVENESS_PARAMS.timing.repromptMs + 3000;

export interface WaitingVoice {
  /** The engine's voice for the session: its re-prompts carry the help while it shows. */
  speaker: Speaker;
  /** The help has just appeared: say the instruction and the help now. */
  helpShown(instruction: PromptId, vars: SpeakVars): void;
}

export function createWaitingVoice(o: { voice: Pick<Voice, 'say' | 'sayAll' | 'stop'>; waiting(): boolean; helpWords(): string; now?: () => number }): WaitingVoice {
  const now = o.now ?? (() => performance.now());
  let helpAt = -Infinity;
  function sayWithHelp(id: string, vars: SpeakVars) {
    helpAt = now();
    o.voice.sayAll([{ id, vars }, { id: o.helpWords() }]);
  }
  return {
    speaker: {
      speak(id, vars) {
        try {
          if (o.waiting() && id.startsWith('reprompt.')) {
            if (now() - helpAt >= HELP_SENTENCE_MS) sayWithHelp(id, vars);
            return;
          }
          o.voice.say(id, vars);
        } catch {
          // speech helps; it must never break the check
        }
      },
      cancel: () => o.voice.stop(),
    },
    helpShown(instruction, vars) {
      try {
        sayWithHelp(instruction, vars);
      } catch {
        // as above
      }
    },
  };
}
