// Speaks instructions: with the device's own speech voice for the language when it has a local one,
// otherwise with the bundled clips in /voice/<lang>/ so voice works offline on every phone. Only
// the newest instruction is spoken: a new one cuts off the old, nothing queues up behind.
import { clipFile, clipPlan, speakableTexts, type Lang } from './speakable.ts';

export interface VoiceSettings {
  enabled: boolean;
  /** 0.6 (slow) … 1.2; applied to both engines. */
  rate: number;
}

export interface Voice {
  say(id: string, vars?: { digits?: string }): void;
  stop(): void;
  /** 'synth' when the device voice is used, 'clips' otherwise; for Settings and tests. */
  engine(): 'synth' | 'clips' | 'none';
}

function pickSynthVoice(lang: Lang): SpeechSynthesisVoice | null {
  if (typeof speechSynthesis === 'undefined') return null;
  const voices = speechSynthesis.getVoices();
  const prefix = lang === 'zh-CN' ? 'zh' : 'en';
  const matching = voices.filter((v) => v.lang.replace('_', '-').toLowerCase().startsWith(prefix));
  // Prefer an on-device voice (works offline) and, for Chinese, Mandarin (zh-CN) over Cantonese.
  const score = (v: SpeechSynthesisVoice) => (v.localService ? 2 : 0) + (v.lang.replace('_', '-') === lang ? 1 : 0);
  return matching.sort((a, b) => score(b) - score(a)).find((v) => v.localService) ?? null;
}

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

  async function playClips(files: string[], rate: number, gen: number) {
    for (const file of files) {
      if (gen !== generation) return;
      const audio = new Audio(file);
      audio.playbackRate = rate;
      playing = audio;
      try {
        await audio.play();
        await new Promise<void>((resolve) => {
          audio.onended = () => resolve();
          audio.onerror = () => resolve();
          audio.onpause = () => resolve();
        });
      } catch {
        // Autoplay refused or file missing: stay silent rather than fail the screen.
        return;
      }
    }
  }

  return {
    engine() {
      if (!getSettings().enabled) return 'none';
      return pickSynthVoice(getLang()) ? 'synth' : 'clips';
    },
    stop,
    say(id, vars = {}) {
      const settings = getSettings();
      stop();
      if (!settings.enabled) return;
      const lang = getLang();
      const template = speakableTexts(lang)[id];
      if (template === undefined) return;
      const synthVoice = pickSynthVoice(lang);
      if (synthVoice) {
        const digits = vars.digits ? [...vars.digits].join(lang === 'zh-CN' ? '、' : ', ') : '';
        const u = new SpeechSynthesisUtterance(template.replace('{digits}', digits));
        u.voice = synthVoice;
        u.lang = synthVoice.lang;
        u.rate = settings.rate;
        speechSynthesis.speak(u);
        return;
      }
      const files = clipPlan(id, template, vars).map((clip) => `${base}/${lang}/${clipFile(clip)}`);
      void playClips(files, settings.rate, generation);
    },
  };
}
