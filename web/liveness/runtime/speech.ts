// Speaking the prompts. The session calls `speaker.speak(promptId, vars)` when what to show
// changes (a new instruction, a re-prompt, a quality problem, a restart, the verdict), never per
// frame. The offline voice (bundled clips) is another module; it only has to implement Speaker.
// createSystemSpeaker() is the stand-in: the platform's speechSynthesis when it has a voice for the
// language, otherwise silence (the text on screen still says everything).
import { promptText, type Lang, type PromptId } from '../prompts.ts';

export interface SpeakVars {
  digits?: string;
}

export interface Speaker {
  /** Say this prompt now, interrupting whatever is being said. Must not throw. */
  speak(id: PromptId, vars: SpeakVars): void;
  /** Stop talking (check ended or cancelled). */
  cancel(): void;
}

export const silentSpeaker: Speaker = { speak: () => undefined, cancel: () => undefined };

/** Records what would be said: for tests and the harness page. */
export function createRecordingSpeaker(inner: Speaker = silentSpeaker): Speaker & { spoken: { id: PromptId; digits?: string; atMs: number }[] } {
  const spoken: { id: PromptId; digits?: string; atMs: number }[] = [];
  const t0 = typeof performance === 'undefined' ? 0 : performance.now();
  return {
    spoken,
    speak(id, vars) {
      spoken.push({ id, ...(vars.digits !== undefined ? { digits: vars.digits } : {}), atMs: Math.round((typeof performance === 'undefined' ? 0 : performance.now()) - t0) });
      inner.speak(id, vars);
    },
    cancel: () => inner.cancel(),
  };
}

/** speechSynthesis with a calm rate; silent when the platform has no voice for `lang`. */
export function createSystemSpeaker(lang: Lang, rate = 0.85): Speaker {
  const synth = typeof speechSynthesis === 'undefined' ? null : speechSynthesis;
  if (!synth) return silentSpeaker;
  const prefix = lang === 'zh-CN' ? 'zh' : 'en';
  const pickVoice = () => synth.getVoices().find((v) => v.lang.replace('_', '-').toLowerCase().startsWith(prefix)) ?? null;
  let voice = pickVoice();
  synth.addEventListener?.('voiceschanged', () => (voice = pickVoice()));
  return {
    speak(id, vars) {
      if (!voice) return;
      try {
        synth.cancel();
        const u = new SpeechSynthesisUtterance(promptText(id, lang, vars, true));
        u.voice = voice;
        u.lang = voice.lang;
        u.rate = rate;
        synth.speak(u);
      } catch {
        // speech is a help, never a reason to fail the check
      }
    },
    cancel() {
      try {
        synth.cancel();
      } catch {
        // ignore
      }
    },
  };
}
