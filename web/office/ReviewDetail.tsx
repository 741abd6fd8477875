// One item of the review queue with its evidence side by side (the retiree's reference photos next
// to the check's key frames or the home-visit photo), the reason in plain words, and the decision.
// Decisions go to the route that owns them (/api/reviews or /api/identity/reviews), which checks
// that nobody decides on what they recorded and writes the audit entry; a refusal is shown here.
import { createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import { IDENTITY, type AttemptReview, type ReferenceFace } from '../../shared/schemas/identity.ts';
import type { SpoofAssessment } from '../../shared/spoof-risk.ts';
import type { VoiceAssessment } from '../../shared/voice-check.ts';
import { OFFICE, type QueueItem } from '../../shared/schemas/office.ts';
import type { ReviewItem } from '../../shared/schemas/worker.ts';
import { ApiError, call } from '../api/client.ts';
import { errorText } from '../error-text.ts';
import { formatDate, t, type MessageKey } from '../i18n/index.ts';
import { me } from '../session.ts';
import { formatDateTime } from './format.ts';
import { rt } from './retiree-text.ts';
import { retireeHref } from './route.ts';

export type Decision = 'approve' | 'reject';

/** What the queue's keyboard shortcuts call on the item shown. */
export interface DecisionHandlers {
  approve(): void;
  reject(): void;
}

type Evidence = { type: 'report'; report: ReviewItem; references: ReferenceFace[] } | { type: 'attempt'; attempt: AttemptReview; references: ReferenceFace[] };

async function loadEvidence(item: QueueItem): Promise<Evidence> {
  if (item.type === 'report') {
    const [report, refs] = await Promise.all([call(OFFICE.report, { params: { id: item.id } }), call(IDENTITY.references, { params: { id: item.retiree.id } })]);
    return { type: 'report', report, references: refs.references };
  }
  const { attempt, references } = await call(IDENTITY.review, { params: { id: item.id } });
  return { type: 'attempt', attempt, references };
}

/** The refusal or failure of a decision, in the clerk's language. */
function refusalText(err: unknown): { text: string; detail: string | null } {
  if (err instanceof ApiError) {
    if (err.status === 403) return { text: t('o.decide.own'), detail: null };
    if (err.status === 409) return { text: t('o.decide.conflict'), detail: err.message };
    if (err.status === 404) return { text: t('o.decide.gone'), detail: null };
  }
  return { text: errorText(err), detail: null };
}

export function ReviewDetail(props: {
  item: QueueItem;
  thresholds: { match: number; mismatch: number };
  onDecided: (d: Decision) => void;
  bind: (h: DecisionHandlers) => void;
  unbind: (h: DecisionHandlers) => void;
}) {
  const [evidence, { refetch }] = createResource(() => props.item, loadEvidence);
  const [reason, setReason] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [refusal, setRefusal] = createSignal<{ text: string; detail: string | null } | null>(null);
  let reasonField!: HTMLTextAreaElement;

  // Checked by the server too; said before the clerk tries.
  const own = () => props.item.by.id === me()?.user.id;
  const unsigned = () => {
    const e = evidence();
    return e?.type === 'report' && e.report.kind === 'cannot_check' && e.report.signature !== 'verified';
  };

  async function decide(kind: Decision) {
    if (busy() || !evidence()) return;
    if (kind === 'reject' && !reason().trim()) {
      setRefusal({ text: t('o.decide.needReason'), detail: null });
      reasonField.focus();
      return;
    }
    setBusy(true);
    setRefusal(null);
    const decision = kind === 'approve' ? { decision: 'approve' as const } : { decision: 'reject' as const, reason: reason().trim() };
    const params = { id: props.item.id };
    try {
      await (props.item.type === 'report' ? call(OFFICE.decideReport, { params, json: decision }) : call(IDENTITY.decide, { params, json: decision }));
      props.onDecided(kind);
    } catch (err) {
      setRefusal(refusalText(err));
    } finally {
      setBusy(false);
    }
  }
  const handlers: DecisionHandlers = { approve: () => void decide('approve'), reject: () => void decide('reject') };
  props.bind(handlers);
  onCleanup(() => props.unbind(handlers));

  const name = () => props.item.retiree.name;

  return (
    <article class="o-detail" data-testid="review-detail" data-id={props.item.id} data-type={props.item.type} aria-labelledby="o-detail-title">
      <h2 id="o-detail-title">
        {name()} · {t(`o.reasonShort.${props.item.reason}` as MessageKey)}
      </h2>
      <p>
        <a class="o-link o-retiree-jump" href={retireeHref(props.item.retiree.id)} data-testid="review-retiree-link">
          {rt('o.retiree.title', { name: name() })}
        </a>
      </p>
      <p class="o-why" data-testid="review-reason">
        <strong>{t('o.p.labelValue', { label: t('o.detail.why'), value: '' })}</strong>
        {t(`o.reason.${props.item.reason}` as MessageKey)}
      </p>
      <Show when={!evidence.error} fallback={<Refusal text={errorText(evidence.error)} retry={refetch} />}>
        <Show when={evidence()} fallback={<p>{t('o.loading')}</p>}>
          {(e) => (
            <>
              <Switch>
                <Match when={e().type === 'report' && (e() as Extract<Evidence, { type: 'report' }>).report}>
                  {(r) => <ReportFacts report={r()} />}
                </Match>
                <Match when={e().type === 'attempt' && (e() as Extract<Evidence, { type: 'attempt' }>).attempt}>
                  {(a) => <AttemptFacts attempt={a()} thresholds={props.thresholds} />}
                </Match>
              </Switch>
              <section class="o-evidence" aria-labelledby="o-evidence-title">
                <h3 id="o-evidence-title">{t('o.detail.evidence')}</h3>
                <div class="o-evidence-grid">
                  <References references={e().references} name={name()} />
                  <Switch>
                    <Match when={e().type === 'report' && (e() as Extract<Evidence, { type: 'report' }>).report}>
                      {(r) => <VisitPhoto report={r()} />}
                    </Match>
                    <Match when={e().type === 'attempt' && (e() as Extract<Evidence, { type: 'attempt' }>).attempt}>
                      {(a) => <KeyFrames attempt={a()} />}
                    </Match>
                  </Switch>
                </div>
              </section>
            </>
          )}
        </Show>
      </Show>

      <section class="o-decide" aria-labelledby="o-decide-title">
        <h3 id="o-decide-title">{t('o.decide.title')}</h3>
        <Show when={own()}>
          <p class="o-alert" data-testid="review-own">
            {t('o.decide.own')}
          </p>
        </Show>
        <p class="o-muted">
          {t(props.item.type === 'report' ? (`o.decide.approveMeans.${props.item.reason}` as MessageKey) : 'o.decide.approveMeans.attempt')} {t('o.decide.rejectMeans')}
        </p>
        <label class="o-field-label" for="o-reject-reason">
          {t('o.decide.reason')}
        </label>
        <textarea
          id="o-reject-reason"
          ref={reasonField}
          class="o-textarea"
          data-testid="reject-reason"
          maxLength={500}
          value={reason()}
          onInput={(ev) => setReason(ev.currentTarget.value)}
          onKeyDown={(ev) => {
            if (ev.key === 'Escape') ev.currentTarget.blur();
          }}
        />
        <div class="o-decide-row">
          <button type="button" class="o-button o-primary" data-testid="approve" disabled={busy() || own() || unsigned() || !evidence()} onClick={() => void decide('approve')}>
            {t('o.decide.approve')}
          </button>
          <button type="button" class="o-button o-danger" data-testid="reject" disabled={busy() || own() || !evidence()} onClick={() => void decide('reject')}>
            {t('o.decide.reject')}
          </button>
          <Show when={busy()}>
            <span role="status">{t('o.decide.working')}</span>
          </Show>
        </div>
        <Show when={refusal()}>
          {(r) => (
            <div class="o-alert" role="alert" data-testid="review-refusal">
              <p>{r().text}</p>
              <Show when={r().detail}>
                <p lang="en" class="o-muted">
                  {r().detail}
                </p>
              </Show>
            </div>
          )}
        </Show>
      </section>
    </article>
  );
}

function Refusal(props: { text: string; retry: () => void }) {
  return (
    <div class="o-alert" role="alert">
      <p>{props.text}</p>
      <button type="button" class="o-button" onClick={() => props.retry()}>
        {t('o.retry')}
      </button>
    </div>
  );
}

const roleName = (role: string) => t(`o.role.${role}` as MessageKey);

function ReportFacts(props: { report: ReviewItem }) {
  const r = () => props.report;
  return (
    <dl class="o-facts" data-testid="review-facts">
      <dt>{t('o.detail.retiree')}</dt>
      <dd>{r().retiree.name}</dd>
      <dt>{t('o.detail.idNumber')}</dt>
      <dd class="o-mono">{r().retiree.idNumber}</dd>
      <dt>{t('o.detail.community')}</dt>
      <dd>{r().retiree.communityName}</dd>
      <dt>{t('o.detail.address')}</dt>
      <dd>{r().retiree.address || t('o.detail.unknown')}</dd>
      <dt>{t('o.detail.recordedBy')}</dt>
      <dd>
        {t('o.p.bracket', { text: r().worker.name, inner: roleName('worker') })}
      </dd>
      <dt>{t('o.detail.recordedAt')}</dt>
      <dd>{formatDateTime(r().recordedAt)}</dd>
      <dt>{t('o.detail.receivedAt')}</dt>
      <dd>{formatDateTime(r().receivedAt)}</dd>
      <Show when={r().kind === 'cannot_check'}>
        <dt>{t('o.detail.cannotReason')}</dt>
        <dd>{r().reason ? t(`o.detail.cannot.${r().reason!}`) : t('o.detail.unknown')}</dd>
        <dt>{t('o.detail.signature')}</dt>
        <dd class={r().signature === 'verified' ? 'o-ok' : 'o-bad'} data-testid="review-signature">
          {r().signature === 'verified' ? t('o.detail.signature.verified') : t('o.detail.signature.invalid')}
        </dd>
      </Show>
      <Show when={r().kind === 'deceased'}>
        <dt>{t('o.detail.deceasedOn')}</dt>
        <dd>{r().deceasedOn ? formatDate(r().deceasedOn!) : t('o.detail.unknown')}</dd>
        <dt>{t('o.detail.source')}</dt>
        <dd>{r().source || t('o.detail.unknown')}</dd>
      </Show>
      <Show when={r().kind === 'moved'}>
        <dt>{t('o.detail.newAddress')}</dt>
        <dd>{r().newAddress || t('o.detail.unknown')}</dd>
      </Show>
      <dt>{t('o.detail.note')}</dt>
      <dd data-testid="review-note">{r().note || t('o.detail.noNote')}</dd>
      <dt>{t('o.detail.location')}</dt>
      <dd data-testid="review-location">
        {r().location
          ? t('o.detail.locationValue', { lat: r().location!.lat.toFixed(5), lon: r().location!.lon.toFixed(5), m: Math.round(r().location!.accuracyM) })
          : t('o.detail.noLocation')}
      </dd>
    </dl>
  );
}

/** The face distance against the thresholds in words (also on the retiree page). */
export function distanceWords(d: number, th: { match: number; mismatch: number }): string {
  const v = { match: th.match, mismatch: th.mismatch };
  if (d <= th.match) return t('o.detail.distanceWords.match', v);
  if (d >= th.mismatch) return t('o.detail.distanceWords.mismatch', v);
  return t('o.detail.distanceWords.uncertain', v);
}

function AttemptFacts(props: { attempt: AttemptReview; thresholds: { match: number; mismatch: number } }) {
  const a = () => props.attempt;
  return (
    <dl class="o-facts" data-testid="review-facts">
      <dt>{t('o.detail.retiree')}</dt>
      <dd>{a().retiree.name}</dd>
      <dt>{t('o.detail.idNumber')}</dt>
      <dd class="o-mono">{a().retiree.idNumber}</dd>
      <dt>{t('o.detail.community')}</dt>
      <dd>{a().retiree.communityName}</dd>
      <dt>{t('o.detail.method')}</dt>
      <dd>{t(`o.method.${a().method}`)}</dd>
      <dt>{t('o.detail.recordedBy')}</dt>
      <dd>
        {t('o.p.bracket', { text: a().by.name, inner: roleName(a().by.role) })}
      </dd>
      <dt>{t('o.detail.recordedAt')}</dt>
      <dd>{formatDateTime(Math.min(a().deviceTime, a().receivedAt))}</dd>
      <dt>{t('o.detail.receivedAt')}</dt>
      <dd>{formatDateTime(a().receivedAt)}</dd>
      <dt>{t('o.detail.match')}</dt>
      <dd data-testid="review-distance">
        {a().match.distance === null ? t('o.detail.noDistance') : t('o.p.labelValue', { label: t('o.detail.distance', { d: a().match.distance!.toFixed(2) }), value: distanceWords(a().match.distance!, props.thresholds) })}
      </dd>
      <Show when={a().spoof}>{(s) => <SpoofFacts spoof={s()} />}</Show>
      <Show when={a().voice}>{(vc) => <VoiceFacts voice={vc()} />}</Show>
      <Show when={a().enrolment}>
        <dt>{t('o.detail.enrolment')}</dt>
        <dd class={a().enrolment === 'verified' ? 'o-ok' : 'o-bad'}>{a().enrolment === 'verified' ? t('o.detail.signature.verified') : t('o.detail.signature.invalid')}</dd>
      </Show>
    </dl>
  );
}

/** The spoof-risk score and what it was computed from (issue 18 §5), so the clerk sees why. */
function SpoofFacts(props: { spoof: SpoofAssessment }) {
  const s = () => props.spoof;
  const n = (x: number | null, digits = 3) => (x === null ? '—' : x.toFixed(digits));
  return (
    <>
      <dt>{t('o.detail.spoof')}</dt>
      <dd data-testid="review-spoof" data-flagged={String(s().flagged)} class={s().flagged ? 'o-bad' : undefined}>
        {t('o.detail.spoof.score', { score: s().score.toFixed(2), threshold: s().threshold.toFixed(2) })}
        {s().flagged ? t('o.detail.spoof.flagged') : t('o.detail.spoof.clear')}
        <br />
        {t('o.detail.spoof.inputs', {
          texture: n(s().inputs.texture),
          keyFrame: n(s().keyFrameTexture),
          bezel: n(s().inputs.bezel, 1),
          planarity: n(s().inputs.planarity),
          jumps: s().inputs.sizeJumps,
          frames: s().inputs.frames,
          phone: n(s().phoneScore, 2),
        })}
      </dd>
    </>
  );
}

/** Whether the read digits were heard in step with the mouth (issue 18 §4), and the numbers behind it. */
function VoiceFacts(props: { voice: VoiceAssessment }) {
  const vc = () => props.voice;
  const n = (x: number | null, digits: number) => (x === null ? '—' : x.toFixed(digits));
  return (
    <>
      <dt>{t('o.detail.voice')}</dt>
      <dd data-testid="review-voice" data-outcome={vc().outcome} class={vc().outcome === 'heard' ? undefined : 'o-bad'}>
        {t(`o.detail.voice.${vc().outcome}`)}
        <Show when={vc().syllables !== null}>
          <br />
          {t('o.detail.voice.inputs', {
            syllables: vc().syllables ?? 0,
            minSyllables: vc().minSyllables,
            sync: n(vc().sync, 2),
            minSync: vc().minSync,
            lag: vc().lagMs ?? '—',
            floor: n(vc().floorDb, 0),
            peak: n(vc().peakDb, 0),
            seconds: (vc().windowMs / 1000).toFixed(1),
          })}
        </Show>
      </dd>
    </>
  );
}

function References(props: { references: ReferenceFace[]; name: string }) {
  return (
    <div class="o-evidence-col" data-testid="review-references">
      <h4>{t('o.detail.references')}</h4>
      <Show when={props.references.length} fallback={<p class="o-muted">{t('o.detail.noReferences')}</p>}>
        <ul class="o-photos">
          <For each={props.references}>
            {(ref, i) => {
              const label = () => `${t('o.detail.reference', { n: i() + 1, source: t(`o.source.${ref.source}`) })}${ref.status === 'pending' ? t('o.detail.reference.pending') : ''}`;
              return (
                <li>
                  <figure>
                    <img src={`/api/identity/references/${ref.id}/photo`} alt={t('o.p.labelValue', { label: label(), value: props.name })} width={ref.width || undefined} height={ref.height || undefined} />
                    <figcaption>{label()}</figcaption>
                  </figure>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
    </div>
  );
}

function KeyFrames(props: { attempt: AttemptReview }) {
  const frames = () => props.attempt.blobs.filter((b) => b.kind === 'frame');
  const audio = () => props.attempt.blobs.find((b) => b.kind === 'audio');
  const src = (idx: number) => `/api/identity/attempts/${props.attempt.id}/blobs/${idx}`;
  return (
    <div class="o-evidence-col" data-testid="review-keyframes">
      <h4>{t('o.detail.keyframes')}</h4>
      <Show when={frames().length} fallback={<p class="o-muted">{t('o.detail.noKeyframes')}</p>}>
        <ul class="o-photos">
          <For each={frames()}>
            {(f, i) => (
              <li>
                <figure>
                  <img src={src(f.idx)} alt={t('o.detail.keyframe', { n: i() + 1, name: props.attempt.retiree.name })} width={f.width ?? undefined} height={f.height ?? undefined} />
                  <figcaption>{t('o.detail.keyframe', { n: i() + 1, name: props.attempt.retiree.name })}</figcaption>
                </figure>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={audio()}>
        {(a) => (
          <p>
            <span class="o-field-label">{t('o.detail.audio')}</span>
            <audio controls preload="none" src={src(a().idx)} aria-label={t('o.detail.audio')} />
          </p>
        )}
      </Show>
    </div>
  );
}

function VisitPhoto(props: { report: ReviewItem }) {
  return (
    <div class="o-evidence-col" data-testid="review-visit-photo">
      <h4>{t('o.detail.visitPhoto')}</h4>
      <Show when={props.report.photoBytes} fallback={<p class="o-muted">{t('o.detail.noVisitPhoto')}</p>}>
        <figure>
          <img src={`/api/reviews/${props.report.id}/photo`} alt={t('o.detail.visitPhotoAlt', { name: props.report.retiree.name })} />
          <figcaption>{t('o.detail.visitPhoto')}</figcaption>
        </figure>
      </Show>
    </div>
  );
}
