// Sync for the signed-in user: starts the engine while mounted (and asks once for persistent
// storage, at sign-in), and shows the global line, recent records and the storage state.
import { onCleanup, onMount } from 'solid-js';
import type { Role } from '../../shared/schemas/admin.ts';
import { requestPersistence, startSync } from '../data/index.ts';
import { t } from '../i18n/index.ts';
import { AttemptList } from './AttemptList.tsx';
import { StorageStatus } from './StorageStatus.tsx';
import { SyncStatus } from './SyncStatus.tsx';

export function SyncPanel(props: { userId: number; role: Role }) {
  onMount(() => {
    const stop = startSync({ id: props.userId, role: props.role });
    void requestPersistence();
    onCleanup(stop);
  });
  return (
    <section class="sync-panel" aria-label={t('sync.title')}>
      <SyncStatus userId={props.userId} />
      <AttemptList userId={props.userId} />
      <StorageStatus />
    </section>
  );
}
