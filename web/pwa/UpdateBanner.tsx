// "A new version is ready — tap to update": a full-width band at the top of the page (not a
// pop-up). Hidden while a check runs (one main action per screen); the tap never cuts off a check
// or a save: applyUpdate() waits for them, and if it was tapped just before, the band says so.
import { Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { applyUpdate, updateReady, updateRequested, updatesHeld } from './update.ts';
import './pwa.css';

export function UpdateBanner() {
  const ready = updateReady();
  const requested = updateRequested();
  const held = updatesHeld();
  return (
    <Show when={ready() && (!held() || requested())}>
      <div role="status" data-testid="update-banner">
        <Show when={requested() && held()} fallback={<button class="pwa-update" type="button" onClick={() => applyUpdate()}>{t('pwa.update.ready')}</button>}>
          <p class="pwa-update">{t('pwa.update.after')}</p>
        </Show>
      </div>
    </Show>
  );
}
