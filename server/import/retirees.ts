// The retiree import's rules, in one place for the admin CLI (`import-retirees`) and the office
// console (upload, preview, apply): which columns, what each cell must hold, what a row adds or
// corrects. Bad rows are reported with their row number, column and a problem code, and left out;
// the good rows go in together in one transaction. Importing the same file again changes nothing.
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { isValidDate } from '../../shared/dates.ts';
import { parseIdNumber } from '../../shared/id-number.ts';
import { PENSION_CATEGORIES, RetireeRow, type PensionCategory } from '../../shared/schemas/admin.ts';
import type { ImportApplied, ImportChange, ImportCounts, ImportField, ImportPreview, ImportRowError, RowProblem } from '../../shared/schemas/office-setup.ts';
import { ID_PROBLEM_TEXT } from '../cli/import-photos.ts';
import type { Db } from '../db/sqlite.ts';
import { AppError } from '../errors.ts';
import { audit } from '../store/audit.ts';
import { addImportedRetiree, communityIdsOfRegion, correctRetiree, retireesByIdNumbers, type RetireeFields, type StoredRetiree } from '../store/import-retirees.ts';
import type { Region } from '../store/regions.ts';
import { FileRefused, readTable, type Table } from './spreadsheet.ts';

/** The template's header (Chinese, as the office's own lists are), and the English one the CLI always took. */
export const TEMPLATE_COLUMNS: Record<ImportField, { zh: string; en: string }> = {
  idNumber: { zh: '身份证号码', en: 'id_number' },
  name: { zh: '姓名', en: 'name' },
  pensionCategory: { zh: '养老保险类别', en: 'pension_category' },
  community: { zh: '社区', en: 'community' },
  address: { zh: '地址', en: 'address' },
  phone: { zh: '联系电话', en: 'phone' },
  enrolledOn: { zh: '待遇开始日期', en: 'enrolled_on' },
};

// Every name a column goes by in the lists offices export (compared without spaces, any case).
const COLUMN_NAMES: Record<string, ImportField> = Object.fromEntries(
  (
    [
      ['idNumber', ['id_number', 'id number', '身份证号码', '身份证号', '公民身份号码', '证件号码']],
      ['name', ['name', '姓名']],
      ['pensionCategory', ['pension_category', 'category', '养老保险类别', '类别', '险种']],
      ['community', ['community', '社区', '所属社区', '社区（村）', '村（社区）']],
      ['address', ['address', '地址', '住址', '家庭住址']],
      ['phone', ['phone', '电话', '联系电话', '手机', '手机号码']],
      ['enrolledOn', ['enrolled_on', 'enrolled on', '待遇开始日期', '领取待遇日期', '开始领取日期']],
    ] as const
  ).flatMap(([field, names]) => names.map((n) => [n.replace(/\s+/g, '').toLowerCase(), field])),
);
const REQUIRED: ImportField[] = ['idNumber', 'name', 'pensionCategory', 'community', 'enrolledOn'];

const CATEGORY_NAMES: Record<string, PensionCategory> = {
  urban_employee: 'urban_employee', 企业职工: 'urban_employee', 城镇职工: 'urban_employee', 企业职工基本养老保险: 'urban_employee', 城镇企业职工基本养老保险: 'urban_employee',
  public_institution: 'public_institution', 机关事业单位: 'public_institution', 机关事业: 'public_institution', 机关事业单位养老保险: 'public_institution',
  urban_rural_resident: 'urban_rural_resident', 城乡居民: 'urban_rural_resident', 城乡居民基本养老保险: 'urban_rural_resident',
};

/** The template the console offers: the header in Chinese, UTF-8 with a BOM so Excel reads it as such. */
export function templateCsv(): string {
  return `\ufeff${Object.values(TEMPLATE_COLUMNS).map((c) => c.zh).join(',')}\r\n`;
}

// 2008-01-01, 2008/1/1 (Excel's CSV on a Chinese system), 2008.1.1, 2008年1月1日.
function normalDate(text: string): string | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isValidDate(date) ? date : null;
}

const clipValue = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);

interface GoodRow {
  row: number;
  value: RetireeRow;
  /** Optional columns the file has a value for; an empty or absent one leaves what is stored. */
  given: Set<ImportField>;
}

interface Checked {
  good: GoodRow[];
  errors: ImportRowError[];
  rowsWithErrors: number;
  rows: number;
}

function headerKeys(table: Table): (ImportField | undefined)[] {
  const header = table.rows[0]!;
  const keys = header.fields.map((h) => COLUMN_NAMES[h.replace(/\s+/g, '').toLowerCase()]);
  const unknown = header.fields.filter((h, i) => !keys[i] && h.trim() !== '');
  const missing = REQUIRED.filter((k) => !keys.includes(k));
  if (missing.length) {
    throw new FileRefused('missing_columns', `missing columns: ${missing.map((k) => TEMPLATE_COLUMNS[k].en).join(', ')}${unknown.length ? `; unknown columns: ${unknown.join(', ')}` : ''}`, {
      missing,
      unknown,
    });
  }
  if (unknown.length) throw new FileRefused('unknown_columns', `unknown columns: ${unknown.join(', ')}`, { unknown });
  const seen = new Set<ImportField>();
  for (const k of keys) {
    if (!k) continue;
    if (seen.has(k)) throw new FileRefused('unknown_columns', `the column ${TEMPLATE_COLUMNS[k].en} appears twice`, { unknown: [TEMPLATE_COLUMNS[k].zh] });
    seen.add(k);
  }
  return keys;
}

/** Each row checked on its own and against the region's communities; repeats within the file found. */
function checkRows(table: Table, keys: (ImportField | undefined)[], communities: Map<string, number>, region: Region, today: string): Checked {
  const errors: ImportRowError[] = [];
  const good: GoodRow[] = [];
  const firstRowOf = new Map<string, number>();
  let rowsWithErrors = 0;
  const width = keys.length;
  for (const { line: row, fields, numbers } of table.rows.slice(1)) {
    const mine: ImportRowError[] = [];
    const fail = (column: ImportField | null, problem: RowProblem, message: string, extra: Partial<ImportRowError> = {}) =>
      mine.push({ row, column, problem, message, ...extra });
    // Cells past the header's last column are fine when empty (Excel's formatted blank cells); a
    // CSV row with fewer fields lost its commas (an XLSX row just ends at its last filled cell).
    if ((fields.length > width && fields.slice(width).some((f) => f.trim() !== '')) || (table.format === 'csv' && fields.length < width)) {
      fail(null, 'field_count', `has ${fields.length} fields, the header has ${width}`);
      errors.push(...mine);
      rowsWithErrors++;
      continue;
    }
    const cell: Partial<Record<ImportField, string>> = {};
    const numeric = new Set(numbers?.map((i) => keys[i]));
    keys.forEach((k, i) => {
      if (k) cell[k] = (fields[i] ?? '').trim();
    });
    const given = new Set<ImportField>();
    for (const k of ['address', 'phone'] as const) if (cell[k]) given.add(k);

    for (const k of REQUIRED) if (!cell[k]) fail(k, 'required', `${TEMPLATE_COLUMNS[k].en} is empty`);

    let idNumber = '';
    if (cell.idNumber) {
      const id = parseIdNumber(cell.idNumber, today);
      if (numeric.has('idNumber')) {
        fail('idNumber', 'id_as_number', 'the ID number is stored as a number, which loses its last digits: format the column as text and type it again', { value: clipValue(cell.idNumber) });
      } else if (!id.ok) {
        fail('idNumber', `id_${id.problem}`, `not a valid ID number: ${ID_PROBLEM_TEXT[id.problem]}`, { value: clipValue(cell.idNumber) });
      } else idNumber = id.value.normalized;
    }
    if (cell.name && cell.name.length > 100) fail('name', 'too_long', 'name is longer than 100 characters');
    const category = cell.pensionCategory ? CATEGORY_NAMES[cell.pensionCategory.replace(/\s+/g, '')] : undefined;
    if (cell.pensionCategory && !category) {
      fail('pensionCategory', 'bad_category', `pension category must be one of ${PENSION_CATEGORIES.join(', ')} (or 企业职工, 机关事业单位, 城乡居民)`, { value: clipValue(cell.pensionCategory) });
    }
    const communityId = cell.community ? communities.get(cell.community) : undefined;
    if (cell.community && communityId === undefined) {
      fail('community', 'unknown_community', `community "${clipValue(cell.community)}" does not exist in region ${region.code}`, { value: clipValue(cell.community) });
    }
    if (cell.address && cell.address.length > 200) fail('address', 'too_long', 'address is longer than 200 characters');
    if (cell.phone && !/^[0-9+\- ]{3,20}$/.test(cell.phone)) fail('phone', 'bad_phone', 'phone: 3–20 digits, spaces, + or -', { value: clipValue(cell.phone) });
    const enrolledOn = cell.enrolledOn ? normalDate(cell.enrolledOn) : null;
    if (cell.enrolledOn && !enrolledOn) fail('enrolledOn', 'bad_date', 'the date must be a real date such as 2008-01-01', { value: clipValue(cell.enrolledOn) });

    if (idNumber) {
      const earlier = firstRowOf.get(idNumber);
      if (earlier !== undefined) fail('idNumber', 'duplicate_in_file', `ID number repeats row ${earlier}`, { earlierRow: earlier, value: idNumber });
      else firstRowOf.set(idNumber, row);
    }
    if (mine.length) {
      errors.push(...mine);
      rowsWithErrors++;
      continue;
    }
    // The shared schema has the last word on what a retiree row is.
    const parsed = v.safeParse(RetireeRow, {
      idNumber, name: cell.name, pensionCategory: category, community: cell.community, address: cell.address ?? '',
      ...(cell.phone ? { phone: cell.phone } : {}), enrolledOn,
    });
    if (!parsed.success) {
      errors.push({ row, column: null, problem: 'required', message: parsed.issues.map((i) => i.message).join('; ') });
      rowsWithErrors++;
      continue;
    }
    good.push({ row, value: parsed.output, given });
  }
  return { good, errors, rowsWithErrors, rows: table.rows.length - 1 };
}

interface PlannedChange extends ImportChange {
  value: RetireeRow;
  communityId: number;
  existingId: number | null;
  set: Partial<RetireeFields>;
}

interface Plan {
  format: Table['format'];
  fileSha256: string;
  planHash: string;
  counts: ImportCounts;
  changes: PlannedChange[];
  errors: ImportRowError[];
}

function compare(row: GoodRow, communityId: number, stored: StoredRetiree): { set: Partial<RetireeFields>; fields: ImportField[] } {
  const set: Partial<RetireeFields> = {};
  const fields: ImportField[] = [];
  const differs = <K extends keyof RetireeFields>(key: K, field: ImportField, value: RetireeFields[K]) => {
    if (stored[key] !== value) {
      set[key] = value;
      fields.push(field);
    }
  };
  differs('name', 'name', row.value.name);
  differs('pensionCategory', 'pensionCategory', row.value.pensionCategory);
  differs('communityId', 'community', communityId);
  if (row.given.has('address')) differs('address', 'address', row.value.address);
  if (row.given.has('phone')) differs('phone', 'phone', row.value.phone ?? null);
  differs('enrolledOn', 'enrolledOn', row.value.enrolledOn);
  return { set, fields };
}

async function plan(db: Db, region: Region, bytes: Uint8Array, today: string): Promise<Plan> {
  const table = await readTable(bytes);
  const keys = headerKeys(table);
  const communities = await communityIdsOfRegion(db, region.id);
  const checked = checkRows(table, keys, communities, region, today);
  const stored = await retireesByIdNumbers(db, checked.good.map((g) => g.value.idNumber));
  const changes: PlannedChange[] = [];
  let unchanged = 0;
  let rowsWithErrors = checked.rowsWithErrors;
  const errors = [...checked.errors];
  for (const row of checked.good) {
    const communityId = communities.get(row.value.community)!;
    const existing = stored.get(row.value.idNumber);
    if (existing && existing.regionId !== region.id) {
      // A move between regions is the other region's to record, not an import's.
      errors.push({ row: row.row, column: 'idNumber', problem: 'other_region', value: row.value.idNumber, message: `${row.value.idNumber} is enrolled in another region` });
      rowsWithErrors++;
      continue;
    }
    const base = { row: row.row, idNumber: row.value.idNumber, name: row.value.name, value: row.value, communityId };
    if (!existing) {
      changes.push({ ...base, action: 'add', fields: [], existingId: null, set: {} });
      continue;
    }
    const diff = compare(row, communityId, existing);
    if (!diff.fields.length) unchanged++;
    else changes.push({ ...base, action: 'update', fields: diff.fields, existingId: existing.id, set: diff.set });
  }
  errors.sort((a, b) => a.row - b.row);
  const fileSha256 = createHash('sha256').update(bytes).digest('hex');
  // What applying would write, and to whom: the apply re-plans and must arrive at the same.
  const planHash = createHash('sha256')
    .update(JSON.stringify([region.code, fileSha256, changes.map((c) => [c.action, c.existingId, c.value, c.communityId, c.set])]))
    .digest('hex');
  const added = changes.filter((c) => c.action === 'add').length;
  return {
    format: table.format,
    fileSha256,
    planHash,
    counts: { rows: checked.rows, added, updated: changes.length - added, unchanged, errors: rowsWithErrors },
    changes,
    errors,
  };
}

/** How many changes and errors a preview lists (its counts are complete). */
export const PREVIEW_LIST_LIMIT = { changes: 200, errors: 500 };

/** What importing the file would do, writing nothing. */
export async function previewRetireeImport(db: Db, region: Region, bytes: Uint8Array, today: string): Promise<ImportPreview> {
  const p = await plan(db, region, bytes, today);
  return {
    region: { code: region.code, name: region.name },
    format: p.format,
    fileSha256: p.fileSha256,
    planHash: p.planHash,
    counts: p.counts,
    changes: p.changes.slice(0, PREVIEW_LIST_LIMIT.changes).map(({ row, idNumber, name, action, fields }) => ({ row, idNumber, name, action, fields })),
    errors: p.errors.slice(0, PREVIEW_LIST_LIMIT.errors),
  };
}

export interface ApplyOptions {
  at: number;
  today: string;
  userId: number | null;
  ip?: string | null;
  /** The preview's planHash: the apply is refused (409) if it would now write something else. */
  expectPlan?: string;
  /** The CLI's own label in the audit log. */
  by?: string;
}

/**
 * Adds and corrects the good rows in one transaction, with the audit entry. Planned inside the
 * transaction, so what it writes is what it checked; a second apply of the same file finds
 * everything unchanged and writes nothing (but is audited: someone tried).
 */
export async function applyRetireeImport(db: Db, region: Region, bytes: Uint8Array, options: ApplyOptions): Promise<ImportApplied & { errors: ImportRowError[] }> {
  return db.transaction(async () => {
    const p = await plan(db, region, bytes, options.today);
    if (options.expectPlan && options.expectPlan !== p.planHash && p.changes.length > 0) {
      throw new AppError(409, 'conflict', 'The file or the retirees changed since the preview: preview the file again before applying it', { problem: 'plan_changed' });
    }
    for (const c of p.changes) {
      if (c.action === 'add') await addImportedRetiree(db, c.value, c.communityId, options.at);
      else await correctRetiree(db, c.existingId!, c.set, options.at);
    }
    await audit(db, options.at, {
      event: 'retirees_imported',
      userId: options.userId,
      subject: `region:${region.code}`,
      ip: options.ip ?? null,
      details: { sha256: p.fileSha256, format: p.format, ...p.counts, ...(options.by ? { by: options.by } : {}) },
    });
    return { counts: p.counts, fileSha256: p.fileSha256, errors: p.errors };
  });
}
