// What the phone accepts from POST /api/sync/pull before a byte of it is written into IndexedDB.
// An installed app talks to a newer server for days (it updates when the person taps "update"):
// the answer carries the wire format's version, and an answer of another version, or one that is
// not shaped as this version says, is refused whole and nothing is written. Unknown extra fields
// in a known version pass (a newer server may add optional ones without a new version).
import * as v from 'valibot';
import type { PullResponse } from './sync.ts';

/** The pull answer's format. Bump it for any change an older phone would misread, never for an added optional field. */
export const SYNC_WIRE_VERSION = 1;

const int = v.pipe(v.number(), v.integer());
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const date = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/));

const CertificationStateShape = v.looseObject({
  state: v.picklist(['not_open', 'open', 'under_review', 'verifying', 'certified', 'overdue', 'suspended']),
  year: v.nullable(int),
});

const RosterEntryShape = v.looseObject({
  id: int,
  name: v.string(),
  communityName: v.string(),
  idNumber: v.string(),
  today: date,
  status: CertificationStateShape,
  officePhone: v.nullable(v.string()),
});

const ChallengeGrantShape = v.looseObject({ id, token: v.string(), seed: v.number(), issuedAt: v.number(), expiresAt: v.number() });

const OutcomeShape = v.looseObject({ kind: v.picklist(['verifying', 'certified', 'already_certified', 'not_passed', 'review']) });

const PullResponseShape = v.looseObject({
  // An answer from before the format had a version is version 1.
  v: v.optional(v.number(), 1),
  cursor: v.string(),
  full: v.boolean(),
  retirees: v.array(RosterEntryShape),
  removed: v.array(int),
  challenges: v.array(ChallengeGrantShape),
  attempts: v.optional(v.array(v.looseObject({ id, outcome: OutcomeShape })), []),
  lastSeq: v.pipe(int, v.minValue(0)),
  serverTime: v.number(),
  signatureKey: v.optional(v.looseObject({ kid: v.string(), spki: v.string() })),
  links: v.optional(v.looseObject({ incoming: v.array(v.unknown()), helpers: v.array(v.unknown()), mine: v.array(v.unknown()) })),
});

export type PullCheck = { ok: true; value: PullResponse } | { ok: false; problem: string };

export function readPullResponse(body: unknown): PullCheck {
  const r = v.safeParse(PullResponseShape, body);
  if (!r.success) {
    const first = r.issues[0];
    return { ok: false, problem: `pull answer not understood at ${v.getDotPath(first) ?? '(top)'}: ${first.message}` };
  }
  if (r.output.v !== SYNC_WIRE_VERSION) return { ok: false, problem: `pull answer in format ${r.output.v}; this app reads format ${SYNC_WIRE_VERSION}` };
  // Checked above as far as the phone relies on it; the rest of each entry is kept as it came.
  return { ok: true, value: r.output as unknown as PullResponse };
}
