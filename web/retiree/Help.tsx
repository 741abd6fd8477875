// Help: what this is, privacy (what is kept, for how long, who sees it), contacts, install help.
import { Show } from 'solid-js';
import { InstallOffer } from '../components/InstallOffer.tsx';
import { PhoneLink } from '../components/PhoneLink.tsx';
import { t } from '../i18n/index.ts';

export function Help(props: { officePhone: string | null; communityName: string | null; onHome(): void }) {
  return (
    <main class="screen help" data-testid="help">
      <h1>{t('help.title')}</h1>
      <section aria-labelledby="help-what">
        <h2 id="help-what">{t('help.what.title')}</h2>
        <p>{t('help.what.body')}</p>
      </section>
      <section aria-labelledby="help-privacy">
        <h2 id="help-privacy">{t('help.privacy.title')}</h2>
        <p>{t('help.privacy.kept')}</p>
        <p>{t('help.privacy.reference')}</p>
        <p>{t('help.privacy.biometric')}</p>
        <p>{t('help.privacy.howLong')}</p>
        <p>{t('help.privacy.who')}</p>
      </section>
      <section aria-labelledby="help-contacts">
        <h2 id="help-contacts">{t('help.contacts.title')}</h2>
        <Show when={props.officePhone} fallback={<p>{t('help.contacts.none')}</p>}>
          {(phone) => (
            <p>
              <PhoneLink message="help.contacts.office" phone={phone()} />
            </p>
          )}
        </Show>
        <Show when={props.communityName}>{(name) => <p>{t('help.contacts.community', { name: name() })}</p>}</Show>
      </section>
      <InstallOffer always />
      <button class="primary" type="button" onClick={() => props.onHome()}>
        {t('nav.home')}
      </button>
    </main>
  );
}
