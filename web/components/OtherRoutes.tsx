// The other routes after a failed check (issue 17, decision 078), as actions: ask the community
// worker to come (a home-visit request, kept on the phone and sent like a check), how a family member
// starts helping (and who already can), and a tap-to-call button for the office (or the 12333
// hotline when the phone does not know the office's number). Each says only what is true: "已请求上门"
// once the server has stored it, "saved, will be sent" while it waits for signal.
import { createEffect, createSignal, For, on, onMount, Show } from 'solid-js';
import { recordVisitRequest, useLinks, useVisitRequest } from '../data/index.ts';
import { relationText } from '../family/relation.ts';
import { formatDate, lang, t } from '../i18n/index.ts';
import { Dated } from './Dated.tsx';
import { say } from './speech.ts';
import { dialDigits, PhoneWords, spokenDigits } from './PhoneLink.tsx';

/** The phone's own calendar day of a time, as formatDate takes it. */
export const localDay = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/**
 * Asking the community worker to come (decision 078): the request is kept on the phone and sent with
 * the next push, and what it says aloud follows where the request stands after the tap. Shared by
 * the other routes and the screen after declining the face check (decision 094).
 */
export function createVisitAsk(props: { userId: number; retireeId: number; whose: 'own' | 'other' }) {
  const request = useVisitRequest(() => ({ userId: props.userId, retireeId: props.retireeId }));
  const [saving, setSaving] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  let tapped = false;

  async function ask() {
    setSaving(true);
    setFailed(false);
    try {
      await recordVisitRequest({ userId: props.userId, retireeId: props.retireeId });
      tapped = true;
    } catch {
      setFailed(true);
      say('say.route.worker.refused');
    } finally {
      setSaving(false);
    }
  }
  // Said once the phone knows where the request stands after the tap: saved, then stored.
  createEffect(
    on(
      () => request()?.state,
      (state) => {
        if (!tapped) return;
        if (state === 'waiting') say('say.route.worker.waiting');
        else if (state === 'open') say(props.whose === 'own' ? 'say.route.worker.open' : 'say.route.worker.open.other');
        else if (state === 'refused') say('say.route.worker.refused');
      },
    ),
  );
  /** Asked and kept (waiting to be sent, stored, or refused by the server): the words replace the button. */
  const asked = (): AskedState | null => {
    const r = request();
    return r?.state === 'waiting' || r?.state === 'open' || r?.state === 'refused' ? r : null;
  };
  return { request, asked, saving, failed, ask };
}

/** A request asked on this phone or stored: waiting to be sent, open since a day, or refused. */
type AskedState = Exclude<NonNullable<ReturnType<ReturnType<typeof useVisitRequest>>>, { state: 'none' }>;

/** Where the request stands, in the words the result screen and Home use. */
export function VisitAskState(props: { state: AskedState; whose: 'own' | 'other' }) {
  return (
    <>
      <Show when={props.state.state === 'waiting'}>
        <p class="route-state">{t('result.route.worker.waiting')}</p>
      </Show>
      <Show when={props.state.state === 'open' ? (props.state as { requestedAt: number }) : null}>
        {(open) => (
          <>
            <p class="route-state">{t(props.whose === 'own' ? 'result.route.worker.open' : 'result.route.worker.open.other')}</p>
            <p class="route-date">
              <Dated text={t('result.route.worker.openOn', { date: formatDate(localDay(open().requestedAt)) })} dates={[formatDate(localDay(open().requestedAt))]} />
            </p>
          </>
        )}
      </Show>
      <Show when={props.state.state === 'refused'}>
        <p class="route-state error">{t('result.route.worker.refused')}</p>
      </Show>
    </>
  );
}

export function OtherRoutes(props: {
  userId: number;
  retireeId: number;
  officePhone: string | null;
  /** 'own': the retiree's phone; 'other': a family member's, who is the family help already. */
  whose: 'own' | 'other';
  onFamily(): void;
}) {
  const { request, asked, saving, failed, ask } = createVisitAsk(props);

  return (
    <section class="routes" data-testid="alternatives" aria-labelledby="routes-title">
      <h2 id="routes-title">{t('result.routes.title')}</h2>
      <div class="route-worker" data-testid="route-worker" data-state={request()?.state ?? ''} aria-live="polite">
        <Show
          when={asked()}
          fallback={
            <button class="route" type="button" data-testid="route-worker-ask" disabled={saving() || request() === null} onClick={() => void ask()}>
              {t('result.route.worker')}
            </button>
          }
        >
          {(state) => <VisitAskState state={state()} whose={props.whose} />}
        </Show>
        <Show when={failed()}>
          <p class="route-state error" role="alert">{t('result.route.worker.refused')}</p>
        </Show>
      </div>
      <Show when={props.whose === 'own'}>
        <button class="route" type="button" data-testid="route-family" onClick={() => props.onFamily()}>
          {t('result.route.family')}
        </button>
      </Show>
      <Show
        when={props.officePhone}
        fallback={
          <a class="route call" data-testid="route-call" href="tel:12333">
            {t('result.route.hotline')}
          </a>
        }
      >
        {(phone) => (
          <a class="route call" data-testid="route-call" href={`tel:${dialDigits(phone())}`}>
            <PhoneWords message="result.route.call" phone={phone()} />
          </a>
        )}
      </Show>
    </section>
  );
}

/** What the routes say aloud when they appear, with the office's number digit by digit. */
export function routesSpeech(whose: 'own' | 'other', officePhone: string | null): { id: string; vars?: { digits: string } } {
  const base = whose === 'own' ? 'say.result.routes' : 'say.result.routes.other';
  return officePhone ? { id: base, vars: { digits: spokenDigits(officePhone) } } : { id: `${base}.hotline` };
}

/**
 * How a family member starts helping, in large words, spoken: they sign up in this app and ask to
 * be linked, and the retiree agrees on Home (decision 070). A retiree who already has a helper is
 * told who, truthfully, from the links the phone last pulled.
 */
export function FamilyHowTo(props: { userId: number; onBack(): void }) {
  const links = useLinks(() => props.userId);
  const helpers = () => links().helpers;
  // Opened from a button further down the result: start at the top of the words.
  onMount(() => window.scrollTo(0, 0));
  createEffect(on(() => helpers().length > 0, (linked) => say(linked ? 'say.route.family.linked' : 'say.route.family')));
  return (
    <main class="screen result family-howto" data-testid="family-howto" data-linked={helpers().length > 0 ? 'yes' : 'no'}>
      <h1>{t('result.route.family')}</h1>
      <Show
        when={helpers().length > 0}
        fallback={
          <>
            <p>{t('result.family.intro')}</p>
            <ol class="plain-list steps">
              <For each={['result.family.step1', 'result.family.step2', 'result.family.step3'] as const}>{(k) => <li>{t(k)}</li>}</For>
            </ol>
          </>
        }
      >
        <p data-testid="family-linked">
          {t('result.family.linked', {
            names: helpers()
              .map((h) => (lang() === 'zh-CN' ? `${h.name}（${relationText(h.relation)}）` : `${h.name} (${relationText(h.relation)})`))
              .join(lang() === 'zh-CN' ? '、' : ', '),
          })}
        </p>
      </Show>
      <div class="main-action">
        <button class="primary" type="button" data-testid="family-howto-back" onClick={() => props.onBack()}>
          {t('result.family.back')}
        </button>
      </div>
    </main>
  );
}
