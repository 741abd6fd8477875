// Test-only page (built only by `vite build --mode test`): screens that a real camera clip cannot
// reach quickly, rendered by the real components on the real phone database, for the accessibility
// test and the screenshots. No person from the test fixtures appears: the names are made up.
//   /dev/screens.html?screen=failed|alternatives|verifying|review|held|home-verifying|home-review|home-held|home-open|home-asked|consent|declined|help|history
//   failed, alternatives: a failed check (one, or three in a day); the other routes show from the first
//   verifying: a passed check, sent, waiting for the server's face match (issue 14)
//   review: a passed check the server handed to the office (the face differed)
//   held: a passed check kept on the phone because the server's daily quota is used up (issue 15)
//   home-verifying, home-review, home-held: Home with those statuses; home-open: Home with a check due;
//   home-asked: the same, with a family member's request to answer
//   consent, help: the consent notice and Help, with what they say about the face match; declined: after 不用人脸
//   history: History with one year certified and this year's check with the office (kept on the phone)
//   home-visit: Home with a check due and a home-visit request the server has stored; prepare: 开始前请看一下
import { createSignal, Match, Show, Switch } from 'solid-js';
import { render } from 'solid-js/web';
import type { CertificationState } from '../../shared/certification-rules.ts';
import type { AttemptOutcome } from '../../shared/sync.ts';
import { syntheticResult } from '../../shared/sync-fixtures.ts';
import { CheckResult } from '../components/CheckResult.tsx';
import { Consent, ConsentDeclined } from '../components/Consent.tsx';
import { Help } from '../retiree/Help.tsx';
import { History } from '../retiree/History.tsx';
import type { KeptStatus, StatusSource } from '../components/status.ts';
import { keepYears, recordAttempt, recordVisitRequest } from '../data/index.ts';
import { Prepare } from '../components/Prepare.tsx';
import { loadLocal } from '../data/live.ts';
import { lang, t } from '../i18n/index.ts';
import { RetireeHome } from '../retiree/RetireeHome.tsx';
import { setMe } from '../session.ts';
import '../retiree/retiree.css';

const USER = 900_001;
const RETIREE = 900_001;
const PHONE = '010-6500 5678';
const screen = new URLSearchParams(location.search).get('screen') ?? 'failed';

function timedOut() {
  const r = syntheticResult({ seed: 7 }, 'timed_out');
  return { ...r, reason: 'timeout_baseline' as const };
}
const passed = () => syntheticResult({ seed: 7 }, 'passed');

const today = new Date().toLocaleDateString('sv');
const due = `${new Date().getFullYear()}-12-31`;

/** A passed check on this phone that the server has answered with `outcome`. */
async function sentCheck(outcome: AttemptOutcome): Promise<string> {
  const id = await recordAttempt({ userId: USER, retireeId: RETIREE, method: 'self', challenge: { id: null, token: null }, result: passed() });
  const db = (await loadLocal()).appDb();
  await db.transaction('rw', [db.attempts, db.outbox], async () => {
    await db.outbox.delete(id);
    await db.attempts.update(id, { syncState: 'sent', outcome, sentAt: Date.now() });
  });
  return id;
}

/** A passed check on this phone that the server's daily quota holds until tomorrow (issue 15). */
async function heldCheck(): Promise<string> {
  const id = await recordAttempt({ userId: USER, retireeId: RETIREE, method: 'self', challenge: { id: null, token: null }, result: passed() });
  const local = await loadLocal();
  await local.putSetting(local.appDb(), `sync:${USER}`, { failures: 0, nextAttemptAt: 0, lastSuccessAt: Date.now(), lastError: null, needsSignIn: false, cursor: null, heldUntil: Date.now() + 10 * 3_600_000 });
  return id;
}

function fixedStatus(status: CertificationState): StatusSource {
  const kept: KeptStatus = { today, status, officePhone: PHONE, fetchedAt: Date.now() };
  return { status: () => kept, fromPhone: () => false, refresh: async () => undefined };
}

const STATUS: Record<string, CertificationState> = {
  'home-verifying': { state: 'verifying', year: new Date().getFullYear(), submittedOn: today, dueOn: due },
  'home-review': { state: 'under_review', year: new Date().getFullYear(), method: 'self', submittedOn: today, dueOn: due },
  'home-held': { state: 'open', year: new Date().getFullYear(), dueOn: due, daysLeft: 30, phase: { selfService: true, onSite: true } },
  'home-open': { state: 'open', year: new Date().getFullYear(), dueOn: due, daysLeft: 30, phase: { selfService: true, onSite: true } },
  'home-visit': { state: 'open', year: new Date().getFullYear(), dueOn: due, daysLeft: 30, phase: { selfService: true, onSite: true } },
  'home-asked': { state: 'open', year: new Date().getFullYear(), dueOn: due, daysLeft: 30, phase: { selfService: true, onSite: true } },
};

function Page() {
  const [ready, setReady] = createSignal(false);
  const [attemptId, setAttemptId] = createSignal<string | null>(null);
  void (async () => {
    if (screen === 'failed' || screen === 'alternatives') {
      const failures = screen === 'alternatives' ? 3 : 1;
      for (let i = 0; i < failures; i++) await recordAttempt({ userId: USER, retireeId: RETIREE, method: 'self', challenge: { id: null, token: null }, result: timedOut() });
    } else if (screen === 'verifying' || screen === 'home-verifying') {
      setAttemptId(await sentCheck({ kind: 'verifying' }));
    } else if (screen === 'review' || screen === 'home-review') {
      setAttemptId(await sentCheck({ kind: 'review', reviewReason: 'face_mismatch' }));
    } else if (screen === 'held' || screen === 'home-held') {
      setAttemptId(await heldCheck());
    } else if (screen === 'home-asked') {
      // What a pull keeps: a made-up family member asks to help (the request waits for the retiree's answer).
      const local = await loadLocal();
      await local.putSetting(local.appDb(), `links:${USER}`, { incoming: [{ id: 1, retireeId: RETIREE, familyUserId: 900_002, familyName: '王小明', relation: 'son', requestedAt: Date.now() }], helpers: [], mine: [] });
    } else if (screen === 'home-visit') {
      // What the server answers once it has stored the request (decision 078).
      const id = await recordVisitRequest({ userId: USER, retireeId: RETIREE });
      const db = (await loadLocal()).appDb();
      await db.transaction('rw', [db.visitRequests, db.outbox], async () => {
        await db.outbox.delete(id);
        await db.visitRequests.update(id, { syncState: 'sent', sentAt: Date.now(), outcome: { kind: 'visit_requested', requestedAt: Date.now() } });
      });
    } else if (screen === 'history') {
      // What a pull kept; the page's own request for the years fails (nobody is signed in), as offline.
      const year = new Date().getFullYear();
      await keepYears(RETIREE, [
        { year, status: 'pending_review', method: 'self', certifiedOn: today },
        { year: year - 1, status: 'approved', method: 'self', certifiedOn: `${year - 1}-10-13` },
      ]);
    }
    if (screen.startsWith('home-')) {
      setMe({ user: { id: USER, role: 'retiree', displayName: '王秀兰' }, sessionExpiresAt: Date.now() + 3_600_000, sessionStartedAt: Date.now(), retiree: { id: RETIREE, name: '王秀兰', idNumber: '', communityName: '' } });
    }
    setReady(true);
  })();
  return (
    <>
      <header class="topbar">
        <span class="brand">{t('app.name')}</span>
      </header>
      <Show when={ready()}>
        <Switch>
          <Match when={screen === 'consent'}>
            <Consent onChoose={() => undefined} />
          </Match>
          <Match when={screen === 'declined'}>
            <ConsentDeclined userId={USER} retireeId={RETIREE} whose="own" officePhone={PHONE} onChangeMind={() => undefined} onHome={() => undefined} />
          </Match>
          <Match when={screen === 'prepare'}>
            <Prepare helper={false} onHelperChange={() => undefined} onStart={() => undefined} />
          </Match>
          <Match when={screen === 'history'}>
            <History userId={USER} retireeId={RETIREE} onHome={() => undefined} />
          </Match>
          <Match when={screen === 'help'}>
            <Help officePhone={PHONE} communityName="幸福里社区" onHome={() => undefined} />
          </Match>
          <Match when={screen.startsWith('home-')}>
            <RetireeHome userId={USER} retireeId={RETIREE} status={fixedStatus(STATUS[screen]!)} busy={false} onStart={() => undefined} go={() => undefined} />
          </Match>
          <Match when={screen === 'verifying' || screen === 'review' || screen === 'held'}>
            <CheckResult userId={USER} retireeId={RETIREE} result={passed()} attemptId={attemptId()} officePhone={PHONE} periodYear={2026} onTryAgain={() => undefined} onHome={() => undefined} />
          </Match>
          <Match when={true}>
            <CheckResult userId={USER} retireeId={RETIREE} result={timedOut()} attemptId={null} officePhone={PHONE} periodYear={null} onTryAgain={() => undefined} onHome={() => undefined} />
          </Match>
        </Switch>
      </Show>
    </>
  );
}

// As the app does (web/app.tsx): the screens' English-only rules (html:lang(en)) apply here too.
document.documentElement.lang = lang();
render(() => <Page />, document.getElementById('app')!);
