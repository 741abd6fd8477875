// Test-only page (built only by `vite build --mode test`): the result screens that a real camera
// clip cannot reach quickly (a failed check; the other routes after 3 failures in a day), rendered
// by the real component on the real phone database, for the accessibility test and the screenshots.
//   /dev/screens.html?screen=failed|alternatives
import { createSignal, Show } from 'solid-js';
import { render } from 'solid-js/web';
import { syntheticResult } from '../../shared/sync-fixtures.ts';
import { CheckResult } from '../components/CheckResult.tsx';
import { recordAttempt } from '../data/index.ts';
import { t } from '../i18n/index.ts';
import '../retiree/retiree.css';

const USER = 900_001;
const RETIREE = 900_001;
const screen = new URLSearchParams(location.search).get('screen') ?? 'failed';

function timedOut() {
  const r = syntheticResult({ seed: 7 }, 'timed_out');
  return { ...r, reason: 'timeout_baseline' as const };
}

function Page() {
  const [ready, setReady] = createSignal(false);
  void (async () => {
    const failures = screen === 'alternatives' ? 3 : 1;
    for (let i = 0; i < failures; i++) await recordAttempt({ userId: USER, retireeId: RETIREE, method: 'self', challenge: { id: null, token: null }, result: timedOut() });
    setReady(true);
  })();
  return (
    <>
      <header class="topbar">
        <span class="brand">{t('app.name')}</span>
      </header>
      <Show when={ready()}>
        <CheckResult userId={USER} retireeId={RETIREE} result={timedOut()} attemptId={null} officePhone="010-6500 5678" onTryAgain={() => undefined} onHome={() => undefined} />
      </Show>
    </>
  );
}

render(() => <Page />, document.getElementById('app')!);
