// The yearly certification rules as one pure function, shared by the server (which decides) and the
// phone (which shows the same answer offline).
import { addDays, addYears, daysBetween, type LocalDate } from './dates.ts';

export const CERTIFICATION_METHODS = ['self', 'family', 'worker', 'on_site', 'home_visit'] as const;
export type CertificationMethod = (typeof CERTIFICATION_METHODS)[number];

/**
 * Off the rolls: the office approved a death or a move, or the pension stopped. Such a retiree is on
 * nobody's list of who is due; a check or visit still pushed for them is kept and goes to the office,
 * never certified (decision 090).
 */
export const OFF_ROLLS = ['deceased', 'moved', 'stopped'] as const;
export const isOnRolls = (enrolment: string): boolean => !(OFF_ROLLS as readonly string[]).includes(enrolment);

export const CERTIFICATION_STATUSES = ['approved', 'pending_review', 'rejected'] as const;

/**
 * What the phone promises a person whose check went to the office ("一般 5 个工作日内有结果"), and
 * what the office's queue counts against: an item not answered by then is marked late there. The
 * retiree catalogs say this number (web/i18n/review-promise.test.ts keeps them in step).
 */
export const REVIEW_ANSWER_WORKING_DAYS = 5;
export type CertificationRecordStatus = (typeof CERTIFICATION_STATUSES)[number];

export interface CertificationPeriod {
  id: number;
  year: number;
  /** Retirees certify themselves on their phones in this window. */
  selfStart: LocalDate;
  selfEnd: LocalDate;
  /** Community offices and home visits run in this window. */
  onsiteStart: LocalDate;
  onsiteEnd: LocalDate;
  /** Last day on which a certification is on time. */
  deadline: LocalDate;
  /** From this day the pension of an uncertified retiree is paused. */
  suspensionDate: LocalDate;
}

/** One year of a retiree's certifications as History shows it (GET /api/certifications). */
export interface YearCertification {
  year: number;
  status: CertificationRecordStatus;
  method: CertificationMethod;
  certifiedOn: LocalDate;
}

export interface CertificationRecord {
  periodId: number;
  status: CertificationRecordStatus;
  method: CertificationMethod;
  /** Local date of the certification, decided by the server clock. */
  certifiedOn: LocalDate;
}

export interface Phase {
  selfService: boolean;
  onSite: boolean;
}

export type CertificationState =
  | { state: 'not_open'; year: number | null; opensOn: LocalDate | null }
  | { state: 'open'; year: number; dueOn: LocalDate; daysLeft: number; phase: Phase }
  | { state: 'under_review'; year: number; method: CertificationMethod; submittedOn: LocalDate; dueOn: LocalDate }
  /** A passed check reached the server and waits for its face match (minutes at most): not yet certified. */
  | { state: 'verifying'; year: number; submittedOn: LocalDate; dueOn: LocalDate }
  | {
      state: 'certified';
      year: number;
      certifiedOn: LocalDate;
      method: CertificationMethod;
      validUntil: LocalDate;
      nextOpensOn: LocalDate | null;
    }
  | { state: 'overdue'; year: number; since: LocalDate; suspendsOn: LocalDate; phase: Phase }
  | { state: 'suspended'; year: number; since: LocalDate };

export interface RulesInput {
  periods: readonly CertificationPeriod[];
  certifications: readonly CertificationRecord[];
  today: LocalDate;
  /** First day the retiree drew a pension; a period whose deadline came earlier does not apply. */
  enrolledOn?: LocalDate | null;
  /** The day the latest passed check still waiting for its face match reached the server, if any. */
  verifyingSince?: LocalDate | null;
}

function byStart(a: CertificationPeriod, b: CertificationPeriod): number {
  return a.selfStart < b.selfStart ? -1 : a.selfStart > b.selfStart ? 1 : 0;
}

/** The period's first day, whichever window opens first: checks from this day on count for it. */
export function earliestStart(p: Pick<CertificationPeriod, 'selfStart' | 'onsiteStart'>): LocalDate {
  return p.onsiteStart < p.selfStart ? p.onsiteStart : p.selfStart;
}

/**
 * The period a given day belongs to: the latest one that has started. A late certification in
 * August therefore still counts for that year's cycle and lifts the suspension.
 */
export function periodFor(periods: readonly CertificationPeriod[], date: LocalDate): CertificationPeriod | null {
  let found: CertificationPeriod | null = null;
  for (const p of [...periods].sort(byStart)) if (earliestStart(p) <= date) found = p;
  return found;
}

function phaseOn(p: CertificationPeriod, today: LocalDate): Phase {
  return {
    selfService: p.selfStart <= today && today <= p.selfEnd,
    onSite: p.onsiteStart <= today && today <= p.onsiteEnd,
  };
}

export function certificationStatus({ periods, certifications, today, enrolledOn, verifyingSince }: RulesInput): CertificationState {
  const sorted = [...periods].sort(byStart);
  const current = periodFor(sorted, today);
  const next = sorted.find((p) => earliestStart(p) > today) ?? null;

  if (!current || (enrolledOn && enrolledOn > current.deadline)) {
    return { state: 'not_open', year: next?.year ?? null, opensOn: next ? earliestStart(next) : null };
  }

  const mine = certifications.filter((c) => c.periodId === current.id);
  const approved = mine.filter((c) => c.status === 'approved').sort((a, b) => (a.certifiedOn < b.certifiedOn ? -1 : 1))[0];
  if (approved) {
    const following = sorted.find((p) => p.selfStart > current.selfStart) ?? null;
    return {
      state: 'certified',
      year: current.year,
      certifiedOn: approved.certifiedOn,
      method: approved.method,
      validUntil: following ? following.deadline : addYears(current.deadline, 1),
      nextOpensOn: next ? earliestStart(next) : null,
    };
  }

  const pending = mine.find((c) => c.status === 'pending_review');
  if (pending) {
    return { state: 'under_review', year: current.year, method: pending.method, submittedOn: pending.certifiedOn, dueOn: current.deadline };
  }
  // Only a check made in this period counts: one still waiting from last year says nothing about now.
  if (verifyingSince && verifyingSince >= earliestStart(current)) {
    return { state: 'verifying', year: current.year, submittedOn: verifyingSince, dueOn: current.deadline };
  }
  if (today <= current.deadline) {
    return {
      state: 'open',
      year: current.year,
      dueOn: current.deadline,
      daysLeft: daysBetween(today, current.deadline),
      phase: phaseOn(current, today),
    };
  }
  if (today < current.suspensionDate) {
    return {
      state: 'overdue',
      year: current.year,
      since: addDays(current.deadline, 1),
      suspendsOn: current.suspensionDate,
      phase: phaseOn(current, today),
    };
  }
  return { state: 'suspended', year: current.year, since: current.suspensionDate };
}


export type PeriodField = 'year' | 'selfStart' | 'selfEnd' | 'onsiteStart' | 'onsiteEnd' | 'deadline' | 'suspensionDate';
export type PeriodIssueCode = 'self_window_reversed' | 'onsite_window_reversed' | 'window_after_deadline' | 'suspension_not_after_deadline' | 'year_mismatch';

/** One rule a period breaks, named by the field to correct, so a form can say it next to that field. */
export interface PeriodIssue {
  field: PeriodField;
  code: PeriodIssueCode;
  message: string;
}

/**
 * What is inconsistent in a period's dates. The year is the year it starts or the year of its
 * deadline: a window opening in December for the next year's cycle is allowed, a typo'd year is not.
 */
export function periodIssues(p: Omit<CertificationPeriod, 'id'>): PeriodIssue[] {
  const issues: PeriodIssue[] = [];
  const add = (field: PeriodField, code: PeriodIssueCode, message: string) => issues.push({ field, code, message });
  if (p.selfStart > p.selfEnd) add('selfEnd', 'self_window_reversed', 'self-service window ends before it starts');
  if (p.onsiteStart > p.onsiteEnd) add('onsiteEnd', 'onsite_window_reversed', 'on-site window ends before it starts');
  if (p.selfEnd > p.deadline) add('selfEnd', 'window_after_deadline', 'a window ends after the deadline');
  if (p.onsiteEnd > p.deadline) add('onsiteEnd', 'window_after_deadline', 'a window ends after the deadline');
  if (p.suspensionDate <= p.deadline) add('suspensionDate', 'suspension_not_after_deadline', 'suspension date must come after the deadline');
  const years = [earliestStart(p).slice(0, 4), p.deadline.slice(0, 4)];
  if (!years.includes(String(p.year))) add('year', 'year_mismatch', `the year ${p.year} is neither the year the period starts nor the year of its deadline`);
  return issues;
}

/** Problems with a period's dates, for the admin CLI and API; empty when the period is consistent. */
export function periodProblems(p: Omit<CertificationPeriod, 'id'>): string[] {
  return [...new Set(periodIssues(p).map((i) => i.message))];
}
