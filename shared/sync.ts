// The sync wire format, shared by the phone (web/data) and the server (server/sync). See docs/sync.md.
//
// POST /api/sync/push        attempts, in device-sequence order, each answered accepted / duplicate /
//                            rejected(reason). JSON when no item has blobs; otherwise
//                            multipart/form-data with a `batch` field (the same JSON) and one binary
//                            part per blob, named by BlobRef.part.
// POST /api/sync/pull        status / roster changes since a cursor, plus fresh challenge tokens.
// POST /api/sync/challenges  a batch of signed single-use challenge tokens only.
import * as v from 'valibot';
import type { CertificationMethod, CertificationState } from './certification-rules.ts';
import type { LivenessResult } from './liveness.ts';
import { CONSENT_CHOICES } from './schemas/consent.ts';
import { localDate } from './schemas/admin.ts';
import type { LinkSync } from './schemas/family.ts';
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
  /** Attempt ids a pull may ask the outcome of (PullRequest.attempts). */
  maxOutcomesPerPull: 20,
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
  /**
   * Workers only: in-person enrolment of a retiree without a reference face. The worker confirms
   * they checked the ID card, signing with their password sealed to the server's key (decision 041)
   * and bound to this attempt and its first key frame (shared/signature.ts enrolmentBinding).
   */
  enrolment: v.optional(v.strictObject({ signature: v.pipe(v.string(), v.minLength(1), v.maxLength(2048)) })),
});
export type AttemptItem = Omit<v.InferOutput<typeof AttemptItem>, 'result'> & { result: unknown };

/** The envelope is loose about items so one bad item is answered `rejected`, not a 400 for all. */
export const PushRequest = v.strictObject({
  items: v.pipe(v.array(v.unknown()), v.minLength(1), v.maxLength(SYNC_LIMITS.maxItemsPerPush)),
});

/**
 * What the phone puts in a push (web/data/transport.ts builds it with these types, never an untyped
 * literal): one item per outbox entry, each the input of its schema here. An attempt has no `type`;
 * every other item says what it is.
 */
export type PushItemBody =
  | (Omit<v.InferInput<typeof AttemptItem>, 'result'> & { result: LivenessResult })
  | v.InferInput<typeof OutcomeItem>
  | v.InferInput<typeof LinkItem>
  | v.InferInput<typeof VisitRequestItem>
  | v.InferInput<typeof ConsentItem>;
export interface PushBody {
  items: PushItemBody[];
}

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
  // Not stored, and not final (issue 15, decision 052): this account or phone has stored its day's
  // records or bytes. The phone keeps the item in its outbox and sends it again once the server's
  // day has turned (PushResponse.retryAt); every later item of the same push is answered so too.
  'quota_exceeded',
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
  // The server's 1:1 face match (issue 14, docs/identity.md): the key frames against the retiree's
  // reference faces. None of these is a failure: the office looks at the evidence and decides.
  'face_uncertain', // closest distance in the band between match and mismatch (ageing, poor light)
  'face_mismatch', // the key frames show somebody else
  'no_reference', // the retiree has no reference face yet (the frame becomes a pending one)
  'no_face', // no usable face in any key frame
  'match_failed', // the face match itself kept failing on the server (never the retiree's fault)
  'enrolment', // a worker enrolled the retiree in person (signed); the office confirms the new reference
  // Evidence that a check took place (issue 15, shared/evidence-rules.ts): a "passed" result is a
  // claim, and one the evidence does not back is never certified.
  'evidence_missing', // fewer key frames than a passed check carries
  'evidence_implausible', // timings or analysed frames no real run of the engine produces
  'keyframe_faces', // a key frame without exactly one face of usable size (the server looked)
  // A worker's assisted checks (issue 15): a share is held for the office at random, and all of a
  // worker whose pace of certifications is implausible.
  'worker_sample',
  'worker_rate',
  // The office erased the retiree's biometric data on request (decision 052) while this check was
  // still waiting for its face match: the office decides without the pictures (an on-site check, a call).
  'biometrics_erased',
  // The check looks like a replayed screen or a printed photo (issue 18, shared/spoof-risk.ts), even
  // though its actions passed: never certified on its own, never rejected in front of the person.
  'spoof_risk',
  // Read the 4 digits (issue 18 §4, shared/voice-check.ts): the step passed on the mouth, but the
  // microphone heard no digits (none recorded, or too few syllables), or a voice the mouth did not
  // make. The office listens to the recording; the person was never failed on the spot for it.
  'digits_not_heard',
  'voice_out_of_step',
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

/**
 * What became of a stored attempt: it certified the retiree for the current period, the period was
 * already certified, it did not pass (kept for history), it waits for the office to look at it, or
 * (a passed check) it is stored and waits for the server's face match, whose result the phone learns
 * on a later pull (PullRequest.attempts). A check in review carries the office's decision once it is
 * made (`decided`), which the phone that sent it learns the same way.
 */
export type AttemptOutcome =
  | { kind: 'verifying' }
  | { kind: 'certified'; periodId: number; certifiedOn: string }
  | { kind: 'already_certified'; periodId: number }
  | { kind: 'not_passed' }
  | { kind: 'review'; reviewReason: ReviewReason; decided?: OfficeDecision };

/** The office's decision on a check in review, and the reason it gave (required when it rejects). */
export interface OfficeDecision {
  decision: 'approved' | 'rejected';
  reason: string | null;
}

/** A sent attempt whose outcome may still change on the server: the phone asks about it on each pull. */
export const isOpenOutcome = (o: AttemptOutcome | undefined): boolean => o?.kind === 'verifying' || (o?.kind === 'review' && !o.decided);

/** An attempt's answer carries an AttemptOutcome; a visit outcome's (type: 'outcome') a VisitResult. */
export type PushResult =
  | { id: string; seq: number; status: 'accepted' | 'duplicate'; outcome: AttemptOutcome | VisitResult | LinkResult | VisitRequestResult | ConsentResult }
  | { id: string; seq: number; status: 'rejected'; reason: RejectReason };

export interface PushResponse {
  results: PushResult[];
  /** The highest sequence number the server has applied for this device and user. */
  lastSeq: number;
  serverTime: number;
  /** With a `quota_exceeded` item: the server time from which the quota takes items again (its next local day). */
  retryAt?: number;
}

export const PullRequest = v.strictObject({
  cursor: v.nullable(v.pipe(v.string(), v.maxLength(64))),
  wantChallenges: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(SYNC_LIMITS.maxChallengesPerRequest)), 0),
  /** Ids of this user's attempts whose outcome is still open on the phone (isOpenOutcome): the answer says what became of them. */
  attempts: v.optional(v.pipe(v.array(attemptId), v.maxLength(SYNC_LIMITS.maxOutcomesPerPull)), []),
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
  /** Workers only: the retiree's phone, the office's notes, the last approved certification, the last visit. */
  phone?: string | null;
  notes?: string | null;
  lastCertification?: { year: number; on: string; method: CertificationMethod } | null;
  lastVisit?: RosterVisit | null;
  /** Workers only: whether the office holds a reference face (without one, a check can enrol in person). */
  hasReference?: boolean;
  /** An open home-visit request (issue 17): first on the worker's roster; the retiree's and family's phones say it is asked. */
  visitRequest?: RosterVisitRequest | null;
}

export interface PullResponse {
  /** The wire format (SYNC_WIRE_VERSION in pull-response.ts): a phone refuses an answer of another. */
  v: number;
  cursor: string;
  /** True: `retirees` is everything this user may see; replace the cache. False: only changes. */
  full: boolean;
  retirees: RosterEntry[];
  /** Ids to drop from the cache (incremental pulls only). */
  removed: number[];
  challenges: ChallengeGrant[];
  /** The current outcome of each attempt named in PullRequest.attempts that is this user's. */
  attempts: { id: string; outcome: AttemptOutcome }[];
  lastSeq: number;
  serverTime: number;
  /** Workers only: the public key that home-visit signatures are encrypted to (decision 041). */
  signatureKey?: SignatureKey;
  /** Family links as this user may know them, whole on every pull (issue 19, decision 071). */
  links?: LinkSync;
}

// ---------------------------------------------------------------------------------------------
// Visit outcomes (issue 6): what a community worker records at a door when no face check passes.
// They travel in the same push as attempts, with `type: 'outcome'`, the same UUIDv7 id and the same
// per-device sequence (one outbox on the phone). Attempt items have no `type`.

export const VISIT_KINDS = ['not_home', 'cannot_check', 'deceased', 'moved'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];
export const CANNOT_CHECK_REASONS = ['bedridden', 'blind', 'dementia'] as const;
export type CannotCheckReason = (typeof CANNOT_CHECK_REASONS)[number];

export const VISIT_LIMITS = { maxNote: 500, maxSource: 200, maxAddress: 200, maxSignature: 2048 } as const;

const text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max));

export const VisitLocation = v.strictObject({
  lat: v.pipe(v.number(), v.minValue(-90), v.maxValue(90)),
  lon: v.pipe(v.number(), v.minValue(-180), v.maxValue(180)),
  accuracyM: v.pipe(v.number(), v.minValue(0), v.maxValue(100_000)),
  at: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 48)),
});
export type VisitLocation = v.InferOutput<typeof VisitLocation>;

/**
 * What the worker found at the door, one variant per kind (issue 21 §2): the one shape of a visit.
 * The phone's outbox keeps it (web/data VisitRecord), the push carries it (OutcomeItem below) and
 * the server decides on it (server/sync/prepare.ts PreparedVisit); each kind has only its fields.
 *   not_home      nobody opened: the retiree goes on the revisit list
 *   cannot_check  bedridden, blind, dementia: a home-visit attestation (photo and signature travel with it)
 *   deceased      the date of death when known, and who said so
 *   moved         the new address when known
 */
const VISIT_FIELDS = {
  not_home: {},
  cannot_check: { reason: v.picklist(CANNOT_CHECK_REASONS, 'reason: required for cannot_check') },
  deceased: {
    deceasedOn: v.optional(v.nullable(localDate), null),
    source: v.pipe(text(VISIT_LIMITS.maxSource), v.minLength(1, 'source: say who reported the death')),
  },
  moved: { newAddress: v.optional(v.nullable(text(VISIT_LIMITS.maxAddress)), null) },
} as const;

export const Visit = v.variant('kind', [
  v.strictObject({ kind: v.literal('not_home'), ...VISIT_FIELDS.not_home }),
  v.strictObject({ kind: v.literal('cannot_check'), ...VISIT_FIELDS.cannot_check }),
  v.strictObject({ kind: v.literal('deceased'), ...VISIT_FIELDS.deceased }),
  v.strictObject({ kind: v.literal('moved'), ...VISIT_FIELDS.moved }),
]);
export type Visit = v.InferOutput<typeof Visit>;
/** One kind's variant: `VisitOf<'deceased'>` is `{ kind: 'deceased'; deceasedOn; source }`. */
export type VisitOf<K extends VisitKind> = Extract<Visit, { kind: K }>;

/** What every visit item carries besides its kind's fields. */
const VISIT_ITEM = {
  type: v.literal('outcome'),
  id: attemptId,
  seq: positiveInt,
  retireeId: positiveInt,
  deviceTime: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 48)),
  note: v.optional(text(VISIT_LIMITS.maxNote), ''),
  location: v.optional(v.nullable(VisitLocation), null),
  /** Only cannot_check carries a photo. */
  blobs: v.optional(v.pipe(v.array(BlobRef), v.maxLength(0, 'blobs: only cannot_check carries a photo')), []),
};

/**
 * A visit outcome in the push: the common fields and one Visit variant. cannot_check adds the
 * worker's password sealed on the phone to the server's key (decision 041) and exactly one photo
 * of the retiree (a JPEG frame ≤ 20 KB).
 */
export const OutcomeItem = v.variant('kind', [
  v.strictObject({ ...VISIT_ITEM, kind: v.literal('not_home'), ...VISIT_FIELDS.not_home }),
  v.strictObject({
    ...VISIT_ITEM,
    kind: v.literal('cannot_check'),
    ...VISIT_FIELDS.cannot_check,
    signature: v.pipe(v.string('signature: required for cannot_check'), v.minLength(1, 'signature: required for cannot_check'), v.maxLength(VISIT_LIMITS.maxSignature)),
    blobs: v.pipe(
      v.array(BlobRef),
      v.check((b) => b.length === 1 && b[0]!.kind === 'frame', 'blobs: cannot_check needs exactly one photo'),
    ),
  }),
  v.strictObject({ ...VISIT_ITEM, kind: v.literal('deceased'), ...VISIT_FIELDS.deceased }),
  v.strictObject({ ...VISIT_ITEM, kind: v.literal('moved'), ...VISIT_FIELDS.moved }),
]);
export type OutcomeItem = v.InferOutput<typeof OutcomeItem>;

/**
 * What became of a stored visit outcome: recorded (not at home: on the revisit list), waiting for
 * the office (a signed attestation, a death or a move), recorded without review because the retiree
 * was already certified or has no open period, or an attestation whose password did not match.
 */
export type VisitResult =
  | { kind: 'recorded' }
  | { kind: 'pending_review'; periodId: number | null }
  | { kind: 'already_certified'; periodId: number }
  | { kind: 'no_period' }
  | { kind: 'signature_invalid' };

export interface RosterVisit {
  kind: VisitKind;
  /** When the worker recorded it (the phone's clock, never later than its arrival). */
  at: number;
  byName: string;
  /** deceased / moved / cannot_check: the office's review, if any. */
  review: 'pending' | 'approved' | 'rejected' | null;
}

export interface SignatureKey {
  /** Key id: part of every signature envelope, so the server can rotate keys. */
  kid: string;
  /** RSA-OAEP-256 public key, SPKI DER, base64. */
  spki: string;
}

// ---------------------------------------------------------------------------------------------
// Family link decisions (issue 19, decision 071): a retiree approving or declining a family
// member's request on their own phone, or ending a link, and a community worker approving or
// declining at the door. Same push, same UUIDv7 id and per-device sequence as everything else, so
// one made offline is sent later and applied once.

export const LINK_ACTIONS = ['approve', 'decline', 'end'] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

export const LinkItem = v.pipe(
  v.strictObject({
    type: v.literal('link'),
    id: attemptId,
    seq: positiveInt,
    retireeId: positiveInt,
    action: v.picklist(LINK_ACTIONS),
    /** approve, decline: the request. */
    requestId: v.optional(positiveInt),
    /** end: whose link (retirees only). */
    familyUserId: v.optional(positiveInt),
    deviceTime: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 48)),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const l = dataset.value;
    if (l.action === 'end' ? l.familyUserId === undefined || l.requestId !== undefined : l.requestId === undefined || l.familyUserId !== undefined) {
      addIssue({ message: 'approve and decline name a requestId, end a familyUserId' });
    }
  }),
);
export type LinkItem = v.InferOutput<typeof LinkItem>;

/** What became of a link decision: done, or nothing left to decide (decided meanwhile, withdrawn, expired, ended). */
export type LinkResult = { kind: 'link_done'; action: LinkAction } | { kind: 'link_stale' };

// ---------------------------------------------------------------------------------------------
// Home-visit requests (issue 17, decision 078): after a failed check the retiree (or a linked
// family member) asks the community worker to come. A request is not a visit: it puts the retiree at
// the top of the community worker's roster until a worker records a visit or a check for them, or the
// request is withdrawn. Same push, same UUIDv7 id and per-device sequence as everything else, so a
// request made without signal is sent later and stored once. One open request per retiree.

export const VISIT_REQUEST_ACTIONS = ['request', 'withdraw'] as const;
export type VisitRequestAction = (typeof VISIT_REQUEST_ACTIONS)[number];

export const VisitRequestItem = v.strictObject({
  type: v.literal('visit_request'),
  id: attemptId,
  seq: positiveInt,
  retireeId: positiveInt,
  action: v.picklist(VISIT_REQUEST_ACTIONS),
  deviceTime: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 48)),
});
export type VisitRequestItem = v.InferOutput<typeof VisitRequestItem>;

/**
 * What became of a request: stored (`requested`, the server time it opened), one was already open
 * for this retiree (`already_open`, since when: nothing new is stored), a withdrawal that closed the
 * open request (`withdrawn`), or one with nothing open to withdraw (`none_open`).
 */
export type VisitRequestResult =
  | { kind: 'visit_requested'; requestedAt: number }
  | { kind: 'visit_request_already_open'; requestedAt: number }
  | { kind: 'visit_request_withdrawn' }
  | { kind: 'visit_request_none_open' };

/** On a worker's roster entry: the retiree asked for a home visit, and when (the server's clock). */
export interface RosterVisitRequest {
  requestedAt: number;
}

// ---------------------------------------------------------------------------------------------
// Consent to the face check (issue 21, decision 085; what it is: decision 036): the choice made on
// the consent notice, by the retiree on their phone, by a family member for the retiree they help,
// or — the retiree's answer heard at the door — by the community worker holding the phone. Same
// push, same UUIDv7 id and per-device sequence as everything else, so a choice made without signal
// is sent later and stored once. The server records who sent it (recordedBy: self, family, worker).

export const ConsentItem = v.strictObject({
  type: v.literal('consent'),
  id: attemptId,
  seq: positiveInt,
  retireeId: positiveInt,
  choice: v.picklist(CONSENT_CHOICES, 'choice must be "face" or "alternative"'),
  /** Which text of the notice was shown or read out (CONSENT_NOTICE_VERSION). */
  noticeVersion: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)),
  /** The phone's clock when chosen: for the office's reading only. */
  deviceTime: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 48)),
});
export type ConsentItem = v.InferOutput<typeof ConsentItem>;

/**
 * What became of a consent choice: stored (`consent_recorded`, the server time it arrived). A replay
 * of the same id is answered `duplicate` with the same outcome and stores nothing.
 */
export type ConsentResult = { kind: 'consent_recorded'; receivedAt: number };
