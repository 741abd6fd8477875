// The face check screen, for a retiree on their own phone (front camera) and for a helper holding
// the phone (rear camera; family members always). Waits for the liveness assets, opens the camera,
// runs one check with the challenge from web/data, saves the attempt durably, and hands the outcome
// to the caller. Cancel works at every moment; app updates are held while it runs.
import { createSignal, For, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import type { LivenessResult } from '../../shared/liveness.ts';
import { beginCheck, recordAttempt, StorageFullError, type CheckChallenge } from '../data/index.ts';
import { lang, t } from '../i18n/index.ts';
import type { ChallengeState } from '../liveness/challenge.ts';
import { promptText } from '../liveness/prompts.ts';
import {
  attachCamera,
  attemptEvidence,
  CameraError,
  createLivenessSession,
  loadLivenessRuntime,
  openCamera,
  RuntimeLoadError,
  runtimeMessage,
  type CameraHandle,
  type CameraMode,
  type LivenessSession,
  type RuntimeMessageId,
} from '../liveness/runtime/index.ts';
import { AssetProgress } from '../pwa/AssetProgress.tsx';
import { runtimeSpeechId } from '../voice/speakable.ts';
import { holdUpdates, livenessAssets, prepareLivenessAssets } from '../pwa/index.ts';
import { livenessSpeaker, voice } from './speech.ts';

export interface CheckOutcome {
  result: LivenessResult;
  /** The attempt id in the phone's outbox (null only for a check the person stopped themselves). */
  attemptId: string | null;
}

export interface FaceCheckProps {
  userId: number;
  retireeId: number;
  method: 'self' | 'family';
  camera: CameraMode;
  onDone(outcome: CheckOutcome): void;
  onCancel(): void;
}

type Phase = 'assets' | 'starting' | 'running' | 'saving' | 'error';

export function FaceCheck(props: FaceCheckProps) {
  const [phase, setPhase] = createSignal<Phase>('assets');
  const [state, setState] = createSignal<ChallengeState | null>(null);
  const [problem, setProblem] = createSignal<{ id: RuntimeMessageId | 'storage'; title: string; action: string } | null>(null);
  const assets = livenessAssets();
  let video!: HTMLVideoElement;
  let camera: CameraHandle | null = null;
  let session: LivenessSession | null = null;
  let stopped = false;
  const release = holdUpdates('face check');

  function cleanup() {
    stopped = true;
    session?.cancel();
    camera?.stop();
    camera = null;
    voice.stop();
  }
  onCleanup(() => {
    cleanup();
    release();
  });

  function fail(id: RuntimeMessageId | 'storage') {
    camera?.stop();
    camera = null;
    if (id === 'storage') setProblem({ id, title: t('check.storageFull'), action: '' });
    else {
      setProblem({ id, ...runtimeMessage(id, lang()) });
      // Said as well as shown (a denied camera above all): the person may not be looking.
      voice.say(runtimeSpeechId(id));
    }
    setPhase('error');
  }

  async function waitForAssets(): Promise<boolean> {
    prepareLivenessAssets();
    while (!stopped && assets().state !== 'ready') {
      if (assets().state === 'error') return false;
      await new Promise((r) => setTimeout(r, 250));
    }
    return !stopped;
  }

  async function run() {
    setProblem(null);
    setState(null);
    setPhase('assets');
    if (!(await waitForAssets())) return;
    setPhase('starting');
    const runtimeP = loadLivenessRuntime();
    runtimeP.catch(() => undefined);
    let challenge: CheckChallenge;
    try {
      camera = await openCamera(props.camera);
      if (stopped) return camera.stop();
      await attachCamera(camera, video);
    } catch (err) {
      return fail(`camera.${err instanceof CameraError ? err.code : 'unknown'}`);
    }
    let runtime;
    try {
      runtime = await runtimeP;
    } catch (err) {
      return fail(err instanceof RuntimeLoadError && err.kind === 'unsupported' ? 'engine.unsupported' : 'engine.load');
    }
    if (stopped) return;
    try {
      challenge = await beginCheck(props.userId);
      session = await createLivenessSession({
        runtime,
        camera: camera!,
        video,
        sequence: challenge.sequence,
        ...(challenge.id ? { challengeId: challenge.id } : {}),
        speaker: livenessSpeaker,
        onUpdate: ({ state: st }) => setState(st),
      });
    } catch {
      return fail('engine.load');
    }
    if (stopped) return session.cancel();
    setPhase('running');
    let outcome;
    try {
      outcome = await session.done;
    } catch {
      return fail('engine.load');
    } finally {
      camera?.stop();
      camera = null;
      session = null;
    }
    if (outcome.result.verdict === 'abandoned' && outcome.result.reason === 'user_cancelled') return props.onCancel();
    setPhase('saving');
    try {
      const evidence = await attemptEvidence(outcome);
      const attemptId = await recordAttempt({
        userId: props.userId,
        retireeId: props.retireeId,
        method: props.method,
        challenge,
        result: outcome.result,
        frames: evidence.frames,
        audio: evidence.audio,
      });
      props.onDone({ result: outcome.result, attemptId });
    } catch (err) {
      if (err instanceof StorageFullError) return fail('storage');
      // Evidence the server would refuse: keep the result alone rather than lose the check.
      try {
        const attemptId = await recordAttempt({ userId: props.userId, retireeId: props.retireeId, method: props.method, challenge, result: outcome.result });
        props.onDone({ result: outcome.result, attemptId });
      } catch {
        fail('storage');
      }
    }
  }

  function cancel() {
    if (session) {
      session.cancel();
      return;
    }
    cleanup();
    props.onCancel();
  }

  onMount(() => void run());

  const instruction = () => {
    const st = state();
    return st ? promptText(st.displayPromptId, lang(), { digits: st.digits ?? '' }) : t('check.getReady');
  };
  const stepLine = () => {
    const st = state();
    if (!st || st.stepIndex === null) return '';
    return t('check.step', { n: st.stepIndex + 1, total: st.stepCount });
  };

  return (
    <main class="screen check" data-testid="face-check" data-phase={phase()} data-verdict={state()?.verdict ?? ''}>
      <h1 class="visually-hidden">{t('check.title')}</h1>
      <div class="preview-ring" classList={{ hidden: phase() === 'error' || phase() === 'assets' }}>
        <video ref={video} class="preview" classList={{ mirrored: props.camera === 'front' }} muted playsinline autoplay aria-hidden="true" />
      </div>
      <Switch>
        <Match when={phase() === 'assets'}>
          <section class="asset-wait" data-testid="asset-wait">
            <AssetProgress />
          </section>
        </Match>
        <Match when={phase() === 'starting'}>
          <p class="instruction" aria-live="polite">
            {t('check.preparing')}
          </p>
        </Match>
        <Match when={phase() === 'running'}>
          <p class="step-line" data-testid="step-line">
            {stepLine()}
          </p>
          <p class="instruction" data-testid="instruction" aria-live="polite">
            {instruction()}
          </p>
          <progress class="gentle" max="1" value={state()?.progress ?? 0} aria-label={stepLine() || t('check.getReady')} />
        </Match>
        <Match when={phase() === 'saving'}>
          <p class="instruction" aria-live="polite">
            {t('check.saving')}
          </p>
        </Match>
        <Match when={phase() === 'error' && problem()}>
          {(p) => (
            <section class="check-problem" data-testid="check-problem" data-problem={p().id}>
              <p class="error" role="alert">
                {p().title}
              </p>
              <Show when={p().action}>
                <p>{p().action}</p>
              </Show>
              <Show when={p().id === 'camera.permission_denied'}>
                <h2>{t('check.allowAgain.title')}</h2>
                <ul class="plain-list">
                  <For each={['check.allowAgain.android', 'check.allowAgain.ios', 'check.allowAgain.app'] as const}>{(k) => <li>{t(k)}</li>}</For>
                </ul>
              </Show>
              <button class="primary" type="button" onClick={() => void run()}>
                {t('check.tryAgain')}
              </button>
            </section>
          )}
        </Match>
      </Switch>
      <Show when={phase() !== 'saving'}>
        <button class="secondary cancel" type="button" data-testid="check-cancel" onClick={cancel}>
          {phase() === 'error' ? t('nav.home') : t('check.cancel')}
        </button>
      </Show>
    </main>
  );
}
