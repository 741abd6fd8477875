// "Add StillHere to your home screen", shown once after the first successful check and in Help:
// the heading is ours, the body is the PWA layer's InstallHelp (why, then the install prompt or the
// steps): no line of our own under the heading, which said the same as InstallHelp's "why" again.
import { createSignal, Show } from 'solid-js';
import { t } from '../i18n/index.ts';
import { InstallHelp } from '../pwa/InstallHelp.tsx';
import { installOption } from '../pwa/index.ts';
import { said } from './said.ts';

export function InstallOffer(props: { always?: boolean }) {
  const option = installOption();
  const [hidden, setHidden] = createSignal(false);
  return (
    <Show when={!hidden() && (props.always || option() === 'prompt' || option() === 'ios')}>
      <section class="install-offer" data-testid="install-offer" aria-labelledby="install-title">
        <h2 id="install-title" {...said({ key: 'install.title' })}>
          {t('install.title')}
        </h2>
        <InstallHelp {...(props.always ? {} : { onLater: () => setHidden(true) })} />
      </section>
    </Show>
  );
}
