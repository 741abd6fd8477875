// The family member's home (issue 19): reminders, each relative they may help with status and
// deadline, their own requests and where each stands, and "添加老人". All from the phone's cache
// (roster and links of the last pull), so it reads the same without signal.
import { createSignal, For, Show } from 'solid-js';
import { FAMILY, type MyLinkRequest } from '../../shared/schemas/family.ts';
import { call } from '../api/client.ts';
import { sendNow, useLinks, useRoster } from '../data/index.ts';
import { Dated, statusDates } from '../components/Dated.tsx';
import { IdGroups } from '../components/IdGroups.tsx';
import { ReadAloud } from '../components/ReadAloud.tsx';
import { said } from '../components/said.ts';
import { SyncStatus } from '../components/SyncStatus.tsx';
import { formatDate, t } from '../i18n/index.ts';
import { me } from '../session.ts';
import { statusText } from '../status-text.ts';
import { relationText, relationValue } from './relation.ts';
import { deadlineOf, remindersFor } from './reminders.ts';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const REQUEST_STATE_TEXT = {
  pending: 'fam.req.pending',
  approved: 'fam.req.approved',
  declined: 'fam.req.declined',
  withdrawn: 'fam.req.withdrawn',
  expired: 'fam.req.expired',
  ended: 'fam.req.ended',
} as const;

export function FamilyHome(props: { userId: number; notice: string; onPick(id: number): void; onAdd(): void; onSettings(): void }) {
  const roster = useRoster(() => props.userId);
  const links = useLinks(() => props.userId);
  const [error, setError] = createSignal('');
  const relationOf = (retireeId: number) =>
    me()?.retirees?.find((r) => r.id === retireeId)?.relation ?? links().mine.find((m) => m.retireeId === retireeId && m.state === 'approved')?.relation ?? '';
  const reminders = () => remindersFor(roster().map((r) => ({ retireeId: r.retireeId, name: r.name, status: r.status })));
  // Approved requests are the relatives above; the rest say where they stand.
  const requests = () => links().mine.filter((m) => m.state !== 'approved');
  const datesOf = (retireeId: number) => {
    const r = roster().find((x) => x.retireeId === retireeId);
    return r ? statusDates(r.status) : [];
  };
  // The main action is the check of a relative who still needs one: that card is filled (a settled
  // one stays outlined), and adding a parent is a secondary button under the list. With nobody to
  // help yet, adding one is the main action (decision 095).
  const needsCheck = (s: Parameters<typeof statusText>[0]) => statusText(s, 'other').checkUseful;

  async function withdraw(r: MyLinkRequest) {
    setError('');
    try {
      await call(FAMILY.withdraw, { params: { id: r.id } });
      void sendNow();
    } catch {
      setError(t('fam.needsNetwork'));
    }
  }

  return (
    <main class="screen family-pick" data-testid="family-pick">
      <h1 {...said({ key: 'home.greeting', values: { name: { text: me()?.user.displayName ?? '' } } })}>{t('home.greeting', { name: me()?.user.displayName ?? '' })}</h1>
      <ReadAloud />
      <Show when={props.notice}>
        <p class="status-card done" role="status" data-testid="family-notice">{props.notice}</p>
      </Show>
      <Show when={reminders().length}>
        <section class="family-reminders" data-testid="family-reminders" aria-label={t('fam.home.reminders')}>
          <h2 {...said({ key: 'fam.home.reminders' })}>{t('fam.home.reminders')}</h2>
          <For each={reminders()}>
            {(r) => (
              <p class={`status-card ${r.urgent ? 'alert' : 'due'}`} data-testid="family-reminder" {...said(r.line)}>
                <Dated text={r.text} dates={datesOf(r.retireeId)} />
              </p>
            )}
          </For>
        </section>
      </Show>
      <h2 {...said({ key: 'fam.home.relatives' })}>{t('fam.home.relatives')}</h2>
      <Show
        when={roster().length}
        fallback={
          <p data-testid="family-none" {...said({ key: 'fam.home.none' })}>
            {t('fam.home.none')}
          </p>
        }
      >
        <ul class="pick-list">
          <For each={roster()}>
            {(r) => (
              <li>
                <button
                  class="pick"
                  classList={{ 'needs-check': needsCheck(r.status) }}
                  type="button"
                  data-testid="pick-retiree"
                  data-retiree-id={r.retireeId}
                  onClick={() => props.onPick(r.retireeId)}
                >
                  <span class="pick-name" {...said({ key: 'read.value', values: { value: { text: r.name } } })}>
                    {r.name}
                  </span>
                  <Show when={relationOf(r.retireeId)}>
                    <span class="pick-detail" {...said({ key: 'family.relation', values: { relation: relationValue(relationOf(r.retireeId)) } })}>
                      {t('family.relation', { relation: relationText(relationOf(r.retireeId)) })}
                    </span>
                  </Show>
                  {/* A device voice reads the ID number (the clips cannot: it may end in X); its hidden middle
                      (********) is a pause, not "asterisk" ten times. */}
                  <span class="pick-detail" {...said({ key: 'read.value', values: { value: { text: r.idNumber.replace(/\*+/g, ', ') } } })}>
                    <IdGroups id={r.idNumber} />
                  </span>
                  {/* An open period's title already says the deadline. */}
                  <span class="pick-status" data-testid="pick-status" data-state={r.status.state} {...said(statusText(r.status, 'other').lines.title)}>
                    <Dated text={statusText(r.status, 'other').title} dates={statusDates(r.status)} />
                  </span>
                  <Show when={r.status.state !== 'open' && deadlineOf(r.status)}>
                    {(d) => (
                      <span class="pick-detail" {...said({ key: 'fam.home.deadline', values: { date: { date: d() } } })}>
                        <Dated text={t('fam.home.deadline', { date: formatDate(d()) })} dates={[formatDate(d())]} />
                      </span>
                    )}
                  </Show>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <button class={roster().length > 0 ? 'secondary' : 'primary'} type="button" data-testid="family-add" onClick={() => props.onAdd()} {...said({ key: 'fam.home.add' })}>
        {t('fam.home.add')}
      </button>
      <Show when={requests().length}>
        <section data-testid="family-requests">
          <h2 {...said({ key: 'fam.home.requests' })}>{t('fam.home.requests')}</h2>
          <ul class="request-list">
            <For each={requests()}>
              {(r) => (
                <li class="request" data-testid="family-request" data-state={r.state}>
                  <p class="pick-name" {...said({ key: 'fam.req.line', values: { name: { text: r.name }, relation: relationValue(r.relation) } })}>
                    {t('fam.req.line', { name: r.name, relation: relationText(r.relation) })}
                  </p>
                  <p {...said({ key: REQUEST_STATE_TEXT[r.state] })}>{t(REQUEST_STATE_TEXT[r.state])}</p>
                  <p class="pick-detail" {...said({ key: 'fam.req.sentAt', values: { date: { date: day(r.requestedAt) } } })}>
                    <Dated text={t('fam.req.sentAt', { date: formatDate(day(r.requestedAt)) })} dates={[formatDate(day(r.requestedAt))]} />
                  </p>
                  <Show when={r.state === 'pending'}>
                    <button class="secondary" type="button" onClick={() => void withdraw(r)} {...said({ key: 'fam.req.withdraw' })}>
                      {t('fam.req.withdraw')}
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
          <Show when={error()}>
            <p class="error" role="alert">{error()}</p>
          </Show>
        </section>
      </Show>
      <SyncStatus userId={props.userId} />
      <nav class="home-nav" aria-label={t('nav.home')}>
        <button class="secondary" type="button" onClick={() => props.onSettings()} {...said({ key: 'nav.settings' })}>
          {t('nav.settings')}
        </button>
      </nav>
    </main>
  );
}
