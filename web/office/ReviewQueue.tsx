// The review queue (issue 16): everything waiting for the office — home-visit reports and doubtful
// checks — oldest first, filtered by reason and community (GET /api/office/queue), with the chosen
// item's evidence and decision beside the list. After a decision the next item opens. Keyboard:
// A approve, R reject, J or N next, K previous (web/office/shortcuts.ts). A link can open the queue
// filtered (`#/queue?reason=…&community=…`) or at one item (`#/queue?item=<id>`, from a retiree's page).
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import { REVIEW_ANSWER_WORKING_DAYS } from '../../shared/certification-rules.ts';
import { OFFICE, QUEUE_REASONS, type OfficeQueue, type QueueItem, type QueueReason } from '../../shared/schemas/office.ts';
import { call } from '../api/client.ts';
import { formatDate, t, type MessageKey } from '../i18n/index.ts';
import { formatDateTime } from './format.ts';
import { ErrorLine } from './Overview.tsx';
import { FamilyRequestsPanel } from './FamilyRequestsPanel.tsx';
import { ReviewDetail, type Decision, type DecisionHandlers } from './ReviewDetail.tsx';
import { shortcutOf } from './shortcuts.ts';

type QueueMeta = Omit<OfficeQueue, 'items'>;

const reasonLabel = (r: QueueReason) => t(`o.reasonShort.${r}` as MessageKey);

/** Pages read to find the item a link names before settling for the oldest: 10 pages of 50. */
const FIND_PAGES = 10;

export function ReviewQueue(props: { params?: URLSearchParams }) {
  const asked = props.params;
  const askedReason = asked?.get('reason') ?? '';
  const askedCommunity = Number(asked?.get('community'));
  const [reason, setReason] = createSignal<QueueReason | ''>((QUEUE_REASONS as readonly string[]).includes(askedReason) ? (askedReason as QueueReason) : '');
  const [community, setCommunity] = createSignal<number | ''>(Number.isSafeInteger(askedCommunity) && askedCommunity > 0 ? askedCommunity : '');
  const [items, setItems] = createSignal<QueueItem[]>([]);
  const [meta, setMeta] = createSignal<QueueMeta | null>(null);
  const [selectedId, setSelectedId] = createSignal<string | null>(asked?.get('item') ?? null);
  const [error, setError] = createSignal<unknown>(null);
  const [loading, setLoading] = createSignal(false);
  const [announcement, setAnnouncement] = createSignal('');
  let handlers: DecisionHandlers | null = null;
  let request = 0;
  let wanted = selectedId() !== null;
  let pagesRead = 0;

  async function load(append: boolean) {
    const mine = ++request;
    const params = new URLSearchParams();
    if (reason()) params.set('reason', reason());
    if (community() !== '') params.set('community', String(community()));
    const last = items().at(-1);
    if (append && last) params.set('after', last.cursor);
    setLoading(true);
    try {
      const body = await call(OFFICE.queue, { query: params });
      if (mine !== request) return; // a newer filter's answer wins
      const { items: page, ...rest } = body;
      setItems(append ? [...items(), ...page] : page);
      setMeta(rest);
      setError(null);
      const found = items().some((i) => i.id === selectedId());
      // The item a link named may be further down the queue (it is oldest first).
      if (!found && wanted && rest.more && pagesRead++ < FIND_PAGES) return void (await load(true));
      wanted = false;
      if (!found) setSelectedId(items()[0]?.id ?? null);
    } catch (err) {
      if (mine === request) setError(err);
    } finally {
      if (mine === request) setLoading(false);
    }
  }
  createEffect(on([reason, community], () => void load(false)));

  const selected = createMemo(() => items().find((i) => i.id === selectedId()) ?? null);
  const total = () => Object.values(meta()?.byReason ?? {}).reduce((s, n) => s + (n ?? 0), 0);
  const reasonsWaiting = () => QUEUE_REASONS.filter((r) => (meta()?.byReason[r] ?? 0) > 0 || r === reason());

  function move(step: 1 | -1) {
    const list = items();
    const at = list.findIndex((i) => i.id === selectedId());
    const next = list[Math.min(list.length - 1, Math.max(0, at + step))];
    if (!next) return;
    setSelectedId(next.id);
    document.querySelector<HTMLElement>(`[data-queue-id="${next.id}"]`)?.scrollIntoView({ block: 'nearest' });
  }

  function decided(item: QueueItem, decision: Decision) {
    const list = items();
    const at = list.findIndex((i) => i.id === item.id);
    const rest = list.filter((i) => i.id !== item.id);
    setItems(rest);
    const m = meta();
    if (m) {
      const byReason = { ...m.byReason, [item.reason]: Math.max(0, (m.byReason[item.reason] ?? 1) - 1) };
      const byCommunity = m.byCommunity.map((c) => (c.id === item.retiree.communityId ? { ...c, waiting: Math.max(0, c.waiting - 1) } : c));
      setMeta({ ...m, byReason, byCommunity });
    }
    setAnnouncement(t(decision === 'approve' ? 'o.queue.decided.approved' : 'o.queue.decided.rejected', { name: item.retiree.name }));
    // "Next": the item that took its place, or the one before when it was the last.
    setSelectedId(rest[Math.min(at, rest.length - 1)]?.id ?? null);
    if (!rest.length && m && total() > 0) void load(false);
  }

  onMount(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutOf(e, e.target);
      if (!action) return;
      e.preventDefault();
      if (action === 'next') move(1);
      else if (action === 'previous') move(-1);
      else if (action === 'approve') handlers?.approve();
      else handlers?.reject();
    };
    window.addEventListener('keydown', onKey);
    onCleanup(() => window.removeEventListener('keydown', onKey));
  });

  return (
    <div class="o-page o-queue" data-testid="office-queue">
      <div class="o-title-row">
        <h1>{t('o.queue.title')}</h1>
        <p class="o-muted" data-testid="queue-total">
          {t('o.queue.count', { n: total() })}
        </p>
      </div>
      <p class="o-shortcuts" id="o-shortcuts">
        {t('o.queue.shortcuts')}
      </p>
      <FamilyRequestsPanel />
      <p class="visually-hidden" role="status" data-testid="queue-announcement">
        {announcement()}
      </p>
      <div class="o-queue-layout">
        <div class="o-queue-side">
          <fieldset class="o-filters">
            <legend>{t('o.queue.filters')}</legend>
            <label class="o-inline-field">
              {t('o.queue.reason')}
              <select data-testid="filter-reason" value={reason()} onChange={(e) => setReason(e.currentTarget.value as QueueReason | '')}>
                <option value="">{t('o.queue.any', { n: total() })}</option>
                <For each={reasonsWaiting()}>{(r) => <option value={r}>{t('o.queue.option', { label: reasonLabel(r), n: meta()?.byReason[r] ?? 0 })}</option>}</For>
              </select>
            </label>
            <label class="o-inline-field">
              {t('o.queue.community')}
              <select data-testid="filter-community" value={community()} onChange={(e) => setCommunity(e.currentTarget.value ? Number(e.currentTarget.value) : '')}>
                <option value="">{t('o.queue.any', { n: total() })}</option>
                <For each={meta()?.byCommunity ?? []}>{(c) => <option value={c.id}>{t('o.queue.option', { label: c.name, n: c.waiting })}</option>}</For>
              </select>
            </label>
          </fieldset>
          <Show when={!error()} fallback={<ErrorLine error={error()} retry={() => void load(false)} />}>
            <Show when={items().length} fallback={<p data-testid="queue-empty">{loading() ? t('o.loading') : reason() || community() !== '' ? t('o.queue.emptyFiltered') : t('o.queue.empty')}</p>}>
              <ol class="o-items" aria-label={t('o.queue.list')}>
                <For each={items()}>
                  {(item) => (
                    <li>
                      <button
                        type="button"
                        class="o-item"
                        data-testid="queue-item"
                        data-queue-id={item.id}
                        data-type={item.type}
                        data-reason={item.reason}
                        aria-current={item.id === selectedId() ? 'true' : undefined}
                        aria-describedby="o-shortcuts"
                        onClick={() => setSelectedId(item.id)}
                      >
                        <span class="o-item-reason">{reasonLabel(item.reason)}</span>
                        <span class="o-item-name">
                          {item.retiree.name} <span class="o-mono">{item.retiree.idNumber}</span>
                        </span>
                        <span class="o-item-meta">
                          {item.retiree.communityName} · {t('o.queue.by', { name: item.by.name })} · {t('o.queue.waitingSince', { time: formatDateTime(item.receivedAt) })}
                        </span>
                        <span class="o-item-promise" classList={{ 'o-late': item.late }} data-testid="queue-item-promise" data-late={item.late ? 'yes' : 'no'}>
                          {item.late ? t('o.queue.late', { n: REVIEW_ANSWER_WORKING_DAYS, date: formatDate(item.answerBy) }) : t('o.queue.answerBy', { date: formatDate(item.answerBy) })}
                        </span>
                      </button>
                    </li>
                  )}
                </For>
              </ol>
              <Show when={meta()?.more}>
                <button type="button" class="o-button" disabled={loading()} onClick={() => void load(true)}>
                  {t('o.queue.more')}
                </button>
              </Show>
            </Show>
          </Show>
        </div>
        <div class="o-queue-main">
          <Show when={selected()} keyed fallback={<p class="o-muted">{items().length ? t('o.queue.pick') : ''}</p>}>
            {(item) => <ReviewDetail item={item} thresholds={meta()!.thresholds} onDecided={(d) => decided(item, d)} bind={(h) => (handlers = h)} unbind={(h) => handlers === h && (handlers = null)} />}
          </Show>
        </div>
      </div>
    </div>
  );
}
