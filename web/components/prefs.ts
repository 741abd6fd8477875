// The person's display and voice preferences, kept on the phone (web/data settings) and applied to
// the whole page: text size is a class on <html>, so every rem-based size follows it.
import { createSignal } from 'solid-js';
import { readSetting, writeSetting, type Prefs } from '../data/index.ts';

export type { Prefs };
export type TextSize = Prefs['textSize'];

const KEY = 'prefs' as const;
export const DEFAULT_PREFS: Prefs = { textSize: 'large', voice: { enabled: true, rate: 0.9 } };
/** Speaking speeds offered in Settings: slow, normal, fast. */
export const VOICE_RATES = { slow: 0.75, normal: 0.9, fast: 1.1 } as const;

const [prefs, setPrefsSignal] = createSignal<Prefs>(DEFAULT_PREFS);
export { prefs };

function apply(p: Prefs) {
  if (typeof document !== 'undefined') document.documentElement.dataset.textSize = p.textSize;
}

let loaded: Promise<void> | null = null;
/** Reads the kept preferences once per page (safe to call from every screen). */
export function loadPrefs(): Promise<void> {
  loaded ??= readSetting(KEY)
    .then((kept) => {
      const p: Prefs = { ...DEFAULT_PREFS, ...kept, voice: { ...DEFAULT_PREFS.voice, ...kept?.voice } };
      setPrefsSignal(p);
      apply(p);
    })
    .catch(() => apply(DEFAULT_PREFS));
  return loaded;
}

export function updatePrefs(change: Partial<Prefs>): void {
  const p: Prefs = { ...prefs(), ...change };
  setPrefsSignal(p);
  apply(p);
  void writeSetting(KEY, p).catch(() => undefined);
}
