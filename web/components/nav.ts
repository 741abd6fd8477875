// Screen navigation for the retiree and family parts: one screen at a time, named in the URL hash
// so the phone's Back button works. Screens that only make sense mid-flow (the check, its result)
// are never restored from a reload or a history entry: those open Home instead.
import { createSignal, onCleanup, type Accessor } from 'solid-js';

export function createNav<S extends string>(screens: readonly S[], home: S, transient: readonly S[] = []): { screen: Accessor<S>; go(next: S): void; back(): void } {
  const parse = (): S => {
    const name = location.hash.replace(/^#\/?/, '') as S;
    return screens.includes(name) && !transient.includes(name) ? name : home;
  };
  const [screen, setScreen] = createSignal<S>(parse());
  // A new part of the app (just signed in): start at the top, not where the sign-in form was.
  window.scrollTo(0, 0);
  const onHash = () => {
    const name = location.hash.replace(/^#\/?/, '') as S;
    // Back from the check lands on whatever was before it; a transient screen is never re-entered.
    const next: S = screens.includes(name) && (!transient.includes(name) || name === screen()) ? name : home;
    setScreen(() => next);
  };
  window.addEventListener('hashchange', onHash);
  onCleanup(() => window.removeEventListener('hashchange', onHash));
  return {
    screen,
    go(next) {
      setScreen(() => next);
      const hash = next === home ? '' : `#/${next}`;
      if (location.hash !== hash) history.pushState(null, '', hash || location.pathname + location.search);
      window.scrollTo(0, 0);
    },
    back() {
      history.back();
    },
  };
}
