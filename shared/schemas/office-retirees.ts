// The office console's retiree list and its lists and exports (issue 16, decision 056): GET
// /api/office/retirees (a page of the office's retirees, filtered and sorted on the server), GET
// /api/office/lists (how many each list holds) and GET /api/office/exports/:list.csv|xlsx (the list
// as a file, streamed). Office (admin) only, scoped to the office's region; ID numbers are masked
// in the list.
import * as v from 'valibot';
import { answer, endpoint } from '../contract.ts';
import { CERTIFICATION_METHODS, type CertificationMethod } from '../certification-rules.ts';
import type { LocalDate } from '../dates.ts';
import { PENSION_CATEGORIES, type PensionCategory } from './admin.ts';

/**
 * A retiree's state as the list names it: the certification rules' states, with `open` called
 * "due" as on the overview.
 */
export const LIST_STATUSES = ['certified', 'under_review', 'verifying', 'due', 'overdue', 'suspended', 'not_open'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

/** A status filter: one state, or `expected`, everyone the current period applies to (every state but not_open). */
export const STATUS_FILTERS = [...LIST_STATUSES, 'expected'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** Age bands, in completed years on the region's today (the birth date is in the ID number). */
export const AGE_BANDS = ['under_60', '60_69', '70_79', '80_89', '90_plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** The youngest and oldest age of a band (null: no bound). */
export const AGE_BAND_RANGE: Record<AgeBand, [number | null, number | null]> = {
  under_60: [null, 59],
  '60_69': [60, 69],
  '70_79': [70, 79],
  '80_89': [80, 89],
  '90_plus': [90, null],
};

export const RETIREE_SORTS = ['name', 'community', 'status', 'last_certified', 'age'] as const;
export type RetireeSort = (typeof RETIREE_SORTS)[number];

const id = (what: string) => v.pipe(v.string(), v.regex(/^\d{1,9}$/, `${what} must be an id`), v.transform(Number));
const yes = v.pipe(v.picklist(['1', 'true'] as const, 'use 1 to filter'), v.transform(() => true as const));

/** Filters shared by the list and the lists' counts. */
const filters = {
  /** The region, for an office that covers several (an office of one region may name only its own). */
  region: v.optional(id('region')),
  community: v.optional(id('community')),
};

/** GET /api/office/retirees */
export const RetireeListQuery = v.strictObject({
  ...filters,
  status: v.optional(v.picklist(STATUS_FILTERS)),
  method: v.optional(v.picklist(CERTIFICATION_METHODS)),
  age: v.optional(v.picklist(AGE_BANDS)),
  category: v.optional(v.picklist(PENSION_CATEGORIES)),
  noReference: v.optional(yes),
  neverSignedIn: v.optional(yes),
  /** Only retirees with an open home-visit request (decision 078): the overview's count links here. */
  visitRequest: v.optional(yes),
  /** A name (or part of one), or ID digits: a whole number, or its last digits (X as its check character). */
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(40, 'search is at most 40 characters'))),
  sort: v.optional(v.picklist(RETIREE_SORTS), 'name'),
  dir: v.optional(v.picklist(['asc', 'desc'] as const), 'asc'),
  page: v.optional(v.pipe(v.string(), v.regex(/^\d{1,6}$/, 'page must be a whole number'), v.transform(Number), v.minValue(1)), '1'),
  size: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/, 'size must be a whole number'), v.transform(Number), v.minValue(10), v.maxValue(100)), '50'),
});
export type RetireeListQuery = v.InferOutput<typeof RetireeListQuery>;

export interface RegionRef {
  id: number;
  code: string;
  name: string;
}

export interface ListContext {
  region: RegionRef;
  /** Every region the office covers (one, unless the office account has none of its own). */
  regions: RegionRef[];
  communities: { id: number; name: string }[];
  /** Today in the region's time zone. */
  today: LocalDate;
  /** The period today belongs to; null before the first. */
  period: { year: number; deadline: LocalDate; suspensionDate: LocalDate } | null;
}

export interface RetireeListItem {
  id: number;
  name: string;
  /** Masked: the first four and the last four characters. */
  idNumber: string;
  communityId: number;
  communityName: string;
  /** Completed years on the region's today, from the birth date in the ID number. */
  age: number | null;
  pensionCategory: PensionCategory;
  status: ListStatus;
  /** How the retiree certified for the current period (when certified). */
  method: CertificationMethod | null;
  /** The newest approved certification of any period. */
  lastCertifiedOn: LocalDate | null;
  phone: string | null;
  /** An active reference face the face match can use. */
  hasReference: boolean;
  /** Has ever set a PIN (activation is the first sign-in; signing in needs the PIN). */
  signedIn: boolean;
}

/** GET /api/office/retirees */
export interface RetireeList extends ListContext {
  total: number;
  page: number;
  size: number;
  items: RetireeListItem[];
}

/**
 * The lists an office downloads (decision 056):
 *   not_certified    the period applies and nothing is certified or waiting: due, overdue or suspended (a phone or visit campaign);
 *   to_be_suspended  whom the rules would call suspended on the suspension date if nothing changed (due or overdue today);
 *   suspended        suspended today;
 *   certified        certified for the current period, with how and when;
 *   resumed          certified for the current period on or after its suspension date: paused, and resumed by that certification.
 */
export const EXPORT_LISTS = ['not_certified', 'to_be_suspended', 'suspended', 'certified', 'resumed'] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** GET /api/office/lists */
export const ListsQuery = v.strictObject(filters);
export type ListsQuery = v.InferOutput<typeof ListsQuery>;

/** GET /api/office/exports/:list.(csv|xlsx) */
export const ExportQuery = v.strictObject({
  ...filters,
  /** The language of the column headings and words in the file (the console's). */
  lang: v.optional(v.picklist(['zh-CN', 'en'] as const)),
});
export type ExportQuery = v.InferOutput<typeof ExportQuery>;

/** GET /api/office/lists */
export interface OfficeLists extends ListContext {
  lists: { list: ExportList; count: number }[];
}

// ---------------------------------------------------------------------------------------------
// The contracts (shared/contract.ts, decision 086). The exports (/api/office/exports/:file) are
// files, downloaded through a plain link.

export const RETIREES = {
  /** Query: RetireeListQuery. */
  list: endpoint({ method: 'GET', path: '/api/office/retirees', answer: answer<RetireeList>() }),
  /** Query: ListsQuery. */
  lists: endpoint({ method: 'GET', path: '/api/office/lists', answer: answer<OfficeLists>() }),
};
