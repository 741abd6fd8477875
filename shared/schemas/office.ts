// The office console's API (issue 16): the overview of a certification year and the one review
// queue of everything waiting for the office. Office (admin) only, scoped to the office's regions.
import * as v from 'valibot';
import { answer, endpoint } from '../contract.ts';
import type { CertificationMethod, CertificationPeriod, CertificationState } from '../certification-rules.ts';
import type { LocalDate } from '../dates.ts';
import { REVIEW_REASONS, type ReviewReason } from '../sync.ts';
import { REVIEW_KINDS, ReviewDecision, type ReviewItem } from './worker.ts';

/** Per-status counts of the retirees on the rolls (alive, not moved away, pension not stopped). */
export interface StatusCounts {
  /** Everyone on the rolls, whatever their state. */
  retirees: number;
  /** Certified for the current period, by how. */
  certified: Record<CertificationMethod, number>;
  certifiedTotal: number;
  /** Under review: a home visit or a doubtful check waits for the office. */
  underReview: number;
  /** A passed check waits for the server's face match (minutes at most). */
  verifying: number;
  /** Not certified yet and still in time, overdue (after the deadline), suspended (after the suspension date). */
  due: number;
  overdue: number;
  suspended: number;
  /** No period applies to them yet (none has started, or they began drawing a pension after its deadline). */
  notOpen: number;
  /** Reports and checks in the office's review queue (pending decisions). */
  queue: number;
  /** Open home-visit requests: retirees who asked their community worker to come (decision 078), not yet answered. */
  visitRequests: number;
}

export interface CommunityOverview extends StatusCounts {
  id: number;
  name: string;
}

export interface RegionOverview {
  region: { id: number; code: string; name: string };
  /** Today in the region's time zone. */
  today: LocalDate;
  /** The period today belongs to (certification-rules' periodFor); null before the first one. */
  period: Omit<CertificationPeriod, 'id'> | null;
  /** What the rules say of someone who has not certified: open (due by…), overdue, suspended or not open. */
  uncertified: CertificationState;
  totals: StatusCounts;
  communities: CommunityOverview[];
  /** Approved certifications of the current period per day, from its first day to today (or its deadline, whichever is later). */
  daily: { on: LocalDate; certified: number }[];
}

/** GET /api/office/overview */
export interface OfficeOverview {
  regions: RegionOverview[];
}

/** Why an item waits for the office: a visit report's kind, or the review reason of a check. */
export const QUEUE_REASONS = [...REVIEW_KINDS, ...REVIEW_REASONS] as const;
export type QueueReason = (typeof QUEUE_REASONS)[number];

const cursor = v.pipe(v.string(), v.regex(/^\d{1,15}:[0-9a-f-]{36}$/, 'after must be "<receivedAt>:<id>"'));

/** GET /api/office/queue: oldest first; `after` is the last item's cursor for the next page. */
export const QueueQuery = v.strictObject({
  reason: v.optional(v.picklist(QUEUE_REASONS)),
  community: v.optional(v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'community must be an id'), v.transform(Number))),
  after: v.optional(cursor),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'limit must be a whole number'), v.transform(Number), v.minValue(1), v.maxValue(200)), '50'),
});
export type QueueQuery = v.InferOutput<typeof QueueQuery>;

/** A queue item as the store reads it; the route adds the answer-by promise (QueueItem). */
export interface StoredQueueItem {
  /** A home-visit report (/api/reviews/:id) or a check (/api/identity/reviews/:id). */
  type: 'report' | 'attempt';
  id: string;
  reason: QueueReason;
  retiree: { id: number; name: string; idNumber: string; communityId: number; communityName: string };
  /** Who recorded it: the worker of a report, whoever made the check. */
  by: { id: number; name: string; role: string };
  receivedAt: number;
  /** Pass as `after` to read on from this item. */
  cursor: string;
}

export interface QueueItem extends StoredQueueItem {
  /** The day the person was told to expect an answer by (REVIEW_ANSWER_WORKING_DAYS after it came), and whether that has passed. */
  answerBy: string;
  late: boolean;
}

export interface OfficeQueue {
  items: QueueItem[];
  /** Whether more items follow the last one (with the same filters). */
  more: boolean;
  /** Everything waiting in the office's regions, by reason and by community, whatever the filters. */
  byReason: Partial<Record<QueueReason, number>>;
  byCommunity: { id: number; name: string; waiting: number }[];
  /** The face match's thresholds, so the distance can be said in words. */
  thresholds: { match: number; mismatch: number };
}

export type { ReviewReason };

// ---------------------------------------------------------------------------------------------
// The contracts (shared/contract.ts, decision 086): the overview, the one review queue, and the
// home-visit reports it decides (/api/reviews; a report's photo is a plain link).

export const OFFICE = {
  overview: endpoint({ method: 'GET', path: '/api/office/overview', answer: answer<OfficeOverview>() }),
  /** Query: QueueQuery. */
  queue: endpoint({ method: 'GET', path: '/api/office/queue', answer: answer<OfficeQueue>() }),
  /** Query: ReviewFilter. */
  reports: endpoint({ method: 'GET', path: '/api/reviews', answer: answer<{ reports: ReviewItem[] }>() }),
  report: endpoint({ method: 'GET', path: '/api/reviews/:id', answer: answer<ReviewItem>() }),
  decideReport: endpoint({ method: 'POST', path: '/api/reviews/:id/decision', body: ReviewDecision, answer: answer<ReviewItem>() }),
};
