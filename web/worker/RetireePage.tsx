// One retiree: status for this period (the server's, or what this phone recorded since), last
// certification, address, phone, notes, history (this phone's records at once; the server's when
// there is signal), and what the worker can do at the door.
import { createResource, For, Show } from 'solid-js';
import { ROSTER } from '../../shared/schemas/worker.ts';
import { call } from '../api/client.ts';
import { Dated, statusDates } from '../components/Dated.tsx';
import { dialDigits } from '../components/PhoneLink.tsx';
import { useRecordsForRetiree } from '../data/index.ts';
import { formatDate, lang, t, type MessageKey } from '../i18n/index.ts';
import { statusText } from '../status-text.ts';
import { attemptOutcomeText, formatDateTime, markLabel, methodText, visitKindText, visitResultText } from './labels.ts';
import type { RosterView } from './roster-view.ts';
import type { View } from './WorkerApp.tsx';
import { FamilyRequests } from './FamilyRequests.tsx';

export function RetireePage(props: { userId: number; retireeId: number; roster: RosterView; go: (v: View) => void }) {
  const entry = () => props.roster.byId(props.retireeId);
  const records = useRecordsForRetiree(() => ({ userId: props.userId, retireeId: props.retireeId }));
  // The server's history when online; offline the page stands on the phone's records alone.
  const [server] = createResource(
    () => props.retireeId,
    (id) => call(ROSTER.retiree, { params: { id } }).catch(() => null),
  );
  const status = () => {
    const e = entry();
    return e ? statusText(e.status, 'other') : null;
  };
  const mark = () => {
    const e = entry();
    return e ? markLabel(props.roster.mark(e)) : null;
  };
  const local = () =>
    [
      // Once sent, what the server made of it (a passed check: being matched, certified, or with the office).
      ...records().attempts.map((a) => ({ id: a.id, at: a.createdAt, text: t(a.result.verdict === 'passed' ? 'w.rec.attempt.passed' : 'w.rec.attempt.failed'), state: a.syncState, detail: attemptOutcomeText(a) })),
      ...records().visits.map((v) => ({ id: v.id, at: v.createdAt, text: visitKindText(v.kind), state: v.syncState, detail: v.outcome ? visitResultText(v.outcome) : v.note })),
      // The retiree's consent answer recorded at the door (decision 085), sent like the rest.
      ...records().consents.map((c) => ({ id: c.id, at: c.createdAt, text: t(c.choice === 'face' ? 'w.rec.consent.face' : 'w.rec.consent.alternative'), state: c.syncState, detail: '' })),
    ].sort((a, b) => b.at - a.at);

  return (
    <Show when={entry()} fallback={<main class="w-screen"><p>{t('w.empty')}</p></main>}>
      {(e) => (
        <main class="w-screen" data-testid="retiree-page" data-id={e().retireeId}>
          <button type="button" class="w-back" onClick={() => props.go({ name: 'roster' })}>‹ {t('w.back')}</button>
          <h1 class="w-title">{e().name}</h1>
          <p class="w-note">{t('w.idTail', { tail: e().idNumber.slice(-4) })} · {e().communityName}</p>
          <section class={`w-card ${(mark() ?? status())?.tone ?? 'quiet'}`} data-testid="retiree-status" data-state={e().status.state} data-mark={props.roster.mark(e()) ?? ''}>
            <h2>{t('w.page.status')}</h2>
            <Show when={mark()}>{(m) => <p class="w-strong">{m().text}</p>}</Show>
            <p class={mark() ? 'w-muted' : 'w-strong'}><Dated text={status()?.title ?? ''} dates={statusDates(e().status)} /></p>
            <Show when={status()?.detail}><p class="w-muted"><Dated text={status()!.detail} dates={statusDates(e().status)} /></p></Show>
          </section>
          <Show when={props.roster.visitRequest(e())}>
            {(q) => (
              <section class="w-card alert" data-testid="retiree-visit-request">
                <p class="w-strong"><Dated text={t('w.visitRequested', { date: formatDateTime(q().requestedAt, lang()) })} dates={[formatDateTime(q().requestedAt, lang())]} /></p>
                <p>{t('w.page.visitRequest')}</p>
              </section>
            )}
          </Show>
          <FamilyRequests userId={props.userId} retireeId={e().retireeId} />
          <div class="w-actions">
            <button type="button" class="w-primary" data-testid="act-certify" onClick={() => props.go({ name: 'certify', id: e().retireeId })}>{t('w.act.certify')}</button>
            <button type="button" class="w-secondary" data-testid="act-not_home" onClick={() => props.go({ name: 'outcome', id: e().retireeId, kind: 'not_home' })}>{t('w.act.not_home')}</button>
            <button type="button" class="w-secondary" data-testid="act-cannot_check" onClick={() => props.go({ name: 'outcome', id: e().retireeId, kind: 'cannot_check' })}>{t('w.act.cannot_check')}</button>
            <div class="w-pair">
              <button type="button" class="w-secondary" data-testid="act-deceased" onClick={() => props.go({ name: 'outcome', id: e().retireeId, kind: 'deceased' })}>{t('w.act.deceased')}</button>
              <button type="button" class="w-secondary" data-testid="act-moved" onClick={() => props.go({ name: 'outcome', id: e().retireeId, kind: 'moved' })}>{t('w.act.moved')}</button>
            </div>
          </div>
          <dl class="w-facts">
            <dt>{t('w.page.lastCert')}</dt>
            <dd>
              {e().lastCertification ? (
                <Dated
                  text={t('w.page.lastCertValue', { year: e().lastCertification!.year, date: formatDate(e().lastCertification!.on), method: methodText(e().lastCertification!.method) })}
                  dates={[formatDate(e().lastCertification!.on)]}
                />
              ) : (
                t('w.page.never')
              )}
            </dd>
            <Show when={e().hasReference === false}>
              <dt>{t('w.page.reference')}</dt>
              <dd data-testid="no-reference">{t('w.page.referenceNone')}</dd>
            </Show>
            <dt>{t('w.page.address')}</dt>
            <dd>{e().address}</dd>
            <Show when={e().phone}>
              <dt>{t('w.page.phone')}</dt>
              {/* Dialled as digits ("010-6500 5678" as 01065005678), shown as written and whole on its line. */}
              <dd><a class="w-link" data-testid="retiree-phone" href={`tel:${dialDigits(e().phone!)}`}><span class="phone-number">{e().phone}</span></a></dd>
            </Show>
            <Show when={e().notes}>
              <dt>{t('w.page.notes')}</dt>
              <dd>{e().notes}</dd>
            </Show>
          </dl>
          <h2>{t('w.page.history')}</h2>
          <Show when={local().length > 0} fallback={<p class="w-note">{t('w.page.historyEmpty')}</p>}>
            <ul class="w-items" data-testid="local-history">
              <For each={local()}>
                {(r) => (
                  <li class={`w-item ${r.state}`} data-testid="history-item" data-id={r.id} data-state={r.state}>
                    <span class="w-strong">{r.text}</span>
                    <span><span class="date-whole">{formatDateTime(r.at, lang())}</span> · {t(`sync.state.${r.state}`)}</span>
                    <Show when={r.detail}><span class="w-muted">{r.detail}</span></Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <Show when={server()?.history.length}>
            <h3>{t('w.page.historyServer')}</h3>
            <ul class="w-items">
              <For each={server()!.history}>
                {(h) => (
                  <li class="w-item">
                    <span class="w-strong">
                      {h.type === 'visit' ? visitKindText(h.kind) : h.type === 'attempt' ? t(h.verdict === 'passed' ? 'w.rec.attempt.passed' : 'w.rec.attempt.failed') : `${h.year} · ${methodText(h.method)} · ${t(`w.cert.${h.status}` as MessageKey)}`}
                    </span>
                    <span>{h.type === 'certification' ? <span class="date-whole">{formatDate(h.on)}</span> : <Dated text={t('w.rec.by', { time: formatDateTime(h.at, lang()), name: h.byName })} dates={[formatDateTime(h.at, lang())]} />}</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </main>
      )}
    </Show>
  );
}
