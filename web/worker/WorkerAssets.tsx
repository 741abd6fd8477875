// Whether this phone can certify without signal: the worker's app downloads the face-check files at
// sign-in like the retiree's (web/pwa/liveness-assets.ts) and says plainly, on every screen until
// they are in, how far it got and what that means at the next door. Not spoken: this is the
// worker's own status, not something the retiree must hear.
import { Match, Show, Switch } from 'solid-js';
import { lang, t } from '../i18n/index.ts';
import { megabytes, slowMinutes } from '../pwa/format.ts';
import { livenessAssets, prepareLivenessAssets } from '../pwa/index.ts';

export function WorkerAssets(props: { online: boolean; showReady: boolean }) {
  const s = livenessAssets();
  const left = () => Math.max(0, s().totalBytes - s().loadedBytes);
  const amounts = () => ({ loaded: megabytes(s().loadedBytes, lang()), total: megabytes(s().totalBytes, lang()) });
  const percent = () => (s().totalBytes > 0 ? Math.min(100, Math.round((s().loadedBytes / s().totalBytes) * 100)) : 0);
  const pending = () => s().state === 'idle' || s().state === 'downloading' || s().state === 'paused';
  return (
    <Show when={s().state !== 'ready' || props.showReady}>
      <section class="w-assets" classList={{ alert: s().state === 'error' || (!props.online && pending()) }} data-testid="worker-assets" data-state={s().state}>
        <Switch>
          <Match when={s().state === 'ready'}>
            <p>{t('w.assets.ready')}</p>
          </Match>
          <Match when={pending() && !props.online}>
            <p role="status">{t('w.assets.offline', { left: megabytes(left(), lang()), minutes: slowMinutes(left()) })}</p>
          </Match>
          <Match when={pending()}>
            <p role="status">{s().state === 'paused' ? t('w.assets.paused', amounts()) : t('w.assets.downloading', amounts())}</p>
            <div class="w-assets-bar" role="progressbar" aria-label={t('w.assets.label')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent()}>
              <div style={{ width: `${percent()}%` }} />
            </div>
          </Match>
          <Match when={s().state === 'error'}>
            <p role="alert">
              {s().error === 'storage'
                ? t('w.assets.storage', { need: megabytes(left(), lang()) })
                : s().error === 'unsupported'
                  ? t('w.assets.unsupported')
                  : t('w.assets.unavailable')}
            </p>
            <Show when={s().error !== 'unsupported'}>
              <button class="w-secondary" type="button" onClick={() => prepareLivenessAssets()}>
                {t('w.assets.retry')}
              </button>
            </Show>
          </Match>
        </Switch>
      </section>
    </Show>
  );
}
