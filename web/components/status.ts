// A retiree's certification status for Home, kept on the phone so Home works with no signal: the
// last answer from the server (GET /api/me/status, or /api/retirees/:id/status for family), kept by
// web/data/retiree-status.ts; before that, the status the sync pull cached in the roster.
import { createEffect, createSignal, on, type Accessor } from 'solid-js';
import { STATUS } from '../../shared/schemas/status.ts';
import { call } from '../api/client.ts';
import { keepStatus, readKeptStatus, useAttempts, useRoster, useSyncSummary, type AttemptRecord, type KeptStatus } from '../data/index.ts';

export type { KeptStatus };

export interface StatusSource {
  status: Accessor<KeptStatus | null>;
  /** True when what is shown came from the phone because the server could not be reached. */
  fromPhone: Accessor<boolean>;
  refresh(): Promise<void>;
}

/**
 * What, on the phone, means the server's status has probably changed: something more was sent, or
 * an attempt stopped (or started) waiting for its face match, i.e. a later pull brought the
 * decision (issue 14). Home asks the server again whenever this changes.
 */
export function statusRefreshKey(sent: number, attempts: readonly Pick<AttemptRecord, 'id' | 'outcome'>[]): string {
  const verifying = attempts.filter((a) => a.outcome?.kind === 'verifying').map((a) => a.id);
  return `${sent}|${verifying.sort().join(',')}`;
}

export function useStatus(props: { userId: Accessor<number>; retireeId: Accessor<number | null>; own: boolean }): StatusSource {
  const [status, setStatus] = createSignal<KeptStatus | null>(null);
  const [fromPhone, setFromPhone] = createSignal(false);
  const roster = useRoster(props.userId);

  async function refresh() {
    const id = props.retireeId();
    if (id === null) return;
    try {
      const fresh = await (props.own ? call(STATUS.mine) : call(STATUS.ofRetiree, { params: { id } }));
      if (props.retireeId() !== id) return;
      setStatus({ ...fresh, fetchedAt: Date.now() });
      setFromPhone(false);
      await keepStatus(id, fresh).catch(() => undefined);
    } catch {
      setFromPhone(true);
    }
  }

  createEffect(
    on(props.retireeId, async (id) => {
      setStatus(null);
      if (id === null) return;
      // The kept status and the server's are asked for at once: the kept one waits for the database
      // code (loaded after the first screen, decision 045), and must not hold up the fresh one.
      void readKeptStatus(id)
        .then((kept) => {
          if (kept && props.retireeId() === id && !status()) setStatus(kept);
        })
        .catch(() => undefined);
      await refresh();
    }),
  );

  // Nothing kept yet and no server: what the last sync pull cached for this retiree.
  createEffect(() => {
    const id = props.retireeId();
    const entry = roster().find((r) => r.retireeId === id);
    if (entry && !status()) setStatus({ today: entry.today, status: entry.status, officePhone: entry.officePhone, fetchedAt: entry.pulledAt });
  });

  // Something was just sent, or a face match was decided: the status has probably changed.
  const summary = useSyncSummary(props.userId);
  const attempts = useAttempts(props.userId, 20);
  createEffect(on(() => statusRefreshKey(summary().sent, attempts()), () => void refresh(), { defer: true }));

  return { status, fromPhone, refresh };
}
