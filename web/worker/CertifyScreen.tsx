// Assisted face check: the worker holds the phone, the rear camera faces the retiree (switchable),
// the same runtime and challenge tokens as the retiree app, prompts spoken for the retiree and
// shown to the worker. The result is saved as an attempt with method 'worker' for this retiree.
//
// A retiree without a reference photo (the roster says hasReference: false) can be enrolled in
// person (issue 14): before the check the worker confirms they checked the ID card and types their
// password. The password stays in memory only while the check runs; it is sealed when a PASSED
// check is saved (bound to the attempt and its first key frame, web/data/store.ts) and dropped.
import { createEffect, createSignal, on, onCleanup, onMount, Show } from 'solid-js';
import { promptText } from '../liveness/prompts.ts';
import {
  attachCamera,
  CameraError,
  createLivenessSession,
  loadLivenessRuntime,
  openCamera,
  runtimeMessage,
  type CameraHandle,
  type CameraMode,
  type LivenessSession,
} from '../liveness/runtime/index.ts';
import type { ChallengeState } from '../liveness/challenge.ts';
import { fixedSequence, parseSteps } from '../liveness/runtime/sequence.ts';
import { beginCheck, canSignAttestations, NoSignatureKeyError, recordAttempt, useChallengeCount, useRecordsForRetiree, useSyncSummary, type CheckChallenge, type NewAttempt } from '../data/index.ts';
import { isHeld } from '../components/held.ts';
import { passedStage, passedWords, type PassedStage } from '../components/result-words.ts';
import { lang, t, type MessageKey } from '../i18n/index.ts';
import { holdUpdates, livenessAssets, prepareLivenessAssets } from '../pwa/index.ts';
import { isEnrolled } from './labels.ts';
import type { RosterView } from './roster-view.ts';
import { createVoiceSpeaker } from './speaker.ts';

/**
 * Test builds only: `?workerSteps=turn_left,turn_right` runs that fixed sequence (the fake-camera
 * clips each perform one kind of action, while every server-issued sequence mixes a head and a face
 * action), without a server token, so it reaches the office as `no_token`. Dead code in production.
 */
function testChallenge(): CheckChallenge | null {
  if (!__TEST_BUILD__) return null;
  const steps = new URLSearchParams(location.search).get('workerSteps');
  if (!steps) return null;
  const sequence = fixedSequence(parseSteps(steps));
  return { id: null, token: null, seed: sequence.seed, sequence };
}

type Phase = 'setup' | 'running' | 'saving' | 'passed' | 'not_passed' | 'error';

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

export function CertifyScreen(props: { userId: number; retireeId: number; roster: RosterView; done: () => void }) {
  const entry = () => props.roster.byId(props.retireeId);
  const [mode, setMode] = createSignal<CameraMode>('rear');
  const [phase, setPhase] = createSignal<Phase>('setup');
  const [state, setState] = createSignal<ChallengeState | null>(null);
  const [error, setError] = createSignal('');
  const assets = livenessAssets();
  const tokens = useChallengeCount(() => props.userId);
  let video!: HTMLVideoElement;
  let camera: CameraHandle | null = null;
  let session: LivenessSession | null = null;
  const [spoken, setSpoken] = createSignal<string[]>([]);
  const speaker = createVoiceSpeaker((id) => setSpoken([...spoken(), id]));
  const [engine, setEngine] = createSignal<'loading' | 'ready' | 'error'>('loading');
  const runtime = loadLivenessRuntime();
  runtime.then(
    () => setEngine('ready'),
    () => setEngine('error'),
  );

  // The saved check as this phone's database sees it: sent, then the server's face match decides.
  const [attemptId, setAttemptId] = createSignal<string | null>(null);
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
  const [enrolNote, setEnrolNote] = createSignal('');
  void canSignAttestations().then(setCanSign, () => setCanSign(false));
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

  // The start button waits for the preview: a tap before the camera is open would otherwise do nothing.
  const [cameraReady, setCameraReady] = createSignal(false);

  async function showCamera() {
    camera?.stop();
    camera = null;
    setCameraReady(false);
    setError('');
    try {
      const opened = await openCamera(mode());
      await attachCamera(opened, video);
      camera = opened;
      setCameraReady(true);
    } catch (err) {
      const code = err instanceof CameraError ? err.code : 'unknown';
      const m = runtimeMessage(`camera.${code}`, lang());
      setError(`${m.title} ${m.action}`);
    }
  }

  onMount(() => {
    prepareLivenessAssets();
    void showCamera();
  });
  onCleanup(() => {
    session?.cancel();
    speaker.cancel();
    camera?.stop();
  });

  async function start() {
    if (!camera) return;
    const enrolling = offerEnrolment() && canSign() && enrol();
    if (enrolling && !password()) return setError(t('w.enrol.needPassword'));
    // Taken out of the input at once: from here the password lives in this call only.
    let signWith: string | null = enrolling ? password() : null;
    setPassword('');
    setEnrolNote('');
    setPhase('running');
    setError('');
    const release = holdUpdates('liveness check');
    try {
      const rt = await loadLivenessRuntime();
      setEngine("ready");
      const challenge = testChallenge() ?? (await beginCheck(props.userId));
      setSpoken([]);
      session = await createLivenessSession({
        runtime: rt,
        camera,
        video,
        sequence: challenge.sequence,
        ...(challenge.id ? { challengeId: challenge.id } : {}),
        speaker,
        onUpdate: ({ state: s }) => setState(s),
      });
      const outcome = await session.done;
      session = null;
      setPhase('saving');
      const frames = await Promise.all(outcome.keyFrames.map(async (b) => new Uint8Array(await b.arrayBuffer())));
      const audio = outcome.audio && outcome.audioDurationMs ? { data: new Uint8Array(await outcome.audio.arrayBuffer()), type: outcome.audio.type, durationMs: outcome.audioDurationMs } : null;
      const attempt: Omit<NewAttempt, 'midWrite'> = { userId: props.userId, retireeId: props.retireeId, method: 'worker', challenge, result: outcome.result, frames, audio };
      // Only a passed check with a key frame is sealed; a check that did not pass seals nothing.
      const passed = outcome.result.verdict === 'passed';
      if (signWith && passed && !frames.length) setEnrolNote(t('w.enrol.notSigned', { reason: t('w.enrol.noFrame') }));
      const sign = signWith && passed && frames.length ? signWith : null;
      signWith = null;
      let id: string;
      try {
        id = await recordAttempt(sign ? { ...attempt, enrolmentPassword: sign } : attempt);
      } catch (err) {
        // Never lose the check for the signature: without a key on the phone it is an ordinary one.
        if (!(sign && err instanceof NoSignatureKeyError)) throw err;
        setCanSign(false);
        setEnrolNote(t('w.enrol.notSigned', { reason: t('w.enrol.noKeyShort') }));
        id = await recordAttempt(attempt);
      }
      setAttemptId(id);
      setPhase(passed ? 'passed' : 'not_passed');
    } catch (err) {
      setError(t('w.certify.saveFailed', { reason: err instanceof Error ? err.message : String(err) }));
      setPhase('error');
    } finally {
      signWith = null;
      release();
    }
  }

  const prompt = () => {
    const s = state();
    return s ? promptText(s.displayPromptId, lang(), { digits: s.digits ?? '' }) : t('w.certify.hint');
  };

  return (
    <main class="w-screen" data-testid="certify" data-phase={phase()} data-engine={engine()} data-camera={mode()} data-spoken={spoken().join(' ')} data-said={said().join(' ')}>
      <h1 class="w-title">{t('w.certify.title', { name: entry()?.name ?? '' })}</h1>
      <Show when={assets().state === 'downloading' || assets().state === 'paused'}>
        <p class="w-note" role="status">
          {assets().state === 'paused' ? t('w.certify.assetsPaused') : t('w.certify.assets', { loaded: MB(assets().loadedBytes), total: MB(assets().totalBytes) })}
        </p>
      </Show>
      <div class="w-camera">
        <video ref={video} classList={{ mirrored: mode() === 'front' }} muted playsinline autoplay />
      </div>
      <p class="w-prompt" data-testid="certify-prompt" aria-live="assertive">{prompt()}</p>
      <Show when={state()}>{(s) => <progress class="w-progress" max="1" value={s().progress} />}</Show>
      <Show when={error()}>
        <p class="error" role="alert">{error()}</p>
      </Show>
      <Show when={phase() === 'setup' || phase() === 'error'}>
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
        <button type="button" class="w-secondary" data-testid="switch-camera" onClick={() => { setMode(mode() === 'rear' ? 'front' : 'rear'); void showCamera(); }}>
          {t('w.certify.switch')}
        </button>
        <button type="button" class="w-primary" data-testid="start-check" disabled={!cameraReady()} onClick={() => void start()}>{t('w.certify.start')}</button>
      </Show>
      <Show when={phase() === 'running'}>
        <button type="button" class="w-secondary" onClick={() => session?.cancel()}>{t('w.certify.cancel')}</button>
      </Show>
      <Show when={phase() === 'passed' || phase() === 'not_passed'}>
        <p class="w-result" data-testid="certify-result" data-verdict={phase()} data-stage={phase() === 'passed' ? stage() : ''} data-enrolment={saved()?.enrolment ? (enrolled() ? 'enrolled' : 'signed') : ''} role="status">
          {phase() !== 'passed' ? t('w.certify.notPassed') : enrolled() ? t('w.certify.enrolled') : t(PASSED_TEXT[stage()])}
        </p>
        <Show when={phase() === 'passed' && saved()?.enrolment && (stage() === 'saved' || stage() === 'verifying')}>
          <p class="w-note">{t('w.enrol.signed')}</p>
        </Show>
        <Show when={enrolNote()}>
          <p class="w-note w-strong" role="status" data-testid="enrol-note">{enrolNote()}</p>
        </Show>
        <Show when={phase() === 'not_passed'}>
          <button type="button" class="w-secondary" onClick={() => { setState(null); setAttemptId(null); setPhase('setup'); }}>{t('w.certify.again')}</button>
        </Show>
        <button type="button" class="w-primary" data-testid="certify-done" onClick={() => props.done()}>{t('w.certify.done')}</button>
      </Show>
      <Show when={phase() === 'running' && !state()}>
        <p class="w-note">{t('w.certify.loading')}</p>
      </Show>
    </main>
  );
}
