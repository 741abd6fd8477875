// The social-security office's console (issue 16): a desktop screen (usable on a tablet) with the
// office's name and region, Overview and Review queue, and sign-out. Loaded only for office
// accounts (web/app.tsx), with its own strings and styles, so the retiree's app stays small.
import './catalog.ts';
import { createSignal, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import { t } from '../i18n/index.ts';
import { me, signOut } from '../session.ts';
import { Overview } from './Overview.tsx';
import { ReviewQueue } from './ReviewQueue.tsx';
import './office.css';

export type OfficeView = 'overview' | 'queue';

export function OfficeApp() {
  const [view, setView] = createSignal<OfficeView>('overview');
  // The elder-sized root text (24 px) is for phones; the console is read at a desk.
  onMount(() => {
    document.documentElement.dataset.console = 'office';
    onCleanup(() => delete document.documentElement.dataset.console);
  });
  const go = (next: OfficeView) => {
    setView(next);
    window.scrollTo(0, 0);
  };
  const tab = (name: OfficeView, label: string) => (
    <button type="button" class="o-tab" data-testid={`office-nav-${name}`} aria-current={view() === name ? 'page' : undefined} onClick={() => go(name)}>
      {label}
    </button>
  );

  return (
    <div class="office-console" data-testid="office-app">
      <section class="o-bar" aria-label={t('o.console')}>
        <div class="o-who">
          <p class="o-office" data-testid="office-region">
            {t('o.console')}
            <Show when={me()?.region} fallback={<> · {t('o.allRegions')}</>}>
              {(r) => <> · {r().name}</>}
            </Show>
          </p>
          <p class="o-user">{me()?.user.displayName}</p>
        </div>
        <nav class="o-nav" aria-label={t('o.nav')}>
          {tab('overview', t('o.nav.overview'))}
          {tab('queue', t('o.nav.queue'))}
        </nav>
        <button type="button" class="o-signout" data-testid="sign-out" onClick={() => void signOut()}>
          {t('o.signOut')}
        </button>
      </section>
      <main class="o-main">
        <Switch>
          <Match when={view() === 'overview'}>
            <Overview openQueue={() => go('queue')} />
          </Match>
          <Match when={view() === 'queue'}>
            <ReviewQueue />
          </Match>
        </Switch>
      </main>
    </div>
  );
}
