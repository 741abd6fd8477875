// Test-only page (built only by `vite build --mode test`): the PWA pieces on their own, with the
// real service worker registration, so e2e/pwa.e2e.test.ts can watch the asset download, the
// update banner and the install help without depending on the screens around them.
//   /dev/pwa.html?prepare=1   start the liveness asset download at once
//   &preview=downloading|paused|ready|storage|unavailable|unsupported   show that asset state
//   &update=ready|after       show the update band (after: tapped while a check holds it)
//   &install=prompt           as if Chromium had offered installation (iPhone: set the user agent)
//   &lang=en
import { render } from 'solid-js/web';
import { registerServiceWorker } from '../pwa/sw-register.ts';
import { lang, setLang } from '../i18n/index.ts';
import { AssetProgress } from '../pwa/AssetProgress.tsx';
import { InstallHelp } from '../pwa/InstallHelp.tsx';
import { applyUpdate, holdUpdates, prepareLivenessAssets } from '../pwa/index.ts';
import { previewLivenessAssets, type LivenessAssetsState } from '../pwa/liveness-assets.ts';
import { offerUpdate } from '../pwa/update.ts';
import { UpdateBanner } from '../pwa/UpdateBanner.tsx';

const q = new URLSearchParams(location.search);
if (q.get('lang') === 'en' && lang() !== 'en') setLang('en');

render(
  () => (
    <>
      <UpdateBanner />
      <main class="screen" data-testid="pwa-harness">
        <h1>PWA</h1>
        <AssetProgress />
        <InstallHelp />
      </main>
    </>
  ),
  document.getElementById('app')!,
);
registerServiceWorker();
if (q.get('prepare') === '1') prepareLivenessAssets();

const TOTAL = 17_900_000;
const PREVIEWS: Record<string, LivenessAssetsState> = {
  downloading: { state: 'downloading', loadedBytes: 4_150_000, totalBytes: TOTAL },
  paused: { state: 'paused', loadedBytes: 9_420_000, totalBytes: TOTAL },
  ready: { state: 'ready', loadedBytes: TOTAL, totalBytes: TOTAL },
  storage: { state: 'error', error: 'storage', loadedBytes: 4_150_000, totalBytes: TOTAL },
  unavailable: { state: 'error', error: 'unavailable', loadedBytes: 0, totalBytes: TOTAL },
  unsupported: { state: 'error', error: 'unsupported', loadedBytes: 0, totalBytes: TOTAL },
};
const preview = PREVIEWS[q.get('preview') ?? ''];
if (preview) previewLivenessAssets(preview);
if (q.get('update')) {
  offerUpdate(() => undefined);
  if (q.get('update') === 'after') {
    holdUpdates('preview');
    applyUpdate();
  }
}
if (q.get('install') === 'prompt') window.dispatchEvent(new Event('beforeinstallprompt'));
