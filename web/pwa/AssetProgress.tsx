// "Preparing the face check: 4.1 of 7.2 MB": the check screen shows this while the liveness assets
// are not on the phone yet, and starts the check when livenessAssets().state is 'ready'.
// No countdown and nothing that fails the person: a dropped connection just pauses the bar. The
// sentence under the bar is spoken when it appears, as every instruction of the elder screens is.
import { createEffect, createMemo, Match, on, Show, Switch } from 'solid-js';
import { say } from '../components/speech.ts';
import { lang, t } from '../i18n/index.ts';
import { megabytes, slowMinutes } from './format.ts';
import { livenessAssets, prepareLivenessAssets } from './liveness-assets.ts';
import './pwa.css';

export function AssetProgress() {
  const s = livenessAssets();
  const amounts = () => ({ loaded: megabytes(s().loadedBytes, lang()), total: megabytes(s().totalBytes, lang()) });
  const percent = () => (s().totalBytes > 0 ? Math.min(100, Math.round((s().loadedBytes / s().totalBytes) * 100)) : 0);
  // Minutes on a slow line for what is left: what a person without signal needs to know to decide
  // where and when to open the app again.
  const minutesLeft = () => slowMinutes(Math.max(0, s().totalBytes - s().loadedBytes));
  const spoken = createMemo(() => {
    const { state, error } = s();
    // Not for 'idle' (the moment before the first request): offline, the next state is 'paused',
    // and the person would hear the start of a sentence that is not true for them.
    if (state === 'paused') return 'say.assets.offline' as const;
    if (state === 'downloading') return 'say.assets.wait' as const;
    if (state === 'error' && error !== 'storage') return error === 'unsupported' ? ('say.assets.unsupported' as const) : ('say.assets.unavailable' as const);
    return null;
  });
  createEffect(on(spoken, (key) => key && say(key, { count: minutesLeft() })));
  return (
    <section class="pwa-assets" classList={{ paused: s().state === 'paused' }} data-testid="asset-progress" data-state={s().state}>
      <Switch>
        <Match when={s().state === 'idle' || s().state === 'downloading' || s().state === 'paused'}>
          <Show when={s().totalBytes > 0}>
            <p class="pwa-amount" aria-live="polite">
              {s().state === 'paused' ? t('pwa.assets.paused', amounts()) : t('pwa.assets.downloading', amounts())}
            </p>
          </Show>
          <div
            class="pwa-bar"
            role="progressbar"
            aria-label={t('pwa.assets.label')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent()}
            aria-valuetext={t('pwa.assets.downloading', amounts())}
          >
            <div style={{ width: `${percent()}%` }} />
          </div>
          <p data-testid="asset-advice">{s().state === 'paused' ? t('say.assets.offline', { count: minutesLeft() }) : t('say.assets.wait')}</p>
        </Match>
        <Match when={s().state === 'ready'}>
          <p>{t('pwa.assets.ready')}</p>
        </Match>
        <Match when={s().state === 'error'}>
          <p class="pwa-problem" role="alert">
            {s().error === 'storage'
              ? t('pwa.assets.storage', { need: megabytes(Math.max(0, s().totalBytes - s().loadedBytes), lang()) })
              : s().error === 'unsupported'
                ? t('say.assets.unsupported')
                : t('say.assets.unavailable')}
          </p>
          <Show when={s().error !== 'unsupported'}>
            <button class="primary" type="button" onClick={() => prepareLivenessAssets()}>
              {t('pwa.assets.retry')}
            </button>
          </Show>
        </Match>
      </Switch>
    </section>
  );
}
