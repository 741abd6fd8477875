// The retiree part of the app: Home → (consent the first time) → Before you start → Check →
// Result, plus History, Settings and Help. Sync runs for as long as the retiree is signed in.
import { createSignal, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import { readSetting, requestPersistence, startSync, writeSetting } from '../data/index.ts';
import { CheckResult, type CheckOutcome, FaceCheck, Prepare } from '../components/check-screens.ts';
import { Consent, ConsentDeclined } from '../components/Consent.tsx';
import { createConsentFlow } from '../components/consent-flow.ts';
import { certifiedYear } from '../components/result-words.ts';
import { createNav } from '../components/nav.ts';
import { loadPrefs } from '../components/prefs.ts';
import { useStatus } from '../components/status.ts';
import { prepareLivenessAssets } from '../pwa/index.ts';
import { UpdateBanner } from '../pwa/UpdateBanner.tsx';
import { me } from '../session.ts';
import { Help } from './Help.tsx';
import { History } from './History.tsx';
import { RetireeHome } from './RetireeHome.tsx';
import { Settings } from './Settings.tsx';
import './retiree.css';

const SCREENS = ['home', 'consent', 'declined', 'prepare', 'check', 'result', 'history', 'settings', 'help'] as const;
type Screen = (typeof SCREENS)[number];
const INSTALL_KEY = 'installOffered' as const;

export function RetireeApp() {
  const userId = () => me()!.user.id;
  const retireeId = () => me()?.retiree?.id ?? null;
  const nav = createNav<Screen>(SCREENS, 'home', ['check', 'result', 'declined']);
  const status = useStatus({ userId, retireeId, own: true });
  const [helper, setHelper] = createSignal(false);
  const [outcome, setOutcome] = createSignal<CheckOutcome | null>(null);
  const [offerInstall, setOfferInstall] = createSignal(false);
  const flow = createConsentFlow({ userId, retireeId, go: nav.go });

  onMount(() => {
    void loadPrefs();
    const stop = startSync({ id: userId(), role: 'retiree' });
    void requestPersistence();
    // The liveness assets download in the background from the moment the retiree is signed in.
    prepareLivenessAssets();
    // A consent choice waits in the outbox with everything else: the sync sends it (decision 085).
    onCleanup(stop);
  });


  async function finished(o: CheckOutcome) {
    setOutcome(o);
    let offer = false;
    if (o.result.verdict === 'passed') {
      offer = !(await readSetting(INSTALL_KEY).catch(() => false));
      if (offer) void writeSetting(INSTALL_KEY, true).catch(() => undefined);
    }
    setOfferInstall(offer);
    nav.go('result');
    void status.refresh();
  }

  const officePhone = () => status.status()?.officePhone ?? null;

  return (
    <div class="retiree-app">
      <UpdateBanner />
      <Show when={retireeId() !== null}>
        <Switch>
          <Match when={nav.screen() === 'home'}>
            <RetireeHome userId={userId()} retireeId={retireeId()!} status={status} busy={flow.busy()} onStart={() => void flow.start()} go={nav.go} />
          </Match>
          <Match when={nav.screen() === 'consent'}>
            <Consent busy={flow.busy()} onChoose={(c) => void flow.choose(c)} />
          </Match>
          <Match when={nav.screen() === 'declined'}>
            <ConsentDeclined userId={userId()} retireeId={retireeId()!} whose="own" officePhone={officePhone()} onHome={() => nav.go('home')} onChangeMind={() => void flow.choose('face')} />
          </Match>
          <Match when={nav.screen() === 'prepare'}>
            <Prepare helper={helper()} onHelperChange={setHelper} onStart={() => nav.go('check')} />
          </Match>
          <Match when={nav.screen() === 'check'}>
            <FaceCheck
              userId={userId()}
              retireeId={retireeId()!}
              method="self"
              camera={helper() ? 'rear' : 'front'}
              onDone={(o) => void finished(o)}
              onCancel={() => nav.go('home')}
            />
          </Match>
          <Match when={nav.screen() === 'result' && outcome()}>
            {(o) => (
              <CheckResult
                userId={userId()}
                retireeId={retireeId()!}
                result={o().result}
                attemptId={o().attemptId}
                officePhone={officePhone()}
                periodYear={certifiedYear(status.status()?.status)}
                offerInstall={offerInstall()}
                onTryAgain={() => nav.go('check')}
                onHome={() => nav.go('home')}
              />
            )}
          </Match>
          <Match when={nav.screen() === 'history'}>
            <History userId={userId()} retireeId={retireeId()!} onHome={() => nav.go('home')} />
          </Match>
          <Match when={nav.screen() === 'settings'}>
            <Settings userId={userId()} onHome={() => nav.go('home')} />
          </Match>
          <Match when={nav.screen() === 'help'}>
            <Help officePhone={officePhone()} communityName={me()?.retiree?.communityName ?? null} onHome={() => nav.go('home')} />
          </Match>
        </Switch>
      </Show>
    </div>
  );
}
