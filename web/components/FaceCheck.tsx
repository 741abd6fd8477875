// The face check screen, for a retiree on their own phone (front camera) and for a helper holding
// the phone (rear camera; family members always): the elder view over the one face-check
// controller (web/face-check/create-face-check.ts, decision 062), which waits for the liveness
// assets, opens the camera, runs one check, saves it durably and hands the outcome to the caller.
// This view shows each step in large type and says problems aloud. Cancel works at every moment.
// Nothing ends the check on a timer: after a while on one step it shows what it waits for, with a
// moving drawing, "换一个动作" and "暂停" (decision 076); a paused check waits for "继续" (077).
import { createEffect, For, Match, on, onMount, Show, Switch } from 'solid-js';
import { ActionPicture } from '../face-check/ActionPicture.tsx';
import { createFaceCheck, type CheckOutcome } from '../face-check/create-face-check.ts';
import { createWaitingVoice } from '../face-check/waiting-voice.ts';
import { lang, t } from '../i18n/index.ts';
import { promptText } from '../liveness/prompts.ts';
import { runtimeMessage, type CameraMode } from '../liveness/runtime/index.ts';
import { AssetProgress } from '../pwa/AssetProgress.tsx';
import { runtimeSpeechId } from '../voice/speakable.ts';
import { say, voice } from './speech.ts';

export type { CheckOutcome };

export interface FaceCheckProps {
  userId: number;
  retireeId: number;
  method: 'self' | 'family';
  camera: CameraMode;
  onDone(outcome: CheckOutcome): void;
  onCancel(): void;
}

export function FaceCheck(props: FaceCheckProps) {
  let video!: HTMLVideoElement;
  // The check's prompts in the app voice; while the waiting help shows, with its sentence (decision 076).
  const waitingVoice = createWaitingVoice({ voice, waiting: () => check.waiting(), helpWords: () => waitingWords() });
  const check = createFaceCheck({
    userId: props.userId,
    retireeId: props.retireeId,
    method: props.method,
    camera: props.camera,
    start: 'auto',
    video: () => video,
    speaker: waitingVoice.speaker,
    onDone: (o) => props.onDone(o),
    onCancel: () => props.onCancel(),
  });
  onMount(() => check.begin());
  const state = check.state;
  const phase = () => {
    const p = check.phase();
    // The view's names (e2e tests and CSS read them): the camera opening is "starting".
    return p === 'camera' || p === 'ready' ? 'starting' : p === 'problem' ? 'error' : p;
  };
  const problem = () => {
    const p = check.problem();
    if (!p) return null;
    if (p.id === 'storage' || p.id === 'save') return { id: p.id, title: t('check.storageFull'), action: '' };
    return { id: p.id, ...runtimeMessage(p.id, lang()) };
  };
  // Said as well as shown (a denied camera above all): the person may not be looking.
  createEffect(
    on(check.problem, (p) => {
      if (p && p.id !== 'storage' && p.id !== 'save') voice.say(runtimeSpeechId(p.id));
    }),
  );

  const waiting = check.waiting;
  const canSwap = () => state()?.canSwap === true;
  const waitingWords = (): 'say.check.waiting' | 'say.check.waitingNoSwap' => (canSwap() ? 'say.check.waiting' : 'say.check.waitingNoSwap');
  // The instruction and the help are said as it appears (another action starts the step's time again).
  createEffect(
    on(
      waiting,
      (w) => {
        const st = state();
        if (w && st) waitingVoice.helpShown(st.displayPromptId, st.digits !== undefined ? { digits: st.digits } : {});
      },
      { defer: true },
    ),
  );
  // A pause the person chose is said; one for a call or a locked screen is over before anyone looks.
  createEffect(on(check.phase, (p) => p === 'paused' && check.pausedBy() === 'person' && say('say.check.paused'), { defer: true }));

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
    <main
      class="screen check"
      classList={{ waiting: waiting() }}
      data-testid="face-check"
      data-phase={phase()}
      data-verdict={state()?.verdict ?? ''}
      data-action={state()?.action ?? ''}
      data-waiting={waiting() ? 'yes' : 'no'}
    >
      <h1 class="visually-hidden">{t('check.title')}</h1>
      <div class="check-view">
        <div class="preview-ring" classList={{ hidden: phase() === 'error' || phase() === 'assets' || phase() === 'paused' }}>
          <video ref={video} class="preview" classList={{ mirrored: props.camera === 'front' }} muted playsinline autoplay aria-hidden="true" />
        </div>
        <Show when={waiting()}>
          <ActionPicture action={state()?.action ?? 'look_straight'} />
        </Show>
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
          <Show when={!waiting()}>
            <p class="step-line" data-testid="step-line">
              {stepLine()}
            </p>
          </Show>
          <p class="instruction" data-testid="instruction" aria-live="polite">
            {instruction()}
          </p>
          <Show when={waiting()} fallback={<progress class="gentle" max="1" value={state()?.progress ?? 0} aria-label={stepLine() || t('check.getReady')} />}>
            <section class="waiting-help" data-testid="waiting-help">
              <p class="waiting-note">{t(waitingWords())}</p>
              <div class="waiting-actions">
                <Show when={canSwap()}>
                  <button class="secondary" type="button" data-testid="check-swap" onClick={() => check.swap()}>
                    {t('check.swap')}
                  </button>
                </Show>
                <button class="secondary" type="button" data-testid="check-pause" onClick={() => check.pause()}>
                  {t('check.pause')}
                </button>
              </div>
            </section>
          </Show>
        </Match>
        <Match when={phase() === 'paused'}>
          <section class="check-paused" data-testid="check-paused" data-by={check.pausedBy() ?? ''}>
            <p class="instruction" aria-live="polite">
              {t('say.check.paused')}
            </p>
            <button class="primary huge" type="button" data-testid="check-resume" onClick={() => check.resume()}>
              {t('check.resume')}
            </button>
          </section>
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
              <button class="primary" type="button" onClick={() => check.retry()}>
                {t('check.tryAgain')}
              </button>
            </section>
          )}
        </Match>
      </Switch>
      <Show when={phase() !== 'saving'}>
        <button class="secondary cancel" type="button" data-testid="check-cancel" onClick={() => (phase() === 'error' ? props.onCancel() : check.cancel())}>
          {phase() === 'error' ? t('nav.home') : t('check.cancel')}
        </button>
      </Show>
    </main>
  );
}
