// Who is signed in, shared by every screen. `me` is undefined while loading, null when signed out.
//
// The last `me` the server confirmed is kept on the phone: with no network the app opens signed in
// as that person (the server still checks the session cookie on every sync), so a retiree can do a
// check in a village with no signal. A 401 from the server is the only thing that signs out
// without the person asking; a sign-out they ask for without signal is finished once there is signal.
import { createSignal } from 'solid-js';
import { AUTH, type Me } from '../shared/schemas/auth.ts';
import { ApiError, call } from './api/client.ts';
import { forgetMe, rememberedMe, rememberMe, rememberOfflineSignOut, wasSignedOutOffline } from './data/index.ts';

const [me, setMeSignal] = createSignal<Me | null | undefined>(undefined);
/** True when `me` came from the phone because the server could not be reached. */
const [meFromPhone, setMeFromPhone] = createSignal(false);
/**
 * Why the server ended this phone's session, when someone else ended it: 'pin_reset' when the
 * office's re-activation reset the PIN (the sign-in screen says so). Cleared by the next sign-in.
 */
const [signedOutBecause, setSignedOutBecause] = createSignal<'pin_reset' | null>(null);
export { me, meFromPhone, signedOutBecause };

/** After a sign-in or a change to the profile: show it and keep it for offline use. */
export function setMe(value: Me | null): void {
  if (value) setSignedOutBecause(null);
  setMeSignal(value);
  setMeFromPhone(false);
  void (value ? rememberMe(value) : forgetMe()).catch(() => undefined);
}

export async function loadMe(): Promise<void> {
  let confirmed: Me;
  try {
    confirmed = await call(AUTH.me);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setSignedOutBecause(err.details.sessionEnded === 'pin_reset' ? 'pin_reset' : null);
      setMe(null);
      return;
    }
    // No network, or the server is down: carry on as the person last signed in on this phone.
    // Nobody kept: the sign-in screen, which says there is no network when it is used.
    const kept = await rememberedMe().catch(() => undefined);
    setMeSignal(kept ?? null);
    setMeFromPhone(kept !== undefined);
    return;
  }
  // The cookie of a session signed out of without signal is still in the browser: end it now,
  // before the app shows that person's screens again.
  const stale = await wasSignedOutOffline(seenOf(confirmed)).catch(() => false);
  if (stale) await signOut(confirmed);
  else setMe(confirmed);
}

const seenOf = (m: Me) => ({ userId: m.user.id, startedAt: m.sessionStartedAt, expiresAt: m.sessionExpiresAt });

/**
 * Signs out on the phone at once. Without signal the server cannot end the session, so the phone
 * remembers it and ends it the next time the server shows it (loadMe).
 */
export async function signOut(current: Me | null | undefined = me()): Promise<void> {
  const ended = await call(AUTH.signOut).then(
    () => true,
    // 401: the server has no such session any more. Anything else may have left it alive; then
    // it is remembered, and ending it again later costs nothing.
    (err: unknown) => err instanceof ApiError && err.status === 401,
  );
  if (!ended && current) await rememberOfflineSignOut(seenOf(current)).catch(() => undefined);
  setMe(null);
}
