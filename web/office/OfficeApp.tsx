// The social-security office's console (issue 16): a desktop screen (usable on a tablet) with the
// office's name and region, its screens (named in the URL hash, ./route.ts) and sign-out. Loaded
// only for office accounts (web/app.tsx), with its own strings and styles, so the retiree's app
// stays small.
import './catalog.ts';
import { Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import { t } from '../i18n/index.ts';
import { me, signOut } from '../session.ts';
import { AuditLog } from './AuditLog.tsx';
import { Lists } from './Lists.tsx';
import { lt } from './lists-text.ts';
import { Overview } from './Overview.tsx';
import { People } from './People.tsx';
import { pt } from './people-text.ts';
import { RetireePage, previousRoute } from './RetireePage.tsx';
import { Retirees } from './Retirees.tsx';
import { ReviewQueue } from './ReviewQueue.tsx';
import { createOfficeRoute, officeHref, type OfficeView } from './route.ts';
import { st } from './setup-text.ts';
import { YearSetup } from './YearSetup.tsx';
import './office.css';

export function OfficeApp() {
  const { route, go, replace } = createOfficeRoute();
  const view = () => route().view;
  // Where the clerk was before a retiree's page, so its "back" returns to the list as it was.
  const cameFrom = previousRoute(route);
  // The elder-sized root text (24 px) is for phones; the console is read at a desk.
  onMount(() => {
    document.documentElement.dataset.console = 'office';
    onCleanup(() => delete document.documentElement.dataset.console);
  });
  // A screen's tab stays current on its detail pages (a retiree's page is under Retirees).
  const tab = (name: Exclude<OfficeView, 'retiree'>, label: string) => (
    <a class="o-tab" href={officeHref(name)} data-testid={`office-nav-${name}`} aria-current={view() === name || (name === 'retirees' && view() === 'retiree') ? 'page' : undefined}>
      {label}
    </a>
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
          {tab('retirees', lt('o.rl.nav'))}
          {tab('queue', t('o.nav.queue'))}
          {tab('lists', lt('o.lists.nav'))}
          {tab('setup', st('o.nav.setup'))}
          {tab('people', pt('o.people.nav'))}
          {tab('audit', pt('o.audit.nav'))}
        </nav>
        <button type="button" class="o-signout" data-testid="sign-out" onClick={() => void signOut()}>
          {t('o.signOut')}
        </button>
      </section>
      <main class="o-main">
        <Switch>
          <Match when={view() === 'overview'}>
            <Overview openQueue={() => go(officeHref('queue'))} />
          </Match>
          <Match when={view() === 'retirees'}>
            <Retirees params={route().params} go={go} replace={replace} />
          </Match>
          <Match when={view() === 'lists'}>
            <Lists params={route().params} go={go} />
          </Match>
          <Match when={view() === 'queue'}>
            <ReviewQueue params={route().params} />
          </Match>
          <Match when={view() === 'setup'}>
            <YearSetup params={route().params} go={go} />
          </Match>
          <Match when={view() === 'people'}>
            <People params={route().params} replace={replace} />
          </Match>
          <Match when={view() === 'audit'}>
            <AuditLog params={route().params} go={go} />
          </Match>
          <Match when={view() === 'retiree' && route().id}>
            {(id) => <RetireePage id={id()} previous={cameFrom()} />}
          </Match>
        </Switch>
      </main>
    </div>
  );
}
