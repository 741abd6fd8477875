// The app's one voice (device speech or the bundled clips, web/voice), for screen instructions and
// the check's prompts (through web/face-check/waiting-voice.ts). Follows the language and the voice settings.
import { lang } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { SpeechVars } from '../voice/speakable.ts';
import { createVoice } from '../voice/voice.ts';
import { prefs } from './prefs.ts';

export const voice = createVoice(lang, () => prefs().voice);

/** Speaks a `say.*` key of the retiree catalog (they are all bundled as clips). */
export function say(key: Extract<MessageKey, `say.${string}`>, vars: SpeechVars = {}): void {
  voice.say(key, vars);
}
