// After a check: a passed check says where it is (kept on the phone; sent and being matched to the
// retiree's face on the server; certified, spoken "认证成功"; or with the office: result-words.ts),
// and says it again, aloud, whenever that changes; or a failure in plain words with the one tip that
// fits the reason and "Try again". From the first failed check of the day it offers the other
// routes as actions (OtherRoutes.tsx): a home-visit request, how family can help, a call to the office.
import { createEffect, createMemo, createSignal, on, onCleanup, onMount, Show } from 'solid-js';
import type { LivenessResult } from '../../shared/liveness.ts';
import { useAttempts, useSyncSummary } from '../data/index.ts';
import { isHeld } from './held.ts';
import { t } from '../i18n/index.ts';
import { promptText, type PromptId } from '../liveness/prompts.ts';
import { lang } from '../i18n/index.ts';
import { ALTERNATIVES_AFTER, countsAsFailure } from './attempt-rules.ts';
import { InstallOffer } from './InstallOffer.tsx';
import { FamilyHowTo, OtherRoutes, routesSpeech } from './OtherRoutes.tsx';
import { passedStage, passedWords } from './result-words.ts';
import { say, voice } from './speech.ts';

/** A stage is spoken once it has held this long: "saved" is not said just before "sent" replaces it. */
const SETTLE_MS = 700;


export function CheckResult(props: {
  userId: number;
  retireeId: number;
  result: LivenessResult;
  attemptId: string | null;
  officePhone: string | null;
  /** The certified period's year (certifiedYear of the status), null while unknown. */
  periodYear: number | null;
  /** Show the add-to-home-screen offer (after the first successful check). */
  offerInstall?: boolean;
  onTryAgain(): void;
  onHome(): void;
}) {
  const attempts = useAttempts(() => props.userId, 50);
  const attempt = () => attempts().find((a) => a.id === props.attemptId);
  const passed = () => props.result.verdict === 'passed';
  const failedToday = createMemo(() => {
    const start = new Date();
    start.setHours(0, 0, 0, 0);
    return attempts().filter((a) => a.retireeId === props.retireeId && a.createdAt >= start.getTime() && countsAsFailure(a.result)).length;
  });
  const tipId = (): PromptId | null => (props.result.reason ? (`advice.${props.result.reason}` as PromptId) : null);

  const summary = useSyncSummary(() => props.userId);
  const stage = () => passedStage(attempt(), isHeld(summary()));
  // Family members check someone else: the words name the retiree (老人本人), not 您本人.
  const words = () => passedWords(stage(), attempt()?.method === 'family' ? 'other' : 'own');

  onMount(() => {
    if (passed()) return;
    if (tipId()) voice.say(tipId()!);
    else say('say.result.failed');
  });
  // A passed check: say where it is now, and again each time that changes (sent, then decided).
  let speakTimer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(stage, () => {
      if (!passed()) return;
      clearTimeout(speakTimer);
      speakTimer = setTimeout(() => say(words().say), SETTLE_MS);
    }),
  );
  onCleanup(() => clearTimeout(speakTimer));
  // The attempts load from the phone a moment later: once the other routes show, the tip is said
  // again with them, as one sentence (a new sentence cuts off the one before).
  const whose = () => (attempt()?.method === 'family' ? 'other' : 'own');
  const showRoutes = () => !passed() && failedToday() >= ALTERNATIVES_AFTER;
  let toldRoutes = false;
  createEffect(() => {
    if (showRoutes() && !toldRoutes) {
      toldRoutes = true;
      voice.sayAll([{ id: tipId() ?? 'say.result.failed' }, routesSpeech(whose(), props.officePhone)]);
    }
  });
  // 请家人帮忙 opens its explanation in place of the result (no pop-up); 返回 comes back.
  const [view, setView] = createSignal<'result' | 'family'>('result');

  return (
    <Show when={view() === 'result'} fallback={<FamilyHowTo userId={props.userId} onBack={() => setView('result')} />}>
      <main class="screen result" classList={{ compact: passed() && stage() !== 'certified' }} data-testid="check-result" data-verdict={props.result.verdict} data-sync={attempt()?.syncState ?? ''} data-stage={passed() ? stage() : ''}>
        <Show
          when={passed()}
          fallback={
            <>
              <h1>{props.result.reason === 'user_cancelled' ? t('result.cancelled.title') : t('result.failed.title')}</h1>
              <Show when={tipId()}>{(id) => <p class="tip">{t('result.tip', { tip: promptText(id(), lang()) })}</p>}</Show>
              <Show when={showRoutes()}>
                <OtherRoutes userId={props.userId} retireeId={props.retireeId} officePhone={props.officePhone} whose={whose()} onFamily={() => setView('family')} />
              </Show>
              <div class="main-action">
                <button class="primary" type="button" data-testid="result-try-again" onClick={() => props.onTryAgain()}>
                  {t('result.tryAgain')}
                </button>
              </div>
              <button class="secondary" type="button" onClick={() => props.onHome()}>
                {t('result.home')}
              </button>
            </>
          }
        >
          <Show when={words().icon === 'check'}>
            <svg class="big-check" classList={{ compact: stage() !== 'certified' }} viewBox="0 0 120 120" aria-hidden="true">
              <circle cx="60" cy="60" r="56" fill="#0b5d1e" />
              <path d="M32 62l18 18 38-40" fill="none" stroke="#fff" stroke-width="12" stroke-linecap="round" stroke-linejoin="round" />
            </svg>
          </Show>
          <Show when={words().icon === 'wait'}>
            <svg class="big-check" classList={{ compact: stage() !== 'certified' }} viewBox="0 0 120 120" aria-hidden="true">
              <circle cx="60" cy="60" r="56" fill="#0b3d91" />
              <path d="M60 28v34l22 14" fill="none" stroke="#fff" stroke-width="11" stroke-linecap="round" stroke-linejoin="round" />
            </svg>
          </Show>
          <h1 data-testid="result-title">{t(words().title)}</h1>
          <p class="saved" data-testid="result-sync" data-stage={stage()} aria-live="polite">
            {words().body ? (words().body === 'result.passed.sent' && props.periodYear === null ? t('result.passed.sentNoYear') : t(words().body!, { year: props.periodYear ?? '' })) : ''}
          </p>
          <Show when={props.offerInstall}>
            <InstallOffer />
          </Show>
          {/* At 特大 the office's longer words push it below a 360×640 screen: it keeps to the bottom (decision 065). */}
          <div class="main-action">
            <button class="primary" type="button" data-testid="result-home" onClick={() => props.onHome()}>
              {t('result.home')}
            </button>
          </div>
        </Show>
      </main>
    </Show>
  );
}
