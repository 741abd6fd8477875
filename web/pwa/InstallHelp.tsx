// How to put StillHere on the home screen, in the way this phone allows: Android/Chromium gets one
// big button that opens the browser's install prompt; iPhone/iPad get the Share → Add to Home
// Screen steps with pictures; elsewhere, where to find it in the browser menu. The caller gives the
// heading (after the first successful check, and in Help); `onLater` adds a "Not now" button.
import { createSignal, Match, Show, Switch } from 'solid-js';
import { t } from '../i18n/index.ts';
import { said } from '../components/said.ts';
import { installOption, promptInstall } from './install.ts';
import './pwa.css';

// Simple line pictures of the iOS controls (stroke only, high contrast), not screenshots.
const ShareIcon = () => (
  <svg viewBox="0 0 72 72" aria-hidden="true">
    <rect x="2" y="2" width="68" height="68" rx="14" fill="#ffffff" stroke="#4a4a4a" stroke-width="3" />
    <path d="M26 30 h-6 v28 h32 v-28 h-6" fill="none" stroke="#0a5cc2" stroke-width="4" stroke-linejoin="round" />
    <path d="M36 44 v-32 M26 22 l10 -10 l10 10" fill="none" stroke="#0a5cc2" stroke-width="4" stroke-linecap="round" stroke-linejoin="round" />
  </svg>
);
const AddIcon = () => (
  <svg viewBox="0 0 72 72" aria-hidden="true">
    <rect x="2" y="2" width="68" height="68" rx="14" fill="#ffffff" stroke="#4a4a4a" stroke-width="3" />
    <rect x="16" y="16" width="40" height="40" rx="9" fill="none" stroke="#111111" stroke-width="4" />
    <path d="M36 26 v20 M26 36 h20" stroke="#111111" stroke-width="4" stroke-linecap="round" />
  </svg>
);
const AppIcon = () => (
  <svg viewBox="0 0 72 72" aria-hidden="true">
    <rect x="2" y="2" width="68" height="68" rx="16" fill="#0b3d2e" />
    <circle cx="36" cy="31" r="16" fill="none" stroke="#ffffff" stroke-width="4" />
    <path d="M28 31 l6 6 l11 -12" fill="none" stroke="#ffd54a" stroke-width="5" stroke-linecap="round" stroke-linejoin="round" />
    <path d="M17 62 c4 -10 11 -13 19 -13 s15 3 19 13" fill="none" stroke="#ffffff" stroke-width="4" stroke-linecap="round" />
  </svg>
);

export function InstallHelp(props: { onLater?: () => void }) {
  const option = installOption();
  const [asking, setAsking] = createSignal(false);
  const ask = async () => {
    setAsking(true);
    try {
      await promptInstall();
    } finally {
      setAsking(false);
    }
  };
  return (
    <div class="pwa-install" data-testid="install-help" data-option={option()}>
      <Switch>
        <Match when={option() === 'installed'}>
          <p {...said({ key: 'pwa.install.done' })}>{t('pwa.install.done')}</p>
        </Match>
        <Match when={option() === 'prompt'}>
          <p {...said({ key: 'pwa.install.why' })}>{t('pwa.install.why')}</p>
          <button class="pwa-install-main" type="button" disabled={asking()} onClick={() => void ask()} {...said({ key: 'pwa.install.button' })}>
            {t('pwa.install.button')}
          </button>
        </Match>
        <Match when={option() === 'ios'}>
          <p {...said({ key: 'pwa.install.why' })}>{t('pwa.install.why')}</p>
          <p {...said({ key: 'pwa.install.ios.intro' })}>{t('pwa.install.ios.intro')}</p>
          <ol>
            <li>
              <ShareIcon />
              <span {...said({ key: 'pwa.install.ios.step1' })}>{t('pwa.install.ios.step1')}</span>
            </li>
            <li>
              <AddIcon />
              <span {...said({ key: 'pwa.install.ios.step2' })}>{t('pwa.install.ios.step2')}</span>
            </li>
            <li>
              <AppIcon />
              <span {...said({ key: 'pwa.install.ios.step3' })}>{t('pwa.install.ios.step3')}</span>
            </li>
          </ol>
        </Match>
        <Match when={option() === 'unavailable'}>
          <p {...said({ key: 'pwa.install.why' })}>{t('pwa.install.why')}</p>
          <p {...said({ key: 'pwa.install.other' })}>{t('pwa.install.other')}</p>
        </Match>
      </Switch>
      <Show when={props.onLater && option() !== 'installed'}>
        <button class="pwa-install-later" type="button" onClick={() => props.onLater?.()}>
          {t('pwa.install.later')}
        </button>
      </Show>
    </div>
  );
}
