// Everything about a pushed item that can be decided before the write transaction: its shape, the
// LivenessResult, who may certify whom, the blobs (magic bytes, pixel size, audio type and length,
// SHA-256), and the challenge token's signature and binding. The result is a PreparedItem the
// group commit (ingest.ts) applies without further reads of the request.
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { evidenceProblem } from '../../shared/evidence-rules.ts';
import { LivenessResult } from '../../shared/liveness.ts';
import { audioProblem, frameProblem, jpegInfo, normaliseMime } from '../../shared/media.ts';
import { AttemptItem, ConsentItem, LinkItem, OutcomeItem, SYNC_LIMITS, type LinkAction, type RejectReason, type VisitRequestAction, VisitRequestItem, type ReviewReason, type SyncMethod, type Visit, type VisitLocation } from '../../shared/sync.ts';
import type { ConsentChoice } from '../../shared/schemas/consent.ts';
import { enrolmentBinding, signatureBinding } from '../../shared/signature.ts';
import { openSignature } from './signature.ts';
import { UUID7_RE } from '../../shared/uuid7.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import { canAccessRetiree } from '../auth/access.ts';
import type { Db } from '../db/sqlite.ts';
import type { StoredBlob } from '../store/ingest-write.ts';
import { spoofCheck } from './spoof-check.ts';
import { voiceReviewReason } from '../../shared/voice-check.ts';
import { checkToken, type TokenPayload } from './tokens.ts';

export type PreparedBlob = StoredBlob;

export type PreparedItem =
  | { kind: 'reject'; id: string; seq: number; reason: RejectReason; detail: string | null; storable: boolean }
  | {
      kind: 'attempt';
      id: string;
      seq: number;
      retireeId: number;
      method: SyncMethod;
      verdict: LivenessResult['verdict'];
      /** A problem with the challenge token, decided before the transaction; null when it is good. */
      reviewReason: ReviewReason | null;
      /** Whether a passed result is evidence of a check at all (shared/evidence-rules.ts); null when it is. */
      evidence: Extract<ReviewReason, 'evidence_missing' | 'evidence_implausible'> | null;
      /** A passed check that looks like a replayed screen or a print (spoof-check.ts); null when it does not. */
      spoof: Extract<ReviewReason, 'spoof_risk'> | null;
      /** A passed read-digits check whose digits were not heard, or heard out of step with the mouth (shared/voice-check.ts). */
      voice: Extract<ReviewReason, 'digits_not_heard' | 'voice_out_of_step'> | null;
      /** The token, when it is authentic and bound to this user and device: claimed on use. */
      token: TokenPayload | null;
      /** A worker's in-person enrolment: whether its signature (the worker's password) verified. */
      enrolment: 'verified' | 'invalid' | null;
      deviceTime: number;
      resultJson: string;
      blobs: PreparedBlob[];
      blobBytes: number;
    }
  | PreparedVisit
  | PreparedLink
  | PreparedVisitRequest
  | PreparedConsent;

/** A consent choice (issue 21, decision 085): see shared/sync.ts ConsentItem. */
export interface PreparedConsent {
  kind: 'consent';
  id: string;
  seq: number;
  retireeId: number;
  choice: ConsentChoice;
  noticeVersion: number;
  deviceTime: number;
}

/** A home-visit request or its withdrawal (issue 17): see shared/sync.ts VisitRequestItem. */
export interface PreparedVisitRequest {
  kind: 'visit_request';
  id: string;
  seq: number;
  retireeId: number;
  action: VisitRequestAction;
  deviceTime: number;
}

/** A family link decision (issue 19): see shared/sync.ts LinkItem. */
export interface PreparedLink {
  kind: 'link';
  id: string;
  seq: number;
  retireeId: number;
  action: LinkAction;
  requestId: number | null;
  familyUserId: number | null;
  via: 'retiree' | 'worker';
  deviceTime: number;
}

/** A visit outcome (not at home, attestation, deceased, moved): see shared/sync.ts OutcomeItem. */
export interface PreparedVisit {
  kind: 'visit';
  id: string;
  seq: number;
  retireeId: number;
  /** What the worker found, by kind (shared/sync.ts Visit): the same union the phone sent. */
  visit: Visit;
  note: string;
  location: VisitLocation | null;
  /** Attestations: whether the re-entered password matched; null for other kinds. */
  signature: 'verified' | 'invalid' | null;
  deviceTime: number;
  photo: PreparedBlob | null;
}

export const METHOD_OF_ROLE: Partial<Record<SessionUser['role'], SyncMethod>> = { retiree: 'self', family: 'family', worker: 'worker' };

export interface PrepareContext {
  db: Db;
  user: SessionUser;
  deviceId: string;
  receivedAt: number;
  secret: Buffer;
  /** Multipart parts by name. */
  parts: Map<string, Uint8Array>;
  /** Checks a home-visit signature's password for this user; without it every signature is invalid. */
  verifyPassword?: (password: string) => Promise<boolean>;
}

const reject = (id: string, seq: number, reason: RejectReason, detail: string | null, storable = true): PreparedItem => ({ kind: 'reject', id, seq, reason, detail, storable });

export async function prepareItems(ctx: PrepareContext, raw: readonly unknown[]): Promise<PreparedItem[]> {
  const access = new Map<number, Promise<boolean>>();
  const mayAccess = (retireeId: number) => {
    let p = access.get(retireeId);
    if (!p) access.set(retireeId, (p = canAccessRetiree(ctx.db, ctx.user, retireeId)));
    return p;
  };
  const out: PreparedItem[] = [];
  for (const item of raw) out.push(await prepareItem(ctx, item, mayAccess));
  return out;
}

async function prepareItem(ctx: PrepareContext, raw: unknown, mayAccess: (id: number) => Promise<boolean>): Promise<PreparedItem> {
  const r = (raw ?? {}) as { id?: unknown; seq?: unknown };
  const idOk = typeof r.id === 'string' && UUID7_RE.test(r.id);
  const seqOk = typeof r.seq === 'number' && Number.isSafeInteger(r.seq) && r.seq >= 1;
  const id = idOk ? (r.id as string) : String(r.id ?? '').slice(0, 64);
  const seq = seqOk ? (r.seq as number) : 0;

  if ((raw as { type?: unknown } | null)?.type === 'outcome') return prepareVisit(ctx, raw, id, seq, idOk && seqOk, mayAccess);
  if ((raw as { type?: unknown } | null)?.type === 'link') return prepareLink(ctx, raw, id, seq, idOk && seqOk, mayAccess);
  if ((raw as { type?: unknown } | null)?.type === 'visit_request') return prepareVisitRequest(ctx, raw, id, seq, idOk && seqOk, mayAccess);
  if ((raw as { type?: unknown } | null)?.type === 'consent') return prepareConsent(ctx, raw, id, seq, idOk && seqOk, mayAccess);
  const parsed = v.safeParse(AttemptItem, raw);
  if (!parsed.success) return reject(id, seq, 'invalid', issueText(parsed.issues), idOk && seqOk);
  const item = parsed.output;
  const result = v.safeParse(LivenessResult, item.result);
  if (!result.success) return reject(id, seq, 'invalid', `result: ${issueText(result.issues)}`);

  if (METHOD_OF_ROLE[ctx.user.role] !== item.method) return reject(id, seq, 'wrong_method', null);
  if (!(await mayAccess(item.retireeId))) return reject(id, seq, 'no_access', null);

  const blobs: PreparedBlob[] = [];
  let frames = 0;
  let audio = 0;
  let blobBytes = 0;
  for (const [idx, ref] of item.blobs.entries()) {
    const data = ctx.parts.get(ref.part);
    if (!data) return reject(id, seq, 'blob_missing', ref.part);
    if (data.length !== ref.bytes || createHash('sha256').update(data).digest('hex') !== ref.sha256) return reject(id, seq, 'blob_mismatch', ref.part);
    blobBytes += data.length;
    if (ref.kind === 'frame') {
      frames++;
      const problem = frameProblem(data);
      if (problem) return reject(id, seq, problem === 'too_large' ? 'too_large' : 'bad_image', `${ref.part}: ${problem}`);
      if (normaliseMime(ref.type) !== 'image/jpeg') return reject(id, seq, 'bad_image', `${ref.part}: type ${ref.type}`);
      const info = jpegInfo(data)!;
      blobs.push({ idx, kind: 'frame', type: 'image/jpeg', sha256: ref.sha256, bytes: data.length, width: info.width, height: info.height, durationMs: null, data: Buffer.from(data) });
    } else {
      audio++;
      const durationMs = ref.durationMs ?? 0;
      const problem = audioProblem(data, ref.type, durationMs);
      if (problem) return reject(id, seq, problem === 'too_large' ? 'too_large' : 'bad_audio', `${ref.part}: ${problem}`);
      blobs.push({ idx, kind: 'audio', type: normaliseMime(ref.type), sha256: ref.sha256, bytes: data.length, width: null, height: null, durationMs, data: Buffer.from(data) });
    }
  }
  if (frames > SYNC_LIMITS.maxFramesPerAttempt || audio > 1) return reject(id, seq, 'too_large', `${frames} frames, ${audio} audio`);
  if (blobBytes > SYNC_LIMITS.maxRequestBytes) return reject(id, seq, 'too_large', `${blobBytes} bytes of blobs`);

  let enrolment: 'verified' | 'invalid' | null = null;
  if (item.enrolment) {
    if (ctx.user.role !== 'worker') return reject(id, seq, 'wrong_method', 'only community workers enrol retirees in person');
    const frame = blobs.find((b) => b.kind === 'frame');
    if (!frame) return reject(id, seq, 'invalid', 'enrolment: needs a key frame');
    const binding = enrolmentBinding({ id, retireeId: item.retireeId, userId: ctx.user.id, frameSha256: frame.sha256 });
    enrolment = (await signatureMatches(ctx, item.enrolment.signature, binding)) ? 'verified' : 'invalid';
  }

  // Only a passed check can certify anybody, so only its spoof risk decides anything; a failed one
  // keeps its score in the result for the office's history.
  const spoof = result.output.verdict === 'passed' && spoofCheck(result.output, blobs.filter((b) => b.kind === 'frame').map((b) => b.data)).flagged ? 'spoof_risk' : null;
  const check = checkToken(ctx.secret, item.challengeToken, result.output, ctx.user.id, ctx.deviceId, ctx.receivedAt);
  const bound = check.payload && check.payload.u === ctx.user.id && check.payload.d === ctx.deviceId ? check.payload : null;
  return {
    kind: 'attempt',
    id,
    seq,
    retireeId: item.retireeId,
    method: item.method,
    verdict: result.output.verdict,
    reviewReason: check.reviewReason,
    // The same image twice is one piece of evidence, not two.
    evidence: evidenceProblem(result.output, new Set(blobs.filter((b) => b.kind === 'frame').map((b) => b.sha256)).size)?.reason ?? null,
    spoof,
    // The outcome is drawn again from the phone's numbers, never taken from its word (decision 080).
    voice: result.output.verdict === 'passed' ? voiceReviewReason(result.output) : null,
    token: bound,
    enrolment,
    deviceTime: item.deviceTime,
    resultJson: JSON.stringify(result.output),
    blobs,
    blobBytes,
  };
}

async function prepareVisit(ctx: PrepareContext, raw: unknown, id: string, seq: number, storable: boolean, mayAccess: (id: number) => Promise<boolean>): Promise<PreparedItem> {
  const parsed = v.safeParse(OutcomeItem, raw);
  if (!parsed.success) return reject(id, seq, 'invalid', issueText(parsed.issues), storable);
  const item = parsed.output;
  if (ctx.user.role !== 'worker') return reject(id, seq, 'wrong_method', 'only community workers record visit outcomes');
  if (!(await mayAccess(item.retireeId))) return reject(id, seq, 'no_access', null);

  let photo: PreparedBlob | null = null;
  const ref = item.blobs[0];
  if (ref) {
    const data = ctx.parts.get(ref.part);
    if (!data) return reject(id, seq, 'blob_missing', ref.part);
    if (data.length !== ref.bytes || createHash('sha256').update(data).digest('hex') !== ref.sha256) return reject(id, seq, 'blob_mismatch', ref.part);
    const problem = frameProblem(data);
    if (problem) return reject(id, seq, problem === 'too_large' ? 'too_large' : 'bad_image', `${ref.part}: ${problem}`);
    if (normaliseMime(ref.type) !== 'image/jpeg') return reject(id, seq, 'bad_image', `${ref.part}: type ${ref.type}`);
    const info = jpegInfo(data)!;
    photo = { idx: 0, kind: 'frame', type: 'image/jpeg', sha256: ref.sha256, bytes: data.length, width: info.width, height: info.height, durationMs: null, data: Buffer.from(data) };
  }

  let signature: PreparedVisit['signature'] = null;
  let visit: Visit;
  switch (item.kind) {
    case 'cannot_check':
      signature = (await signatureMatches(ctx, item.signature, signatureBinding({ id, retireeId: item.retireeId, userId: ctx.user.id, photoSha256: photo!.sha256 }))) ? 'verified' : 'invalid';
      visit = { kind: 'cannot_check', reason: item.reason };
      break;
    case 'deceased':
      visit = { kind: 'deceased', deceasedOn: item.deceasedOn, source: item.source };
      break;
    case 'moved':
      visit = { kind: 'moved', newAddress: item.newAddress || null };
      break;
    case 'not_home':
      visit = { kind: 'not_home' };
      break;
  }
  return { kind: 'visit', id, seq, retireeId: item.retireeId, visit, note: item.note, location: item.location, signature, deviceTime: item.deviceTime, photo };
}

/**
 * The retiree chooses for themselves, a linked family member for the retiree they help, and a
 * community worker records the retiree's own answer at the door (decision 085): the person holding
 * the phone is who the row names. Never the office.
 */
async function prepareConsent(ctx: PrepareContext, raw: unknown, id: string, seq: number, storable: boolean, mayAccess: (id: number) => Promise<boolean>): Promise<PreparedItem> {
  const parsed = v.safeParse(ConsentItem, raw);
  if (!parsed.success) return reject(id, seq, 'invalid', issueText(parsed.issues), storable);
  const item = parsed.output;
  if (!METHOD_OF_ROLE[ctx.user.role]) return reject(id, seq, 'wrong_method', 'the office does not record consent');
  if (!(await mayAccess(item.retireeId))) return reject(id, seq, 'no_access', null);
  return { kind: 'consent', id, seq, retireeId: item.retireeId, choice: item.choice, noticeVersion: item.noticeVersion, deviceTime: item.deviceTime };
}

/**
 * A retiree decides for themselves (and alone may end a link this way); a worker approves or
 * declines for a retiree of their communities. Whether the request is still open, is this
 * retiree's and names them rightly is decided in the transaction (store/family-link-requests.ts).
 */
async function prepareLink(ctx: PrepareContext, raw: unknown, id: string, seq: number, storable: boolean, mayAccess: (id: number) => Promise<boolean>): Promise<PreparedItem> {
  const parsed = v.safeParse(LinkItem, raw);
  if (!parsed.success) return reject(id, seq, 'invalid', issueText(parsed.issues), storable);
  const item = parsed.output;
  const role = ctx.user.role;
  if (role !== 'retiree' && role !== 'worker') return reject(id, seq, 'wrong_method', 'only the retiree or a community worker decides on a family link here');
  if (item.action === 'end' && role !== 'retiree') return reject(id, seq, 'wrong_method', 'a worker does not end family links');
  if (!(await mayAccess(item.retireeId))) return reject(id, seq, 'no_access', null);
  return {
    kind: 'link',
    id,
    seq,
    retireeId: item.retireeId,
    action: item.action,
    requestId: item.requestId ?? null,
    familyUserId: item.familyUserId ?? null,
    via: role,
    deviceTime: item.deviceTime,
  };
}

/**
 * The retiree asks for themselves, a linked family member for the retiree they help (both after a
 * failed check on their phone); workers record visits instead. Whether one is already open is
 * decided in the transaction (store/visit-requests.ts).
 */
async function prepareVisitRequest(ctx: PrepareContext, raw: unknown, id: string, seq: number, storable: boolean, mayAccess: (id: number) => Promise<boolean>): Promise<PreparedItem> {
  const parsed = v.safeParse(VisitRequestItem, raw);
  if (!parsed.success) return reject(id, seq, 'invalid', issueText(parsed.issues), storable);
  const item = parsed.output;
  if (ctx.user.role !== 'retiree' && ctx.user.role !== 'family') return reject(id, seq, 'wrong_method', 'only the retiree or a linked family member asks for a home visit');
  if (!(await mayAccess(item.retireeId))) return reject(id, seq, 'no_access', null);
  return { kind: 'visit_request', id, seq, retireeId: item.retireeId, action: item.action, deviceTime: item.deviceTime };
}

/** The envelope opens for this record and holds the worker's current password. */
async function signatureMatches(ctx: PrepareContext, envelope: string, binding: string): Promise<boolean> {
  if (!ctx.verifyPassword) return false;
  const password = await openSignature(ctx.db, envelope, binding);
  return password !== null && (await ctx.verifyPassword(password));
}

function issueText(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  if (!first) return 'invalid';
  const path = v.getDotPath(first);
  return (path ? `${path}: ${first.message}` : first.message).slice(0, 200);
}
