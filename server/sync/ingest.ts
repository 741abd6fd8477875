// Group commit for pushes (decision 012). With synchronous=FULL every COMMIT is an fsync, and one
// fsync per request caps the server far below the ingest target. So pushes queue here: while one
// transaction commits, the next requests wait, and then all of them are applied in ONE transaction
// and answered only after that COMMIT returned. A lone request on an idle server is committed at
// once, so batching costs latency only when there is load to amortise.
//
// Inside the transaction, per item: the attempt row, its blobs, the claimed challenge token, the
// certification it creates, and the device's last applied sequence all commit together. A crash
// before COMMIT loses the whole group (every client retries: nothing was acknowledged); a crash
// after COMMIT but before the response leaves the rows in place, and the retry finds them by id and
// answers `duplicate` with the stored outcome. Nothing is lost, nothing applied twice.
import { writeFileSync } from 'node:fs';
import { periodFor, type CertificationPeriod } from '../../shared/certification-rules.ts';
import { localDateIn } from '../../shared/dates.ts';
import type { AttemptOutcome, PushResult, RejectReason, ReviewReason, VisitResult } from '../../shared/sync.ts';
import { sessionStillHolds, type LiveSessionRow, type ValidatedSession } from '../auth/auth_session.ts';
import type { Db, SqlValue } from '../db/sqlite.ts';
import { unauthenticated } from '../errors.ts';
import { attemptOutcome } from '../store/attempts.ts';
import { applyLinkDecision, linkDecisionAnswers } from '../store/link-decisions.ts';
import type { IngestThread } from './ingest-thread.ts';
import type { PreparedItem, PreparedVisit } from './prepare.ts';

export interface Submission {
  userId: number;
  deviceId: string;
  receivedAt: number;
  items: PreparedItem[];
  /** The session the request was granted; re-checked against its row inside the transaction. */
  auth: Pick<ValidatedSession, 'session' | 'user'>;
}

export interface SubmissionResult {
  results: PushResult[];
  lastSeq: number;
}

export interface IngestFaults {
  /** Runs inside the transaction after all writes, before COMMIT; throwing rolls the group back. Main thread only. */
  beforeCommit?: (subs: readonly Submission[]) => void | Promise<void>;
  /** Runs after COMMIT, before the answers go out; throwing simulates a crash before the response. */
  afterCommit?: (subs: readonly Submission[]) => void | Promise<void>;
}

export interface IngestStats {
  groups: number;
  submissions: number;
  items: number;
  maxGroup: number;
  /** Wall time from handing a group to its transaction (here or on the ingest thread) to COMMIT returned, ms. */
  commitMs: number;
}

// Bounded so the combined read stays far below SQLite's 32,766 parameters.
const MAX_GROUP_ITEMS = 500;
const CHUNK = 400;

export class IngestQueue {
  private pending: { sub: Submission; resolve: (r: SubmissionResult) => void; reject: (e: unknown) => void }[] = [];
  private draining = false;
  faults: IngestFaults = {};
  readonly stats: IngestStats = { groups: 0, submissions: 0, items: 0, maxGroup: 0, commitMs: 0 };

  /** Set by useThread: groups are then committed on the ingest thread (decision 047). */
  private thread: IngestThread | null = null;

  constructor(private readonly db: Db) {}

  /** Commits every later group on `thread`, which writes to the same database file. */
  useThread(thread: IngestThread): void {
    this.thread = thread;
  }

  /** Stops the ingest thread, if any, after the groups already sent to it. */
  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    await thread?.close();
  }

  /** Submissions waiting for the next group. */
  get waiting(): number {
    return this.pending.length;
  }

  submit(sub: Submission): Promise<SubmissionResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ sub, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      let answerLater: (() => void) | null = null;
      while (this.pending.length) {
        let items = 0;
        let n = 0;
        while (n < this.pending.length && (n === 0 || items + this.pending[n]!.sub.items.length <= MAX_GROUP_ITEMS)) items += this.pending[n++]!.sub.items.length;
        const group = this.pending.splice(0, n);
        const committing = this.commit(group.map((g) => g.sub));
        // With the ingest thread, a group's answers wait until the next group has been handed over:
        // the thread then commits while this thread writes the answers (about 5% more attempts/s
        // at 64 phones). In this thread both would share one event loop, so answer at once.
        answerLater?.();
        answerLater = null;
        try {
          const results = await committing;
          const answer = () => group.forEach((g, i) => settle(g, results[i]!));
          if (this.thread && this.pending.length) answerLater = answer;
          else answer();
        } catch (err) {
          if (group.length === 1) {
            group[0]!.reject(err);
            continue;
          }
          // One bad submission must not fail its neighbours: apply them one by one.
          for (const g of group) {
            try {
              settle(g, (await this.commit([g.sub]))[0]!);
            } catch (e) {
              g.reject(e);
            }
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async commit(subs: Submission[]): Promise<(SubmissionResult | null)[]> {
    const started = performance.now();
    const { thread } = this;
    if (thread && this.faults.beforeCommit) throw new Error('faults.beforeCommit runs only in the main thread: do not use the ingest thread with it');
    const results = thread
      ? await thread.commit(subs)
      : await this.db.transaction(async () => {
          const r = await applyGroup(this.db, subs);
          await this.faults.beforeCommit?.(subs);
          return r;
        });
    this.stats.commitMs += performance.now() - started;
    this.stats.groups++;
    this.stats.submissions += subs.length;
    const items = subs.reduce((s, x) => s + x.items.length, 0);
    this.stats.items += items;
    this.stats.maxGroup = Math.max(this.stats.maxGroup, subs.length);
    await this.faults.afterCommit?.(subs);
    return results;
  }
}

/** A submission whose session no longer holds (null) was not applied: the request gets a 401. */
function settle(p: { resolve: (r: SubmissionResult) => void; reject: (e: unknown) => void }, result: SubmissionResult | null) {
  if (result) p.resolve(result);
  else p.reject(unauthenticated());
}

const queues = new WeakMap<Db, IngestQueue>();

/** One queue per database, shared by every app instance on it. */
export function ingestQueueFor(db: Db): IngestQueue {
  let q = queues.get(db);
  if (!q) {
    queues.set(db, (q = new IngestQueue(db)));
    // For `npm run bench -- ingest`: how many requests each COMMIT carried, written at exit.
    const statsFile = process.env.STILLHERE_INGEST_STATS;
    if (statsFile) {
      const stats = q.stats;
      process.once('exit', () => writeFileSync(statsFile, JSON.stringify(stats)));
    }
  }
  return q;
}

// ---------------------------------------------------------------------------------------------

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function insertMany(db: Db, head: string, columns: number, rows: SqlValue[][], tail = ''): Promise<void> {
  const perStatement = Math.max(1, Math.floor(30_000 / columns));
  const mark = `(${Array(columns).fill('?').join(',')})`;
  for (const part of chunks(rows, perStatement)) {
    await db.run(`${head} VALUES ${part.map(() => mark).join(',')} ${tail}`, part.flat());
  }
}

const IN_LIST = (n: number) => `IN (SELECT value FROM json_each(?${n}))`;
const GROUP_ROWS = `
  SELECT 'a' AS k, id AS s, user_id AS n1, seq AS n2, period_id AS n3, outcome AS t1, review_reason AS t2, certified_on AS t3, NULL AS t4, NULL AS t5, NULL AS t6
    FROM attempts WHERE id ${IN_LIST(1)}
  UNION ALL SELECT 'r', id, user_id, seq, NULL, reason, NULL, NULL, NULL, NULL, NULL FROM sync_rejections WHERE id ${IN_LIST(1)}
  UNION ALL SELECT 'o', id, user_id, seq, NULL, answer, NULL, NULL, NULL, NULL, NULL FROM visit_outcomes WHERE id ${IN_LIST(1)}
  UNION ALL SELECT 'u', challenge_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM challenge_uses WHERE challenge_id ${IN_LIST(2)}
  UNION ALL SELECT 'c', device_id, user_id, last_seq, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM sync_clients WHERE device_id ${IN_LIST(3)}
  UNION ALL SELECT 'x', NULL, r.id, c.region_id, NULL, r.enrolment, g.time_zone, NULL, NULL, NULL, NULL
    FROM retirees r JOIN communities c ON c.id = r.community_id JOIN regions g ON g.id = c.region_id WHERE r.id ${IN_LIST(4)}
  UNION ALL SELECT 'p', NULL, p.id, p.region_id, p.year, p.self_start, p.self_end, p.onsite_start, p.onsite_end, p.deadline, p.suspension_date
    FROM certification_periods p WHERE p.region_id IN (SELECT c.region_id FROM retirees r JOIN communities c ON c.id = r.community_id WHERE r.id ${IN_LIST(4)})
  UNION ALL SELECT 'v', NULL, retiree_id, period_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM certifications WHERE status = 'approved' AND retiree_id ${IN_LIST(4)}
  UNION ALL SELECT 's', s.id, s.user_id, s.created_at, s.last_verified_at, u.role, s.device_id, u.disabled, u.retiree_id, u.region_id, NULL
    FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id ${IN_LIST(5)}`;
// The rows come back as ONE JSON text: the driver builds a JS object per row and column, which for
// ~120 rows × 11 columns cost more than the query (0.44 against 0.16 ms, plus 0.03 ms JSON.parse).
const GROUP_READ = `SELECT json_group_array(json_array(k, s, n1, n2, n3, t1, t2, t3, t4, t5, t6)) AS rows FROM (${GROUP_ROWS})`;
type GroupRow = [k: string, id: string | null, n1: number | null, n2: number | null, n3: number | null, t1: string | null, t2: string | null, t3: string | null, t4: string | null, t5: string | null, t6: string | null];

const ATTEMPT_COLUMNS = [
  'id', 'retiree_id', 'user_id', 'device_id', 'seq', 'method', 'verdict', 'outcome', 'review_reason', 'period_id', 'certified_on',
  'challenge_id', 'token_issued_at', 'device_time', 'received_at', 'result', 'blob_bytes', 'enrolment',
] as const;
// One kept statement for any number of attempts: the rows go in as one JSON array of arrays.
const INSERT_ATTEMPTS = `INSERT INTO attempts (${ATTEMPT_COLUMNS.join(', ')})
  SELECT ${ATTEMPT_COLUMNS.map((_, i) => `value->>${i}`).join(', ')} FROM json_each(?)`;

interface RetireeInfo {
  id: number;
  enrolment: string;
  region_id: number;
  time_zone: string;
}

const INACTIVE = new Set(['deceased', 'moved', 'stopped']);

/**
 * Applies a group of submissions inside the caller's transaction; one result list per submission,
 * or null for a submission whose session ended or changed after the request was let in (nothing
 * of it is written).
 */
export async function applyGroup(db: Db, subs: readonly Submission[]): Promise<(SubmissionResult | null)[]> {
  const all = subs.flatMap((s) => s.items);
  const ids = all.filter((i) => i.kind !== 'reject' || i.storable).map((i) => i.id);

  const attempts = all.filter((i): i is Extract<PreparedItem, { kind: 'attempt' }> => i.kind === 'attempt');
  const tokenIds = attempts.flatMap((a) => (a.token ? [a.token.i] : []));
  // Retirees whose attempt may certify them: passed, and nothing for the office to look at.
  // Visit outcomes need the retiree's region, periods and approvals too (attestations, review dates).
  const visits = all.filter((i): i is PreparedVisit => i.kind === 'visit');
  const candidateIds = [...new Set([...attempts.filter((a) => a.verdict === 'passed' && a.reviewReason === null).map((a) => a.retireeId), ...visits.map((v) => v.retireeId)])];
  const deviceIds = [...new Set(subs.map((s) => s.deviceId))];
  const sessionIds = [...new Set(subs.map((s) => s.auth.session.id))];

  // Everything the group needs to know, in ONE kept statement (the lists go in as JSON): on a busy
  // event loop every round trip to the driver's thread waits its turn, and the transaction holds the
  // write lock meanwhile.
  const [read] = await db.prepare(GROUP_READ).all<{ rows: string }>(
    [JSON.stringify(ids), JSON.stringify(tokenIds), JSON.stringify(deviceIds), JSON.stringify(candidateIds), JSON.stringify(sessionIds)],
  );
  const rows = JSON.parse(read!.rows) as GroupRow[];

  // What the server already answered for these ids: the same answer again.
  const known = new Map<string, { userId: number; answer: PushResult }>();
  const usedTokens = new Set<string>();
  const retirees = new Map<number, RetireeInfo>();
  const periods = new Map<number, CertificationPeriod[]>();
  const approved = new Set<string>();
  const storedSeq = new Map<string, number>();
  const sessions = new Map<string, LiveSessionRow>();
  for (const [k, id, n1, n2, n3, t1, t2, t3, t4, t5, t6] of rows) {
    switch (k) {
      case 'a':
        known.set(id!, {
          userId: n1!,
          answer: { id: id!, seq: n2!, status: 'accepted', outcome: attemptOutcome({ outcome: t1 as AttemptOutcome['kind'], review_reason: t2 as ReviewReason | null, period_id: n3, certified_on: t3 }) },
        });
        break;
      case 'r':
        known.set(id!, { userId: n1!, answer: { id: id!, seq: n2!, status: 'rejected', reason: t1 as RejectReason } });
        break;
      case 'o':
        known.set(id!, { userId: n1!, answer: { id: id!, seq: n2!, status: 'accepted', outcome: JSON.parse(t1!) as VisitResult } });
        break;
      case 'u':
        usedTokens.add(id!);
        break;
      case 'c':
        storedSeq.set(`${id}\u0000${n1}`, n2!);
        break;
      case 'x':
        retirees.set(n1!, { id: n1!, region_id: n2!, enrolment: t1!, time_zone: t2! });
        break;
      case 'p': {
        const list = periods.get(n2!) ?? [];
        list.push({ id: n1!, year: n3!, selfStart: t1!, selfEnd: t2!, onsiteStart: t3!, onsiteEnd: t4!, deadline: t5!, suspensionDate: t6! });
        periods.set(n2!, list);
        break;
      }
      case 'v':
        approved.add(`${n1}:${n2}`);
        break;
      case 's': {
        const int = (v: string | null) => (v === null ? null : Number(v));
        sessions.set(id!, { user_id: n1!, created_at: n2!, last_verified_at: n3!, role: t1 as LiveSessionRow['role'], device_id: t2, disabled: Number(t3), retiree_id: int(t4), region_id: int(t5) });
        break;
      }
    }
  }

  // Family link decisions (issue 19) are rare: their earlier answers are read only when a group has one.
  const linkIds = all.filter((i) => i.kind === 'link').map((i) => i.id);
  if (linkIds.length) for (const [id, prior] of await linkDecisionAnswers(db, linkIds)) if (!known.has(id)) known.set(id, prior);

  // Sequence state per (device, user).
  const clientKey = (s: Submission) => `${s.deviceId}\u0000${s.userId}`;
  const clients = new Map<string, { deviceId: string; userId: number; lastSeq: number; gaps: number }>();
  for (const s of subs) clients.set(clientKey(s), { deviceId: s.deviceId, userId: s.userId, lastSeq: storedSeq.get(clientKey(s)) ?? 0, gaps: 0 });

  const attemptRows: (string | number | null)[][] = [];
  const blobRows: SqlValue[][] = [];
  const rejectionRows: SqlValue[][] = [];
  const visitRows: SqlValue[][] = [];

  const out: (SubmissionResult | null)[] = [];
  for (const sub of subs) {
    // The session is checked here, in the transaction that writes, so a sign-out or a disabled
    // account that committed before this point can never see its attempts applied (decision 046).
    if (!sessionStillHolds(sessions.get(sub.auth.session.id), sub.auth, sub.receivedAt)) {
      out.push(null);
      continue;
    }
    const client = clients.get(clientKey(sub))!;
    const results: PushResult[] = [];
    for (const item of sub.items) {
      const prior = known.get(item.id);
      if (prior) {
        if (prior.userId !== sub.userId) results.push({ id: item.id, seq: item.seq, status: 'rejected', reason: 'id_conflict' });
        else results.push(prior.answer.status === 'rejected' ? prior.answer : { ...prior.answer, status: 'duplicate' });
        continue;
      }
      let result: PushResult;
      if (item.kind === 'reject') {
        result = { id: item.id, seq: item.seq, status: 'rejected', reason: item.reason };
        if (!item.storable) {
          results.push(result);
          continue;
        }
        rejectionRows.push([item.id, sub.userId, sub.deviceId, item.seq, item.reason, item.detail, sub.receivedAt]);
      } else if (item.kind === 'link') {
        // Applied at once, in this transaction: its row moves the device's sequence (migration 016).
        const outcome = await applyLinkDecision(db, { ...item, userId: sub.userId, deviceId: sub.deviceId, receivedAt: sub.receivedAt });
        result = { id: item.id, seq: item.seq, status: 'accepted', outcome };
      } else if (item.kind === 'visit') {
        const r = retirees.get(item.retireeId);
        const receivedOn = localDateIn(r?.time_zone ?? 'Asia/Shanghai', sub.receivedAt);
        const period = r ? periodFor(periods.get(r.region_id) ?? [], receivedOn) : null;
        const { visit, review } = visitOutcome(item, r, period?.id ?? null, approved);
        visitRows.push(visitRow(item, sub, period?.id ?? null, receivedOn, visit, review));
        result = { id: item.id, seq: item.seq, status: 'accepted', outcome: visit };
      } else {
        let reviewReason = item.reviewReason;
        if (item.token) {
          if (usedTokens.has(item.token.i)) reviewReason ??= 'token_used';
          else {
            usedTokens.add(item.token.i);
          }
        }
        // A token problem is what the office should see first; then whether the "passed" result is
        // evidence of a check at all (issue 15): no key frames, or timings no engine produces.
        reviewReason ??= item.evidence;
        // Then whether it looks like a replayed screen or a print (issue 18): the office decides.
        reviewReason ??= item.spoof;
        let outcome: AttemptOutcome;
        let verifying: { periodId: number; receivedOn: string } | null = null;
        if (reviewReason) outcome = { kind: 'review', reviewReason };
        else if (item.verdict !== 'passed') outcome = { kind: 'not_passed' };
        else {
          const r = retirees.get(item.retireeId);
          const period = r ? periodFor(periods.get(r.region_id) ?? [], localDateIn(r.time_zone, sub.receivedAt)) : null;
          if (!r || INACTIVE.has(r.enrolment)) outcome = { kind: 'review', reviewReason: 'not_active' };
          else if (!period) outcome = { kind: 'review', reviewReason: 'no_period' };
          else if (approved.has(`${item.retireeId}:${period.id}`)) outcome = { kind: 'already_certified', periodId: period.id };
          else {
            // Stored now, decided by the face match (the trigger queues its job in this INSERT):
            // whose face the key frames show is the server's question, not the phone's (decision 050).
            verifying = { periodId: period.id, receivedOn: localDateIn(r.time_zone, sub.receivedAt) };
            outcome = { kind: 'verifying' };
          }
        }
        const periodId = outcome.kind === 'already_certified' ? outcome.periodId : (verifying?.periodId ?? null);
        attemptRows.push([
          item.id,
          item.retireeId,
          sub.userId,
          sub.deviceId,
          item.seq,
          item.method,
          item.verdict,
          outcome.kind,
          outcome.kind === 'review' ? outcome.reviewReason : null,
          periodId,
          verifying?.receivedOn ?? null,
          item.token?.i ?? null,
          item.token?.t ?? null,
          item.deviceTime,
          sub.receivedAt,
          item.resultJson,
          item.blobBytes,
          item.enrolment,
        ]);
        for (const b of item.blobs) blobRows.push([item.id, b.idx, b.kind, b.type, b.sha256, b.bytes, b.width, b.height, b.durationMs, b.data]);
        result = { id: item.id, seq: item.seq, status: 'accepted', outcome };
      }
      known.set(item.id, { userId: sub.userId, answer: result });
      // Sequence bookkeeping: a number beyond last + 1 means the phone skipped some (lost them).
      if (item.seq > client.lastSeq) {
        client.gaps += item.seq - client.lastSeq - 1;
        client.lastSeq = item.seq;
      }
      results.push(result);
    }
    out.push({ results, lastSeq: client.lastSeq });
  }

  // The attempts' triggers claim tokens, create certifications and move the device's sequence.
  if (rejectionRows.length) await insertMany(db, 'INSERT INTO sync_rejections (id, user_id, device_id, seq, reason, detail, received_at)', 7, rejectionRows);
  if (attemptRows.length) await db.prepare(INSERT_ATTEMPTS).run([JSON.stringify(attemptRows)]);
  if (visitRows.length) await insertMany(db, `INSERT INTO visit_outcomes (${VISIT_COLUMNS.join(', ')})`, VISIT_COLUMNS.length, visitRows);
  if (blobRows.length) await insertMany(db, 'INSERT INTO attempt_blobs (attempt_id, idx, kind, type, sha256, bytes, width, height, duration_ms, data)', 10, blobRows);
  for (const c of clients.values()) {
    if (c.gaps) await db.run('UPDATE sync_clients SET gaps = gaps + ? WHERE device_id = ? AND user_id = ?', [c.gaps, c.deviceId, c.userId]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Visit outcomes (issue 6)

const VISIT_COLUMNS = [
  'id', 'retiree_id', 'user_id', 'device_id', 'seq', 'kind', 'reason', 'note', 'deceased_on', 'info_source', 'new_address',
  'latitude', 'longitude', 'accuracy_m', 'located_at', 'signature', 'period_id', 'received_on', 'answer', 'review',
  'device_time', 'received_at', 'photo_type', 'photo_sha256', 'photo_bytes', 'photo_width', 'photo_height', 'photo',
] as const;

/**
 * What a visit outcome leads to. Not at home: recorded (the revisit list). Deceased, moved: the
 * office reviews. Cannot do the check: a signed attestation makes a pending home-visit
 * certification for the current period (the trigger in 003-worker-visits.sql) unless the period is
 * already certified; an unsigned one, or one with no open period, is kept for the office to look at
 * and counts for nothing until it decides.
 */
function visitOutcome(item: PreparedVisit, r: RetireeInfo | undefined, periodId: number | null, approved: Set<string>): { visit: VisitResult; review: 'pending' | null } {
  switch (item.visit) {
    case 'not_home':
      return { visit: { kind: 'recorded' }, review: null };
    case 'deceased':
    case 'moved':
      return { visit: { kind: 'pending_review', periodId }, review: 'pending' };
    case 'cannot_check':
      if (item.signature !== 'verified') return { visit: { kind: 'signature_invalid' }, review: 'pending' };
      if (!r || INACTIVE.has(r.enrolment) || periodId === null) return { visit: { kind: 'no_period' }, review: 'pending' };
      if (approved.has(`${item.retireeId}:${periodId}`)) return { visit: { kind: 'already_certified', periodId }, review: null };
      return { visit: { kind: 'pending_review', periodId }, review: 'pending' };
  }
}

function visitRow(item: PreparedVisit, sub: Submission, periodId: number | null, receivedOn: string, visit: VisitResult, review: 'pending' | null): SqlValue[] {
  const p = item.photo;
  const l = item.location;
  // The attestation trigger only fires for a pending, signed report with a period.
  const attestPeriod = visit.kind === 'pending_review' || visit.kind === 'already_certified' ? periodId : null;
  return [
    item.id, item.retireeId, sub.userId, sub.deviceId, item.seq, item.visit, item.reason, item.note, item.deceasedOn, item.source, item.newAddress,
    l?.lat ?? null, l?.lon ?? null, l?.accuracyM ?? null, l?.at ?? null, item.signature, attestPeriod, receivedOn, JSON.stringify(visit), review,
    item.deviceTime, sub.receivedAt, p?.type ?? null, p?.sha256 ?? null, p?.bytes ?? null, p?.width ?? null, p?.height ?? null, p?.data ?? null,
  ];
}
