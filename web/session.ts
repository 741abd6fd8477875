// Who is signed in, shared by every screen. `me` is undefined while loading, null when signed out.
import { createSignal } from 'solid-js';
import { api, ApiError } from './api/client.ts';
import type { Me } from './api/types.ts';

const [me, setMe] = createSignal<Me | null | undefined>(undefined);
export { me, setMe };

export async function loadMe(): Promise<void> {
  try {
    setMe(await api<Me>('/api/me'));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) setMe(null);
    else throw err;
  }
}

export async function signOut(): Promise<void> {
  await api('/api/auth/sign-out', { method: 'POST' }).catch(() => undefined);
  setMe(null);
}
