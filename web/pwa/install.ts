// "Add StillHere to the home screen". Chromium browsers (Android) fire `beforeinstallprompt` when
// the app is installable; we keep the event and show our own big button, which opens the
// browser's prompt. iPhone/iPad browsers have no prompt: the person uses Share → Add to Home
// Screen, which web/pwa/InstallHelp.tsx shows in pictures. Listening starts at app start
// (startInstallWatch from web/pwa/sw-register.ts): the event fires once, early.
import { createSignal, type Accessor } from 'solid-js';

export type InstallOption = 'prompt' | 'ios' | 'installed' | 'unavailable';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/** iPhone, iPod, or an iPad (which reports itself as a Mac with touch since iPadOS 13). */
export function isIos(ua: string, maxTouchPoints: number): boolean {
  return /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && maxTouchPoints > 1);
}

function runningInstalled(): boolean {
  if (typeof window === 'undefined') return false;
  return window.matchMedia?.('(display-mode: standalone)').matches === true || (navigator as { standalone?: boolean }).standalone === true;
}

function initialOption(): InstallOption {
  if (typeof navigator === 'undefined') return 'unavailable';
  if (runningInstalled()) return 'installed';
  return isIos(navigator.userAgent, navigator.maxTouchPoints ?? 0) ? 'ios' : 'unavailable';
}

const [option, setOption] = createSignal<InstallOption>(initialOption());
let deferred: BeforeInstallPromptEvent | null = null;
let watching = false;

export function startInstallWatch(): void {
  if (watching || typeof window === 'undefined') return;
  watching = true;
  window.addEventListener('beforeinstallprompt', (e) => {
    // Keep the browser's own mini-bar away; our screen offers it at a calm moment instead.
    e.preventDefault();
    deferred = e as BeforeInstallPromptEvent;
    setOption('prompt');
  });
  window.addEventListener('appinstalled', () => {
    deferred = null;
    setOption('installed');
  });
}

export function installOption(): Accessor<InstallOption> {
  return option;
}

export async function promptInstall(): Promise<boolean> {
  const event = deferred;
  if (!event) return false;
  // An event can prompt once; Chromium fires a new one later if the person said no.
  deferred = null;
  try {
    await event.prompt();
    const { outcome } = await event.userChoice;
    setOption(outcome === 'accepted' ? 'installed' : 'unavailable');
    return outcome === 'accepted';
  } catch {
    setOption('unavailable');
    return false;
  }
}
