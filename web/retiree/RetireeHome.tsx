// Home: one status card from the certification rules, one huge "Start face check" button when a
// check would help, the sync line, and the office phone. Works offline from the kept status.
import { createEffect, createMemo, onCleanup, Show } from 'solid-js';
import { useAttempts, useSyncSummary } from '../data/index.ts';
import { Dated, statusDates } from '../components/Dated.tsx';
import { isHeld } from '../components/held.ts';
import { PhoneLink } from '../components/PhoneLink.tsx';
import { ReadAloud } from '../components/ReadAloud.tsx';
import { readLines, said } from '../components/said.ts';
import { say, voice } from '../components/speech.ts';
import type { StatusSource } from '../components/status.ts';
import { SyncStatus } from '../components/SyncStatus.tsx';
import { t } from '../i18n/index.ts';
import { me } from '../session.ts';
import { FamilyRequestPrompt } from './FamilyRequestPrompt.tsx';
import { statusText } from '../status-text.ts';
import { VisitRequestLine } from './VisitRequestLine.tsx';

/** What Home shows settles this long after it opens (the kept status, the saved checks) before it speaks. */
const SETTLE_MS = 700;

export function StatusCard(props: { status: StatusSource; userId: number; retireeId: number; whose?: 'own' | 'other' }) {
  const text = () => {
    const s = props.status.status();
    return s ? statusText(s.status, props.whose) : null;
  };
  const dates = () => {
    const s = props.status.status();
    return s ? statusDates(s.status) : [];
  };
  const attempts = useAttempts(() => props.userId, 5);
  // A passed check that the server has not answered yet: the card says it is done and kept here.
  const savedHere = createMemo(() => attempts().some((a) => a.retireeId === props.retireeId && a.result.verdict === 'passed' && (a.syncState === 'waiting' || a.syncState === 'sending')));
  return (
    <Show
      when={text()}
      fallback={
        <section class="status-card quiet" data-testid="status-card" data-state="unknown">
          <p {...said({ key: 'home.noStatus' })}>{t('home.noStatus')}</p>
        </section>
      }
    >
      {(s) => (
        <section class={`status-card ${s().tone}`} data-testid="status-card" data-state={props.status.status()?.status.state} aria-live="polite">
          {/* Each date kept whole on its line (decision 094): "2026年12" / "月31日" at 特大. */}
          <h2 {...said(s().lines.title)}>
            <Dated text={s().title} dates={dates()} />
          </h2>
          <Show when={s().lines.detail}>
            {(detail) => (
              <p {...said(detail())}>
                <Dated text={s().detail} dates={dates()} />
              </p>
            )}
          </Show>
          <Show when={savedHere()}>
            <p class="saved-here" data-testid="saved-here" {...said({ key: 'home.savedLocal' })}>
              {t('home.savedLocal')}
            </p>
          </Show>
          <Show when={props.status.fromPhone()}>
            <p class="from-phone" {...said({ key: 'home.fromPhone' })}>
              {t('home.fromPhone')}
            </p>
          </Show>
        </section>
      )}
    </Show>
  );
}

export function OfficePhone(props: { phone: string | null }) {
  return (
    <Show when={props.phone}>
      {(phone) => (
        <p class="office" {...said({ key: 'home.office', values: { phone: { digits: phone() } } })}>
          <PhoneLink message="home.office" phone={phone()} />
        </p>
      )}
    </Show>
  );
}

export function RetireeHome(props: {
  userId: number;
  retireeId: number;
  status: StatusSource;
  busy: boolean;
  onStart(): void;
  go(screen: 'history' | 'settings' | 'help'): void;
}) {
  const attempts = useAttempts(() => props.userId, 5);
  const savedHere = () => attempts().some((a) => a.retireeId === props.retireeId && a.result.verdict === 'passed' && a.syncState !== 'sent' && a.syncState !== 'attention');
  // No status known at all (first start with no signal): a check can still be done and kept.
  const checkUseful = () => {
    const s = props.status.status();
    if (savedHere()) return false;
    return s ? statusText(s.status).checkUseful : true;
  };
  // Once the status is known (from the server or kept on the phone) and the saved checks are read,
  // Home says what its card says (decision 093: "do I have to do anything?" is what an old person
  // opens it for), then "请点下面的大按钮" only if that button still shows after they settle. The rest
  // of the screen is read by 读给我听.
  let main!: HTMLElement;
  let toldStart = false;
  // Someone who has already tapped something on Home (读给我听, 取消上门请求, 同意) is not talked over.
  let acted = false;
  let startTimer: ReturnType<typeof setTimeout> | undefined;
  createEffect(() => {
    checkUseful();
    if (toldStart || !props.status.status()) return clearTimeout(startTimer);
    clearTimeout(startTimer);
    startTimer = setTimeout(() => {
      if (toldStart || acted) return;
      toldStart = true;
      const card = main.querySelector('[data-testid="status-card"]');
      const lines = card ? readLines(card).map((l) => ({ id: l.key, vars: { values: l.values ?? {} } })) : [];
      // A family member's request above the card was said when it appeared: this would cut it off, so it comes first again.
      const asked = main.querySelector('[data-testid="family-ask"]') ? [{ id: 'say.family.ask' }] : [];
      voice.sayAll([...asked, ...lines, ...(checkUseful() ? [{ id: 'say.home.start' }] : [])]);
    }, SETTLE_MS);
  });
  onCleanup(() => clearTimeout(startTimer));
  // The sync line says the server's daily quota holds the records until tomorrow: said aloud too, once.
  const summary = useSyncSummary(() => props.userId);
  let toldHeld = false;
  createEffect(() => {
    if (!toldHeld && isHeld(summary())) {
      toldHeld = true;
      say('say.sync.held');
    }
  });

  return (
    <main class="screen home" data-testid="retiree-home" ref={main} onPointerDown={() => (acted = true)} onKeyDown={() => (acted = true)}>
      <h1 {...said({ key: 'home.greeting', values: { name: { text: me()?.user.displayName ?? '' } } })}>{t('home.greeting', { name: me()?.user.displayName ?? '' })}</h1>
      {/* A family member's request comes before 读给我听: its 同意 / 不同意 stay in sight at 360×640 (decision 065). */}
      <FamilyRequestPrompt userId={props.userId} retireeId={props.retireeId} />
      <ReadAloud />
      <StatusCard status={props.status} userId={props.userId} retireeId={props.retireeId} />
      <Show when={checkUseful()}>
        {/* In sight on a 360×640 phone at 特大 too, where the status card's three lines push it down (decision 065). */}
        <div class="main-action">
          <button class="primary huge" type="button" data-testid="start-check" disabled={props.busy} onClick={() => props.onStart()} {...said({ key: 'home.start' })}>
            {t('home.start')}
          </button>
        </div>
      </Show>
      <VisitRequestLine userId={props.userId} retireeId={props.retireeId} />
      <SyncStatus userId={props.userId} />
      <OfficePhone phone={props.status.status()?.officePhone ?? null} />
      <nav class="home-nav" aria-label={t('nav.home')}>
        <button class="secondary" type="button" onClick={() => props.go('history')} {...said({ key: 'nav.history' })}>
          {t('nav.history')}
        </button>
        <button class="secondary" type="button" onClick={() => props.go('settings')} {...said({ key: 'nav.settings' })}>
          {t('nav.settings')}
        </button>
        <button class="secondary" type="button" onClick={() => props.go('help')} {...said({ key: 'nav.help' })}>
          {t('nav.help')}
        </button>
      </nav>
    </main>
  );
}
