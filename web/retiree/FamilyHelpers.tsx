// Settings: who can certify for this retiree, in plain words, and how to stop one of them (issue 19).
// The end is saved on the phone and sent through the outbox like the approval (decision 071); the
// confirmation is asked on the page, never in a pop-up.
import { createSignal, For, Show } from 'solid-js';
import { recordLinkDecision, useLinks } from '../data/index.ts';
import { relationText, relationValue } from '../family/relation.ts';
import { said } from '../components/said.ts';
import { say } from '../components/speech.ts';
import { formatDate, t } from '../i18n/index.ts';
import { me } from '../session.ts';
import './family-ask.css';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function FamilyHelpers(props: { userId: number }) {
  const retireeId = () => me()?.retiree?.id ?? null;
  const links = useLinks(() => props.userId);
  const [asking, setAsking] = createSignal<number | null>(null);

  async function end(familyUserId: number) {
    const id = retireeId();
    if (id === null) return;
    await recordLinkDecision({ userId: props.userId, retireeId: id, action: 'end', familyUserId });
    setAsking(null);
    say('say.family.ended');
  }

  return (
    <section class="family-helpers" data-testid="family-helpers">
      <h2 {...said({ key: 'fam.helpers.title' })}>{t('fam.helpers.title')}</h2>
      <Show when={links().helpers.length} fallback={<p {...said({ key: 'fam.helpers.none' })}>{t('fam.helpers.none')}</p>}>
        <ul class="helper-list">
          <For each={links().helpers}>
            {(h) => (
              <li data-testid="family-helper" data-family-user-id={h.familyUserId}>
                <p {...said({ key: 'fam.helpers.line', values: { name: { text: h.name }, relation: relationValue(h.relation), date: { date: day(h.since) } } })}>{t('fam.helpers.line', { name: h.name, relation: relationText(h.relation), date: formatDate(day(h.since)) })}</p>
                <Show
                  when={asking() === h.familyUserId}
                  fallback={
                    <button class="secondary" type="button" data-testid="helper-end" onClick={() => setAsking(h.familyUserId)} {...said({ key: 'fam.helpers.end', values: { name: { text: h.name } } })}>
                      {t('fam.helpers.end', { name: h.name })}
                    </button>
                  }
                >
                  <p class="confirm" role="alert" {...said({ key: 'fam.helpers.confirm', values: { name: { text: h.name } } })}>{t('fam.helpers.confirm', { name: h.name })}</p>
                  <button class="primary" type="button" data-testid="helper-end-yes" onClick={() => void end(h.familyUserId)} {...said({ key: 'fam.helpers.yes' })}>
                    {t('fam.helpers.yes')}
                  </button>
                  <button class="secondary" type="button" onClick={() => setAsking(null)} {...said({ key: 'fam.helpers.no', values: { name: { text: h.name } } })}>
                    {t('fam.helpers.no', { name: h.name })}
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
