// The certification decision of a group of pushes, as data in, data out (issue 20): given the
// submissions and what the database said about them (server/store/ingest-read.ts), each item's
// answer and the rows to write (server/store/ingest-write.ts). No database, no clock: the order of
// the checks is the policy, and it is unit-tested here without either.
//
// Per attempt, in order: the same id answered before gets that answer again ("duplicate"; another
// user's id is a conflict); a problem with the challenge token (signature, binding, already used in
// this or an earlier group) goes to the office first, then whether the "passed" result is evidence
// of a check at all, then spoof risk; a failed check is recorded as not passed; a passed one for a
// retiree off the rolls, outside any period or already certified for it is said so; every other
// passed check is stored as "verifying", decided by the face match (decision 050).
import { isOnRolls, periodFor } from '../../shared/certification-rules.ts';
import { localDateIn } from '../../shared/dates.ts';
import type { AttemptOutcome, PushResult, VisitResult } from '../../shared/sync.ts';
import { sessionStillHolds } from '../auth/auth_session.ts';
import type { GroupKeys, GroupState, RetireeInfo } from '../store/ingest-read.ts';
import type { GroupWrites, LinkWrite, VisitRequestWrite, VisitRow } from '../store/ingest-write.ts';
import type { Submission, SubmissionResult } from './ingest.ts';
import type { PreparedItem, PreparedVisit } from './prepare.ts';
import { consentResult } from '../store/consents.ts';

type PreparedAttempt = Extract<PreparedItem, { kind: 'attempt' }>;

const clientKey = (deviceId: string, userId: number) => `${deviceId}\u0000${userId}`;

/** What the group must read before it can be decided. */
export function groupKeys(subs: readonly Submission[]): GroupKeys {
  const all = subs.flatMap((s) => s.items);
  const attempts = all.filter((i): i is PreparedAttempt => i.kind === 'attempt');
  const visits = all.filter((i): i is PreparedVisit => i.kind === 'visit');
  return {
    ids: all.filter((i) => i.kind !== 'reject' || i.storable).map((i) => i.id),
    linkIds: all.filter((i) => i.kind === 'link').map((i) => i.id),
    visitRequestIds: all.filter((i) => i.kind === 'visit_request').map((i) => i.id),
    consentIds: all.filter((i) => i.kind === 'consent').map((i) => i.id),
    tokenIds: attempts.flatMap((a) => (a.token ? [a.token.i] : [])),
    deviceIds: [...new Set(subs.map((s) => s.deviceId))],
    // Retirees an attempt may certify (passed, nothing for the office to look at) or a visit reports on.
    retireeIds: [...new Set([...attempts.filter((a) => a.verdict === 'passed' && a.reviewReason === null).map((a) => a.retireeId), ...visits.map((v) => v.retireeId)])],
    sessionIds: [...new Set(subs.map((s) => s.auth.session.id))],
  };
}

export interface Decided {
  /** One per submission; null for one whose session ended or changed after it was let in (nothing of it is written). */
  results: (SubmissionResult | null)[];
  writes: GroupWrites;
}

/** Decides every item of the group. `state` is not changed (a copy of what it tracks is kept). */
export function decideGroup(subs: readonly Submission[], state: GroupState): Decided {
  const known = new Map(state.known);
  // Link decisions and home-visit requests of this group, answered once the writer applied them.
  const pendingLinks = new Map<string, { answers: PushResult[] }>();
  const usedTokens = new Set(state.usedTokens);
  const writes: GroupWrites = { links: [], visitRequests: [], consents: [], rejections: [], attempts: [], blobs: [], visits: [], gaps: [] };
  const clients = new Map<string, { deviceId: string; userId: number; lastSeq: number; gaps: number }>();
  for (const s of subs) {
    const key = clientKey(s.deviceId, s.userId);
    clients.set(key, { deviceId: s.deviceId, userId: s.userId, lastSeq: state.storedSeq.get(key) ?? 0, gaps: 0 });
  }
  const periodOf = (r: RetireeInfo | undefined, day: string) => (r ? periodFor(state.periods.get(r.region_id) ?? [], day) : null);

  const results: (SubmissionResult | null)[] = [];
  for (const sub of subs) {
    // The session is checked against the row read in the transaction that writes, so a sign-out or a
    // disabled account that committed before can never see its attempts applied (decision 046).
    if (!sessionStillHolds(state.sessions.get(sub.auth.session.id), sub.auth, sub.receivedAt)) {
      results.push(null);
      continue;
    }
    const client = clients.get(clientKey(sub.deviceId, sub.userId))!;
    const answers: PushResult[] = [];
    for (const item of sub.items) {
      const prior = known.get(item.id);
      if (prior) {
        if (prior.userId !== sub.userId) answers.push({ id: item.id, seq: item.seq, status: 'rejected', reason: 'id_conflict' });
        else if (prior.answer.status === 'rejected') answers.push(prior.answer);
        else {
          const again = { ...prior.answer, status: 'duplicate' as const };
          // A link decision of this group is only answered once the writer applied it.
          pendingLinks.get(item.id)?.answers.push(again);
          answers.push(again);
        }
        continue;
      }
      let answer: PushResult;
      if (item.kind === 'reject') {
        answer = { id: item.id, seq: item.seq, status: 'rejected', reason: item.reason };
        if (!item.storable) {
          answers.push(answer);
          continue;
        }
        writes.rejections.push({ id: item.id, userId: sub.userId, deviceId: sub.deviceId, seq: item.seq, reason: item.reason, detail: item.detail, receivedAt: sub.receivedAt });
      } else if (item.kind === 'link') {
        // Applied by the writer, which completes this answer with the decision's outcome.
        const accepted = { id: item.id, seq: item.seq, status: 'accepted' } as Extract<PushResult, { status: 'accepted' }>;
        const link: LinkWrite = { input: { ...item, userId: sub.userId, deviceId: sub.deviceId, receivedAt: sub.receivedAt }, answers: [accepted] };
        writes.links.push(link);
        pendingLinks.set(item.id, link);
        answer = accepted;
      } else if (item.kind === 'visit_request') {
        // Likewise: whether one is already open is the writer's to say, in order (issue 17).
        const accepted = { id: item.id, seq: item.seq, status: 'accepted' } as Extract<PushResult, { status: 'accepted' }>;
        const request: VisitRequestWrite = { input: { ...item, userId: sub.userId, deviceId: sub.deviceId, receivedAt: sub.receivedAt }, answers: [accepted] };
        writes.visitRequests.push(request);
        pendingLinks.set(item.id, request);
        answer = accepted;
      } else if (item.kind === 'consent') {
        // Stored as it came (a changed mind is a new row, the latest counts: decision 036); the
        // same id again is answered above from this row, so a replayed push stores nothing.
        writes.consents.push({ id: item.id, retireeId: item.retireeId, userId: sub.userId, deviceId: sub.deviceId, seq: item.seq, choice: item.choice, noticeVersion: item.noticeVersion, deviceTime: item.deviceTime, receivedAt: sub.receivedAt });
        answer = { id: item.id, seq: item.seq, status: 'accepted', outcome: consentResult(sub.receivedAt) };
      } else if (item.kind === 'visit') {
        const r = state.retirees.get(item.retireeId);
        const receivedOn = localDateIn(r?.time_zone ?? 'Asia/Shanghai', sub.receivedAt);
        const periodId = periodOf(r, receivedOn)?.id ?? null;
        const { visit, review } = visitOutcome(item, r, periodId, state.approved);
        writes.visits.push(visitRow(item, sub, periodId, receivedOn, visit, review));
        answer = { id: item.id, seq: item.seq, status: 'accepted', outcome: visit };
      } else {
        answer = { id: item.id, seq: item.seq, status: 'accepted', outcome: decideAttempt(item, sub, state, usedTokens, writes) };
      }
      known.set(item.id, { userId: sub.userId, answer });
      // Sequence bookkeeping: a number beyond last + 1 means the phone skipped some (lost them).
      if (item.seq > client.lastSeq) {
        client.gaps += item.seq - client.lastSeq - 1;
        client.lastSeq = item.seq;
      }
      answers.push(answer);
    }
    results.push({ results: answers, lastSeq: client.lastSeq });
  }
  writes.gaps = [...clients.values()].filter((c) => c.gaps > 0).map(({ deviceId, userId, gaps }) => ({ deviceId, userId, gaps }));
  return { results, writes };
}

/** One attempt's outcome; its rows go to `writes`, its token to `usedTokens`. */
function decideAttempt(item: PreparedAttempt, sub: Submission, state: GroupState, usedTokens: Set<string>, writes: GroupWrites): AttemptOutcome {
  let reviewReason = item.reviewReason;
  if (item.token) {
    if (usedTokens.has(item.token.i)) reviewReason ??= 'token_used';
    else usedTokens.add(item.token.i);
  }
  // After a token problem, whether the "passed" result is evidence of a check at all (issue 15),
  // then whether it looks like a replayed screen or a print (issue 18): the office decides both.
  reviewReason ??= item.evidence;
  reviewReason ??= item.spoof;
  // Then whether the read digits were heard, in step with the mouth (issue 18 §4, decision 080).
  reviewReason ??= item.voice;
  let outcome: AttemptOutcome;
  let verifying: { periodId: number; receivedOn: string } | null = null;
  if (reviewReason) outcome = { kind: 'review', reviewReason };
  else if (item.verdict !== 'passed') outcome = { kind: 'not_passed' };
  else {
    const r = state.retirees.get(item.retireeId);
    const receivedOn = r ? localDateIn(r.time_zone, sub.receivedAt) : '';
    const period = r ? periodFor(state.periods.get(r.region_id) ?? [], receivedOn) : null;
    if (!r || !isOnRolls(r.enrolment)) outcome = { kind: 'review', reviewReason: 'not_active' };
    else if (!period) outcome = { kind: 'review', reviewReason: 'no_period' };
    else if (state.approved.has(`${item.retireeId}:${period.id}`)) outcome = { kind: 'already_certified', periodId: period.id };
    else {
      // Stored now, decided by the face match (the trigger queues its job with the INSERT): whose
      // face the key frames show is the server's question, not the phone's (decision 050).
      verifying = { periodId: period.id, receivedOn };
      outcome = { kind: 'verifying' };
    }
  }
  writes.attempts.push({
    id: item.id,
    retireeId: item.retireeId,
    userId: sub.userId,
    deviceId: sub.deviceId,
    seq: item.seq,
    method: item.method,
    verdict: item.verdict,
    outcome: outcome.kind,
    reviewReason: outcome.kind === 'review' ? outcome.reviewReason : null,
    periodId: outcome.kind === 'already_certified' ? outcome.periodId : (verifying?.periodId ?? null),
    certifiedOn: verifying?.receivedOn ?? null,
    challengeId: item.token?.i ?? null,
    tokenIssuedAt: item.token?.t ?? null,
    deviceTime: item.deviceTime,
    receivedAt: sub.receivedAt,
    result: item.resultJson,
    blobBytes: item.blobBytes,
    enrolment: item.enrolment,
  });
  for (const b of item.blobs) writes.blobs.push({ attemptId: item.id, ...b });
  return outcome;
}

/**
 * What a visit outcome leads to. Not at home: recorded (the revisit list). Deceased, moved: the
 * office reviews. Cannot do the check: a signed attestation makes a pending home-visit
 * certification for the current period (the trigger in 003-worker-visits.sql) unless the period is
 * already certified; an unsigned one, or one with no open period, is kept for the office to look at
 * and counts for nothing until it decides.
 */
function visitOutcome(item: PreparedVisit, r: RetireeInfo | undefined, periodId: number | null, approved: ReadonlySet<string>): { visit: VisitResult; review: 'pending' | null } {
  switch (item.visit.kind) {
    case 'not_home':
      return { visit: { kind: 'recorded' }, review: null };
    case 'deceased':
    case 'moved':
      return { visit: { kind: 'pending_review', periodId }, review: 'pending' };
    case 'cannot_check':
      if (item.signature !== 'verified') return { visit: { kind: 'signature_invalid' }, review: 'pending' };
      if (!r || !isOnRolls(r.enrolment) || periodId === null) return { visit: { kind: 'no_period' }, review: 'pending' };
      if (approved.has(`${item.retireeId}:${periodId}`)) return { visit: { kind: 'already_certified', periodId }, review: null };
      return { visit: { kind: 'pending_review', periodId }, review: 'pending' };
  }
}

function visitRow(item: PreparedVisit, sub: Submission, periodId: number | null, receivedOn: string, visit: VisitResult, review: 'pending' | null): VisitRow {
  const p = item.photo;
  const found = item.visit;
  return {
    id: item.id,
    retireeId: item.retireeId,
    userId: sub.userId,
    deviceId: sub.deviceId,
    seq: item.seq,
    // The table is flat (migration 003): each kind fills its own columns, the others stay null.
    kind: found.kind,
    reason: found.kind === 'cannot_check' ? found.reason : null,
    note: item.note,
    deceasedOn: found.kind === 'deceased' ? found.deceasedOn : null,
    infoSource: found.kind === 'deceased' ? found.source : null,
    newAddress: found.kind === 'moved' ? found.newAddress : null,
    location: item.location,
    signature: item.signature,
    // The attestation trigger only fires for a pending, signed report with a period.
    periodId: visit.kind === 'pending_review' || visit.kind === 'already_certified' ? periodId : null,
    receivedOn,
    answer: JSON.stringify(visit),
    review,
    deviceTime: item.deviceTime,
    receivedAt: sub.receivedAt,
    photo: p && { type: p.type, sha256: p.sha256, bytes: p.bytes, width: p.width, height: p.height, data: p.data },
  };
}
