// An uploaded list as rows of text: CSV (UTF-8, or GB18030 as Excel on a Chinese Windows saves
// "CSV (逗号分隔)") or XLSX (its first sheet, read with exceljs's streaming reader). Bounded: the file's
// size is the route's limit, the rows and an XLSX's unpacked size are bounded here.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import type { FileProblem } from '../../shared/schemas/office-setup.ts';
import { parseCsv } from './csv.ts';

/** Largest upload taken (a county's 50,000 retirees as CSV are about 5 MB). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Data rows taken from one file; a larger list is split into several files. */
export const MAX_IMPORT_ROWS = 50_000;
/** An XLSX is a ZIP: its declared unpacked size is checked before it is read (a ZIP bomb, or the wrong file). */
const MAX_XLSX_UNPACKED = 200 * 1024 * 1024;

export interface TableRow {
  /** The row number a spreadsheet shows (CSV: the line the record starts on). */
  line: number;
  fields: string[];
  /** XLSX: indexes of cells Excel stored as numbers (an 18-digit ID number loses its last digits that way). */
  numbers?: number[];
}

export interface Table {
  format: 'csv' | 'xlsx';
  rows: TableRow[];
}

/** The whole file is refused, with a reason the console says in words. */
export class FileRefused extends Error {
  constructor(
    readonly problem: FileProblem,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOldExcel = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

function cellText(value: unknown): { text: string; number: boolean } {
  if (value === null || value === undefined) return { text: '', number: false };
  if (value instanceof Date) {
    // exceljs gives a date cell as midnight UTC of the date Excel shows.
    return { text: `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`, number: false };
  }
  if (typeof value === 'number') return { text: String(value), number: true };
  if (typeof value === 'string') return { text: value, number: false };
  if (typeof value === 'boolean') return { text: String(value), number: false };
  const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
  if (v.richText) return { text: v.richText.map((r) => r.text).join(''), number: false };
  if ('result' in v) return cellText(v.result); // a formula: what Excel shows
  if (v.text !== undefined) return cellText(v.text); // a hyperlink
  if (v.error) return { text: v.error, number: false };
  return { text: '', number: false };
}

async function readXlsx(bytes: Uint8Array): Promise<TableRow[]> {
  let unpacked = 0;
  try {
    unzipSync(bytes, { filter: (f) => ((unpacked += Math.max(f.originalSize, f.size)), false) });
  } catch (err) {
    throw new FileRefused('unreadable', `The file is not a readable XLSX workbook (${(err as Error).message})`);
  }
  if (unpacked > MAX_XLSX_UNPACKED) {
    throw new FileRefused('too_many_rows', `The workbook would unpack to more than ${MAX_XLSX_UNPACKED / 1024 / 1024} MB`, { maxRows: MAX_IMPORT_ROWS });
  }
  const rows: TableRow[] = [];
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache', // dates are numbers with a date format: the styles say which
      worksheets: 'emit',
      entries: 'ignore',
    });
    // Only the first sheet is the list; later sheets (notes, lookups) are not read.
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const fields: string[] = [];
        const numbers: number[] = [];
        for (let i = 1; i < values.length; i++) {
          const cell = cellText(values[i]);
          fields.push(cell.text);
          if (cell.number) numbers.push(i - 1);
        }
        rows.push(numbers.length ? { line: row.number, fields, numbers } : { line: row.number, fields });
        if (rows.length > MAX_IMPORT_ROWS + 1) return rows;
      }
      break;
    }
  } catch (err) {
    throw new FileRefused('unreadable', `The workbook could not be read (${(err as Error).message})`);
  }
  return rows;
}

/** The rows of a CSV or XLSX file, blank rows left out; the first is the header. */
export async function readTable(bytes: Uint8Array): Promise<Table> {
  if (bytes.length === 0) throw new FileRefused('empty', 'The file is empty');
  if (isOldExcel(bytes)) throw new FileRefused('not_a_spreadsheet', 'This is an old Excel file (.xls): save it as .xlsx or CSV');
  let table: Table;
  if (isZip(bytes)) {
    table = { format: 'xlsx', rows: await readXlsx(bytes) };
  } else {
    const text = decodeText(bytes);
    // A file with NUL characters is not text (a photo, a PDF, a Word file).
    if (text.includes('\u0000')) throw new FileRefused('not_a_spreadsheet', 'The file is neither CSV text nor an XLSX workbook');
    try {
      table = { format: 'csv', rows: parseCsv(text) };
    } catch (err) {
      const line = Number(/^line (\d+)/.exec((err as Error).message)?.[1]);
      throw new FileRefused('unclosed_quote', (err as Error).message, Number.isFinite(line) ? { row: line } : {});
    }
  }
  table.rows = table.rows.filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (table.rows.length === 0) throw new FileRefused('empty', 'The file has no rows');
  if (table.rows.length - 1 > MAX_IMPORT_ROWS) {
    throw new FileRefused('too_many_rows', `The file has more than ${MAX_IMPORT_ROWS} rows: split it into several files`, { maxRows: MAX_IMPORT_ROWS });
  }
  return table;
}
