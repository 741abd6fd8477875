// The office console's People screen (issue 16, decision 059): the accounts of the office's scope
// (office, worker and family accounts), creating worker and office accounts, worker assignments to
// communities, family links, disabling and new passwords. Office (admin) only.
import * as v from 'valibot';
import { answer, endpoint } from '../contract.ts';
import { NewRegion } from './admin.ts';
import { username } from './auth.ts';

export const PEOPLE_ROLES = ['admin', 'worker', 'family'] as const;
export type PeopleRole = (typeof PEOPLE_ROLES)[number];
export const PEOPLE_PAGE_SIZE = 25;

const page = v.optional(v.pipe(v.string(), v.regex(/^\d{1,6}$/, 'page must be a number'), v.transform(Number), v.minValue(1)), '1');
const search = v.optional(v.pipe(v.string(), v.trim(), v.maxLength(50, 'Search is too long')));

/** GET /api/office/people: name, username or phone contains `q`. */
export const PeopleQuery = v.object({
  q: search,
  role: v.optional(v.picklist(PEOPLE_ROLES, 'role must be admin, worker or family')),
  disabled: v.optional(v.picklist(['yes', 'no'] as const, 'disabled must be yes or no')),
  page,
});
export type PeopleQuery = v.InferOutput<typeof PeopleQuery>;

export interface PersonCommunity {
  id: number;
  name: string;
  regionCode: string;
}

export interface Person {
  id: number;
  role: PeopleRole;
  displayName: string;
  username: string;
  phone: string | null;
  /** An office account's region; a worker created in the console belongs to its creator's region. */
  region: { code: string; name: string } | null;
  /** Workers: the communities they cover. */
  communities: PersonCommunity[];
  /** Family members: how many retirees they are linked to. */
  links: number;
  /** From the audit log's sign_in entries; null if never signed in (or before it was recorded). */
  lastSignInAt: number | null;
  disabled: boolean;
  /** The signed-in clerk's own account: it cannot be disabled from here. */
  self: boolean;
}

/** GET /api/office/people */
export interface PeoplePage {
  items: Person[];
  total: number;
  page: number;
  pageSize: number;
}

/** GET /api/office/people/options: what the forms choose from. */
export interface PeopleOptions {
  communities: PersonCommunity[];
  /** Regions an office account may be created in: the clerk's own, or every region for an office without one. */
  regions: { code: string; name: string }[];
}

const name = v.pipe(v.string('Name is required'), v.trim(), v.minLength(1, 'Name is required'), v.maxLength(100, 'Name is too long'));
const phone = v.pipe(v.string(), v.trim(), v.regex(/^[0-9+\- ]{3,20}$/, 'Phone: digits, spaces, + or -'));

/** POST /api/office/people: the server makes the first password and shows it once. */
export const NewPerson = v.strictObject({
  role: v.picklist(['worker', 'admin'] as const, 'role must be worker or admin'),
  username,
  displayName: name,
  phone: v.optional(v.union([v.literal(''), phone]), ''),
  /** An office without a region names the region of a new account; any other office's own region is used. */
  regionCode: v.optional(NewRegion.entries.code),
});
export type NewPerson = v.InferOutput<typeof NewPerson>;

/** POST /api/office/people (201) and POST /api/office/people/:id/password: the password, shown once. */
export interface PersonWithPassword {
  person: Person;
  password: string;
}

/** POST /api/office/people/:id/assignments */
export const NewAssignment = v.strictObject({ communityId: v.pipe(v.number('communityId must be a number'), v.integer(), v.minValue(1)) });

/** GET /api/office/people/links */
export const LinksQuery = v.object({ q: search, page });
export type LinksQuery = v.InferOutput<typeof LinksQuery>;

export interface FamilyLink {
  userId: number;
  displayName: string;
  username: string;
  retiree: { id: number; name: string; idNumber: string; community: string };
  relation: string;
  since: number;
}

export interface LinksPage {
  items: FamilyLink[];
  total: number;
  page: number;
  pageSize: number;
}

// ---------------------------------------------------------------------------------------------
// The contracts (shared/contract.ts, decision 086).

export const PEOPLE = {
  /** Query: PeopleQuery. */
  page: endpoint({ method: 'GET', path: '/api/office/people', answer: answer<PeoplePage>() }),
  options: endpoint({ method: 'GET', path: '/api/office/people/options', answer: answer<PeopleOptions>() }),
  create: endpoint({ method: 'POST', path: '/api/office/people', body: NewPerson, answer: answer<PersonWithPassword>() }),
  assign: endpoint({ method: 'POST', path: '/api/office/people/:id/assignments', body: NewAssignment, answer: answer<Person>() }),
  unassign: endpoint({ method: 'DELETE', path: '/api/office/people/:id/assignments/:community', answer: answer<Person>() }),
  disable: endpoint({ method: 'POST', path: '/api/office/people/:id/disable', answer: answer<Person>() }),
  enable: endpoint({ method: 'POST', path: '/api/office/people/:id/enable', answer: answer<Person>() }),
  resetPassword: endpoint({ method: 'POST', path: '/api/office/people/:id/password', answer: answer<PersonWithPassword>() }),
  /** Query: LinksQuery. */
  links: endpoint({ method: 'GET', path: '/api/office/people/links', answer: answer<LinksPage>() }),
  endLink: endpoint({ method: 'DELETE', path: '/api/office/people/links/:user/:retiree', answer: answer<FamilyLink>() }),
};
