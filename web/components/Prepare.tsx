// "Before you start": three pictured tips (good light; a hat or sunglasses off, everyday glasses kept
// on, since the retiree needs them to read the prompts; nobody else in view),
// why the browser is about to ask for the camera and microphone, and "someone is helping me",
// which switches to the rear camera. Pictures are inline SVG: nothing to download, works offline.
// A family member's phone speaks to the family member about the retiree (`whose="other"`).
import { onMount, Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { say } from './speech.ts';

function LightPicture() {
  return (
    <svg viewBox="0 0 96 96" class="tip-picture" aria-hidden="true">
      <circle cx="70" cy="24" r="14" fill="#f2b705" />
      <g stroke="#8a6100" stroke-width="4" stroke-linecap="round">
        <path d="M70 2v6M70 40v6M48 24h6M86 24h6M55 9l4 4M81 35l4 4M85 9l-4 4" />
      </g>
      <circle cx="36" cy="52" r="18" fill="#f6d2b0" stroke="#111" stroke-width="3" />
      <path d="M14 94c2-14 12-22 22-22s20 8 22 22" fill="#0b3d2e" />
    </svg>
  );
}

function HatPicture() {
  return (
    <svg viewBox="0 0 96 96" class="tip-picture" aria-hidden="true">
      <circle cx="48" cy="52" r="20" fill="#f6d2b0" stroke="#111" stroke-width="3" />
      <path d="M22 30h52l-8-18H30z" fill="#5c3b00" opacity="0.9" />
      <g fill="none" stroke="#111" stroke-width="3">
        <circle cx="40" cy="50" r="6" />
        <circle cx="58" cy="50" r="6" />
      </g>
      <path d="M10 10l76 76" stroke="#8a0000" stroke-width="6" stroke-linecap="round" />
    </svg>
  );
}

function AlonePicture() {
  return (
    <svg viewBox="0 0 96 96" class="tip-picture" aria-hidden="true">
      <rect x="14" y="8" width="68" height="80" rx="10" fill="none" stroke="#111" stroke-width="4" />
      <circle cx="48" cy="40" r="14" fill="#f6d2b0" stroke="#111" stroke-width="3" />
      <path d="M26 86c2-14 10-22 22-22s20 8 22 22" fill="#0b3d2e" />
    </svg>
  );
}

export function Prepare(props: { helper: boolean; onHelperChange(v: boolean): void; onStart(): void; allowHelperChoice?: boolean; whose?: 'own' | 'other'; children?: unknown }) {
  const other = () => props.whose === 'other';
  onMount(() => say(other() ? 'say.prepare.other' : 'say.prepare'));
  return (
    <main class="screen prepare" data-testid="prepare">
      <h1>{t('prepare.title')}</h1>
      <ol class="tips">
        <li>
          <LightPicture />
          <span>{t(other() ? 'prepare.tip.light.other' : 'prepare.tip.light')}</span>
        </li>
        <li>
          <HatPicture />
          <span>{t(other() ? 'prepare.tip.hat.other' : 'prepare.tip.hat')}</span>
        </li>
        <li>
          <AlonePicture />
          <span>{t(other() ? 'prepare.tip.alone.other' : 'prepare.tip.alone')}</span>
        </li>
      </ol>
      <p class="camera-note">{t(other() ? 'prepare.camera.other' : 'prepare.camera')}</p>
      <Show when={props.allowHelperChoice !== false}>
        <label class="toggle">
          <input type="checkbox" checked={props.helper} onChange={(e) => props.onHelperChange(e.currentTarget.checked)} />
          <span>{t('prepare.helper')}</span>
        </label>
        <Show when={props.helper}>
          <p class="hint">{t('prepare.helper.on')}</p>
        </Show>
      </Show>
      <div class="main-action">
        <button class="primary" type="button" onClick={() => props.onStart()}>
          {t('prepare.start')}
        </button>
      </div>
    </main>
  );
}
