// The retiree page's tables (decision 057): certifications, home visits, family, consents and the
// audit trail, the long ones a page at a time; and the one action of the page, the erasure of
// biometric data on the retiree's request, confirmed inline with who asked.
import { createSignal, For, Show, type Accessor, type JSX } from 'solid-js';
import { IDENTITY } from '../../shared/schemas/identity.ts';
import type { AuditEntryView } from '../../shared/schemas/office-audit.ts';
import { RETIREE_RECORD, type CertificationEntry, type ConsentEntry, type FamilyLinkEntry, type Page, type VisitEntry } from '../../shared/schemas/office-retiree.ts';
import { call } from '../api/client.ts';
import { errorText } from '../error-text.ts';
import { relationText } from '../family/relation.ts';
import { formatDate, t, type MessageKey } from '../i18n/index.ts';
import { formatDateTime } from './format.ts';
import { rt, type RetireeKey } from './retiree-text.ts';
import { eventText } from './people-text.ts';

/** A term and its description, in the console's fact list. */
export function Fact(props: { term: string; children: JSX.Element; testid?: string }) {
  return (
    <>
      <dt>{props.term}</dt>
      <dd data-testid={props.testid}>{props.children}</dd>
    </>
  );
}

export interface Paged<T> {
  items: Accessor<T[]>;
  total: Accessor<number>;
  next: Accessor<string | null>;
  loading: Accessor<boolean>;
  error: Accessor<unknown>;
  more(): Promise<void>;
}

/** The first page as the record brought it, and the following ones from `more(before)` on request. */
export function usePaged<T>(first: Accessor<Page<T>>, nextPage: (before: string) => Promise<Page<T>>): Paged<T> {
  const [items, setItems] = createSignal<T[]>(first().items);
  const [total, setTotal] = createSignal(first().total);
  const [next, setNext] = createSignal<string | null>(first().next);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  return {
    items,
    total,
    next,
    loading,
    error,
    async more() {
      const before = next();
      if (!before || loading()) return;
      setLoading(true);
      try {
        const page = await nextPage(before);
        setItems([...items(), ...page.items]);
        setTotal(page.total);
        setNext(page.next);
        setError(null);
      } catch (err) {
        setError(err);
      } finally {
        setLoading(false);
      }
    },
  };
}

export function MoreButton<T>(props: { paged: Paged<T>; testid: string }) {
  return (
    <>
      <Show when={props.paged.next()}>
        <button type="button" class="o-button" data-testid={props.testid} disabled={props.paged.loading()} onClick={() => void props.paged.more()}>
          {rt('o.retiree.more', { n: Math.min(20, props.paged.total() - props.paged.items().length) })}
        </button>
      </Show>
      <Show when={props.paged.error()}>
        <p class="o-alert" role="alert">
          {errorText(props.paged.error())}
        </p>
      </Show>
    </>
  );
}

const roleName = (role: string) => t(`o.role.${role}` as MessageKey);
const decided = (by: { name: string } | null, at: number | null) => (by ? rt('o.retiree.decidedValue', { name: by.name, time: at ? formatDateTime(at) : '' }) : '—');

export function Certifications(props: { items: CertificationEntry[] }) {
  return (
    <section class="o-card" aria-labelledby="o-retiree-history-title" data-testid="retiree-certifications">
      <h2 id="o-retiree-history-title">{rt('o.retiree.history')}</h2>
      <Show when={props.items.length} fallback={<p class="o-muted">{rt('o.retiree.history.none')}</p>}>
        <div class="o-table-wrap">
          <table class="o-table">
            <caption>{rt('o.retiree.history.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{rt('o.retiree.col.year')}</th>
                <th scope="col">{rt('o.retiree.col.method')}</th>
                <th scope="col">{rt('o.retiree.col.status')}</th>
                <th scope="col">{rt('o.retiree.col.date')}</th>
                <th scope="col">{rt('o.retiree.col.recordedBy')}</th>
                <th scope="col">{rt('o.retiree.col.decidedBy')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.items}>
                {(c) => (
                  <tr>
                    <td>{c.year}</td>
                    <td>{t(`o.method.${c.method}`)}</td>
                    <td>{rt(`o.retiree.cert.${c.status}`)}</td>
                    <td>{formatDate(c.certifiedOn)}</td>
                    <td>{c.recordedBy ? rt('o.retiree.attempt.by', { name: c.recordedBy.name, role: roleName(c.recordedBy.role) }) : '—'}</td>
                    <td>{decided(c.decidedBy, c.decidedAt)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}

export function Visits(props: { retireeId: number; name: string; first: Page<VisitEntry> }) {
  const paged = usePaged(() => props.first, (before) => call(RETIREE_RECORD.visits, { params: { id: props.retireeId }, query: new URLSearchParams({ before }) }));
  const details = (v: VisitEntry) =>
    [
      v.reason ? t(`o.detail.cannot.${v.reason}`) : null,
      v.kind === 'cannot_check' ? t('o.p.labelValue', { label: t('o.detail.signature'), value: v.signature === 'verified' ? t('o.detail.signature.verified') : t('o.detail.signature.invalid') }) : null,
      v.deceasedOn ? t('o.p.labelValue', { label: t('o.detail.deceasedOn'), value: formatDate(v.deceasedOn) }) : null,
      v.infoSource ? t('o.p.labelValue', { label: t('o.detail.source'), value: v.infoSource }) : null,
      v.newAddress ? t('o.p.labelValue', { label: t('o.detail.newAddress'), value: v.newAddress }) : null,
      t('o.p.labelValue', { label: t('o.detail.note'), value: v.note || t('o.detail.noNote') }),
      v.location
        ? t('o.p.labelValue', { label: t('o.detail.location'), value: t('o.detail.locationValue', { lat: v.location.lat.toFixed(5), lon: v.location.lon.toFixed(5), m: Math.round(v.location.accuracyM ?? 0) }) })
        : t('o.p.labelValue', { label: t('o.detail.location'), value: t('o.detail.noLocation') }),
    ].filter(Boolean) as string[];
  return (
    <section class="o-card" aria-labelledby="o-retiree-visits-title" data-testid="retiree-visits">
      <h2 id="o-retiree-visits-title">{rt('o.retiree.visits')}</h2>
      <Show when={paged.items().length} fallback={<p class="o-muted">{rt('o.retiree.visits.none')}</p>}>
        <div class="o-table-wrap">
          <table class="o-table o-retiree-visits">
            <caption>{rt('o.retiree.visits.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{rt('o.retiree.col.when')}</th>
                <th scope="col">{rt('o.retiree.col.what')}</th>
                <th scope="col">{rt('o.retiree.col.worker')}</th>
                <th scope="col">{rt('o.retiree.col.details')}</th>
                <th scope="col">{rt('o.retiree.col.review')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={paged.items()}>
                {(v) => (
                  <tr data-testid="retiree-visit" data-id={v.id}>
                    <td>{formatDateTime(v.receivedAt)}</td>
                    <td>{rt(`o.retiree.visit.${v.kind}` as RetireeKey)}</td>
                    <td>{v.worker.name}</td>
                    <td>
                      <For each={details(v)}>{(line) => <div>{line}</div>}</For>
                      <Show when={v.photo}>
                        <img class="o-retiree-visit-photo" src={`/api/reviews/${v.id}/photo`} alt={rt('o.retiree.visit.photoAlt', { name: props.name, time: formatDateTime(v.receivedAt) })} loading="lazy" />
                      </Show>
                    </td>
                    <td>
                      {rt(`o.retiree.visit.review.${v.review ?? 'none'}` as RetireeKey)}
                      <Show when={v.decidedBy}>
                        <div>{decided(v.decidedBy, v.decidedAt)}</div>
                      </Show>
                      <Show when={v.decisionReason}>
                        <div>{rt('o.retiree.attempt.decision.why', { reason: v.decisionReason! })}</div>
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <p class="o-muted">{rt('o.retiree.shown', { shown: paged.items().length, total: paged.total() })}</p>
        <MoreButton paged={paged} testid="retiree-visits-more" />
      </Show>
    </section>
  );
}

export function FamilyLinks(props: { items: FamilyLinkEntry[] }) {
  return (
    <section class="o-card" aria-labelledby="o-retiree-family-title" data-testid="retiree-family">
      <h2 id="o-retiree-family-title">{rt('o.retiree.family')}</h2>
      <Show when={props.items.length} fallback={<p class="o-muted">{rt('o.retiree.family.none')}</p>}>
        <div class="o-table-wrap">
          <table class="o-table">
            <thead>
              <tr>
                <th scope="col">{rt('o.retiree.col.person')}</th>
                <th scope="col">{rt('o.retiree.col.relation')}</th>
                <th scope="col">{rt('o.retiree.col.since')}</th>
                <th scope="col">{rt('o.retiree.col.account')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.items}>
                {(f) => (
                  <tr>
                    <td>{f.user.name}</td>
                    <td>{f.relation ? relationText(f.relation) : '—'}</td>
                    <td>{formatDateTime(f.since)}</td>
                    <td>
                      <span class="o-mono">{f.user.username ?? '—'}</span>
                      {f.user.disabled ? ` · ${rt('o.retiree.account.disabled')}` : ''}
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}

export function Consents(props: { items: ConsentEntry[] }) {
  return (
    <section class="o-card" aria-labelledby="o-retiree-consents-title" data-testid="retiree-consents">
      <h2 id="o-retiree-consents-title">{rt('o.retiree.consents')}</h2>
      <Show when={props.items.length} fallback={<p class="o-muted">{rt('o.retiree.consents.none')}</p>}>
        <div class="o-table-wrap">
          <table class="o-table">
            <thead>
              <tr>
                <th scope="col">{rt('o.retiree.col.when')}</th>
                <th scope="col">{rt('o.retiree.col.choice')}</th>
                <th scope="col">{rt('o.retiree.col.recordedBy')}</th>
                <th scope="col">{rt('o.retiree.col.notice')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.items}>
                {(c) => (
                  <tr>
                    <td>{formatDateTime(c.decidedAt)}</td>
                    <td>{rt(`o.retiree.consent.${c.choice}`)}</td>
                    <td>{rt('o.retiree.attempt.by', { name: c.by.name, role: roleName(c.by.role) })}</td>
                    <td>{c.noticeVersion}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}

const detailsText = (d: Record<string, unknown> | null) =>
  d
    ? Object.entries(d)
        .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(' · ')
    : '';

export function AuditTrail(props: { retireeId: number; first: Page<AuditEntryView> }) {
  const paged = usePaged(() => props.first, (before) => call(RETIREE_RECORD.audit, { params: { id: props.retireeId }, query: new URLSearchParams({ before }) }));
  return (
    <section class="o-card" aria-labelledby="o-retiree-audit-title" data-testid="retiree-audit">
      <h2 id="o-retiree-audit-title">{rt('o.retiree.audit')}</h2>
      <Show when={paged.items().length} fallback={<p class="o-muted">{rt('o.retiree.audit.none')}</p>}>
        <div class="o-table-wrap">
          <table class="o-table">
            <caption>{rt('o.retiree.audit.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{rt('o.retiree.col.when')}</th>
                <th scope="col">{rt('o.retiree.col.event')}</th>
                <th scope="col">{rt('o.retiree.col.who')}</th>
                <th scope="col">{rt('o.retiree.col.details')}</th>
                <th scope="col">{rt('o.retiree.col.ip')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={paged.items()}>
                {(e) => (
                  <tr data-testid="retiree-audit-entry" data-event={e.event}>
                    <td>{formatDateTime(e.at)}</td>
                    <td>{eventText(e.event)}</td>
                    <td>{e.actor ? rt('o.retiree.attempt.by', { name: e.actor.displayName, role: roleName(e.actor.role) }) : rt('o.retiree.audit.system')}</td>
                    <td class="o-retiree-details">{detailsText(e.details)}</td>
                    <td class="o-mono">{e.ip ?? '—'}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <p class="o-muted">{rt('o.retiree.shown', { shown: paged.items().length, total: paged.total() })}</p>
        <MoreButton paged={paged} testid="retiree-audit-more" />
      </Show>
    </section>
  );
}

/**
 * Erasure of the retiree's biometric data on their request (POST /api/identity/retirees/:id/erase-biometrics,
 * decision 052): asked for in two steps on the page itself (no dialog), with who asked and how.
 */
export function EraseBiometrics(props: { retireeId: number; onErased: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [message, setMessage] = createSignal<{ text: string; alert: boolean } | null>(null);
  let field!: HTMLTextAreaElement;

  async function erase() {
    if (!reason().trim()) {
      setMessage({ text: rt('o.retiree.erase.needReason'), alert: true });
      field.focus();
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const done = await call(IDENTITY.eraseBiometrics, { params: { id: props.retireeId }, json: { reason: reason().trim() } });
      setOpen(false);
      setReason('');
      setMessage({ text: rt('o.retiree.erase.done', { frames: done.frames, audio: done.audio, photos: done.photos, references: done.references }), alert: false });
      props.onErased();
    } catch (err) {
      setMessage({ text: errorText(err), alert: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="o-card" aria-labelledby="o-retiree-erase-title" data-testid="retiree-erase">
      <h2 id="o-retiree-erase-title">{rt('o.retiree.erase')}</h2>
      <p>{rt('o.retiree.erase.explain')}</p>
      <Show
        when={open()}
        fallback={
          <button type="button" class="o-button o-danger" data-testid="erase-start" onClick={() => setOpen(true)}>
            {rt('o.retiree.erase.start')}
          </button>
        }
      >
        <label class="o-field-label" for="o-erase-reason">
          {rt('o.retiree.erase.reason')}
        </label>
        <textarea id="o-erase-reason" ref={field} class="o-textarea" maxLength={500} value={reason()} onInput={(ev) => setReason(ev.currentTarget.value)} data-testid="erase-reason" />
        <div class="o-decide-row">
          <button type="button" class="o-button o-danger" disabled={busy()} onClick={() => void erase()} data-testid="erase-confirm">
            {rt('o.retiree.erase.confirm')}
          </button>
          <button type="button" class="o-button" disabled={busy()} onClick={() => (setOpen(false), setMessage(null))}>
            {rt('o.retiree.erase.cancel')}
          </button>
          <Show when={busy()}>
            <span role="status">{rt('o.retiree.erase.working')}</span>
          </Show>
        </div>
      </Show>
      <Show when={message()}>
        {(m) => (
          <p class={m().alert ? 'o-alert' : 'o-ok'} role={m().alert ? 'alert' : 'status'} data-testid="erase-message">
            {m().text}
          </p>
        )}
      </Show>
    </section>
  );
}
