// Help: what this is, privacy (what is kept, for how long, who sees it), contacts, install help.
import { Show } from 'solid-js';
import { InstallOffer } from '../components/InstallOffer.tsx';
import { PhoneLink } from '../components/PhoneLink.tsx';
import { ReadAloud } from '../components/ReadAloud.tsx';
import { said } from '../components/said.ts';
import { t } from '../i18n/index.ts';

export function Help(props: { officePhone: string | null; communityName: string | null; onHome(): void }) {
  return (
    <main class="screen help" data-testid="help">
      <h1 {...said({ key: 'help.title' })}>{t('help.title')}</h1>
      <ReadAloud />
      <section aria-labelledby="help-what">
        <h2 id="help-what" {...said({ key: 'help.what.title' })}>{t('help.what.title')}</h2>
        <p {...said({ key: 'help.what.body' })}>{t('help.what.body')}</p>
      </section>
      <section aria-labelledby="help-privacy">
        <h2 id="help-privacy" {...said({ key: 'help.privacy.title' })}>{t('help.privacy.title')}</h2>
        <p {...said({ key: 'help.privacy.kept' })}>{t('help.privacy.kept')}</p>
        <p {...said({ key: 'help.privacy.reference' })}>{t('help.privacy.reference')}</p>
        <p {...said({ key: 'help.privacy.biometric' })}>{t('help.privacy.biometric')}</p>
        <p {...said({ key: 'help.privacy.howLong' })}>{t('help.privacy.howLong')}</p>
        <p {...said({ key: 'help.privacy.who' })}>{t('help.privacy.who')}</p>
      </section>
      <section aria-labelledby="help-contacts">
        <h2 id="help-contacts" {...said({ key: 'help.contacts.title' })}>{t('help.contacts.title')}</h2>
        <Show when={props.officePhone} fallback={<p {...said({ key: 'help.contacts.none' })}>{t('help.contacts.none')}</p>}>
          {(phone) => (
            <p {...said({ key: 'help.contacts.office', values: { phone: { digits: phone() } } })}>
              <PhoneLink message="help.contacts.office" phone={phone()} />
            </p>
          )}
        </Show>
        <Show when={props.communityName}>{(name) => <p {...said({ key: 'help.contacts.community', values: { name: { text: name() } } })}>{t('help.contacts.community', { name: name() })}</p>}</Show>
      </section>
      <InstallOffer always />
      <button class="primary" type="button" onClick={() => props.onHome()} {...said({ key: 'nav.home' })}>
        {t('nav.home')}
      </button>
    </main>
  );
}
