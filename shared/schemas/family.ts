// Family service (issue 19): sign-up, link requests, decisions. Shared by the server's routes and
// the phone's screens so both validate alike (decision 070).
import * as v from 'valibot';
import { answer, endpoint, type Ok } from '../contract.ts';
import { idNumber, newPassword, username, type Me } from './auth.ts';

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

// ---------------------------------------------------------------------------------------------
// The contracts (shared/contract.ts, decision 086).

/** A pending request as the office sees it: whose, about whom (ID number masked), in which community. */
export interface OfficeLinkRequest extends IncomingLinkRequest {
  retireeName: string;
  idNumber: string;
  communityName: string;
}

export const FAMILY = {
  /** Answers as a sign-in does: the new account is signed in on this phone. */
  signUp: endpoint({ method: 'POST', path: '/api/family/sign-up', body: FamilySignUp, answer: answer<Me>() }),
  /** What a pull carries about family links, for the signed-in retiree, family member or worker. */
  links: endpoint({ method: 'GET', path: '/api/family/links', answer: answer<LinkSync>() }),
  /** The same answer whether or not the ID number and name are somebody's (decision 070). */
  request: endpoint({ method: 'POST', path: '/api/family/requests', body: NewLinkRequest, answer: answer<{ request: Omit<MyLinkRequest, 'decidedAt' | 'retireeId'> }>() }),
  /** A family member's own requests (the path's answer for the family role). */
  myRequests: endpoint({ method: 'GET', path: '/api/family/requests', answer: answer<{ requests: MyLinkRequest[] }>() }),
  /** The office's requests to decide, in its region (the same path's answer for the office). */
  officeRequests: endpoint({ method: 'GET', path: '/api/family/requests', answer: answer<{ requests: OfficeLinkRequest[] }>() }),
  decide: endpoint({ method: 'POST', path: '/api/family/requests/:id/decision', body: LinkDecision, answer: answer<{ state: 'approved' | 'declined' }>() }),
  withdraw: endpoint({ method: 'DELETE', path: '/api/family/requests/:id', answer: answer<Ok>() }),
  /** The family member stops helping a retiree. */
  endLink: endpoint({ method: 'DELETE', path: '/api/family/links/:retireeId', answer: answer<Ok>() }),
  /** The retiree stops a family member helping them. */
  endHelper: endpoint({ method: 'DELETE', path: '/api/family/helpers/:familyUserId', answer: answer<Ok>() }),
};
