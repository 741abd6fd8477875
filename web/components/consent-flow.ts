// "Start face check": the consent notice the first time (or after choosing the non-face route),
// the tips otherwise; and what happens after a choice. Shared by the retiree and family apps.
import { createSignal, type Accessor } from 'solid-js';
import type { ConsentChoice } from '../../shared/schemas/consent.ts';
import { preloadCheckScreens } from './check-screens.ts';
import { currentConsent, recordConsent } from './consent.ts';

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
        await recordConsent(props.userId(), id, choice);
        props.go(choice === 'face' ? 'prepare' : 'declined');
      }),
  };
}
