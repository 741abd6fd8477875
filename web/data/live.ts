// The one way components read the phone database: a Solid accessor over a Dexie live query. It
// re-runs when the data it read changes (in this tab, another tab, or the service worker) and when
// the reactive `source` changes; it unsubscribes when the component goes away.
import { createEffect, createSignal, onCleanup, type Accessor } from 'solid-js';
import { liveQuery } from './db.ts';

/**
 * `source` is tracked (like createResource): when it returns null/undefined/false, the query is
 * not run and the value falls back to `initial`.
 */
export function createLive<S, T>(source: Accessor<S | null | undefined | false>, query: (s: S) => Promise<T>, initial: T): Accessor<T> {
  const [value, setValue] = createSignal<T>(initial);
  createEffect(() => {
    const s = source();
    if (s === null || s === undefined || s === false) {
      setValue(() => initial);
      return;
    }
    const sub = liveQuery(() => query(s)).subscribe({
      next: (v) => setValue(() => v),
      error: (err) => console.error('live query failed', err),
    });
    onCleanup(() => sub.unsubscribe());
  });
  return value;
}
