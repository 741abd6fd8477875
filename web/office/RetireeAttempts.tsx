// Every face check made for a retiree, newest first, a page at a time: who made it and on which phone,
// the outcome, the steps, why it went to review (the queue's words), the face match in words, the key
// frames and the read-digits recording, and the office's decision.
import { For, Show } from 'solid-js';
import { RETIREE_RECORD, type AttemptEntry, type Page } from '../../shared/schemas/office-retiree.ts';
import { call } from '../api/client.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { formatDateTime } from './format.ts';
import { distanceWords } from './ReviewDetail.tsx';
import { Fact, MoreButton, usePaged } from './RetireeSections.tsx';
import { rt, type RetireeKey } from './retiree-text.ts';
import { officeHref } from './route.ts';

const roleName = (role: string) => t(`o.role.${role}` as MessageKey);
const seconds = (ms: number) => (Math.round(ms / 100) / 10).toString();

export function RetireeAttempts(props: { retireeId: number; name: string; first: Page<AttemptEntry>; thresholds: { match: number; mismatch: number } }) {
  const paged = usePaged(() => props.first, (before) => call(RETIREE_RECORD.attempts, { params: { id: props.retireeId }, query: new URLSearchParams({ before }) }));
  return (
    <section class="o-card" aria-labelledby="o-retiree-attempts-title" data-testid="retiree-attempts">
      <h2 id="o-retiree-attempts-title">{rt('o.retiree.attempts')}</h2>
      <Show when={paged.items().length} fallback={<p class="o-muted">{rt('o.retiree.attempts.none')}</p>}>
        <p class="o-muted">{rt('o.retiree.shown', { shown: paged.items().length, total: paged.total() })}</p>
        <ol class="o-retiree-attempts">
          <For each={paged.items()}>{(a) => <Attempt attempt={a} name={props.name} thresholds={props.thresholds} />}</For>
        </ol>
        <MoreButton paged={paged} testid="retiree-attempts-more" />
      </Show>
    </section>
  );
}

function Attempt(props: { attempt: AttemptEntry; name: string; thresholds: { match: number; mismatch: number } }) {
  const a = () => props.attempt;
  const by = () => rt('o.retiree.attempt.by', { name: a().by.name, role: roleName(a().by.role) });
  const frames = () => a().blobs.filter((b) => b.kind === 'frame');
  const audio = () => a().blobs.find((b) => b.kind === 'audio');
  const src = (idx: number) => `/api/identity/attempts/${a().id}/blobs/${idx}`;
  const titleId = () => `o-attempt-${a().id}`;
  const match = () => {
    const m = a().match;
    if (m.distance !== null) return t('o.p.labelValue', { label: t('o.detail.distance', { d: m.distance.toFixed(2) }), value: distanceWords(m.distance, props.thresholds) });
    return m.decision ? t('o.detail.noDistance') : rt('o.retiree.attempt.match.none');
  };
  const decision = () => {
    const d = a().decision;
    if (!d) return null;
    const who = d.by ? rt('o.retiree.decidedValue', { name: d.by.name, time: d.at ? formatDateTime(d.at) : '' }) : '';
    return rt(d.decision === 'approved' ? 'o.retiree.attempt.decision.approved' : 'o.retiree.attempt.decision.rejected', { who });
  };
  return (
    <li class="o-retiree-attempt" data-testid="retiree-attempt" data-id={a().id} aria-labelledby={titleId()}>
      <h3 id={titleId()}>{rt('o.retiree.attempt.title', { time: formatDateTime(a().receivedAt), by: by() })}</h3>
      <div class="o-retiree-attempt-grid">
        <dl class="o-facts">
          <Fact term={t('o.detail.method')}>{t(`o.method.${a().method}`)}</Fact>
          <Fact term={rt('o.retiree.attempt.device')}>{rt('o.retiree.attempt.deviceValue', { agent: a().device.userAgent ?? rt('o.retiree.account.unknownAgent'), id: a().device.id })}</Fact>
          <Fact term={rt('o.retiree.attempt.outcome')} testid="attempt-outcome">
            {rt(`o.retiree.attempt.outcome.${a().outcome}` as RetireeKey)}
          </Fact>
          <Show when={a().liveness.reason}>
            <Fact term={rt('o.retiree.attempt.ended')}>{rt(`o.retiree.ended.${a().liveness.reason!}` as RetireeKey)}</Fact>
          </Show>
          <Fact term={rt('o.retiree.attempt.steps')} testid="attempt-steps">
            {a()
              .liveness.steps.map((s) =>
                rt('o.retiree.attempt.step', { action: rt(`o.retiree.action.${s.action}` as RetireeKey), mark: rt(s.passed ? 'o.retiree.attempt.stepPassed' : 'o.retiree.attempt.stepFailed'), s: seconds(s.durationMs) }),
              )
              .join(t('o.p.steps'))}
            {a().liveness.restarts ? rt('o.retiree.attempt.restarts', { n: a().liveness.restarts }) : ''}
          </Fact>
          <Show when={a().reviewReason}>
            <Fact term={rt('o.retiree.attempt.reviewReason')} testid="attempt-review-reason">
              {t(`o.reason.${a().reviewReason!}` as MessageKey)}
            </Fact>
          </Show>
          <Fact term={rt('o.retiree.attempt.match')} testid="attempt-match">
            {match()}
          </Fact>
          <Show when={a().enrolment}>
            <Fact term={t('o.detail.enrolment')}>{a().enrolment === 'verified' ? t('o.detail.signature.verified') : t('o.detail.signature.invalid')}</Fact>
          </Show>
          <Show when={a().outcome === 'review'}>
            <Fact term={rt('o.retiree.attempt.decision')} testid="attempt-decision">
              <Show
                when={decision()}
                fallback={
                  <>
                    {rt('o.retiree.attempt.decision.pending')} ·{' '}
                    <a class="o-link o-retiree-jump" href={officeHref('queue', { item: a().id })} data-testid="attempt-queue-link">
                      {rt('o.retiree.attempt.inQueue')}
                    </a>
                  </>
                }
              >
                {decision()}
                <Show when={a().decision?.reason}>
                  <br />
                  {rt('o.retiree.attempt.decision.why', { reason: a().decision!.reason! })}
                </Show>
              </Show>
            </Fact>
          </Show>
        </dl>
        <div>
          <h4>{rt('o.retiree.attempt.frames')}</h4>
          <Show when={frames().length} fallback={<p class="o-muted">{rt('o.retiree.attempt.noFrames')}</p>}>
            <ul class="o-photos o-retiree-frames">
              <For each={frames()}>
                {(f, i) => (
                  <li>
                    <img
                      src={src(f.idx)}
                      alt={rt('o.retiree.attempt.frameAlt', { n: i() + 1, name: props.name, time: formatDateTime(a().receivedAt) })}
                      width={f.width ?? undefined}
                      height={f.height ?? undefined}
                      loading="lazy"
                      data-testid="attempt-frame"
                    />
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <Show when={audio()}>
            {(clip) => {
              const label = () => rt('o.retiree.attempt.audio', { s: seconds(clip().durationMs ?? 0) });
              return (
                <p class="o-retiree-audio">
                  <span class="o-field-label">{label()}</span>
                  <audio controls preload="metadata" src={src(clip().idx)} aria-label={label()} data-testid="attempt-audio" />
                </p>
              );
            }}
          </Show>
        </div>
      </div>
    </li>
  );
}
