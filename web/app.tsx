// The top of the app: who is signed in decides which part of the app they see. Each role's part
// (web/retiree, web/family, web/worker, web/office) owns its screens and navigation. The retiree's part comes
// with the first screen; the others are loaded only for those roles (docs/decisions/045).
import { Match, onCleanup, onMount, Switch } from 'solid-js';
import { later } from './components/later.tsx';
import { lang, setLang, t } from './i18n/index.ts';
import { RetireeApp } from './retiree/RetireeApp.tsx';
import { SignIn } from './screens/SignIn.tsx';
import { UpdateBanner } from './pwa/UpdateBanner.tsx';
import { loadMe, me, meFromPhone } from './session.ts';
import { signUpOpen } from './screens/sign-up-route.ts';

const FamilyApp = later(() => import('./family/FamilyApp.tsx').then((m) => m.FamilyApp));
const WorkerApp = later(() => import('./worker/WorkerApp.tsx').then((m) => m.WorkerApp));
const OfficeApp = later(() => import('./office/OfficeApp.tsx').then((m) => m.OfficeApp));
const FamilySignUp = later(() => import('./family/FamilySignUp.tsx').then((m) => m.FamilySignUp));

export function App() {
  onMount(() => {
    document.documentElement.lang = lang();
    void loadMe();
    // Opened offline as the person kept on the phone: check with the server once it is back.
    const recheck = () => {
      if (meFromPhone()) void loadMe();
    };
    window.addEventListener('online', recheck);
    onCleanup(() => window.removeEventListener('online', recheck));
  });

  const role = () => me()?.user.role;
  return (
    <>
      <header class="topbar">
        <span class="brand">{t('app.name')}</span>
        <button class="lang" type="button" onClick={() => setLang(lang() === 'zh-CN' ? 'en' : 'zh-CN')}>
          {t('lang.switch')}
        </button>
      </header>
      <UpdateBanner />
      <Switch fallback={<p class="screen">{t('app.loading')}</p>}>
        <Match when={me() === null && signUpOpen()}>
          <FamilySignUp />
        </Match>
        <Match when={me() === null}>
          <SignIn />
        </Match>
        <Match when={role() === 'retiree'}>
          <RetireeApp />
        </Match>
        <Match when={role() === 'family'}>
          <FamilyApp />
        </Match>
        <Match when={role() === 'worker'}>
          <WorkerApp />
        </Match>
        <Match when={role() === 'admin'}>
          <OfficeApp />
        </Match>
      </Switch>
    </>
  );
}
