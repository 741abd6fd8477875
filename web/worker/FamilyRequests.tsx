// A retiree's pending family requests on the worker's retiree page (issue 19): the worker asks the
// retiree at the door and records the answer, offline if need be; it is sent through the same
// outbox as the visit records and applied once (decision 071).
import { For, Show } from 'solid-js';
import type { LinkDecisionRecord } from '../data/db.ts';
import { recordLinkDecision, useLinks } from '../data/index.ts';
import { dialDigits, PhoneWords } from '../components/PhoneLink.tsx';
import { relationText } from '../family/relation.ts';
import { t } from '../i18n/index.ts';

function decisionText(d: LinkDecisionRecord): string {
  const what = t(d.action === 'approve' ? 'w.fam.approve' : 'w.fam.decline');
  if (d.syncState !== 'sent') return t('w.fam.saved', { decision: what });
  return d.outcome?.kind === 'link_stale' ? t('w.fam.stale') : t('w.fam.sent', { decision: what });
}

export function FamilyRequests(props: { userId: number; retireeId: number }) {
  const links = useLinks(() => props.userId);
  const pending = () => links().incoming.filter((r) => r.retireeId === props.retireeId);
  const decided = () => links().decisions.filter((d) => d.retireeId === props.retireeId && d.action !== 'end').slice(0, 5);
  const decide = (requestId: number, action: 'approve' | 'decline') => void recordLinkDecision({ userId: props.userId, retireeId: props.retireeId, action, requestId });

  return (
    <Show when={pending().length || decided().length}>
      <section class="w-card due" data-testid="family-requests">
        <h2>{t('w.fam.title')}</h2>
        <For each={pending()}>
          {(r) => (
            <div class="w-fam" data-testid="family-request" data-request-id={r.id}>
              <p class="w-strong">{t('w.fam.line', { name: r.familyName, relation: relationText(r.relation) })}</p>
              <Show when={r.familyPhone}>
                <p>
                  {/* Dialled as digits, the number shown as written and whole on its line (PhoneLink.tsx). */}
                  <a class="w-link" data-testid="family-request-phone" href={`tel:${dialDigits(r.familyPhone!)}`}>
                    <PhoneWords message="w.fam.phone" phone={r.familyPhone!} />
                  </a>
                </p>
              </Show>
              <p class="w-muted">{t('w.fam.hint')}</p>
              <div class="w-pair">
                <button type="button" class="w-primary" data-testid="family-approve" onClick={() => decide(r.id, 'approve')}>{t('w.fam.approve')}</button>
                <button type="button" class="w-secondary" data-testid="family-decline" onClick={() => decide(r.id, 'decline')}>{t('w.fam.decline')}</button>
              </div>
            </div>
          )}
        </For>
        <For each={decided()}>
          {(d) => (
            <p class="w-note" data-testid="family-decision" data-state={d.syncState}>
              {decisionText(d)}
            </p>
          )}
        </For>
      </section>
    </Show>
  );
}
