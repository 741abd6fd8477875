// The family part of the app: a family member picks one of their linked retirees and certifies on
// their behalf in assist mode: the rear camera films the retiree, whose own face is checked
// (method 'family'). Same consent, tips, check and result screens as the retiree's own app.
import { createSignal, For, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import { requestPersistence, startSync, useRoster } from '../data/index.ts';
import { CheckResult, type CheckOutcome, FaceCheck, Prepare } from '../components/check-screens.ts';
import { Consent, ConsentDeclined } from '../components/Consent.tsx';
import { createConsentFlow } from '../components/consent-flow.ts';
import { certifiedYear } from '../components/result-words.ts';
import { createNav } from '../components/nav.ts';
import { loadPrefs } from '../components/prefs.ts';
import { say } from '../components/speech.ts';
import { useStatus } from '../components/status.ts';
import { SyncStatus } from '../components/SyncStatus.tsx';
import { t } from '../i18n/index.ts';
import { prepareLivenessAssets } from '../pwa/index.ts';
import { UpdateBanner } from '../pwa/UpdateBanner.tsx';
import { CertificationYears } from '../retiree/History.tsx';
import { OfficePhone, StatusCard } from '../retiree/RetireeHome.tsx';
import { LanguageTextVoice, SignOutButton } from '../retiree/Settings.tsx';
import { me } from '../session.ts';
import { statusText } from '../status-text.ts';
import '../retiree/retiree.css';
import { AddRelative } from './AddRelative.tsx';
import { EndLink } from './EndLink.tsx';
import { FamilyHome } from './FamilyHome.tsx';
import './family.css';

const SCREENS = ['pick', 'add', 'retiree', 'consent', 'declined', 'prepare', 'check', 'result', 'settings'] as const;
type Screen = (typeof SCREENS)[number];

export function FamilyApp() {
  const userId = () => me()!.user.id;
  // The relatives this phone may act for: the cached roster of the last pull (issue 19), so a link
  // approved or ended since sign-in shows without signing in again, and offline too.
  const roster = useRoster(userId);
  const retirees = () => roster().map((r) => ({ id: r.retireeId, name: r.name, idNumber: r.idNumber }));
  const nav = createNav<Screen>(SCREENS, 'pick', ['add', 'retiree', 'consent', 'declined', 'prepare', 'check', 'result']);
  const [chosenId, setChosenId] = createSignal<number | null>(null);
  const [notice, setNotice] = createSignal('');
  const chosen = () => retirees().find((r) => r.id === chosenId()) ?? null;
  const status = useStatus({ userId, retireeId: chosenId, own: false });
  const [outcome, setOutcome] = createSignal<CheckOutcome | null>(null);
  const flow = createConsentFlow({ userId, retireeId: chosenId, go: nav.go });

  onMount(() => {
    void loadPrefs();
    const stop = startSync({ id: userId(), role: 'family' });
    void requestPersistence();
    prepareLivenessAssets();
    // A consent choice waits in the outbox with everything else: the sync sends it (decision 085).
    onCleanup(stop);
  });

  function pick(id: number) {
    setChosenId(id);
    setNotice('');
    nav.go('retiree');
  }


  const screen = () => (chosen() || nav.screen() === 'settings' || nav.screen() === 'add' ? nav.screen() : 'pick');
  const checkUseful = () => {
    const s = status.status();
    return s ? statusText(s.status).checkUseful : true;
  };

  return (
    <div class="family-app">
      <UpdateBanner />
      <Switch>
        <Match when={screen() === 'pick'}>
          <FamilyHome userId={userId()} notice={notice()} onPick={pick} onAdd={() => nav.go('add')} onSettings={() => nav.go('settings')} />
        </Match>
        <Match when={screen() === 'add'}>
          <AddRelative
            onSent={() => {
              setNotice(t('fam.add.sent'));
              nav.go('pick');
            }}
            onCancel={() => nav.go('pick')}
          />
        </Match>
        <Match when={screen() === 'retiree' && chosen()}>
          {(r) => (
            <main class="screen family-retiree" data-testid="family-retiree" data-retiree-id={r().id}>
              <h1>{t('family.forWhom', { name: r().name })}</h1>
              <StatusCard status={status} userId={userId()} retireeId={r().id} whose="other" />
              <Show when={checkUseful()}>
                <p class="assist-note">{t('family.assist')}</p>
                <div class="main-action">
                  <button class="primary huge" type="button" data-testid="start-check" disabled={flow.busy()} onClick={() => void flow.start()}>
                    {t('home.start')}
                  </button>
                </div>
              </Show>
              <CertificationYears retireeId={r().id} />
              <OfficePhone phone={status.status()?.officePhone ?? null} />
              <button class="secondary" type="button" onClick={() => nav.go('pick')}>
                {t('family.other')}
              </button>
              <EndLink
                retireeId={r().id}
                name={r().name}
                onEnded={() => {
                  setChosenId(null);
                  setNotice(t('fam.end.done'));
                  nav.go('pick');
                }}
              />
            </main>
          )}
        </Match>
        <Match when={screen() === 'consent'}>
          <Consent busy={flow.busy()} onChoose={(c) => void flow.choose(c)} />
        </Match>
        <Match when={screen() === 'declined' && chosen()}>
          {(r) => <ConsentDeclined userId={userId()} retireeId={r().id} whose="other" officePhone={status.status()?.officePhone ?? null} onHome={() => nav.go('retiree')} onChangeMind={() => void flow.choose('face')} />}
        </Match>
        <Match when={screen() === 'prepare'}>
          <Prepare helper whose="other" allowHelperChoice={false} onHelperChange={() => undefined} onStart={() => {
            say('say.family.assist');
            nav.go('check');
          }} />
        </Match>
        <Match when={screen() === 'check' && chosen()}>
          {(r) => (
            <FaceCheck
              userId={userId()}
              retireeId={r().id}
              method="family"
              camera="rear"
              onDone={(o) => {
                setOutcome(o);
                nav.go('result');
                void status.refresh();
              }}
              onCancel={() => nav.go('retiree')}
            />
          )}
        </Match>
        <Match when={screen() === 'result' && chosen() && outcome()}>
          {(o) => (
            <CheckResult
              userId={userId()}
              retireeId={chosenId()!}
              result={o().result}
              attemptId={o().attemptId}
              officePhone={status.status()?.officePhone ?? null}
              periodYear={certifiedYear(status.status()?.status)}
              onTryAgain={() => nav.go('check')}
              onHome={() => nav.go('retiree')}
            />
          )}
        </Match>
        <Match when={screen() === 'settings'}>
          <main class="screen settings" data-testid="settings">
            <h1>{t('settings.title')}</h1>
            <LanguageTextVoice />
            <SignOutButton userId={userId()} />
            <button class="primary" type="button" onClick={() => nav.go('pick')}>
              {t('nav.home')}
            </button>
          </main>
        </Match>
      </Switch>
    </div>
  );
}
