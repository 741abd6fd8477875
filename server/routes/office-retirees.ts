// The office console's retiree list, lists and exports (issue 16, decision 056), mounted under
// /api/office:
//   GET /retirees              a page of the office's retirees, filtered and sorted on the server, ID numbers masked
//   GET /lists                 how many retirees each list holds
//   GET /exports/:list.csv     a list as CSV (UTF-8 with BOM) or XLSX, streamed from the database
//   GET /exports/:list.xlsx
// Office (admin) only; everything is scoped to the office's region in the store's SQL. An export is
// personal data leaving the system: each one is audited (who, which list, how many rows) before its
// first byte, and one that a browser says was asked for by another site is refused.
import { Hono, type Context } from 'hono';
import { EXPORT_FORMATS, EXPORT_LISTS, ExportQuery, ListsQuery, RETIREES, RetireeListQuery, type ExportFormat, type ExportList } from '../../shared/schemas/office-retirees.ts';
import type { AppEnv } from '../context.ts';
import { reply } from '../http/reply.ts';
import { forbidden, notFound } from '../errors.ts';
import { validate } from '../http/json.ts';
import { csvStream, readAhead, xlsxStream, type Cell, type TableColumn } from '../http/table-export.ts';
import { requireUser } from '../middleware/session.ts';
import { audit } from '../store/audit.ts';
import { exportPages, planExport, type ExportPlan, type ExportRow } from '../store/office-exports.ts';
import { officeLists, officeRetirees } from '../store/office-retirees.ts';
import { maskIdNumber } from './me.ts';
import { EXPORT_TEXT, exportLang, type ColumnKey, type ExportLang, type ExportText } from './office-export-text.ts';

interface Column {
  key: ColumnKey;
  width: number;
  text?: boolean;
  value: (row: ExportRow, plan: ExportPlan, text: ExportText) => Cell;
}

const COLUMNS: Record<ColumnKey, Column> = {
  community: { key: 'community', width: 18, value: (r) => r.communityName },
  name: { key: 'name', width: 12, value: (r) => r.name },
  idNumber: { key: 'idNumber', width: 22, text: true, value: (r) => r.idNumber },
  age: { key: 'age', width: 6, value: (r) => r.age },
  category: { key: 'category', width: 22, value: (r, _p, t) => t.category[r.pensionCategory] },
  phone: { key: 'phone', width: 16, text: true, value: (r) => r.phone },
  address: { key: 'address', width: 32, value: (r) => r.address },
  status: { key: 'status', width: 12, value: (r, _p, t) => t.status[r.status] },
  method: { key: 'method', width: 16, value: (r, _p, t) => (r.method ? t.method[r.method] : null) },
  certifiedOn: { key: 'certifiedOn', width: 12, value: (r) => r.certifiedOn },
  lastCertifiedOn: { key: 'lastCertifiedOn', width: 12, value: (r) => r.lastCertifiedOn },
  suspendsOn: { key: 'suspendsOn', width: 14, value: (_r, p) => p.pausedFrom },
  suspendedSince: { key: 'suspendedSince', width: 14, value: (_r, p) => p.pausedFrom },
};

/**
 * Each list's columns. The campaign list (phone calls and visits, handed to community workers)
 * shows the ID number masked, enough to confirm who answers; the lists a payment is paused or
 * resumed on carry it whole, as the pension system needs it.
 */
const LIST_COLUMNS: Record<ExportList, { columns: ColumnKey[]; maskId: boolean }> = {
  not_certified: { columns: ['community', 'name', 'idNumber', 'age', 'phone', 'address', 'status', 'lastCertifiedOn'], maskId: true },
  to_be_suspended: { columns: ['community', 'name', 'idNumber', 'age', 'category', 'phone', 'address', 'status', 'suspendsOn'], maskId: false },
  suspended: { columns: ['community', 'name', 'idNumber', 'age', 'category', 'phone', 'address', 'suspendedSince'], maskId: false },
  certified: { columns: ['community', 'name', 'idNumber', 'category', 'method', 'certifiedOn'], maskId: false },
  resumed: { columns: ['community', 'name', 'idNumber', 'category', 'method', 'certifiedOn', 'suspendedSince'], maskId: false },
};

/** RFC 5987 / 8187 encoding of a filename for `filename*=UTF-8''…`. */
export function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment` with a plain ASCII name for old clients and the full name (Chinese included) as filename*. */
export function contentDisposition(ascii: string, full: string): string {
  return `attachment; filename="${ascii.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${rfc5987(full)}`;
}

/**
 * GET has no CSRF check (decision 006), and an export writes an audit entry and sends personal
 * data: a browser that says another site asked for it (a link or a form on a foreign page, carrying
 * the clerk's cookie) is refused. A link in the console says same-origin, a typed or bookmarked
 * address says none, and clients that are not browsers send no such header.
 */
function refuseCrossSite(c: Context<AppEnv>): void {
  const site = c.req.header('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') throw forbidden('Exports are downloaded from the office console itself');
}

function parseFile(file: string): { list: ExportList; format: ExportFormat } {
  const m = /^([a-z_]+)\.([a-z]+)$/.exec(file);
  const list = m?.[1] as ExportList | undefined;
  const format = m?.[2] as ExportFormat | undefined;
  if (!list || !format || !EXPORT_LISTS.includes(list) || !EXPORT_FORMATS.includes(format)) throw notFound('List');
  return { list, format };
}

export function officeRetireesRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/retirees', async (c) => {
    const { user } = requireUser(c, 'admin');
    const query = validate(RetireeListQuery, c.req.query());
    const { db, now } = c.get('services');
    const list = await officeRetirees(db, user, query, now());
    // A list shows only the ends of an ID number; the retiree's own page shows it whole.
    return reply(c, RETIREES.list, { ...list, items: list.items.map((i) => ({ ...i, idNumber: maskIdNumber(i.idNumber) })) });
  });

  app.get('/lists', async (c) => {
    const { user } = requireUser(c, 'admin');
    const query = validate(ListsQuery, c.req.query());
    const { db, now } = c.get('services');
    return reply(c, RETIREES.lists, await officeLists(db, user, query, now()));
  });

  app.get('/exports/:file', async (c) => {
    const { user } = requireUser(c, 'admin');
    refuseCrossSite(c);
    const { list, format } = parseFile(c.req.param('file'));
    const query = validate(ExportQuery, c.req.query());
    const { db, now, logger } = c.get('services');
    const lang: ExportLang = exportLang(query.lang, c.req.header('accept-language'));
    const text = EXPORT_TEXT[lang];
    const plan = await planExport(db, user, list, query, now());
    const { region, today } = plan.scope.context;
    const community = plan.community === undefined ? null : plan.scope.context.communities.find((x) => x.id === plan.community) ?? null;
    if (plan.community !== undefined && !community) throw notFound('Community');

    // Audited before the first byte leaves: who, which list of which region, how many rows.
    await audit(db, now(), {
      event: 'list_exported',
      userId: user.id,
      subject: `region:${region.code}`,
      ip: c.get('ip'),
      details: { list, format, rows: plan.count, ...(community ? { community: community.id } : {}) },
    });

    const spec = LIST_COLUMNS[list];
    const columns = spec.columns.map((k) => COLUMNS[k]);
    const pages = readAhead(async function* () {
      for await (const page of exportPages(db, plan)) {
        yield page.map((row) => columns.map((col) => (col.key === 'idNumber' && spec.maskId ? maskIdNumber(row.idNumber) : col.value(row, plan, text))));
      }
    }());
    const table: TableColumn[] = columns.map((col) => ({ header: text.column[col.key], width: col.width, text: col.text && !(col.key === 'idNumber' && spec.maskId) }));
    const onEnd = ({ rows, complete }: { rows: number; complete: boolean }) => {
      if (!complete) logger.info('export ended before its last row', { list, format, rows, of: plan.count });
    };

    const title = text.list[list];
    const where = community ? `${region.name}-${community.name}` : region.name;
    const full = `${title}-${where}-${today}.${format}`;
    const ascii = `${list.replaceAll('_', '-')}-${region.code}${community ? `-c${community.id}` : ''}-${today}.${format}`;
    const body = format === 'csv' ? csvStream({ columns: table, pages, onEnd }) : xlsxStream({ columns: table, pages, onEnd, sheetName: title });
    return c.body(body, 200, {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': contentDisposition(ascii, full),
      'X-Content-Type-Options': 'nosniff',
    });
  });

  return app;
}
