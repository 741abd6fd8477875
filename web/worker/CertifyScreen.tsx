// Assisted face check: the worker holds the phone, the rear camera faces the retiree (switchable),
// prompts spoken for the retiree and shown to the worker. The outdoor view over the one face-check
// controller (web/face-check/create-face-check.ts, decision 062), as the elder screen is: the same
// wait for the files, challenge, evidence and save; here the check starts from the preview with a
// tap, a stopped check goes back to the preview (not an attempt), and the result stays on screen.
//
// A retiree without a reference photo (the roster says hasReference: false) can be enrolled in
// person (issue 14): before the check the worker confirms they checked the ID card and types their
// password. The password leaves the input when the check starts and stays in memory only while it
// runs; it is sealed when a PASSED check is saved (bound to the attempt and its first key frame,
// web/data/store.ts) and dropped.
//
// Consent first (decision 085): until the retiree has agreed to the face check on this phone (or
// on any, as the server knows), the worker plays or reads them the notice and records their answer,
// which goes in the same outbox and push as the check. The check starts only after a yes.
import { createEffect, createSignal, on, onCleanup, onMount, Show } from 'solid-js';
import { promptText } from '../liveness/prompts.ts';
import { runtimeMessage } from '../liveness/runtime/index.ts';
import { ActionPicture } from '../face-check/ActionPicture.tsx';
import { createFaceCheck } from '../face-check/create-face-check.ts';
import { canSignAttestations, readConsent, recordConsent, useChallengeCount, useRecordsForRetiree, useSyncSummary } from '../data/index.ts';
import type { ConsentChoice } from '../../shared/schemas/consent.ts';
import { currentConsent } from '../components/consent-flow.ts';
import { isHeld } from '../components/held.ts';
import { passedStage, passedWords, type PassedStage } from '../components/result-words.ts';
import { lang, t, type MessageKey } from '../i18n/index.ts';
import { isEnrolled, reviewLine } from './labels.ts';
import type { RosterView } from './roster-view.ts';
import { createVoiceSpeaker } from './speaker.ts';

const MB = (n: number) => (n / 1_048_576).toFixed(1);

/** The worker's line for a passed check, as it goes from this phone to the server's decision (issue 14). */
const PASSED_TEXT: Record<PassedStage, MessageKey> = {
  saved: 'w.certify.passed',
  held: 'w.certify.held',
  verifying: 'w.certify.verifying',
  certified: 'w.certify.certified',
  review: 'w.certify.review',
  not_passed: 'sync.outcome.not_passed',
};

const ASSET_ERROR: Record<'storage' | 'unavailable' | 'unsupported', MessageKey> = {
  storage: 'w.certify.assetsFull',
  unavailable: 'w.certify.assetsUnavailable',
  unsupported: 'w.certify.assetsUnsupported',
};

/** How long the consent question waits for the server's answer before it is asked anyway. */
const SERVER_CONSENT_WAIT_MS = 3000;

export function CertifyScreen(props: { userId: number; retireeId: number; roster: RosterView; done: () => void }) {
  const entry = () => props.roster.byId(props.retireeId);
  const tokens = useChallengeCount(() => props.userId);
  let video!: HTMLVideoElement;
  const [spoken, setSpoken] = createSignal<string[]>([]);
  const speaker = createVoiceSpeaker((id) => setSpoken([...spoken(), id]));
  const check = createFaceCheck({
    userId: props.userId,
    retireeId: props.retireeId,
    method: 'worker',
    camera: 'rear',
    start: 'manual',
    video: () => video,
    speaker,
  });
  onMount(() => check.begin());

  // The retiree's consent (decision 085): unknown until looked up; needed, refused, or given.
  const [consent, setConsent] = createSignal<'unknown' | 'needed' | ConsentChoice>('unknown');
  const [consentError, setConsentError] = createSignal('');
  onMount(() => {
    // This phone's answer at once. Without one, the server's (the retiree may have agreed on their
    // own phone): the question waits for it a few seconds, so it does not appear and vanish under
    // the worker's finger, but no longer (a slow link must not keep the worker waiting); a later
    // answer still applies.
    const ask = setTimeout(() => setConsent((now) => (now === 'unknown' ? 'needed' : now)), SERVER_CONSENT_WAIT_MS);
    onCleanup(() => clearTimeout(ask));
    void readConsent(props.userId, props.retireeId).then(
      (kept) => {
        if (kept) return setConsent((now) => (now === 'unknown' ? kept.choice : now));
        void currentConsent(props.userId, props.retireeId).then(
          (c) => setConsent((now) => (now === 'unknown' ? (c?.choice ?? 'needed') : now === 'needed' && c ? c.choice : now)),
          () => setConsent((now) => (now === 'unknown' ? 'needed' : now)),
        );
      },
      () => setConsent('needed'),
    );
  });
  async function recordAnswer(choice: ConsentChoice) {
    setConsentError('');
    try {
      await recordConsent({ userId: props.userId, retireeId: props.retireeId, choice });
      setConsent(choice);
    } catch (err) {
      setConsentError(t('w.consent.saveFailed', { reason: err instanceof Error ? err.message : String(err) }));
    }
  }
  const state = check.state;
  const assets = check.assets;
  const mode = check.camera;
  /** The screen's names for where the check is (e2e tests read them from data-phase). */
  const phase = () => {
    const p = check.phase();
    if (p === 'camera' || p === 'ready') return 'setup';
    if (p === 'starting') return 'running';
    if (p === 'problem' || p === 'cancelled') return 'error';
    if (p === 'done') return check.outcome()?.result.verdict === 'passed' ? 'passed' : 'not_passed';
    return p;
  };
  const problemText = () => {
    const p = check.problem();
    if (!p) return '';
    if (p.id === 'storage') return t('check.storageFull');
    if (p.id === 'save') return t('w.certify.saveFailed', { reason: p.reason });
    const m = runtimeMessage(p.id, lang());
    return `${m.title} ${m.action}`;
  };

  // The saved check as this phone's database sees it: sent, then the server's face match decides.
  const attemptId = () => check.outcome()?.attemptId ?? null;
  const records = useRecordsForRetiree(() => (attemptId() ? { userId: props.userId, retireeId: props.retireeId } : null));
  const saved = () => records().attempts.find((a) => a.id === attemptId());
  const summary = useSyncSummary(() => props.userId);
  const stage = () => passedStage(saved(), isHeld(summary()));
  /** The office has the check as an in-person enrolment (the server verified the signature). */
  const enrolled = () => isEnrolled(saved());

  // In-person enrolment (issue 14): offered only for a retiree the office holds no reference face of.
  const offerEnrolment = () => entry()?.hasReference === false;
  const [enrol, setEnrol] = createSignal(false);
  const [password, setPassword] = createSignal('');
  const [canSign, setCanSign] = createSignal(true);
  const [formError, setFormError] = createSignal('');
  void canSignAttestations().then(setCanSign, () => setCanSign(false));
  const enrolNote = () => {
    const why = check.outcome()?.enrolmentNotSealed;
    return why ? t('w.enrol.notSigned', { reason: t(why === 'noKey' ? 'w.enrol.noKeyShort' : 'w.enrol.noFrame') }) : '';
  };
  createEffect(on(() => check.outcome()?.enrolmentNotSealed, (why) => why === 'noKey' && setCanSign(false)));

  // The retiree hears where the check is (the same words as on their own phone), once it settles.
  const [said, setSaid] = createSignal<string[]>([]);
  let sayTimer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on([phase, stage], ([p, s]) => {
      clearTimeout(sayTimer);
      if (p !== 'passed') return;
      const key = passedWords(s, 'own').say;
      sayTimer = setTimeout(() => {
        setSaid([...said(), key]);
        speaker.say(key);
      }, 700);
    }),
  );
  onCleanup(() => clearTimeout(sayTimer));

  function start() {
    if (consent() !== 'face') return;
    const enrolling = offerEnrolment() && canSign() && enrol();
    if (enrolling && !password()) return setFormError(t('w.enrol.needPassword'));
    // Taken out of the input at once: from here the password lives in the controller's check only.
    const signWith = enrolling ? password() : undefined;
    setPassword('');
    setFormError('');
    setSpoken([]);
    check.start(signWith !== undefined ? { enrolmentPassword: signWith } : {});
  }

  const prompt = () => {
    const s = state();
    return s ? promptText(s.displayPromptId, lang(), { digits: s.digits ?? '' }) : t('w.certify.hint');
  };

  return (
    <main class="w-screen" data-testid="certify" data-consent={consent()} data-phase={phase()} data-engine={check.engine()} data-camera={mode()} data-spoken={spoken().join(' ')} data-said={said().join(' ')}>
      <h1 class="w-title">{t('w.certify.title', { name: entry()?.name ?? '' })}</h1>
      {/* Before anything else: the check cannot start without the retiree's yes (decision 085). */}
      <Show when={consent() === 'needed' || consent() === 'alternative'}>
        <section class="w-card alert" data-testid="worker-consent" data-consent={consent()}>
          <h2>{t('w.consent.title')}</h2>
          <Show
            when={consent() === 'needed'}
            fallback={<p class="w-strong" role="status" data-testid="consent-declined">{t('w.consent.declined')}</p>}
          >
            <p>{t('w.consent.body')}</p>
            <ul class="w-muted">
              <li>{t('consent.what')}</li>
              <li>{t('consent.compare')}</li>
              <li>{t('consent.kept')}</li>
              <li>{t('consent.alternative')}</li>
            </ul>
            <button type="button" class="w-secondary" data-testid="consent-play" onClick={() => speaker.say('say.consent')}>{t('w.consent.play')}</button>
            <button type="button" class="w-secondary" data-testid="consent-alternative" onClick={() => void recordAnswer('alternative')}>{t('w.consent.alternative')}</button>
          </Show>
          <button type="button" class="w-primary" data-testid="consent-face" onClick={() => void recordAnswer('face')}>
            {consent() === 'needed' ? t('w.consent.face') : t('w.consent.changeMind')}
          </button>
          <Show when={consentError()}>
            <p class="error" role="alert">{consentError()}</p>
          </Show>
        </section>
      </Show>
      <Show when={phase() === 'assets'}>
        <section data-testid="asset-wait" data-state={assets().state}>
          <Show
            when={assets().state === 'error' && assets().error}
            fallback={
              <p class="w-note w-strong" role="status">
                {assets().state === 'paused'
                  ? t('w.certify.assetsPaused')
                  : assets().state === 'downloading'
                    ? t('w.certify.assets', { loaded: MB(assets().loadedBytes), total: MB(assets().totalBytes) })
                    : t('w.certify.loading')}
              </p>
            }
          >
            {(why) => (
              <>
                <p class="w-note w-strong" role="alert">{t(ASSET_ERROR[why()])}</p>
                <Show when={why() !== 'unsupported'}>
                  <button type="button" class="w-secondary" onClick={() => check.retry()}>{t('w.certify.again')}</button>
                </Show>
              </>
            )}
          </Show>
        </section>
      </Show>
      <div class="w-camera">
        <video ref={video} classList={{ mirrored: mode() === 'front' }} muted playsinline autoplay />
      </div>
      <p class="w-prompt" data-testid="certify-prompt" aria-live="assertive">{prompt()}</p>
      <Show when={state()}>{(s) => <progress class="w-progress" max="1" value={s().progress} />}</Show>
      <Show when={formError() || problemText()}>
        <p class="error" role="alert">{formError() || problemText()}</p>
      </Show>
      <Show when={phase() === 'setup' || phase() === 'error' || phase() === 'assets'}>
        <p class={tokens() > 0 ? 'w-note' : 'w-note w-strong'} data-testid="token-count">
          {tokens() > 0 ? t('w.certify.tokens', { n: tokens() }) : t('w.certify.noTokens')}
        </p>
        <Show when={offerEnrolment()}>
          <section class="w-card quiet" data-testid="enrolment" data-can-sign={canSign() ? 'yes' : 'no'}>
            <h2>{t('w.enrol.title')}</h2>
            <Show
              when={canSign()}
              fallback={<p class="w-strong" role="alert" data-testid="enrol-no-key">{t('w.enrol.noKey')}</p>}
            >
              <p>{t('w.enrol.body')}</p>
              <label class="w-choice">
                <input type="checkbox" data-testid="enrol-confirm" checked={enrol()} onChange={(e) => { setEnrol(e.currentTarget.checked); if (!e.currentTarget.checked) setPassword(''); }} />
                {t('w.enrol.confirm')}
              </label>
              <Show when={enrol()}>
                <label for="w-enrol-password">{t('w.enrol.password')}</label>
                <input id="w-enrol-password" type="password" autocomplete="current-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
                <p class="w-muted">{t('w.enrol.passwordHint')}</p>
              </Show>
            </Show>
          </section>
        </Show>
        <p class="w-note">{mode() === 'rear' ? t('w.certify.camera.rear') : t('w.certify.camera.front')}</p>
        <button type="button" class="w-secondary" data-testid="switch-camera" onClick={() => check.switchCamera(mode() === 'rear' ? 'front' : 'rear')}>
          {t('w.certify.switch')}
        </button>
        <Show when={check.phase() === 'problem'}>
          <button type="button" class="w-secondary" data-testid="certify-retry" onClick={() => check.retry()}>{t('w.certify.again')}</button>
        </Show>
        <button type="button" class="w-primary" data-testid="start-check" disabled={check.phase() !== 'ready' || consent() !== 'face'} onClick={start}>{t('w.certify.start')}</button>
      </Show>
      <Show when={phase() === 'running' && check.waiting()}>
        <section class="w-waiting" data-testid="waiting-help">
          <ActionPicture action={state()?.action ?? 'look_straight'} />
          <p class="w-note">{t('w.certify.waiting')}</p>
        </section>
        <Show when={state()?.canSwap}>
          <button type="button" class="w-secondary" data-testid="check-swap" onClick={() => check.swap()}>{t('w.certify.swap')}</button>
        </Show>
        <button type="button" class="w-secondary" data-testid="check-pause" onClick={() => check.pause()}>{t('w.certify.pause')}</button>
      </Show>
      <Show when={phase() === 'paused'}>
        <p class="w-note w-strong" role="status" data-testid="check-paused">{t('w.certify.paused')}</p>
        <button type="button" class="w-primary" data-testid="check-resume" onClick={() => check.resume()}>{t('w.certify.resume')}</button>
      </Show>
      <Show when={phase() === 'running' || phase() === 'paused'}>
        <button type="button" class="w-secondary" data-testid="certify-cancel" onClick={() => check.cancel()}>{t('w.certify.cancel')}</button>
      </Show>
      <Show when={phase() === 'passed' || phase() === 'not_passed'}>
        <p class="w-result" data-testid="certify-result" data-verdict={phase()} data-stage={phase() === 'passed' ? stage() : ''} data-enrolment={saved()?.enrolment ? (enrolled() ? 'enrolled' : 'signed') : ''} role="status">
          {phase() !== 'passed' ? t('w.certify.notPassed') : enrolled() ? t('w.certify.enrolled') : stage() === 'review' ? reviewLine() : t(PASSED_TEXT[stage()])}
        </p>
        <Show when={phase() === 'passed' && saved()?.enrolment && (stage() === 'saved' || stage() === 'verifying')}>
          <p class="w-note">{t('w.enrol.signed')}</p>
        </Show>
        <Show when={enrolNote()}>
          <p class="w-note w-strong" role="status" data-testid="enrol-note">{enrolNote()}</p>
        </Show>
        <Show when={phase() === 'not_passed'}>
          <button type="button" class="w-secondary" onClick={() => check.retry()}>{t('w.certify.again')}</button>
        </Show>
        <button type="button" class="w-primary" data-testid="certify-done" onClick={() => props.done()}>{t('w.certify.done')}</button>
      </Show>
      <Show when={phase() === 'running' && !state()}>
        <p class="w-note">{t('w.certify.loading')}</p>
      </Show>
    </main>
  );
}
