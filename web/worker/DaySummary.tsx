// The day summary / sync centre: what this worker did today (checks, visit outcomes, the retirees'
// consent answers), what waits to be sent, what needs attention; each record with its sync state;
// the app's sync line with "Send now" (SyncStatus).
import { createMemo, For, Show } from 'solid-js';
import { useDaySummary, useRecordsSince } from '../data/index.ts';
import { lang, t, type MessageKey } from '../i18n/index.ts';
import { SyncStatus } from '../components/SyncStatus.tsx';
import { attemptOutcomeText, formatDateTime, visitKindText, visitResultText } from './labels.ts';
import { startOfToday, type RosterView } from './roster-view.ts';

export function DaySummary(props: { userId: number; roster: RosterView; open: (id: number) => void }) {
  const since = startOfToday();
  const key = () => ({ userId: props.userId, since });
  const day = useDaySummary(key);
  const records = useRecordsSince(key);
  const items = createMemo(() =>
    [
      ...records().attempts.map((a) => ({
        id: a.id,
        retireeId: a.retireeId,
        at: a.createdAt,
        what: `${t('w.item.attempt')}: ${t(a.result.verdict === 'passed' ? 'w.rec.attempt.passed' : 'w.rec.attempt.failed')}`,
        state: a.syncState,
        detail: attemptOutcomeText(a) || (a.rejectReason ? t('sync.reason.other') : ''),
      })),
      ...records().visits.map((v) => ({
        id: v.id,
        retireeId: v.retireeId,
        at: v.createdAt,
        what: visitKindText(v.kind),
        state: v.syncState,
        detail: v.outcome ? visitResultText(v.outcome) : v.rejectReason ? t('sync.reason.other') : '',
      })),
      // The retiree's consent answer recorded at the door (decision 085): sent with the rest, and
      // "sent" only once the server has answered it.
      ...records().consents.map((c) => ({
        id: c.id,
        retireeId: c.retireeId,
        at: c.createdAt,
        what: t(c.choice === 'face' ? 'w.rec.consent.face' : 'w.rec.consent.alternative'),
        state: c.syncState,
        detail: c.rejectReason ? t('sync.reason.other') : '',
      })),
    ].sort((a, b) => b.at - a.at),
  );
  const counts: [keyof ReturnType<typeof day>, MessageKey][] = [
    ['visited', 'w.day.visited'],
    ['certified', 'w.day.certified'],
    ['attested', 'w.day.attested'],
    ['notHome', 'w.day.notHome'],
    ['reported', 'w.day.reported'],
    ['consents', 'w.day.consents'],
    ['waiting', 'w.day.waiting'],
    ['attention', 'w.day.attention'],
  ];
  return (
    <main class="w-screen" data-testid="day-summary">
      <h1 class="w-title">{t('w.day.title')}</h1>
      <dl class="w-counts">
        <For each={counts}>
          {([k, label]) => (
            <div class={`w-count ${k}${day()[k] > 0 ? " nonzero" : ""}`} data-testid={`count-${k}`} data-value={day()[k]}>
              <dt>{t(label)}</dt>
              <dd>{day()[k]}</dd>
            </div>
          )}
        </For>
      </dl>
      <SyncStatus userId={props.userId} />
      <h2>{t('w.day.items')}</h2>
      <Show when={items().length > 0} fallback={<p class="w-note">{t('w.day.none')}</p>}>
        <ul class="w-items">
          <For each={items()}>
            {(r) => (
              <li class={`w-item ${r.state}`} data-testid="day-item" data-id={r.id} data-state={r.state}>
                <button type="button" class="w-item-open" onClick={() => props.open(r.retireeId)}>
                  <span class="w-strong">{props.roster.byId(r.retireeId)?.name ?? `#${r.retireeId}`} · {r.what}</span>
                  <span><span class="date-whole">{formatDateTime(r.at, lang())}</span> · {t(`sync.state.${r.state}`)}</span>
                  <Show when={r.detail}><span class="w-muted">{r.detail}</span></Show>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </main>
  );
}
