import { Match, onMount, Switch } from 'solid-js';
import { lang, setLang, t } from './i18n/index.ts';
import { Home } from './screens/Home.tsx';
import { SignIn } from './screens/SignIn.tsx';
import { loadMe, me } from './session.ts';

export function App() {
  onMount(() => {
    document.documentElement.lang = lang();
    void loadMe();
  });

  return (
    <>
      <header class="topbar">
        <span class="brand">{t('app.name')}</span>
        <button class="lang" type="button" onClick={() => setLang(lang() === 'zh-CN' ? 'en' : 'zh-CN')}>
          {t('lang.switch')}
        </button>
      </header>
      <Switch fallback={<p class="screen">{t('app.loading')}</p>}>
        <Match when={me() === null}>
          <SignIn />
        </Match>
        <Match when={me()}>
          <Home />
        </Match>
      </Switch>
    </>
  );
}
