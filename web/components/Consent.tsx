// The consent notice before the first face check: what the check does, that its pictures are compared
// with a reference photo on the server (issue 14), what is kept, for how long, who sees it, and the
// non-face alternative (on-site or a home visit). Either choice is recorded; after declining, the home
// visit is asked on the spot.
import { onMount, Show } from 'solid-js';
import type { ConsentChoice } from '../../shared/schemas/consent.ts';
import { t } from '../i18n/index.ts';
import { createVisitAsk, VisitAskState } from './OtherRoutes.tsx';
import { PhoneLink, spokenDigits } from './PhoneLink.tsx';
import { say } from './speech.ts';

export function Consent(props: { onChoose(choice: ConsentChoice): void; busy?: boolean }) {
  onMount(() => say('say.consent'));
  return (
    <main class="screen consent" data-testid="consent">
      <h1>{t('consent.title')}</h1>
      <p>{t('consent.what')}</p>
      <p>{t('consent.onPhone')}</p>
      <p>{t('consent.compare')}</p>
      <p>{t('consent.kept')}</p>
      <p class="alternative-note">{t('consent.alternative')}</p>
      {/* Both choices stay in sight at the bottom: the main one is not shown without the other (decision 065). */}
      <div class="main-action">
        <button class="primary" type="button" disabled={props.busy} onClick={() => props.onChoose('face')}>
          {t('consent.agree')}
        </button>
        <button class="secondary" type="button" disabled={props.busy} onClick={() => props.onChoose('alternative')}>
          {t('consent.decline')}
        </button>
      </div>
    </main>
  );
}

/**
 * After choosing the non-face route: the home visit it speaks of, asked here as the main action
 * (kept on the phone and sent with the next push, decision 094), the office's number as the second
 * route, and a way back to the face check.
 */
export function ConsentDeclined(props: { userId: number; retireeId: number; whose: 'own' | 'other'; officePhone: string | null; onChangeMind(): void; onHome(): void }) {
  const visit = createVisitAsk(props);
  // Said as shown, the number digit by digit (it was the one silent screen of the way to a check).
  onMount(() => (props.officePhone ? say('say.consent.declined', { digits: spokenDigits(props.officePhone) }) : say('say.consent.declined.noPhone')));
  return (
    <main class="screen consent" data-testid="consent-declined">
      <h1>{t('consent.declined.title')}</h1>
      {/* "Tap the button below" only while the button is there. */}
      <p data-testid="declined-body">{visit.asked() ? t('consent.declined.bodyAsked') : t('consent.declined.body')}</p>
      {/* The number the words name: a tel: link, whole on one line. */}
      {props.officePhone ? (
        <p>
          <PhoneLink message="home.callOffice" phone={props.officePhone} />
        </p>
      ) : null}
      <button class="secondary" type="button" onClick={() => props.onChangeMind()}>
        {t('consent.changeMind')}
      </button>
      {/* Below a 360×640 screen at 特大 otherwise (decision 065). Once asked, what became of the request
          shows where the button was, and 回到首页 is what is left to do. */}
      <div class="main-action">
        <div class="declined-visit-state" data-testid="declined-visit-state" aria-live="polite">
          <Show when={visit.asked()}>{(state) => <VisitAskState state={state()} whose={props.whose} />}</Show>
          <Show when={visit.failed()}>
            <p class="route-state error" role="alert">
              {t('result.route.worker.refused')}
            </p>
          </Show>
        </div>
        <Show when={!visit.asked()}>
          <button class="primary" type="button" data-testid="declined-visit" disabled={visit.saving() || visit.request() === null} onClick={() => void visit.ask()}>
            {t('result.route.worker')}
          </button>
        </Show>
        <button classList={{ primary: !!visit.asked(), secondary: !visit.asked() }} type="button" data-testid="declined-home" onClick={() => props.onHome()}>
          {t('nav.home')}
        </button>
      </div>
    </main>
  );
}
