// Who is signed in, shared by every screen. `me` is undefined while loading, null when signed out.
//
// The last `me` the server confirmed is kept on the phone: with no network the app opens signed in
// as that person (the server still checks the session cookie on every sync), so a retiree can do a
// check in a village with no signal. A 401 from the server is the only thing that signs out.
import { createSignal } from 'solid-js';
import { api, ApiError } from './api/client.ts';
import type { Me } from './api/types.ts';
import { forgetMe, rememberedMe, rememberMe } from './data/index.ts';

const [me, setMeSignal] = createSignal<Me | null | undefined>(undefined);
/** True when `me` came from the phone because the server could not be reached. */
const [meFromPhone, setMeFromPhone] = createSignal(false);
export { me, meFromPhone };

/** After a sign-in or a change to the profile: show it and keep it for offline use. */
export function setMe(value: Me | null): void {
  setMeSignal(value);
  setMeFromPhone(false);
  void (value ? rememberMe(value) : forgetMe()).catch(() => undefined);
}

export async function loadMe(): Promise<void> {
  try {
    setMe(await api<Me>('/api/me'));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setMe(null);
      return;
    }
    // No network, or the server is down: carry on as the person last signed in on this phone.
    // Nobody kept: the sign-in screen, which says there is no network when it is used.
    const kept = await rememberedMe<Me>().catch(() => undefined);
    setMeSignal(kept ?? null);
    setMeFromPhone(kept !== undefined);
  }
}

export async function signOut(): Promise<void> {
  await api('/api/auth/sign-out', { method: 'POST' }).catch(() => undefined);
  setMe(null);
}
