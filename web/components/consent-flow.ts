// "Start face check": the consent notice the first time (or after choosing the non-face route),
// the tips otherwise; and what happens after a choice. Shared by the retiree and family apps; the
// worker's check screen asks the same question at the door (web/worker/CertifyScreen.tsx).
//
// The choice is a record of the phone's one outbox (web/data/consents.ts, decision 085): saved
// first (it works offline), then sent in the same push and sequence as the checks. A new phone
// asks the server what was chosen before showing the notice again.
import { createSignal, type Accessor } from 'solid-js';
import { CONSENT, type ConsentChoice } from '../../shared/schemas/consent.ts';
import { call } from '../api/client.ts';
import { keepConsentFromServer, readConsent, recordConsent, type ConsentRecord } from '../data/index.ts';
import { preloadCheckScreens } from './check-screens.ts';

/**
 * The choice that applies to this retiree for this user: the one on this phone, else (a new phone,
 * with signal) the one the server has, kept from then on. Undefined: ask.
 */
export async function currentConsent(userId: number, retireeId: number): Promise<ConsentRecord | undefined> {
  const kept = await readConsent(userId, retireeId).catch(() => undefined);
  if (kept) return kept;
  try {
    const { consent } = await call(CONSENT.latest, { query: new URLSearchParams({ retireeId: String(retireeId) }) });
    return consent ? await keepConsentFromServer(userId, retireeId, consent) : undefined;
  } catch {
    return undefined;
  }
}

export function createConsentFlow(props: { userId: Accessor<number>; retireeId: Accessor<number | null>; go(screen: 'consent' | 'declined' | 'prepare'): void }) {
  const [busy, setBusy] = createSignal(false);
  async function guarded(fn: (retireeId: number) => Promise<void>) {
    const id = props.retireeId();
    if (id === null || busy()) return;
    setBusy(true);
    try {
      await fn(id);
    } finally {
      setBusy(false);
    }
  }
  return {
    busy,
    start: () =>
      guarded(async (id) => {
        preloadCheckScreens();
        const consent = await currentConsent(props.userId(), id);
        props.go(consent?.choice === 'face' ? 'prepare' : 'consent');
      }),
    choose: (choice: ConsentChoice) =>
      guarded(async (id) => {
        await recordConsent({ userId: props.userId(), retireeId: id, choice });
        props.go(choice === 'face' ? 'prepare' : 'declined');
      }),
  };
}
