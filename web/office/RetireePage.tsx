// One retiree's whole record (issue 16, decision 057): profile and account, the status the rules give
// today in a sentence, reference photos, certifications, every face check with its evidence, home
// visits, family, consents and the audit trail. Read-mostly: decisions stay in the review queue; the
// one action here is the erasure of biometric data on request, confirmed inline.
import { createEffect, createResource, createSignal, For, on, Show, type Accessor } from 'solid-js';
import type { ReferenceFace } from '../../shared/schemas/identity.ts';
import { RETIREE_RECORD, type RetireeRecord } from '../../shared/schemas/office-retiree.ts';
import { ApiError, call } from '../api/client.ts';
import { formatDate, t, type MessageKey } from '../i18n/index.ts';
import { formatDateTime } from './format.ts';
import { ErrorLine } from './Overview.tsx';
import { RetireeAttempts } from './RetireeAttempts.tsx';
import { AuditTrail, Certifications, Consents, EraseBiometrics, Fact, FamilyLinks, Visits } from './RetireeSections.tsx';
import { rt, say, statusSentence, type RetireeKey } from './retiree-text.ts';
import { officeHref, type OfficeRoute } from './route.ts';

/**
 * The route before the current one, so the retiree page's "back" can return to the list with its
 * filters (history back) when that is where the clerk came from. OfficeApp calls it once.
 */
export function previousRoute(route: Accessor<OfficeRoute>): Accessor<OfficeRoute | null> {
  const [previous, setPrevious] = createSignal<OfficeRoute | null>(null);
  createEffect(on(route, (_now, before) => before && setPrevious(before), { defer: false }));
  return previous;
}

export function RetireePage(props: { id: number; previous: OfficeRoute | null }) {
  const [record, { refetch }] = createResource(() => props.id, (id) => call(RETIREE_RECORD.record, { params: { id } }));
  const fromList = () => props.previous?.view === 'retirees';
  const backHref = () => (fromList() ? officeHref('retirees', Object.fromEntries(props.previous!.params)) : officeHref('retirees'));
  const notFound = () => record.error instanceof ApiError && record.error.status === 404;

  return (
    <div class="o-page o-retiree" data-testid="office-retiree">
      <p class="o-retiree-back">
        <a
          class="o-link o-retiree-jump"
          href={backHref()}
          data-testid="retiree-back"
          onClick={(ev) => {
            // Back to the list as it was (its filters, its page, its place on the page).
            if (fromList()) {
              ev.preventDefault();
              history.back();
            }
          }}
        >
          ← {rt('o.retiree.back')}
        </a>
      </p>
      <Show when={!record.error} fallback={notFound() ? <p class="o-alert" role="alert" data-testid="retiree-not-found">{rt('o.retiree.notFound')}</p> : <ErrorLine error={record.error} retry={refetch} />}>
        {/* Keyed: a record read again (after an erasure) starts its sections' pages afresh. */}
        <Show when={record()} keyed fallback={<p role="status">{rt('o.retiree.loading')}</p>}>
          {(r) => <Record record={r} />}
        </Show>
        <Show when={record.state === 'ready' || record.state === 'refreshing'}>
          <EraseBiometrics retireeId={props.id} onErased={refetch} />
        </Show>
      </Show>
    </div>
  );
}

function Record(props: { record: RetireeRecord }) {
  const r = () => props.record.retiree;
  const sentence = () => say(statusSentence(props.record.status.state, r().enrolment, props.record.status.waiting), formatDate);
  return (
    <>
      <header class="o-title-row">
        <h1 data-testid="retiree-name">{rt('o.retiree.title', { name: r().name })}</h1>
        <p class="o-muted">{rt('o.retiree.viewedNote')}</p>
      </header>
      <section class="o-card o-retiree-status" aria-labelledby="o-retiree-status-title">
        <h2 id="o-retiree-status-title">{rt('o.retiree.status')}</h2>
        <p class="o-retiree-sentence" data-testid="retiree-status" data-state={props.record.status.state.state}>
          {sentence()}
        </p>
        <Show when={props.record.status.visitRequest}>
          {(q) => <p data-testid="retiree-visit-request">{rt('o.retiree.status.visitRequest', { time: formatDateTime(q().requestedAt) })}</p>}
        </Show>
        <Show when={props.record.status.waiting.length}>
          <p>{rt('o.retiree.status.waiting')}</p>
          <ul data-testid="retiree-waiting">
            <For each={props.record.status.waiting}>
              {(w) => <li>{rt('o.retiree.status.waitingItem', { reason: t(`o.reason.${w.reason}` as MessageKey), time: formatDateTime(w.receivedAt) })}</li>}
            </For>
          </ul>
          <p>
            <a class="o-link o-retiree-jump" href={officeHref('queue')}>
              {rt('o.retiree.status.openQueue')}
            </a>
          </p>
        </Show>
      </section>
      <div class="o-retiree-columns">
        <Profile record={props.record} />
        <Account record={props.record} />
      </div>
      <References references={props.record.references} name={r().name} />
      <Certifications items={props.record.certifications} />
      <RetireeAttempts retireeId={r().id} name={r().name} first={props.record.attempts} thresholds={props.record.thresholds} />
      <Visits retireeId={r().id} name={r().name} first={props.record.visits} />
      <div class="o-retiree-columns">
        <FamilyLinks items={props.record.family} />
        <Consents items={props.record.consents} />
      </div>
      <AuditTrail retireeId={r().id} first={props.record.audit} />
    </>
  );
}

function Profile(props: { record: RetireeRecord }) {
  const r = () => props.record.retiree;
  const enrolment = () => {
    const state = rt(`o.retiree.enrolment.${r().enrolment}` as RetireeKey);
    const since = r().enrolmentSince;
    return 'on' in since ? rt('o.retiree.sinceOn', { state, date: formatDate(since.on) }) : rt('o.retiree.sinceAt', { state, time: formatDateTime(since.at) });
  };
  return (
    <section class="o-card" aria-labelledby="o-retiree-profile-title" data-testid="retiree-profile">
      <h2 id="o-retiree-profile-title">{rt('o.retiree.profile')}</h2>
      <dl class="o-facts">
        <Fact term={rt('o.retiree.name')}>{r().name}</Fact>
        <Fact term={rt('o.retiree.idNumber')} testid="retiree-id-number">
          <span class="o-mono">{r().idNumber}</span>
        </Fact>
        <Fact term={rt('o.retiree.birth')}>{r().birthDate ? rt('o.retiree.birthValue', { date: formatDate(r().birthDate!), age: r().age ?? '' }) : rt('o.retiree.unknown')}</Fact>
        <Fact term={rt('o.retiree.sex')}>{r().sex ? rt(`o.retiree.sex.${r().sex!}`) : rt('o.retiree.unknown')}</Fact>
        <Fact term={rt('o.retiree.category')}>{rt(`o.retiree.category.${r().pensionCategory}`)}</Fact>
        <Fact term={rt('o.retiree.community')}>
          {r().community.name} · {r().region.name}
        </Fact>
        <Fact term={rt('o.retiree.address')}>{r().address || rt('o.retiree.unknown')}</Fact>
        <Fact term={rt('o.retiree.phone')}>{r().phone ? <span class="o-mono">{r().phone}</span> : rt('o.retiree.none')}</Fact>
        <Fact term={rt('o.retiree.enrolment')} testid="retiree-enrolment">
          {enrolment()}
        </Fact>
        <Show when={r().notes}>
          <Fact term={rt('o.retiree.notes')}>{r().notes}</Fact>
        </Show>
      </dl>
    </section>
  );
}

function Account(props: { record: RetireeRecord }) {
  const a = () => props.record.account;
  const state = () => (!a().exists ? rt('o.retiree.account.none') : a().disabled ? rt('o.retiree.account.disabled') : a().activated ? rt('o.retiree.account.active') : rt('o.retiree.account.notActivated'));
  const code = () => {
    const c = a().activationCode;
    if (!c) return rt('o.retiree.none');
    const issued = formatDateTime(c.issuedAt);
    if (c.usedAt) return rt('o.retiree.account.codeUsed', { issued, used: formatDateTime(c.usedAt) });
    return c.expiresAt < Date.now() ? rt('o.retiree.account.codeExpired', { issued }) : rt('o.retiree.account.codeOpen', { issued, expires: formatDateTime(c.expiresAt) });
  };
  return (
    <section class="o-card" aria-labelledby="o-retiree-account-title" data-testid="retiree-account">
      <h2 id="o-retiree-account-title">{rt('o.retiree.account')}</h2>
      <dl class="o-facts">
        <Fact term={rt('o.retiree.account.state')}>{state()}</Fact>
        <Fact term={rt('o.retiree.account.lastSignIn')}>{a().lastSignInAt ? formatDateTime(a().lastSignInAt!) : rt('o.retiree.none')}</Fact>
        <Fact term={rt('o.retiree.account.lastDevice')}>
          {a().lastDevice ? rt('o.retiree.account.deviceValue', { time: formatDateTime(a().lastDevice!.lastSeenAt), agent: a().lastDevice!.userAgent ?? rt('o.retiree.account.unknownAgent') }) : rt('o.retiree.none')}
        </Fact>
        <Fact term={rt('o.retiree.account.code')}>{code()}</Fact>
      </dl>
    </section>
  );
}

function References(props: { references: ReferenceFace[]; name: string }) {
  return (
    <section class="o-card" aria-labelledby="o-retiree-refs-title" data-testid="retiree-references">
      <h2 id="o-retiree-refs-title">{rt('o.retiree.references')}</h2>
      <Show when={props.references.length} fallback={<p class="o-muted">{rt('o.retiree.references.none')}</p>}>
        <ul class="o-photos">
          <For each={props.references}>
            {(ref) => {
              const source = () => t(`o.source.${ref.source}`);
              return (
                <li>
                  <figure>
                    <img src={`/api/identity/references/${ref.id}/photo`} alt={rt('o.retiree.reference.alt', { name: props.name, source: source() })} width={ref.width || undefined} height={ref.height || undefined} />
                    <figcaption>
                      <strong>{rt('o.retiree.reference.caption', { source: source(), status: rt(ref.status === 'pending' ? 'o.retiree.reference.pending' : 'o.retiree.reference.active') })}</strong>
                      <br />
                      {ref.addedBy ? rt('o.retiree.reference.added', { time: formatDateTime(ref.createdAt), by: ref.addedBy.name }) : rt('o.retiree.reference.addedBySystem', { time: formatDateTime(ref.createdAt) })}
                      <Show when={ref.takenOn}>
                        <br />
                        {rt('o.retiree.reference.taken', { date: formatDate(ref.takenOn!) })}
                      </Show>
                    </figcaption>
                  </figure>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
    </section>
  );
}
