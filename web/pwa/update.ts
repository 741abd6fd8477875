// App updates without surprises. A new version's service worker installs in the background and
// waits (web/sw/update.ts); web/pwa/sw-register.ts calls offerUpdate() and the banner appears.
// Tapping it calls applyUpdate(), which waits until nothing holds updates — a face check running,
// an attempt being written — and only then lets the new worker take over and reloads.
import { createSignal, type Accessor } from 'solid-js';

const [ready, setReady] = createSignal(false);
const [requested, setRequested] = createSignal(false);
const [held, setHeld] = createSignal(false);
const holds = new Map<number, string>();
let nextHold = 1;
let activate: (() => void) | null = null;
let reloadPending = false;
let reloader: () => void = () => location.reload();

/** Called by the registration code when a new version is waiting; `go` lets it take over. */
export function offerUpdate(go: () => void): void {
  activate = go;
  setReady(true);
  proceed();
}

export function updateReady(): Accessor<boolean> {
  return ready;
}

/** True after a tap on "update" while something still holds it (the banner says it will follow). */
export function updateRequested(): Accessor<boolean> {
  return requested;
}

/** True while a check or a write holds updates. */
export function updatesHeld(): Accessor<boolean> {
  return held;
}

export function holdUpdates(reason: string): () => void {
  const id = nextHold++;
  holds.set(id, reason);
  setHeld(true);
  return () => {
    if (!holds.delete(id)) return;
    setHeld(holds.size > 0);
    proceed();
  };
}

export function applyUpdate(): void {
  if (!ready()) return;
  setRequested(true);
  proceed();
}

/** The new version controls the page: reload into it as soon as nothing holds updates. */
export function reloadWhenFree(reload: () => void = () => location.reload()): void {
  reloadPending = true;
  reloader = reload;
  proceed();
}

function proceed(): void {
  if (holds.size > 0) return;
  if (reloadPending) {
    reloadPending = false;
    reloader();
    return;
  }
  if (requested() && activate) {
    const go = activate;
    activate = null;
    go();
  }
}

/** For tests of this module only. */
export function resetUpdateStateForTests(): void {
  holds.clear();
  setHeld(false);
  setReady(false);
  setRequested(false);
  activate = null;
  reloadPending = false;
}
