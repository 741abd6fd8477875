// The sync wire format, shared by the phone (web/data) and the server (server/sync). See docs/sync.md.
//
// POST /api/sync/push        attempts, in device-sequence order, each answered accepted / duplicate /
//                            rejected(reason). JSON when no item has blobs; otherwise
//                            multipart/form-data with a `batch` field (the same JSON) and one binary
//                            part per blob, named by BlobRef.part.
// POST /api/sync/pull        status / roster changes since a cursor, plus fresh challenge tokens.
// POST /api/sync/challenges  a batch of signed single-use challenge tokens only.
import * as v from 'valibot';
import type { CertificationState } from './certification-rules.ts';
import { UUID7_RE } from './uuid7.ts';

export const SYNC_LIMITS = {
  /** What a phone puts into one push request: one attempt with its blobs, or a batch without. */
  maxRequestBytes: 64 * 1024,
  /** The server's hard cap on a push body (the 64 KB above plus multipart framing). */
  maxBodyBytes: 80 * 1024,
  maxItemsPerPush: 50,
  maxFrameBytes: 20 * 1024,
  maxFramesPerAttempt: 3,
  minFramePx: 64,
  maxFramePx: 1280,
  maxAudioBytes: 40 * 1024,
  minAudioMs: 300,
  maxAudioMs: 20_000,
  maxAudioBitsPerSecond: 128_000,
  maxChallengesPerRequest: 20,
} as const;

export const AUDIO_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/ogg', 'audio/mp4'] as const;
export type AudioType = (typeof AUDIO_TYPES)[number];

/** Who certifies whom: a retiree for themselves, family for a linked retiree, a worker on a visit. */
export const SYNC_METHODS = ['self', 'family', 'worker'] as const;
export type SyncMethod = (typeof SYNC_METHODS)[number];

export const attemptId = v.pipe(v.string(), v.regex(UUID7_RE, 'id must be a lower-case UUIDv7'));
const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER));

export const BlobRef = v.strictObject({
  /** Name of the multipart part that carries the bytes: unique within the request. */
  part: v.pipe(v.string(), v.regex(/^p\d{1,3}$/)),
  kind: v.picklist(['frame', 'audio']),
  type: v.pipe(v.string(), v.maxLength(64)),
  bytes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(SYNC_LIMITS.maxAudioBytes)),
  /** SHA-256 of the bytes, lower-case hex: the server checks it, so a truncated part is caught. */
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  /** Audio only. */
  durationMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000))),
});
export type BlobRef = v.InferOutput<typeof BlobRef>;

/**
 * One liveness attempt as the phone sends it. `result` is a LivenessResult (shared/liveness.ts),
 * validated on its own so a malformed result rejects only its item.
 */
export const AttemptItem = v.strictObject({
  id: attemptId,
  /** Per (device, user) sequence number, from 1, with no gaps. */
  seq: positiveInt,
  retireeId: positiveInt,
  method: v.picklist(SYNC_METHODS),
  /** The server-signed challenge token the check used, or null when the phone had none left. */
  challengeToken: v.nullable(v.pipe(v.string(), v.maxLength(512))),
  /** The phone's clock when the attempt was saved: recorded for the office, never trusted. */
  deviceTime: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 48)),
  result: v.unknown(),
  blobs: v.pipe(v.array(BlobRef), v.maxLength(SYNC_LIMITS.maxFramesPerAttempt + 1)),
});
export type AttemptItem = Omit<v.InferOutput<typeof AttemptItem>, 'result'> & { result: unknown };

/** The envelope is loose about items so one bad item is answered `rejected`, not a 400 for all. */
export const PushRequest = v.strictObject({
  items: v.pipe(v.array(v.unknown()), v.minLength(1), v.maxLength(SYNC_LIMITS.maxItemsPerPush)),
});

export const REJECT_REASONS = [
  'invalid', // the item does not match the schema (or its LivenessResult does not)
  'no_access', // this user may not certify that retiree
  'wrong_method', // method does not match the user's role
  'bad_image', // a key frame is not a JPEG of a sensible pixel size
  'bad_audio', // audio of a type, container, size or length we do not take
  'too_large', // blobs over the per-attempt limits
  'blob_missing', // a BlobRef without its part
  'blob_mismatch', // the part's size or SHA-256 differs from its BlobRef
  'id_conflict', // the id is already used by another user's item
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const REVIEW_REASONS = [
  'no_token',
  'token_invalid',
  'token_expired',
  'token_used',
  'token_foreign',
  'sequence_mismatch',
  'no_period',
  'not_active',
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

/**
 * What became of a stored attempt: it certified the retiree for the current period, the period was
 * already certified, it did not pass (kept for history), or it waits for the office to look at it.
 */
export type AttemptOutcome =
  | { kind: 'certified'; periodId: number; certifiedOn: string }
  | { kind: 'already_certified'; periodId: number }
  | { kind: 'not_passed' }
  | { kind: 'review'; reviewReason: ReviewReason };

export type PushResult =
  | { id: string; seq: number; status: 'accepted' | 'duplicate'; outcome: AttemptOutcome }
  | { id: string; seq: number; status: 'rejected'; reason: RejectReason };

export interface PushResponse {
  results: PushResult[];
  /** The highest sequence number the server has applied for this device and user. */
  lastSeq: number;
  serverTime: number;
}

export const PullRequest = v.strictObject({
  cursor: v.nullable(v.pipe(v.string(), v.maxLength(64))),
  wantChallenges: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(SYNC_LIMITS.maxChallengesPerRequest)), 0),
});
export type PullRequest = v.InferInput<typeof PullRequest>;

export const ChallengeRequest = v.strictObject({
  count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(SYNC_LIMITS.maxChallengesPerRequest)),
});

export interface ChallengeGrant {
  /** The token's id; the check puts it into LivenessResult.challengeId. */
  id: string;
  token: string;
  seed: number;
  issuedAt: number;
  expiresAt: number;
}

export interface RosterEntry {
  id: number;
  name: string;
  communityName: string;
  /** Masked for family members. */
  idNumber: string;
  /** Workers only: where to visit. */
  address?: string;
  today: string;
  status: CertificationState;
  officePhone: string | null;
}

export interface PullResponse {
  cursor: string;
  /** True: `retirees` is everything this user may see; replace the cache. False: only changes. */
  full: boolean;
  retirees: RosterEntry[];
  /** Ids to drop from the cache (incremental pulls only). */
  removed: number[];
  challenges: ChallengeGrant[];
  lastSeq: number;
  serverTime: number;
}
