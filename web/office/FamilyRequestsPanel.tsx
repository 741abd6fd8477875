// Family requests waiting for the office (issue 19), at the top of the review queue: who asks to
// help which retiree of the office's region, their phone number to call first, and 批准 / 拒绝.
// Approving checks the typed name against the register again on the server (decision 070).
import { createResource, createSignal, For, Show } from 'solid-js';
import { FAMILY, type OfficeLinkRequest } from '../../shared/schemas/family.ts';
import { call } from '../api/client.ts';
import { relationText } from '../family/relation.ts';
import { t } from '../i18n/index.ts';
import { formatDateTime } from './format.ts';

export function FamilyRequestsPanel() {
  const [list, { refetch }] = createResource(() => call(FAMILY.officeRequests).then((r) => r.requests));
  const [said, setSaid] = createSignal('');

  async function decide(r: OfficeLinkRequest, decision: 'approve' | 'decline') {
    try {
      await call(FAMILY.decide, { params: { id: r.id }, json: { decision } });
      setSaid(t(decision === 'approve' ? 'fam.o.approved' : 'fam.o.declined', { family: r.familyName, retiree: r.retireeName }));
    } catch {
      setSaid(t('fam.o.stale'));
    }
    void refetch();
  }

  return (
    <Show when={list()?.length}>
      <section class="o-card" aria-labelledby="o-fam-title" data-testid="office-family-requests">
        <h2 id="o-fam-title">{t('fam.o.title', { n: list()!.length })}</h2>
        <p class="o-muted">{t('fam.o.intro')}</p>
        <p role="status" class="o-ok">{said()}</p>
        <ul class="o-fam-list">
          <For each={list()}>
            {(r) => (
              <li data-testid="office-family-request" data-request-id={r.id}>
                <p>{t('fam.o.line', { family: r.familyName, relation: relationText(r.relation), retiree: r.retireeName, id: r.idNumber, community: r.communityName })}</p>
                <p class="o-muted">{t('fam.o.meta', { phone: r.familyPhone ?? '—', at: formatDateTime(r.requestedAt) })}</p>
                <button type="button" class="o-button" data-testid="office-family-approve" onClick={() => void decide(r, 'approve')}>{t('fam.o.approve')}</button>{' '}
                <button type="button" class="o-button" data-testid="office-family-decline" onClick={() => void decide(r, 'decline')}>{t('fam.o.decline')}</button>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}
