// A screen whose code is loaded when it is first shown (docs/decisions/045). Unlike solid's lazy(),
// it does not suspend: solid's lazy needs a <Suspense> above it, and that boundary would also catch
// every createResource read below it and blank the whole screen while a fetch is on its way. This
// one shows "Opening…" in its own place, and a plain message with one button if the code cannot be
// loaded (a first visit that lost its signal before the service worker kept the files).
import { createSignal, Match, Switch, type Component, type JSX } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { t } from '../i18n/index.ts';

// Record<string, any> is the constraint of solid's own Dynamic; interfaces of props fit it.
export type Later<P extends Record<string, any>> = ((props: P) => JSX.Element) & { preload(): Promise<Component<P>> };

export function later<P extends Record<string, any>>(load: () => Promise<Component<P>>): Later<P> {
  let loaded: Component<P> | undefined;
  let pending: Promise<Component<P>> | undefined;
  const preload = () =>
    (pending ??= load().then(
      (c) => (loaded = c),
      (err: unknown) => {
        pending = undefined; // the next try loads again
        throw err;
      },
    ));
  const Screen = (props: P) => {
    const [component, setComponent] = createSignal(loaded);
    const [failed, setFailed] = createSignal(false);
    const tryLoad = () => {
      setFailed(false);
      preload().then((c) => setComponent(() => c), () => setFailed(true));
    };
    if (!loaded) tryLoad();
    return (
      <Switch fallback={<p class="screen">{t('app.loading')}</p>}>
        <Match when={component()}>{(c) => <Dynamic component={c()} {...props} />}</Match>
        <Match when={failed()}>
          <main class="screen">
            <p role="alert">{t('app.notLoaded')}</p>
            <button class="primary" type="button" onClick={tryLoad}>
              {t('app.retry')}
            </button>
          </main>
        </Match>
      </Switch>
    );
  };
  return Object.assign(Screen, { preload });
}
