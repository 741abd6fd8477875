// Import of the office's retiree list (CSV). Every row is checked; good rows go in together in one
// transaction, bad rows come back with their line and what is wrong, so the office can fix and
// re-import just those (a re-import skips ID numbers that are already enrolled).
import * as v from 'valibot';
import { RetireeRow } from '../../shared/schemas/admin.ts';
import { fieldIssues } from '../../shared/schemas/issues.ts';
import { parseCsv } from '../cli/csv.ts';
import type { Db } from '../db/sqlite.ts';
import { insertRetiree } from './retirees.ts';
import { regionByCode } from './regions.ts';

// English and Chinese column names, as offices export them.
const COLUMNS: Record<string, keyof v.InferInput<typeof RetireeRow>> = {
  id_number: 'idNumber', 身份证号码: 'idNumber', 身份证号: 'idNumber',
  name: 'name', 姓名: 'name',
  pension_category: 'pensionCategory', 养老保险类别: 'pensionCategory', 类别: 'pensionCategory',
  community: 'community', 社区: 'community',
  address: 'address', 地址: 'address', 住址: 'address',
  phone: 'phone', 电话: 'phone', 联系电话: 'phone',
  enrolled_on: 'enrolledOn', 待遇开始日期: 'enrolledOn',
};

const CATEGORY_ALIASES: Record<string, string> = {
  企业职工: 'urban_employee', 城镇职工: 'urban_employee',
  机关事业单位: 'public_institution', 机关事业: 'public_institution',
  城乡居民: 'urban_rural_resident',
};

export interface RowProblem {
  line: number;
  message: string;
}

export interface ImportReport {
  imported: number;
  skipped: RowProblem[];
  errors: RowProblem[];
}

export async function importRetireesCsv(db: Db, regionCode: string, csv: string, at: number, { dryRun = false } = {}): Promise<ImportReport> {
  const region = await regionByCode(db, regionCode);
  let rows;
  try {
    rows = parseCsv(csv);
  } catch (err) {
    return { imported: 0, skipped: [], errors: [{ line: 0, message: (err as Error).message }] };
  }
  const [header, ...data] = rows;
  if (!header) return { imported: 0, skipped: [], errors: [{ line: 0, message: 'The file is empty' }] };
  const keys = header.fields.map((h) => COLUMNS[h.trim().toLowerCase()] ?? COLUMNS[h.trim()]);
  const unknown = header.fields.filter((_, i) => !keys[i]);
  const missing = ['idNumber', 'name', 'pensionCategory', 'community', 'enrolledOn'].filter((k) => !keys.includes(k as never));
  if (unknown.length || missing.length) {
    const parts = [unknown.length ? `unknown columns: ${unknown.join(', ')}` : '', missing.length ? `missing columns: ${missing.join(', ')}` : ''];
    return { imported: 0, skipped: [], errors: [{ line: header.line, message: parts.filter(Boolean).join('; ') }] };
  }

  const communities = new Map(
    (await db.all<{ id: number; name: string }>('SELECT id, name FROM communities WHERE region_id = ?', [region.id])).map((c) => [c.name, c.id]),
  );
  const report: ImportReport = { imported: 0, skipped: [], errors: [] };
  const good: { line: number; row: v.InferOutput<typeof RetireeRow>; communityId: number }[] = [];
  const seen = new Map<string, number>();

  for (const { line, fields } of data) {
    if (fields.length !== header.fields.length) {
      report.errors.push({ line, message: `has ${fields.length} fields, the header has ${header.fields.length}` });
      continue;
    }
    const record: Record<string, string> = {};
    keys.forEach((key, i) => {
      const value = fields[i]!.trim();
      if (value !== '' || key === 'address') record[key!] = key === 'pensionCategory' ? (CATEGORY_ALIASES[value] ?? value) : value;
    });
    const parsed = v.safeParse(RetireeRow, record);
    if (!parsed.success) {
      report.errors.push({ line, message: fieldIssues(parsed.issues).map((i) => `${i.path}: ${i.message}`).join('; ') });
      continue;
    }
    const communityId = communities.get(parsed.output.community);
    if (communityId === undefined) {
      report.errors.push({ line, message: `community "${parsed.output.community}" does not exist in region ${region.code}` });
      continue;
    }
    const earlier = seen.get(parsed.output.idNumber);
    if (earlier !== undefined) {
      report.errors.push({ line, message: `ID number repeats line ${earlier}` });
      continue;
    }
    seen.set(parsed.output.idNumber, line);
    good.push({ line, row: parsed.output, communityId });
  }

  await db.transaction(async () => {
    for (const { line, row, communityId } of good) {
      if (await db.get('SELECT 1 FROM retirees WHERE id_number = ?', [row.idNumber])) {
        report.skipped.push({ line, message: `${row.idNumber} is already enrolled` });
        continue;
      }
      if (!dryRun) await insertRetiree(db, row, communityId, at);
      report.imported++;
    }
  });
  return report;
}
