// The Retirees list's filters as they live in the URL (#/retirees?status=due&community=3&page=2):
// read from the hash (anything unknown or malformed is dropped, so a hand-edited link never makes
// the server answer 400), written back as a link, and turned into the API's query.
import { CERTIFICATION_METHODS, type CertificationMethod } from '../../shared/certification-rules.ts';
import { PENSION_CATEGORIES, type PensionCategory } from '../../shared/schemas/admin.ts';
import { AGE_BANDS, RETIREE_SORTS, STATUS_FILTERS, type AgeBand, type RetireeSort, type StatusFilter } from '../../shared/schemas/office-retirees.ts';
import { officeHref } from './route.ts';

export interface ListFilters {
  region: number | null;
  status: StatusFilter | null;
  method: CertificationMethod | null;
  community: number | null;
  age: AgeBand | null;
  category: PensionCategory | null;
  noReference: boolean;
  neverSignedIn: boolean;
  /** Only those with an open home-visit request. */
  visitRequest: boolean;
  q: string;
  sort: RetireeSort;
  dir: 'asc' | 'desc';
  page: number;
}

const pick = <T extends string>(allowed: readonly T[], value: string | null): T | null => (value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null);
const id = (value: string | null): number | null => (value && /^\d{1,9}$/.test(value) ? Number(value) : null);
const yes = (value: string | null) => value === '1' || value === 'true';

export function filtersFrom(params: URLSearchParams): ListFilters {
  const page = Number(params.get('page'));
  return {
    region: id(params.get('region')),
    status: pick(STATUS_FILTERS, params.get('status')),
    method: pick(CERTIFICATION_METHODS, params.get('method')),
    community: id(params.get('community')),
    age: pick(AGE_BANDS, params.get('age')),
    category: pick(PENSION_CATEGORIES, params.get('category')),
    noReference: yes(params.get('noReference')),
    neverSignedIn: yes(params.get('neverSignedIn')),
    visitRequest: yes(params.get('visitRequest')),
    q: (params.get('q') ?? '').slice(0, 40),
    sort: pick(RETIREE_SORTS, params.get('sort')) ?? 'name',
    dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
    page: Number.isSafeInteger(page) && page >= 1 && page <= 999_999 ? page : 1,
  };
}

/** The parameters that differ from "everyone, by name, first page", for a link or the API. */
function params(f: ListFilters): Record<string, string | number | boolean | null> {
  return {
    region: f.region,
    status: f.status,
    method: f.method,
    community: f.community,
    age: f.age,
    category: f.category,
    noReference: f.noReference ? 1 : null,
    neverSignedIn: f.neverSignedIn ? 1 : null,
    visitRequest: f.visitRequest ? 1 : null,
    q: f.q.trim() || null,
    sort: f.sort === 'name' ? null : f.sort,
    dir: f.dir === 'asc' ? null : f.dir,
    page: f.page === 1 ? null : f.page,
  };
}

/** The list's link with these filters. */
export const listHref = (f: ListFilters): string => officeHref('retirees', params(f));

/** The query of GET /api/office/retirees for these filters. */
export function apiQuery(f: ListFilters, size: number): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params(f))) if (v !== null) q.set(k, String(v));
  q.set('size', String(size));
  return q.toString();
}

export const NO_FILTERS: ListFilters = filtersFrom(new URLSearchParams());

/** Whether any filter (not the order or the page) is set. */
export function filtered(f: ListFilters): boolean {
  return !!(f.status || f.method || f.community !== null || f.age || f.category || f.noReference || f.neverSignedIn || f.visitRequest || f.q.trim());
}
