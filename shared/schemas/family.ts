// Family service (issue 19): sign-up, link requests, decisions. Shared by the server's routes and
// the phone's screens so both validate alike (decision 070).
import * as v from 'valibot';
import { idNumber, newPassword, username } from './auth.ts';

export const RELATIONS = ['son', 'daughter', 'spouse', 'grandchild', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

/** A name as people write it: letters (Han or Latin), middle dots and single spaces. */
export const personName = v.pipe(
  v.string('Name must be text'),
  v.trim(),
  v.minLength(2, 'Name: at least 2 characters'),
  v.maxLength(40, 'Name: at most 40 characters'),
  v.regex(/^[\p{L}·•. ]+$/u, 'Name: letters only'),
);
/** A mainland mobile number (11 digits, 1…) or a landline with its area code; spaces and dashes are dropped. */
export const phoneNumber = v.pipe(
  v.string('Phone must be text'),
  v.transform((s) => s.replace(/[\s-]/g, '')),
  v.regex(/^(1\d{10}|0\d{9,11})$/, 'Phone: an 11-digit mobile number or a landline with its area code'),
);

export const FamilySignUp = v.strictObject({
  displayName: personName,
  phone: phoneNumber,
  username,
  password: newPassword,
  deviceId: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/))),
});
export type FamilySignUp = v.InferOutput<typeof FamilySignUp>;

export const NewLinkRequest = v.strictObject({
  idNumber,
  name: personName,
  relation: v.picklist(RELATIONS),
});
export type NewLinkRequest = v.InferOutput<typeof NewLinkRequest>;

export const LinkDecision = v.strictObject({ decision: v.picklist(['approve', 'decline']) });

/** How names are compared on approval: the same letters, whatever the spaces, dots and case. */
export const nameKey = (name: string) => name.normalize('NFKC').replace(/[\s·•.]/g, '').toLowerCase();

/** A request as its family member sees it: what they typed, never anything of the retiree. */
export interface MyLinkRequest {
  id: number;
  /** As typed. */
  name: string;
  relation: Relation;
  /** pending: waiting; approved: linked now; ended: was linked; declined, withdrawn, expired: never linked. */
  state: 'pending' | 'approved' | 'ended' | 'declined' | 'withdrawn' | 'expired';
  requestedAt: number;
  decidedAt: number | null;
  /** Only once approved: the retiree it links to. */
  retireeId: number | null;
}

/** A pending request as the retiree, a worker or the office sees it. */
export interface IncomingLinkRequest {
  id: number;
  retireeId: number;
  familyUserId: number;
  familyName: string;
  /** Workers and the office: so they can call before approving. */
  familyPhone?: string | null;
  relation: Relation;
  requestedAt: number;
}

/** A family member who may help the retiree now (the retiree's Settings). */
export interface Helper {
  familyUserId: number;
  name: string;
  relation: Relation | string;
  since: number;
}

/** What a pull carries about family links, by role (shared/sync.ts PullResponse.links). */
export interface LinkSync {
  /** Retiree: requests to approve. Worker: pending requests for the roster. */
  incoming: IncomingLinkRequest[];
  /** Retiree: who can help now. */
  helpers: Helper[];
  /** Family: their own requests. */
  mine: MyLinkRequest[];
}
