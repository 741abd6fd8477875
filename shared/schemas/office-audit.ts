// The office console's audit log viewer (issue 16, decision 059): filters who, what, when and which
// retiree, newest first, paged by a keyset cursor. Office (admin) only, scoped to the office's region.
import * as v from 'valibot';
import { answer, endpoint } from '../contract.ts';
import { isValidDate } from '../dates.ts';

/** Every event the server writes (server/store/audit.ts's AuditEvent; a test keeps them equal). */
export const AUDIT_EVENTS = [
  'sign_in', 'sign_in_failed', 'lockout', 'sign_out', 'sign_out_everywhere',
  'activation_code_issued', 'reactivation_code_issued', 'reactivation_refused', 'activated', 'reactivated', 'activation_failed', 'pin_changed',
  'user_created', 'user_disabled', 'user_enabled', 'password_reset', 'role_changed',
  'worker_assigned', 'worker_unassigned', 'family_linked', 'family_link_ended',
  'family_signed_up', 'family_link_requested', 'family_link_declined', 'family_link_withdrawn',
  'visit_requested', 'visit_request_withdrawn', 'visit_request_closed',
  'period_set', 'review_approved', 'review_rejected', 'reference_added', 'reference_removed',
  'biometrics_erased', 'evidence_expired',
  'retirees_imported', 'activation_codes_issued_batch', 'retiree_viewed', 'list_exported',
] as const;
export type AuditEventName = (typeof AUDIT_EVENTS)[number];
export const AUDIT_PAGE_SIZE = 50;

const date = (name: string) => v.optional(v.pipe(v.string(), v.trim(), v.check(isValidDate, `${name} must be a date as YYYY-MM-DD`)));

/**
 * GET /api/office/audit. `user`: an account id or username (what it did or what was done to it);
 * `retiree`: a retiree id or an ID number; `from`/`to`: days in the region's time zone, both
 * included; `event`: any string (an event this server no longer writes still finds old entries);
 * `after`: the last entry's cursor.
 */
export const AuditQuery = v.object({
  user: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(64, 'user is too long'))),
  event: v.optional(v.pipe(v.string(), v.regex(/^[a-z_]{1,40}$/, 'event must be an event name'))),
  retiree: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^(\d{1,15}|\d{17}[\dXx])$/, 'retiree must be a retiree id or an ID number'))),
  from: date('from'),
  to: date('to'),
  after: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}:\d{1,15}$/, 'after must be "<at>:<id>"'))),
});
export type AuditQuery = v.InferOutput<typeof AuditQuery>;

export interface AuditEntryView {
  id: number;
  at: number;
  event: string;
  /** Who did it (the account the entry names; for the admin CLI's entries, the account acted on). */
  actor: { id: number; username: string | null; displayName: string; role: string } | null;
  /** The subject as written, ID numbers masked. */
  subject: string | null;
  retiree: { id: number; name: string; idNumber: string } | null;
  subjectUser: { id: number; username: string | null; displayName: string } | null;
  ip: string | null;
  /** The details as written (JSON), never a secret (a server test checks every event's details). */
  details: Record<string, unknown> | null;
  cursor: string;
}

export interface AuditPage {
  items: AuditEntryView[];
  /** The next page's `after`, or null at the end. */
  next: string | null;
  /** The filters as the server understood them: `user` and `retiree` resolved, or null when they name nothing. */
  resolved: {
    user: { id: number; username: string | null; displayName: string } | null;
    retiree: { id: number; name: string; idNumber: string } | null;
    timeZone: string;
  };
}

// ---------------------------------------------------------------------------------------------
// The contract (shared/contract.ts, decision 086).

export const AUDIT = {
  /** Query: AuditQuery. */
  page: endpoint({ method: 'GET', path: '/api/office/audit', answer: answer<AuditPage>() }),
};
