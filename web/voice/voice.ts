// Speaks instructions: with the device's own speech voice for the language when it has a local one,
// otherwise with the bundled clips in /voice/<lang>/ so voice works offline on every phone. Only
// the newest instruction is spoken: a new one cuts off the old, nothing queues up behind. A clip
// the browser cannot play is said by the device voice if it has any for the language, or skipped
// (web/voice/playback.ts): one broken file must not silence the rest of the sentence.
import { playPieces, type Attempt } from './playback.ts';
import { clipFile, clipTexts, readableText, sentence, speakableTexts, speechWords, type Lang, type SpeechVars } from './speakable.ts';

export interface VoiceSettings {
  enabled: boolean;
  /** 0.6 (slow) … 1.2; applied to both engines. */
  rate: number;
}

export interface Voice {
  say(id: string, vars?: SpeechVars): void;
  /** Several texts as one sentence, one after the other (a new say cuts it off like any other). */
  sayAll(parts: readonly { id: string; vars?: SpeechVars }[]): void;
  /**
   * A screen read aloud because the person asked (读给我听): like sayAll, and said even with the
   * spoken instructions turned off in Settings; done when the reading ends or is cut off.
   */
  read(parts: readonly { id: string; vars?: SpeechVars }[]): Promise<void>;
  stop(): void;
  /** 'synth' when the device voice is used, 'clips' otherwise; for Settings and tests. */
  engine(): 'synth' | 'clips' | 'none';
}

function voicesFor(lang: Lang): SpeechSynthesisVoice[] {
  if (typeof speechSynthesis === 'undefined') return [];
  const prefix = lang === 'zh-CN' ? 'zh' : 'en';
  // Prefer an on-device voice (works offline) and, for Chinese, Mandarin (zh-CN) over Cantonese.
  const score = (v: SpeechSynthesisVoice) => (v.localService ? 2 : 0) + (v.lang.replace('_', '-') === lang ? 1 : 0);
  return speechSynthesis
    .getVoices()
    .filter((v) => v.lang.replace('_', '-').toLowerCase().startsWith(prefix))
    .sort((a, b) => score(b) - score(a));
}

const localVoice = (lang: Lang) => voicesFor(lang).find((v) => v.localService) ?? null;

// A heading or a button's words end without a full stop: the device voice would run them into
// the next line, so each text of a sentence ends on a pause (the clips pause between files anyway).
const withPause = (text: string, lang: Lang) => (/[。！？，、：；…,.!?:;]$/.test(text.trim()) ? text : `${text}${lang === 'zh-CN' ? '，' : ','}`);

// Some browsers never fire `end` for an utterance: give up after a generous time for its length.
const synthTimeoutMs = (text: string) => 3000 + 400 * text.length;

export function createVoice(getLang: () => Lang, getSettings: () => VoiceSettings, base = '/voice'): Voice {
  let playing: HTMLAudioElement | null = null;
  let generation = 0;

  function stop() {
    generation++;
    if (typeof speechSynthesis !== 'undefined') speechSynthesis.cancel();
    if (playing) {
      playing.pause();
      playing = null;
    }
  }

  function speak(text: string, voice: SpeechSynthesisVoice, rate: number): Promise<boolean> {
    return new Promise((resolve) => {
      const u = new SpeechSynthesisUtterance(text);
      u.voice = voice;
      u.lang = voice.lang;
      u.rate = rate;
      const timer = setTimeout(() => resolve(false), synthTimeoutMs(text));
      u.onend = () => (clearTimeout(timer), resolve(true));
      u.onerror = () => (clearTimeout(timer), resolve(false));
      speechSynthesis.speak(u);
    });
  }

  async function playClip(file: string, rate: number): Promise<boolean> {
    const audio = new Audio(file);
    audio.playbackRate = rate;
    playing = audio;
    try {
      await audio.play();
    } catch {
      // Refused (a file the browser cannot decode, a missing file, autoplay not allowed).
      return false;
    }
    return new Promise<boolean>((resolve) => {
      audio.onended = () => resolve(true);
      audio.onerror = () => resolve(false);
      // Paused only by stop(): the sentence is over, and the caller sees it is no longer current.
      audio.onpause = () => resolve(true);
    });
  }

  async function speakAll(parts: readonly { id: string; vars?: SpeechVars }[], options: { evenWhenOff?: boolean } = {}): Promise<void> {
    const settings = getSettings();
    stop();
    if (!settings.enabled && !options.evenWhenOff) return;
    const lang = getLang();
    const all = speakableTexts(lang);
    const known = parts.filter((p) => all[p.id] !== undefined).map((p) => ({ id: p.id, vars: p.vars ?? {}, template: all[p.id]! }));
    if (!known.length) return;
    const synthVoice = localVoice(lang);
    if (synthVoice) {
      const said = known.map((p, i) => (i < known.length - 1 ? withPause(sentence(p.template, lang, p.vars), lang) : sentence(p.template, lang, p.vars)));
      await speak(said.join(lang === 'zh-CN' ? '' : ' '), synthVoice, settings.rate);
      return;
    }
    const gen = generation;
    const texts = clipTexts(lang);
    const pieces = known
      .flatMap((p) => speechWords(p.id, p.template, p.vars, lang))
      .filter((w) => /[\p{L}\p{N}]/u.test(w.text))
      .map((w) => ({ clip: w.clip, text: readableText(w.clip ? (texts[w.clip] ?? w.text) : w.text, lang) }));
    // A voice that may need the network is still worth a try for a clip that cannot play.
    const fallback = voicesFor(lang)[0] ?? null;
    const run = (attempt: Attempt) =>
      attempt.kind === 'clip' ? playClip(`${base}/${lang}/${clipFile(attempt.clip)}`, settings.rate) : speak(attempt.text, fallback!, settings.rate);
    await playPieces(pieces, fallback !== null, run, () => gen === generation);
  }

  return {
    engine() {
      if (!getSettings().enabled) return 'none';
      return localVoice(getLang()) ? 'synth' : 'clips';
    },
    stop,
    say(id, vars = {}) {
      void speakAll([{ id, vars }]);
    },
    sayAll(parts) {
      void speakAll(parts);
    },
    read(parts) {
      return speakAll(parts, { evenWhenOff: true });
    },
  };
}
