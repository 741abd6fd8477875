// The liveness runtime's Speaker on the app's offline voice (web/voice): the device's own voice
// when it has one for the language, otherwise the bundled clips, so the retiree hears every prompt
// with no signal. The worker sees the same prompt on screen.
import type { Speaker } from '../liveness/runtime/index.ts';
import { createVoice } from '../voice/voice.ts';
import { lang } from '../i18n/index.ts';

/** `onSpeak` sees every prompt id as it is spoken (the screen shows how many were said). */
export function createVoiceSpeaker(onSpeak?: (id: string) => void): Speaker & { spoken: string[]; say(id: string): void } {
  const voice = createVoice(lang, () => ({ enabled: true, rate: 0.9 }));
  const spoken: string[] = [];
  return {
    spoken,
    speak(id, vars) {
      spoken.push(id);
      onSpeak?.(id);
      try {
        voice.say(id, vars.digits !== undefined ? { digits: vars.digits } : {});
      } catch {
        // Speech helps; it must never stop a check.
      }
    },
    /** Screen words for the retiree after the check (`say.*` keys), on the same voice, not counted as prompts. */
    say(id) {
      try {
        voice.say(id);
      } catch {
        // Speech helps; it must never break the screen.
      }
    },
    cancel() {
      try {
        voice.stop();
      } catch {
        // ignore
      }
    },
  };
}
