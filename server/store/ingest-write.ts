// What a group of pushes writes, once decided (server/sync/ingest-decide.ts): rejections, attempts
// with their key frames and audio, visit outcomes, the family link decisions, and sequence gaps,
// inside the group's transaction. The triggers do the rest: an attempt claims its token, queues
// its face match and moves its device's sequence; a signed attestation makes a pending home-visit
// certification (migrations 003, 006, 007).
import type { SqlValue } from '../db/sqlite.ts';
import type { Db } from '../db/sqlite.ts';
import { postgresDialect, sqliteDialect, type Dialect } from '../db/dialect.ts';
import type { PushResult } from '../../shared/sync.ts';
import { applyLinkDecision, type LinkDecisionInput } from './link-decisions.ts';
import { applyVisitRequest, closeVisitRequests, type VisitRequestInput } from './visit-requests.ts';
import { insertConsents, type ConsentRow } from './consents.ts';

export interface AttemptRow {
  id: string;
  retireeId: number;
  userId: number;
  deviceId: string;
  seq: number;
  method: string;
  verdict: string;
  outcome: string;
  reviewReason: string | null;
  periodId: number | null;
  certifiedOn: string | null;
  challengeId: string | null;
  tokenIssuedAt: number | null;
  deviceTime: number;
  receivedAt: number;
  result: string;
  blobBytes: number;
  enrolment: string | null;
}

/** A key frame or audio clip of an attempt, checked (server/sync/prepare.ts), as it is stored. */
export interface StoredBlob {
  idx: number;
  kind: 'frame' | 'audio';
  type: string;
  sha256: string;
  bytes: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  data: Buffer;
}

export interface BlobRow extends StoredBlob {
  attemptId: string;
}

export interface RejectionRow {
  id: string;
  userId: number;
  deviceId: string;
  seq: number;
  reason: string;
  detail: string | null;
  receivedAt: number;
}

export interface VisitRow {
  id: string;
  retireeId: number;
  userId: number;
  deviceId: string;
  seq: number;
  kind: string;
  reason: string | null;
  note: string | null;
  deceasedOn: string | null;
  infoSource: string | null;
  newAddress: string | null;
  location: { lat: number; lon: number; accuracyM: number; at: number } | null;
  signature: string | null;
  /** The period an attestation counts for; the attestation trigger fires only with one. */
  periodId: number | null;
  receivedOn: string;
  answer: string;
  review: 'pending' | null;
  deviceTime: number;
  receivedAt: number;
  photo: { type: string; sha256: string; bytes: number; width: number | null; height: number | null; data: Buffer } | null;
}

type Answered = Extract<PushResult, { status: 'accepted' | 'duplicate' }>;

/** A family link decision made on a phone (issue 19), applied at once: its answer comes from the store. */
export interface LinkWrite {
  input: LinkDecisionInput;
  /** The answers the phone gets (the same id twice in one group: the second is a duplicate), completed with the decision's outcome when it is applied. */
  answers: Answered[];
}

/** A home-visit request or withdrawal (issue 17), applied at once: its answer comes from the store. */
export interface VisitRequestWrite {
  input: VisitRequestInput;
  answers: Answered[];
}

export interface GroupWrites {
  links: LinkWrite[];
  visitRequests: VisitRequestWrite[];
  /** Consent choices (decision 085): stored as they came, answered when decided. */
  consents: ConsentRow[];
  rejections: RejectionRow[];
  attempts: AttemptRow[];
  blobs: BlobRow[];
  visits: VisitRow[];
  /** Sequence numbers a device skipped (lost items), per device and user. */
  gaps: { deviceId: string; userId: number; gaps: number }[];
}

const CHUNK = 400;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function insertMany(db: Db, head: string, columns: number, rows: SqlValue[][]): Promise<void> {
  // Bounded far below SQLite's 32,766 parameters per statement.
  const perStatement = Math.max(1, Math.floor(30_000 / columns));
  const mark = `(${Array(columns).fill('?').join(',')})`;
  for (const part of chunks(rows, perStatement)) await db.run(`${head} VALUES ${part.map(() => mark).join(',')}`, part.flat());
}

const ATTEMPT_COLUMNS = [
  ['id', 'text'], ['retiree_id', 'int'], ['user_id', 'int'], ['device_id', 'text'], ['seq', 'int'], ['method', 'text'], ['verdict', 'text'],
  ['outcome', 'text'], ['review_reason', 'text'], ['period_id', 'int'], ['certified_on', 'text'], ['challenge_id', 'text'],
  ['token_issued_at', 'int'], ['device_time', 'int'], ['received_at', 'int'], ['result', 'text'], ['blob_bytes', 'int'], ['enrolment', 'text'],
] as const;
// One kept statement for any number of attempts: the rows go in as one JSON array of arrays.
const insertAttempts = (d: Dialect) => `INSERT INTO attempts (${ATTEMPT_COLUMNS.map(([name]) => name).join(', ')})
  SELECT ${ATTEMPT_COLUMNS.map(([, type], i) => d.jsonElement(i, type)).join(', ')} FROM ${d.jsonArrayRows('?')}`;
const INSERT_ATTEMPTS = new Map([sqliteDialect, postgresDialect].map((d) => [d, insertAttempts(d)]));
const attemptValues = (a: AttemptRow) => [
  a.id, a.retireeId, a.userId, a.deviceId, a.seq, a.method, a.verdict, a.outcome, a.reviewReason, a.periodId, a.certifiedOn,
  a.challengeId, a.tokenIssuedAt, a.deviceTime, a.receivedAt, a.result, a.blobBytes, a.enrolment,
];

const VISIT_COLUMNS = [
  'id', 'retiree_id', 'user_id', 'device_id', 'seq', 'kind', 'reason', 'note', 'deceased_on', 'info_source', 'new_address',
  'latitude', 'longitude', 'accuracy_m', 'located_at', 'signature', 'period_id', 'received_on', 'answer', 'review',
  'device_time', 'received_at', 'photo_type', 'photo_sha256', 'photo_bytes', 'photo_width', 'photo_height', 'photo',
] as const;
const visitValues = (v: VisitRow): SqlValue[] => {
  const l = v.location;
  const p = v.photo;
  return [
    v.id, v.retireeId, v.userId, v.deviceId, v.seq, v.kind, v.reason, v.note, v.deceasedOn, v.infoSource, v.newAddress,
    l?.lat ?? null, l?.lon ?? null, l?.accuracyM ?? null, l?.at ?? null, v.signature, v.periodId, v.receivedOn, v.answer, v.review,
    v.deviceTime, v.receivedAt, p?.type ?? null, p?.sha256 ?? null, p?.bytes ?? null, p?.width ?? null, p?.height ?? null, p?.data ?? null,
  ];
};

/** Stores visit outcomes; the triggers make a signed attestation's pending certification. */
export async function insertVisits(db: Db, visits: readonly VisitRow[]): Promise<void> {
  if (visits.length) await insertMany(db, `INSERT INTO visit_outcomes (${VISIT_COLUMNS.join(', ')})`, VISIT_COLUMNS.length, visits.map(visitValues));
}

/** Writes a decided group in the caller's transaction. */
export async function writeGroup(db: Db, w: GroupWrites): Promise<void> {
  // Link decisions first, as they were decided: each moves its device's sequence (migration 016).
  for (const l of w.links) {
    const outcome = await applyLinkDecision(db, l.input);
    for (const a of l.answers) a.outcome = outcome;
  }
  for (const r of w.visitRequests) {
    const outcome = await applyVisitRequest(db, r.input);
    for (const a of r.answers) a.outcome = outcome;
  }
  if (w.consents.length) await insertConsents(db, w.consents);
  if (w.rejections.length) {
    await insertMany(
      db,
      'INSERT INTO sync_rejections (id, user_id, device_id, seq, reason, detail, received_at)',
      7,
      w.rejections.map((r) => [r.id, r.userId, r.deviceId, r.seq, r.reason, r.detail, r.receivedAt]),
    );
  }
  if (w.attempts.length) await db.prepare(INSERT_ATTEMPTS.get(db.dialect)!).run([JSON.stringify(w.attempts.map(attemptValues))]);
  await insertVisits(db, w.visits);
  // A worker who recorded a visit outcome or a check for a retiree has answered their home-visit request (decision 078).
  await closeVisitRequests(db, [
    ...w.visits.map((v) => ({ retireeId: v.retireeId, by: 'visit' as const, ref: v.id, userId: v.userId, at: v.receivedAt })),
    ...w.attempts.filter((a) => a.method === 'worker').map((a) => ({ retireeId: a.retireeId, by: 'check' as const, ref: a.id, userId: a.userId, at: a.receivedAt })),
  ]);
  if (w.blobs.length) {
    await insertMany(
      db,
      'INSERT INTO attempt_blobs (attempt_id, idx, kind, type, sha256, bytes, width, height, duration_ms, data)',
      10,
      w.blobs.map((b) => [b.attemptId, b.idx, b.kind, b.type, b.sha256, b.bytes, b.width, b.height, b.durationMs, b.data]),
    );
  }
  for (const g of w.gaps) if (g.gaps) await db.run('UPDATE sync_clients SET gaps = gaps + ? WHERE device_id = ? AND user_id = ?', [g.gaps, g.deviceId, g.userId]);
}
