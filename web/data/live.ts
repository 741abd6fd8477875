// The one way components read the phone database: a Solid accessor over a Dexie live query. It
// re-runs when the data it read changes (in this tab, another tab, or the service worker) and when
// the reactive `source` changes; it unsubscribes when the component goes away.
//
// The database code is loaded on first use (./local.ts, decision 045): until it is there, and
// while `source` is empty, the value is `initial`.
import { createEffect, createSignal, onCleanup, type Accessor } from 'solid-js';
import type * as Local from './local.ts';

export type LocalData = typeof Local;

/** The database side of web/data, loaded once (the service worker precaches its chunk). */
export const loadLocal = (): Promise<LocalData> => import('./local.ts');

/**
 * `source` is tracked (like createResource): when it returns null/undefined/false, the query is
 * not run and the value falls back to `initial`.
 */
export function createLive<S, T>(source: Accessor<S | null | undefined | false>, query: (local: LocalData, s: S) => Promise<T>, initial: T): Accessor<T> {
  const [value, setValue] = createSignal<T>(initial);
  createEffect(() => {
    const s = source();
    if (s === null || s === undefined || s === false) {
      setValue(() => initial);
      return;
    }
    let sub: { unsubscribe(): void } | undefined;
    let gone = false;
    onCleanup(() => {
      gone = true;
      sub?.unsubscribe();
    });
    loadLocal().then(
      (local) => {
        if (gone) return;
        sub = local.liveQuery(() => query(local, s)).subscribe({
          next: (v) => setValue(() => v),
          error: (err) => console.error('live query failed', err),
        });
      },
      (err: unknown) => console.error('live query failed', err),
    );
  });
  return value;
}
