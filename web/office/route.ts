// Where the office console is: one screen named in the URL hash with its filters as a query
// (`#/retirees?status=overdue&community=3`, `#/retirees/42`), so a number on the overview is a link,
// a filtered list can be bookmarked or sent to a colleague, and the browser's Back button works.
import { createSignal, onCleanup, type Accessor } from 'solid-js';

export const OFFICE_VIEWS = ['overview', 'retirees', 'retiree', 'queue', 'setup', 'people', 'lists', 'audit'] as const;
export type OfficeView = (typeof OFFICE_VIEWS)[number];

export interface OfficeRoute {
  view: OfficeView;
  /** The record a detail screen shows (`#/retirees/42` → retiree 42). */
  id: number | null;
  params: URLSearchParams;
}

type Params = Record<string, string | number | boolean | null | undefined>;

/** `#/retirees/42?tab=attempts` → { view: 'retiree', id: 42, params }; anything unknown is the overview. */
export function parseRoute(hash: string): OfficeRoute {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [name = '', rawId] = path.split('/');
  const params = new URLSearchParams(query);
  if (name === 'retirees' && rawId !== undefined) {
    const id = Number(rawId);
    return Number.isSafeInteger(id) && id > 0 ? { view: 'retiree', id, params } : { view: 'retirees', id: null, params };
  }
  const view = (OFFICE_VIEWS as readonly string[]).includes(name) && name !== 'retiree' ? (name as OfficeView) : 'overview';
  return { view, id: null, params };
}

/** The link to a screen; empty, null and false parameters are left out, so a link names only what filters. */
export function officeHref(view: Exclude<OfficeView, 'retiree'>, params: Params = {}): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) query.set(k, String(v));
  const q = query.toString();
  return `#/${view}${q ? `?${q}` : ''}`;
}

export const retireeHref = (id: number): string => `#/retirees/${id}`;

/** The current route as a signal. `go` adds a history entry; `replace` does not (a filter being typed). */
export function createOfficeRoute(): { route: Accessor<OfficeRoute>; go(href: string): void; replace(href: string): void } {
  const [route, setRoute] = createSignal<OfficeRoute>(parseRoute(location.hash));
  const onHash = () => setRoute(parseRoute(location.hash));
  window.addEventListener('hashchange', onHash);
  onCleanup(() => window.removeEventListener('hashchange', onHash));
  const move = (href: string, replace: boolean) => {
    if (location.hash === href) return;
    if (replace) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    const next = parseRoute(href);
    // A new screen starts at its top; a changed filter keeps the place on the page.
    if (next.view !== route().view || next.id !== route().id) window.scrollTo(0, 0);
    setRoute(next);
  };
  return { route, go: (href) => move(href, false), replace: (href) => move(href, true) };
}
