import { createResource, Show } from 'solid-js';
import { api } from '../api/client.ts';
import { SyncPanel } from '../components/SyncPanel.tsx';
import type { StatusResponse } from '../api/types.ts';
import { errorText } from '../error-text.ts';
import { t } from '../i18n/index.ts';
import { me, signOut } from '../session.ts';
import { statusText } from '../status-text.ts';

export function Home() {
  const isRetiree = () => me()?.user.role === 'retiree';
  const [status] = createResource(isRetiree, () => api<StatusResponse>('/api/me/status'));
  const text = () => {
    const s = status();
    return s ? statusText(s.status) : null;
  };

  return (
    <main class="screen">
      <h1>{t('home.greeting', { name: me()?.user.displayName ?? '' })}</h1>
      <Show when={isRetiree()} fallback={<p>{t('home.staffWelcome')}</p>}>
        <Show when={!status.error} fallback={<p class="error" role="alert">{errorText(status.error)}</p>}>
          <Show when={text()}>
            {(s) => (
              <section class={`status-card ${s().tone}`} data-testid="status-card" data-state={status()?.status.state}>
                <h2>{s().title}</h2>
                <Show when={s().detail}>
                  <p>{s().detail}</p>
                </Show>
              </section>
            )}
          </Show>
          <Show when={status()?.officePhone}>
            {(phone) => <p class="office">{t('home.office', { phone: phone() })}</p>}
          </Show>
        </Show>
      </Show>
      <Show when={me() && me()!.user.role !== 'admin' && me()!.user}>
        {(user) => <SyncPanel userId={user().id} role={user().role} />}
      </Show>
      <button class="secondary" type="button" onClick={() => void signOut()}>
        {t('home.signOut')}
      </button>
    </main>
  );
}
