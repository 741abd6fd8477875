// CSV as offices export it (RFC 4180: quoted fields with commas, "" and line breaks; CRLF, LF or CR;
// Excel's leading BOM), read with csv-parse. Rows come with the line each starts on, for messages.
import { parse } from 'csv-parse/sync';

export interface CsvRow {
  line: number;
  fields: string[];
}

const LINE_BREAKS = /\r\n|\n|\r/g;

export function parseCsv(text: string): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      // A quote inside an unquoted field (5" photo) is a character, as Excel reads it.
      relax_quotes: true,
      skip_empty_lines: true,
      // Files pasted together from several machines mix line endings; csv-parse would otherwise
      // guess from the first line and read the other kind as text.
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as never;
  } catch (err) {
    const e = err as { code?: string; lines?: number; message: string };
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') throw new Error(`line ${e.lines}: a quoted field is not closed`);
    throw new Error(`line ${e.lines ?? '?'}: ${e.message}`);
  }
  // csv-parse counts the line a record ends on; a quoted line break inside it moves its start up.
  return records.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, f) => n + (f.match(LINE_BREAKS)?.length ?? 0), 0),
    fields: record,
  }));
}
