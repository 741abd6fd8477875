// Settings › Phone storage: whether the browser promised to keep our data, and how much is used.
import { createResource, Match, Show, Switch } from 'solid-js';
import { requestPersistence, storageState } from '../data/index.ts';
import { lang, t } from '../i18n/index.ts';
import { said } from './said.ts';

const size = (bytes: number) => new Intl.NumberFormat(lang(), { style: 'unit', unit: bytes > 2 ** 30 ? 'gigabyte' : 'megabyte', maximumFractionDigits: 1 }).format(bytes / (bytes > 2 ** 30 ? 2 ** 30 : 2 ** 20));

export function StorageStatus() {
  const [state, { refetch }] = createResource(storageState);
  const keep = async () => {
    await requestPersistence();
    await refetch();
  };
  return (
    <details class="storage" data-testid="storage-status" data-persisted={String(state()?.persisted ?? 'unknown')}>
      <summary {...said({ key: 'storage.title' })}>{t('storage.title')}</summary>
      <Switch>
        <Match when={state()?.persisted === true}>
          <p {...said({ key: 'storage.persisted' })}>{t('storage.persisted')}</p>
        </Match>
        <Match when={state()?.persisted === false}>
          <p {...said({ key: 'storage.notPersisted' })}>{t('storage.notPersisted')}</p>
          <button class="secondary" type="button" onClick={() => void keep()} {...said({ key: 'storage.keep' })}>
            {t('storage.keep')}
          </button>
        </Match>
        <Match when={state() && state()!.persisted === null}>
          <p {...said({ key: 'storage.unknown' })}>{t('storage.unknown')}</p>
        </Match>
      </Switch>
      <Show when={state()?.usage != null && state()?.quota != null}>
        <p {...said({ key: 'storage.used', values: { used: { text: size(state()!.usage!) }, free: { text: size(Math.max(0, state()!.quota! - state()!.usage!)) } } })}>{t('storage.used', { used: size(state()!.usage!), free: size(Math.max(0, state()!.quota! - state()!.usage!)) })}</p>
      </Show>
    </details>
  );
}
