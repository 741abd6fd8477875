// The rows of the office's lists (issue 16, decision 056), read a page at a time so an export of a
// county's 200,000 retirees never holds more than one page: community by community (in name
// order), and within each by name, each page starting where the last one ended (keyset on
// name and id over retirees_list_by_community, migration 010). Which retirees are on a list is
// listDefinition's question to the rules, the same as the Lists screen's counts.
import type { CertificationMethod } from '../../shared/certification-rules.ts';
import type { LocalDate } from '../../shared/dates.ts';
import type { PensionCategory } from '../../shared/schemas/admin.ts';
import type { ExportList, ListStatus } from '../../shared/schemas/office-retirees.ts';
import type { Db } from '../db/sqlite.ts';
import { ageFromIdNumber, listFilter, listStatusOf, regionScope, suspendedFrom, type OfficeUser, type RegionScope } from './office-retirees.ts';
import { APPROVED_JOIN, bindUsed, factSwitch, stateOfFacts } from './retiree-facts.ts';

/** Rows per page read from the database (and written to the file) at a time. */
export const EXPORT_PAGE = 2000;

export interface ExportRow {
  retireeId: number;
  communityName: string;
  name: string;
  /** Whole; the writer masks it where the list calls for that. */
  idNumber: string;
  age: number | null;
  pensionCategory: PensionCategory;
  phone: string | null;
  address: string;
  status: ListStatus;
  method: CertificationMethod | null;
  /** The approved certification of the current period. */
  certifiedOn: LocalDate | null;
  /** The newest approved certification of any period: read for the not-yet-certified list only (the one that shows it). */
  lastCertifiedOn: LocalDate | null;
}

export interface ExportPlan {
  scope: RegionScope;
  list: ExportList;
  community: number | undefined;
  /** How many rows the list holds as the export starts (what the audit entry records). */
  count: number;
  /** The day pensions pause (or paused) for those not certified; null without a period. */
  pausedFrom: LocalDate | null;
}

/** Everything an export needs before its first row: the region, the list's size, the dates. */
export async function planExport(db: Db, admin: OfficeUser, list: ExportList, query: { region?: number; community?: number }, now: number): Promise<ExportPlan> {
  const scope = await regionScope(db, admin, query.region, now);
  const where = listFilter(scope, list, query.community, 'scan');
  const sql = `SELECT count(*) AS n FROM retirees r WHERE ${where.sql}`;
  const count = (await db.get<{ n: number }>(sql, bindUsed(sql, where.params)))?.n ?? 0;
  return { scope, list, community: query.community, count, pausedFrom: suspendedFrom(scope.facts) };
}

interface Row {
  id: number;
  state: string;
  name: string;
  id_number: string;
  pension_category: PensionCategory;
  phone: string | null;
  address: string;
  certified_on: LocalDate | null;
  last_certified_on: LocalDate | null;
}

/**
 * The list's rows, a page at a time, in community then name order. Each page is one statement
 * that seeks to where the last one ended; the facts are read per row (a page is too small for the
 * sets to pay), the approved certification joined once for the filter, the method and the day. Each
 * row's state comes from a `factSwitch` over its facts, so a row reads only the facts its state
 * depends on (a certified retiree's pending reviews are never looked up).
 */
export async function* exportPages(db: Db, plan: ExportPlan, pageSize = EXPORT_PAGE): AsyncGenerator<ExportRow[]> {
  const { scope } = plan;
  // The state of every fact combination as a code the row carries: "certified:family", "overdue"…
  const codes = new Map<string, { status: ListStatus; method: CertificationMethod | null }>();
  const stateCode = factSwitch((f) => {
    const state = stateOfFacts(f, scope.facts);
    const code = state.state === 'certified' ? `certified:${state.method}` : state.state;
    codes.set(code, { status: listStatusOf(state), method: state.state === 'certified' ? state.method : null });
    return code;
  }, 'joined');
  const communities = scope.context.communities.filter((c) => plan.community === undefined || c.id === plan.community);
  for (const community of communities) {
    const where = listFilter(scope, plan.list, community.id, 'joined');
    const sql = `SELECT r.id, r.name, r.id_number, r.pension_category, r.phone, r.address, ${stateCode} AS state, ap.certified_on AS certified_on,
       ${plan.list === 'not_certified' ? "(SELECT max(ce.certified_on) FROM certifications ce WHERE ce.retiree_id = r.id AND ce.status = 'approved')" : 'NULL'} AS last_certified_on
  FROM retirees r ${APPROVED_JOIN}
 WHERE ${where.sql} AND (r.name, r.id) > ($afterName, $afterId)
 ORDER BY r.name, r.id LIMIT $limit`;
    let after = { $afterName: '', $afterId: 0 };
    for (;;) {
      const rows = await db.all<Row>(sql, bindUsed(sql, { ...where.params, ...after, $limit: pageSize }));
      if (!rows.length) break;
      yield rows.map((r) => {
        const state = codes.get(r.state)!;
        return {
          retireeId: r.id,
          communityName: community.name,
          name: r.name,
          idNumber: r.id_number,
          age: ageFromIdNumber(r.id_number, scope.facts.today),
          pensionCategory: r.pension_category,
          phone: r.phone,
          address: r.address,
          status: state.status,
          method: state.method,
          certifiedOn: r.certified_on,
          lastCertifiedOn: r.last_certified_on,
        };
      });
      if (rows.length < pageSize) break;
      const last = rows.at(-1)!;
      after = { $afterName: last.name, $afterId: last.id };
    }
  }
}
