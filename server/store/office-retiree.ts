// One retiree's whole record for the office's retiree page (issue 16, decision 057). Each section is
// one indexed query on the retiree's id; the long ones (attempts, visits, the audit trail) are read a
// page at a time, newest first, from a `<time>:<key>` cursor. The office's scope is checked once, on
// the retiree's community, before anything else is read: a retiree of another region is "not found".
import type { CertificationMethod, CertificationRecordStatus } from '../../shared/certification-rules.ts';
import { localDateIn } from '../../shared/dates.ts';
import { ageOn, parseIdNumber } from '../../shared/id-number.ts';
import type { LivenessResult } from '../../shared/liveness.ts';
import type {
  AttemptEntry,
  CertificationEntry,
  ConsentEntry,
  Enrolment,
  FamilyLinkEntry,
  Page,
  Person,
  RetireeAccount,
  RetireeProfile,
  VisitEntry,
  WaitingItem,
} from '../../shared/schemas/office-retiree.ts';
import type { AuditEntryView } from '../../shared/schemas/office-audit.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import type { Db } from '../db/sqlite.ts';
import { notFound } from '../errors.ts';
import { audit } from './audit.ts';
import { auditEntries } from './audit-query.ts';
import type { Retiree } from './retirees.ts';

/** The retiree as the rest of the server knows it, and what only this page shows. */
export interface ScopedRetiree {
  retiree: Retiree;
  profile: RetireeProfile;
  timeZone: string;
  /** The retiree's own sign-in account, if any. */
  userId: number | null;
}

interface ProfileRow {
  id: number;
  id_number: string;
  name: string;
  pension_category: RetireeProfile['pensionCategory'];
  community_id: number;
  community_name: string;
  region_id: number;
  region_name: string;
  time_zone: string;
  address: string;
  phone: string | null;
  notes: string | null;
  enrolment: Enrolment;
  enrolled_on: string;
  updated_at: number;
  off_rolls_at: number | null;
  user_id: number | null;
}

const person = (id: number | null, name: string | null, role: string | null): Person | null =>
  id === null ? null : { id, name: name ?? '', role: (role ?? 'admin') as Person['role'] };

/**
 * The retiree if the office may see them (its region, or every region for an office without one);
 * 404 otherwise, the same answer as for an id that does not exist, so other regions cannot be probed.
 */
export async function scopedRetiree(db: Db, admin: SessionUser, id: number, now: number): Promise<ScopedRetiree> {
  const row = await db.get<ProfileRow>(
    `SELECT r.id, r.id_number, r.name, r.pension_category, r.community_id, c.name AS community_name, c.region_id, g.name AS region_name, g.time_zone,
            r.address, r.phone, r.notes, r.enrolment, r.enrolled_on, r.updated_at,
            (SELECT max(o.decided_at) FROM visit_outcomes o WHERE o.retiree_id = r.id AND o.review = 'approved' AND o.kind = r.enrolment) AS off_rolls_at,
            (SELECT u.id FROM users u WHERE u.retiree_id = r.id) AS user_id
       FROM retirees r JOIN communities c ON c.id = r.community_id JOIN regions g ON g.id = c.region_id
      WHERE r.id = ?1 AND (?2 IS NULL OR c.region_id = ?2)`,
    [id, admin.regionId],
  );
  if (!row) throw notFound('Retiree');
  const today = localDateIn(row.time_zone, now);
  const parsed = parseIdNumber(row.id_number, today);
  const birth = parsed.ok ? parsed.value : null;
  const profile: RetireeProfile = {
    id: row.id,
    name: row.name,
    idNumber: row.id_number,
    birthDate: birth?.birthDate ?? null,
    age: birth ? ageOn(birth.birthDate, today) : null,
    sex: birth?.sex ?? null,
    pensionCategory: row.pension_category,
    community: { id: row.community_id, name: row.community_name },
    region: { id: row.region_id, name: row.region_name },
    address: row.address,
    phone: row.phone,
    notes: row.notes,
    enrolledOn: row.enrolled_on,
    enrolment: row.enrolment,
    enrolmentSince: row.enrolment === 'active' ? { on: row.enrolled_on } : { at: row.off_rolls_at ?? row.updated_at },
  };
  const retiree: Retiree = {
    id: row.id,
    idNumber: row.id_number,
    name: row.name,
    pensionCategory: row.pension_category,
    communityId: row.community_id,
    communityName: row.community_name,
    regionId: row.region_id,
    address: row.address,
    phone: row.phone,
    enrolment: row.enrolment,
    enrolledOn: row.enrolled_on,
  };
  return { retiree, profile, timeZone: row.time_zone, userId: row.user_id };
}

export async function retireeAccount(db: Db, retireeId: number, userId: number | null): Promise<RetireeAccount> {
  const code = await db.get<{ issued_at: number; expires_at: number; used_at: number | null }>(
    'SELECT issued_at, expires_at, used_at FROM activation_codes WHERE retiree_id = ? ORDER BY issued_at DESC, id DESC LIMIT 1',
    [retireeId],
  );
  const activationCode = code ? { issuedAt: code.issued_at, expiresAt: code.expires_at, usedAt: code.used_at } : null;
  if (userId === null) return { exists: false, activated: false, disabled: false, lastSignInAt: null, lastDevice: null, activationCode };
  const [user, device] = await Promise.all([
    db.get<{ activated: number; disabled: number; last_sign_in: number | null }>(
      `SELECT password_hash IS NOT NULL AS activated, disabled,
              (SELECT max(l.at) FROM audit_log l WHERE l.user_id = u.id AND l.event IN ('sign_in', 'activated', 'reactivated')) AS last_sign_in
         FROM users u WHERE u.id = ?`,
      [userId],
    ),
    db.get<{ id: string; user_agent: string | null; last_seen_at: number }>('SELECT id, user_agent, last_seen_at FROM devices WHERE user_id = ? ORDER BY last_seen_at DESC LIMIT 1', [userId]),
  ]);
  return {
    exists: true,
    activated: user?.activated === 1,
    disabled: user?.disabled === 1,
    lastSignInAt: user?.last_sign_in ?? null,
    lastDevice: device ? { id: device.id, userAgent: device.user_agent, lastSeenAt: device.last_seen_at } : null,
    activationCode,
  };
}

/** What of this retiree waits in the office's review queue: reports not decided and checks in review, oldest first. */
export async function waitingItems(db: Db, retireeId: number): Promise<WaitingItem[]> {
  return db.all<WaitingItem>(
    `SELECT 'report' AS type, id, kind AS reason, received_at AS "receivedAt" FROM visit_outcomes WHERE retiree_id = ?1 AND review = 'pending'
     UNION ALL
     SELECT 'attempt', id, review_reason, received_at FROM attempts WHERE retiree_id = ?1 AND outcome = 'review' AND decision IS NULL AND review_reason IS NOT NULL
     ORDER BY "receivedAt", id`,
    [retireeId],
  );
}

export async function certificationHistory(db: Db, retireeId: number): Promise<CertificationEntry[]> {
  const rows = await db.all<{
    id: number;
    year: number;
    status: CertificationRecordStatus;
    method: CertificationMethod;
    certified_on: string;
    evidence_ref: string | null;
    recorded_by: number | null;
    recorded_name: string | null;
    recorded_role: string | null;
    decided_by: number | null;
    decided_name: string | null;
    decided_role: string | null;
    decided_at: number | null;
  }>(
    `SELECT ce.id, p.year, ce.status, ce.method, ce.certified_on, ce.evidence_ref,
            ce.recorded_by, ru.display_name AS recorded_name, ru.role AS recorded_role,
            ce.decided_by, du.display_name AS decided_name, du.role AS decided_role, ce.decided_at
       FROM certifications ce JOIN certification_periods p ON p.id = ce.period_id
       LEFT JOIN users ru ON ru.id = ce.recorded_by LEFT JOIN users du ON du.id = ce.decided_by
      WHERE ce.retiree_id = ? ORDER BY p.self_start DESC, ce.certified_at DESC, ce.id DESC`,
    [retireeId],
  );
  return rows.map((r) => ({
    id: r.id,
    year: r.year,
    status: r.status,
    method: r.method,
    certifiedOn: r.certified_on,
    evidenceRef: r.evidence_ref,
    recordedBy: person(r.recorded_by, r.recorded_name, r.recorded_role),
    decidedBy: person(r.decided_by, r.decided_name, r.decided_role),
    decidedAt: r.decided_at,
  }));
}

/** A `<number>:<key>` cursor; the largest possible when there is none (the first page). */
function cursorParts(before: string | undefined): [number, string] {
  if (!before) return [Number.MAX_SAFE_INTEGER, ''];
  const i = before.indexOf(':');
  return [Number(before.slice(0, i)), before.slice(i + 1)];
}

interface AttemptRow {
  rid: number;
  id: string;
  received_at: number;
  device_time: number;
  method: AttemptEntry['method'];
  user_id: number;
  user_name: string;
  user_role: string;
  device_id: string;
  user_agent: string | null;
  verdict: AttemptEntry['verdict'];
  outcome: AttemptEntry['outcome'];
  review_reason: AttemptEntry['reviewReason'];
  result: string;
  match_decision: AttemptEntry['match']['decision'];
  match_distance: number | null;
  matched_at: number | null;
  enrolment: AttemptEntry['enrolment'];
  blobs: string;
  decision: 'approved' | 'rejected' | null;
  decided_by: number | null;
  decided_name: string | null;
  decided_role: string | null;
  decided_at: number | null;
  decision_reason: string | null;
}

/** The steps and how a check ended, from the phone's result (numbers and codes only). */
function livenessOf(json: string): AttemptEntry['liveness'] {
  try {
    const r = JSON.parse(json) as Partial<LivenessResult>;
    return {
      reason: r.reason ?? null,
      durationMs: typeof r.durationMs === 'number' ? r.durationMs : null,
      steps: (r.steps ?? []).map((s) => ({ action: s.action, passed: s.passed, durationMs: s.durationMs })),
      restarts: r.restarts?.length ?? 0,
    };
  } catch {
    return { reason: null, durationMs: null, steps: [], restarts: 0 };
  }
}

/** Every attempt made for this retiree (by them, their family or a worker), newest first. */
export async function attemptsPage(db: Db, retireeId: number, before: string | undefined, limit: number): Promise<Page<AttemptEntry>> {
  // The cursor's key is the row's rowid: attempts are appended as they arrive (decision 048), and
  // (retiree_id, received_at) with the rowid is the index this reads in order.
  const [at, key] = cursorParts(before);
  const rid = before ? Number(key) || 0 : Number.MAX_SAFE_INTEGER;
  const [rows, count] = await Promise.all([
    db.all<AttemptRow>(
      `SELECT a.rowid AS rid, a.id, a.received_at, a.device_time, a.method, a.user_id, u.display_name AS user_name, u.role AS user_role,
              a.device_id, d.user_agent, a.verdict, a.outcome, a.review_reason, a.result, a.match_decision, a.match_distance, a.matched_at, a.enrolment,
              (SELECT ${db.dialect.jsonArrayAgg(db.dialect.jsonObject("'idx'", 'b.idx', "'kind'", 'b.kind', "'type'", 'b.type', "'bytes'", 'b.bytes', "'width'", 'b.width', "'height'", 'b.height', "'durationMs'", 'b.duration_ms'))}
                 FROM attempt_blobs b WHERE b.attempt_id = a.id) AS blobs,
              a.decision, a.decided_by, du.display_name AS decided_name, du.role AS decided_role, a.decided_at, a.decision_reason
         FROM attempts a JOIN users u ON u.id = a.user_id
         LEFT JOIN devices d ON d.id = a.device_id AND d.user_id = a.user_id
         LEFT JOIN users du ON du.id = a.decided_by
        WHERE a.retiree_id = ?1 AND (a.received_at, a.rowid) < (?2, ?3)
        ORDER BY a.received_at DESC, a.rowid DESC LIMIT ?4`,
      [retireeId, at, rid, limit + 1],
    ),
    db.get<{ n: number }>('SELECT count(*) AS n FROM attempts WHERE retiree_id = ?', [retireeId]),
  ]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      receivedAt: r.received_at,
      deviceTime: r.device_time,
      method: r.method,
      by: person(r.user_id, r.user_name, r.user_role)!,
      device: { id: r.device_id, userAgent: r.user_agent },
      verdict: r.verdict,
      outcome: r.outcome,
      reviewReason: r.review_reason,
      liveness: livenessOf(r.result),
      match: { decision: r.match_decision, distance: r.match_distance, at: r.matched_at },
      enrolment: r.enrolment,
      blobs: (JSON.parse(r.blobs) as AttemptEntry['blobs']).sort((a, b) => a.idx - b.idx),
      decision: r.decision ? { decision: r.decision, by: person(r.decided_by, r.decided_name, r.decided_role), at: r.decided_at, reason: r.decision_reason } : null,
    })),
    total: count?.n ?? 0,
    next: rows.length > limit && last ? `${last.received_at}:${last.rid}` : null,
  };
}

interface VisitRow {
  id: string;
  kind: VisitEntry['kind'];
  reason: VisitEntry['reason'];
  note: string;
  deceased_on: string | null;
  info_source: string | null;
  new_address: string | null;
  latitude: number | null;
  longitude: number | null;
  accuracy_m: number | null;
  signature: VisitEntry['signature'];
  user_id: number;
  user_name: string;
  user_role: string;
  device_time: number;
  received_at: number;
  photo_bytes: number | null;
  photo_width: number | null;
  photo_height: number | null;
  review: VisitEntry['review'];
  decided_by: number | null;
  decided_name: string | null;
  decided_role: string | null;
  decided_at: number | null;
  decision_reason: string | null;
}

/** What workers recorded at this retiree's door (not at home, a home visit, a death, a move), newest first. */
export async function visitsPage(db: Db, retireeId: number, before: string | undefined, limit: number): Promise<Page<VisitEntry>> {
  const [at, key] = cursorParts(before);
  // Past every UUID (they are lower-case hex), so the first page starts at the newest.
  const id = before ? key : '~';
  const [rows, count] = await Promise.all([
    db.all<VisitRow>(
      `SELECT o.id, o.kind, o.reason, o.note, o.deceased_on, o.info_source, o.new_address, o.latitude, o.longitude, o.accuracy_m, o.signature,
              o.user_id, u.display_name AS user_name, u.role AS user_role, o.device_time, o.received_at,
              CASE WHEN o.photo IS NULL THEN NULL ELSE o.photo_bytes END AS photo_bytes, o.photo_width, o.photo_height,
              o.review, o.decided_by, du.display_name AS decided_name, du.role AS decided_role, o.decided_at, o.decision_reason
         FROM visit_outcomes o JOIN users u ON u.id = o.user_id LEFT JOIN users du ON du.id = o.decided_by
        WHERE o.retiree_id = ?1 AND (o.received_at, o.id) < (?2, ?3)
        ORDER BY o.received_at DESC, o.id DESC LIMIT ?4`,
      [retireeId, at, id, limit + 1],
    ),
    db.get<{ n: number }>('SELECT count(*) AS n FROM visit_outcomes WHERE retiree_id = ?', [retireeId]),
  ]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      reason: r.reason,
      note: r.note,
      deceasedOn: r.deceased_on,
      infoSource: r.info_source,
      newAddress: r.new_address,
      location: r.latitude !== null && r.longitude !== null ? { lat: r.latitude, lon: r.longitude, accuracyM: r.accuracy_m } : null,
      signature: r.signature,
      worker: person(r.user_id, r.user_name, r.user_role)!,
      deviceTime: r.device_time,
      receivedAt: r.received_at,
      photo: r.photo_bytes ? { bytes: r.photo_bytes, width: r.photo_width, height: r.photo_height } : null,
      review: r.review,
      decidedBy: person(r.decided_by, r.decided_name, r.decided_role),
      decidedAt: r.decided_at,
      decisionReason: r.decision_reason,
    })),
    total: count?.n ?? 0,
    next: rows.length > limit && last ? `${last.received_at}:${last.id}` : null,
  };
}

export async function familyLinks(db: Db, retireeId: number): Promise<FamilyLinkEntry[]> {
  const rows = await db.all<{ user_id: number; display_name: string; role: string; username: string | null; disabled: number; relation: string; created_at: number }>(
    `SELECT f.user_id, u.display_name, u.role, u.username, u.disabled, f.relation, f.created_at
       FROM family_links f JOIN users u ON u.id = f.user_id WHERE f.retiree_id = ? ORDER BY f.created_at, f.user_id`,
    [retireeId],
  );
  return rows.map((r) => ({ user: { ...person(r.user_id, r.display_name, r.role)!, username: r.username, disabled: r.disabled === 1 }, relation: r.relation, since: r.created_at }));
}

/** How many consent choices the page lists (newest first); a retiree makes one, rarely a few. */
export const CONSENTS_SHOWN = 50;

export async function consentsOf(db: Db, retireeId: number): Promise<ConsentEntry[]> {
  const rows = await db.all<{ id: string; choice: ConsentEntry['choice']; notice_version: number; user_id: number; display_name: string; role: string; decided_at: number; received_at: number }>(
    `SELECT c.id, c.choice, c.notice_version, c.user_id, u.display_name, u.role, c.decided_at, c.received_at
       FROM consents c JOIN users u ON u.id = c.user_id WHERE c.retiree_id = ? ORDER BY c.received_at DESC, c.id DESC LIMIT ?`,
    [retireeId, CONSENTS_SHOWN],
  );
  return rows.map((r) => ({ id: r.id, choice: r.choice, noticeVersion: r.notice_version, by: person(r.user_id, r.display_name, r.role)!, decidedAt: r.decided_at, receivedAt: r.received_at }));
}

/**
 * The audit trail of this retiree, newest first: every entry about them, whichever way it names them
 * (`retiree:<id>`, `retiree:<ID number>` for sign-in tries on their account, or their own account's
 * sign-ins and PIN changes). What an entry is about is derived once, when it is written (migration
 * 013, `audit_log.retiree_id`); this reads the audit viewer's query with that one filter.
 */
export async function auditPage(db: Db, retireeId: number, before: string | undefined, limit: number): Promise<Page<AuditEntryView>> {
  const [at, key] = cursorParts(before);
  const [page, count] = await Promise.all([
    // Scoped by the retiree, whom the caller has checked is the office's.
    auditEntries(db, { regionId: null, retireeId, after: before ? { at, id: Number(key) || 0 } : undefined, limit }),
    db.get<{ n: number }>('SELECT count(*) AS n FROM audit_log WHERE retiree_id = ?', [retireeId]),
  ]);
  return { items: page.items, total: count?.n ?? 0, next: page.next };
}

/** How long one clerk's reading of one retiree's record counts as one view in the audit log. */
export const VIEW_AUDIT_WINDOW_MS = 60 * 60 * 1000;

/**
 * Records that `admin` read this retiree's full record, at most once per clerk and retiree per
 * window: the page and its further pages are read many times in a sitting, and the log should say
 * who looked at whom, not how often they scrolled. Answers whether an entry was written.
 */
export async function noteRetireeViewed(db: Db, admin: SessionUser, retireeId: number, at: number, ip: string | null): Promise<boolean> {
  const subject = `retiree:${retireeId}`;
  return db.transaction(async () => {
    const seen = await db.get("SELECT 1 FROM audit_log WHERE subject = ? AND event = 'retiree_viewed' AND user_id = ? AND at > ? LIMIT 1", [subject, admin.id, at - VIEW_AUDIT_WINDOW_MS]);
    if (seen) return false;
    await audit(db, at, { event: 'retiree_viewed', userId: admin.id, subject, ip });
    return true;
  });
}
