import type { Db } from '../db/sqlite.ts';

export type AuditEvent =
  | 'sign_in'
  | 'sign_in_failed'
  | 'lockout'
  | 'sign_out'
  | 'sign_out_everywhere'
  | 'activation_code_issued'
  | 'reactivation_code_issued'
  | 'reactivation_refused'
  | 'activated'
  | 'reactivated'
  | 'activation_failed'
  | 'pin_changed'
  | 'user_created'
  | 'user_disabled'
  | 'user_enabled'
  | 'password_reset'
  | 'role_changed'
  | 'worker_assigned'
  | 'worker_unassigned'
  | 'family_linked'
  // The office console ended a family member's link to a retiree (decision 059).
  | 'family_link_ended'
  // Family service (issue 19, decision 070): a family member signed up, asked to help a retiree,
  // the request was declined or taken back (an approval is 'family_linked', with `via`).
  | 'family_signed_up'
  | 'family_link_requested'
  | 'family_link_declined'
  | 'family_link_withdrawn'
  // Home-visit requests (issue 17, decision 078): asked after a failed check, withdrawn, or answered
  // by a worker's visit outcome or check.
  | 'visit_requested'
  | 'visit_request_withdrawn'
  | 'visit_request_closed'
  | 'period_set'
  // Year set-up in the office console (decision 058): an import applied (file hash and counts), a
  // batch of activation codes issued (how many, for whom; never the codes).
  | 'retirees_imported'
  | 'activation_codes_issued_batch'
  | 'review_approved'
  | 'review_rejected'
  | 'reference_added'
  | 'reference_removed'
  // Retention and erasure (decision 052): a retiree's biometric data erased (on request, or off the
  // rolls), and the daily deletion of evidence past its retention.
  | 'biometrics_erased'
  | 'evidence_expired'
  // A clerk opened a retiree's full record on the office's retiree page (decision 057).
  | 'retiree_viewed'
  // A clerk downloaded one of the office's lists as CSV or XLSX: which, how many rows (decision 056).
  | 'list_exported';

export interface AuditEntry {
  event: AuditEvent;
  userId?: number | null;
  subject?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
  /**
   * What the entry is about, when the subject alone does not say it all (an ended family link is
   * about a retiree AND an account); anything left out is derived from the subject (migration 013).
   */
  about?: { retireeId?: number; userId?: number; regionId?: number };
}

export async function audit(db: Db, at: number, entry: AuditEntry): Promise<void> {
  await db.run('INSERT INTO audit_log (at, event, user_id, subject, ip, details, retiree_id, subject_user_id, region_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    at,
    entry.event,
    entry.userId ?? null,
    entry.subject ?? null,
    entry.ip ?? null,
    entry.details ? JSON.stringify(entry.details) : null,
    entry.about?.retireeId ?? null,
    entry.about?.userId ?? null,
    entry.about?.regionId ?? null,
  ]);
}

/** How many `event` entries about `subject` were written since `since`. */
export async function countAuditEvents(db: Db, event: AuditEvent, subject: string, since: number): Promise<number> {
  const row = await db.get<{ n: number }>('SELECT count(*) AS n FROM audit_log WHERE event = ? AND subject = ? AND at >= ?', [event, subject, since]);
  return row?.n ?? 0;
}
