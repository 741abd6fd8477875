// The community worker's part of the app (issue 6): roster → retiree page → face check or visit
// outcome, and the day summary / sync centre. Everything works offline from the phone's database;
// sync runs in the background for the signed-in worker only (each worker's records stay theirs).
import './catalog.ts';
import { createSignal, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import { requestPersistence, startSync, useRecordsSince, useRoster, useSyncSummary } from '../data/index.ts';
import { t } from '../i18n/index.ts';
import { prepareLivenessAssets } from '../pwa/index.ts';
import { me } from '../session.ts';
import { CertifyScreen } from './CertifyScreen.tsx';
import { DaySummary } from './DaySummary.tsx';
import { OutcomeScreen } from './OutcomeScreen.tsx';
import { RetireePage } from './RetireePage.tsx';
import { RosterScreen } from './RosterScreen.tsx';
import { createRosterView } from './roster-view.ts';
import { SignOutButton } from './SignOutButton.tsx';
import { WorkerAssets } from './WorkerAssets.tsx';
import type { OutcomeKind } from './OutcomeScreen.tsx';
import './worker.css';

export type View =
  | { name: 'roster' }
  | { name: 'retiree'; id: number }
  | { name: 'certify'; id: number }
  | { name: 'outcome'; id: number; kind: OutcomeKind }
  | { name: 'summary' };

export function WorkerApp() {
  const user = () => me()!.user;
  const userId = () => me()?.user.id ?? null;
  const [view, setView] = createSignal<View>({ name: 'roster' });
  const [online, setOnline] = createSignal(typeof navigator === 'undefined' ? true : navigator.onLine);
  const roster = useRoster(userId);
  // All of this worker's own records on this phone (a few hundred at most): marks and filters.
  const records = useRecordsSince(() => (userId() ? { userId: userId()!, since: 0 } : null));
  const rosterView = createRosterView(roster, records);
  const summary = useSyncSummary(userId);

  onMount(() => {
    const stop = startSync({ id: user().id, role: user().role });
    void requestPersistence();
    // The face-check files download from sign-in, so the phone is ready before the first door.
    prepareLivenessAssets();
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    onCleanup(() => {
      stop();
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    });
  });

  const go = (next: View) => {
    setView(next);
    window.scrollTo(0, 0);
  };
  const waiting = () => summary().waiting + summary().sending;

  return (
    <div class="worker" data-testid="worker-app">
      <nav class="w-bar" aria-label={t('w.roster')}>
        <button type="button" class="w-tab" aria-current={view().name !== 'summary' ? 'page' : undefined} onClick={() => go({ name: 'roster' })}>
          {t('w.roster')}
        </button>
        <button type="button" class="w-tab" data-testid="open-summary" aria-current={view().name === 'summary' ? 'page' : undefined} onClick={() => go({ name: 'summary' })}>
          {t('w.summary')}
          <Show when={waiting() > 0}>
            <span class="w-badge" data-testid="waiting-badge">{waiting()}</span>
          </Show>
        </button>
        <SignOutButton userId={user().id} />
      </nav>
      <Show when={!online()}>
        <p class="w-offline" role="status" data-testid="offline-line">{t('w.offline')}</p>
      </Show>
      <WorkerAssets online={online()} showReady={view().name === 'summary'} />
      <Switch>
        <Match when={view().name === 'roster'}>
          <RosterScreen view={rosterView} workerName={user().displayName} open={(id) => go({ name: 'retiree', id })} />
        </Match>
        <Match when={view().name === 'summary'}>
          <DaySummary userId={user().id} roster={rosterView} open={(id) => go({ name: 'retiree', id })} />
        </Match>
        <Match when={view().name === 'retiree' && (view() as { id: number }).id}>
          {(id) => <RetireePage userId={user().id} roster={rosterView} retireeId={id()} go={go} />}
        </Match>
        <Match when={view().name === 'certify' && (view() as { id: number }).id}>
          {(id) => <CertifyScreen userId={user().id} roster={rosterView} retireeId={id()} done={() => go({ name: 'retiree', id: id() })} />}
        </Match>
        <Match when={view().name === 'outcome' && (view() as { id: number; kind: OutcomeKind })}>
          {(v) => <OutcomeScreen userId={user().id} roster={rosterView} retireeId={v().id} kind={v().kind} done={() => go({ name: 'retiree', id: v().id })} />}
        </Match>
      </Switch>
    </div>
  );
}
