// After a check: success (big check mark, spoken "认证成功", saved-on-the-phone or received), or a
// failure in plain words with the one tip that fits the reason and "Try again". After 3 failed
// checks in a day it offers the other routes: family, a home visit, an on-site point, the office.
import { createEffect, createMemo, For, onMount, Show } from 'solid-js';
import type { LivenessResult } from '../../shared/liveness.ts';
import { useAttempts } from '../data/index.ts';
import { t } from '../i18n/index.ts';
import { promptText, type PromptId } from '../liveness/prompts.ts';
import { lang } from '../i18n/index.ts';
import { ALTERNATIVES_AFTER, countsAsFailure } from './attempt-rules.ts';
import { InstallOffer } from './InstallOffer.tsx';
import { say, voice } from './speech.ts';


export function CheckResult(props: {
  userId: number;
  retireeId: number;
  result: LivenessResult;
  attemptId: string | null;
  officePhone: string | null;
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

  onMount(() => {
    if (passed()) say('say.result.passed');
    else if (tipId()) voice.say(tipId()!);
    else say('say.result.failed');
  });
  // The attempts load from the phone a moment later: say the other routes once they show.
  let toldRoutes = false;
  createEffect(() => {
    if (!passed() && !toldRoutes && failedToday() >= ALTERNATIVES_AFTER) {
      toldRoutes = true;
      say('say.result.alternatives');
    }
  });

  return (
    <main class="screen result" data-testid="check-result" data-verdict={props.result.verdict} data-sync={attempt()?.syncState ?? ''}>
      <Show
        when={passed()}
        fallback={
          <>
            <h1>{props.result.reason === 'user_cancelled' ? t('result.cancelled.title') : t('result.failed.title')}</h1>
            <Show when={tipId()}>{(id) => <p class="tip">{t('result.tip', { tip: promptText(id(), lang()) })}</p>}</Show>
            <Show when={failedToday() >= ALTERNATIVES_AFTER}>
              <section class="alternatives" data-testid="alternatives" aria-labelledby="alt-title">
                <h2 id="alt-title">{t('result.alternatives.title')}</h2>
                <p>{t('result.alternatives.body')}</p>
                <ul class="plain-list">
                  <For each={['result.alt.family', 'result.alt.worker', 'result.alt.onsite'] as const}>{(k) => <li>{t(k)}</li>}</For>
                  <li>
                    <Show when={props.officePhone} fallback={t('result.alt.officeUnknown')}>
                      {(phone) => <a href={`tel:${phone().replace(/[^\d+]/g, '')}`}>{t('result.alt.office', { phone: phone() })}</a>}
                    </Show>
                  </li>
                </ul>
              </section>
            </Show>
            <button class="primary" type="button" onClick={() => props.onTryAgain()}>
              {t('result.tryAgain')}
            </button>
            <button class="secondary" type="button" onClick={() => props.onHome()}>
              {t('result.home')}
            </button>
          </>
        }
      >
        <svg class="big-check" viewBox="0 0 120 120" role="img" aria-label={t('result.passed.title')}>
          <circle cx="60" cy="60" r="56" fill="#0b5d1e" />
          <path d="M32 62l18 18 38-40" fill="none" stroke="#fff" stroke-width="12" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
        <h1>{t('result.passed.title')}</h1>
        <p class="saved" data-testid="result-sync" aria-live="polite">
          <Show
            when={attempt()?.syncState === 'sent' && attempt()?.outcome}
            fallback={t('result.passed.saved')}
          >
            {(o) => (o().kind === 'certified' || o().kind === 'already_certified' ? t('result.passed.sent', { year: new Date().getFullYear() }) : t(`sync.outcome.${o().kind}`))}
          </Show>
        </p>
        <Show when={props.offerInstall}>
          <InstallOffer />
        </Show>
        <button class="primary" type="button" onClick={() => props.onHome()}>
          {t('result.home')}
        </button>
      </Show>
    </main>
  );
}
