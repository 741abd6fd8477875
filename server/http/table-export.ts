// A table streamed to the client as CSV or XLSX while its rows are still being read (issue 16,
// decision 056): the rows come a page at a time from an async iterator and each page is written
// before the next is read, so a 200,000-row file holds about one page in memory however long it
// is. The consumer paces it: the next page is read only when the client has taken the last one.
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

export type Cell = string | number | Date | null;

export interface TableColumn {
  header: string;
  /** Characters, for the spreadsheet's column width. */
  width?: number;
  /**
   * A digit string that must stay text (an 18-digit ID number, a phone number with a leading 0):
   * Excel turns such a CSV field into a number (3.20999E+17) and loses digits. In the CSV it is
   * written after a tab, which Excel keeps as text (a program reading the file trims it); an XLSX
   * string cell is text anyway.
   */
  text?: boolean;
}

export interface TableStreamOptions {
  columns: TableColumn[];
  pages: AsyncIterable<Cell[][]>;
  /** Called once, when the last row has been written or the client went away. */
  onEnd?: (result: { rows: number; complete: boolean }) => void;
}

const encoder = new TextEncoder();

/**
 * The pages of `source`, the next one already being read while the current one is written: the
 * database works on its own thread meanwhile, so on two cores reading and writing overlap. At most
 * one page waits ahead.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  // The page read ahead may fail while this generator waits at `yield` for a reader that never
  // comes back (the client went away, the database closed): the failure is still thrown to whoever
  // awaits it next, but it must not surface meanwhile as an unhandled rejection.
  const ahead = () => {
    const p = it.next();
    p.catch(() => undefined);
    return p;
  };
  let next = ahead();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = ahead();
      yield current.value;
    }
  } finally {
    // Stopped early (the client went away): let the page being read finish, then end the source.
    await next.catch(() => undefined);
    await it.return?.();
  }
}

/**
 * CSV in UTF-8 with a byte-order mark (Excel then reads Chinese correctly), CRLF line ends, a
 * header row, written by csv-stringify one page at a time.
 */
export function csvStream({ columns, pages, onEnd }: TableStreamOptions): ReadableStream<Uint8Array> {
  const iterator = pages[Symbol.asyncIterator]();
  let rows = 0;
  let ended = false;
  const end = (complete: boolean) => {
    if (ended) return;
    ended = true;
    onEnd?.({ rows, complete });
  };
  const line = (cells: Cell[][]) => stringify(cells, { record_delimiter: 'windows', cast: { date: (d) => d.toISOString().slice(0, 10) } });
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(`\uFEFF${line([columns.map((c) => c.header)])}`));
      },
      async pull(controller) {
        try {
          const next = await iterator.next();
          if (next.done) {
            end(true);
            controller.close();
            return;
          }
          const page = next.value.map((row) => row.map((v, i) => (columns[i]?.text && typeof v === 'string' && v ? `\t${v}` : v)));
          rows += page.length;
          controller.enqueue(encoder.encode(line(page)));
        } catch (err) {
          end(false);
          controller.error(err);
        }
      },
      async cancel() {
        end(false);
        await iterator.return?.();
      },
    },
    // Two pages wait at most: the next is read from the database while the client takes this one.
    { highWaterMark: 2 },
  );
}

/** Resolves when the stream has room again (or is gone), leaving no listener behind. */
async function drainedOrClosed(stream: PassThrough): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([once(stream, 'drain', { signal: done.signal }), once(stream, 'close', { signal: done.signal })]);
  } finally {
    done.abort();
  }
}


/**
 * XLSX with exceljs's streaming writer: each row is committed as it is added (nothing kept for
 * the sheet), strings inline rather than in a shared table that would grow with the file, the
 * header row frozen, the columns sized. No cell styles: exceljs's style handling made every cell
 * about 2.5 times slower (a 200,000-row list took over 10 s), so the header is not bold and a date
 * is the text YYYY-MM-DD (which sorts and filters as a date would). The zip (deflate level 1) is
 * written into a PassThrough that the response reads; before each next page the writer waits until
 * the client has taken what is buffered.
 */
export function xlsxStream({ columns, pages, onEnd, sheetName }: TableStreamOptions & { sheetName: string }): ReadableStream<Uint8Array> {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  let rows = 0;
  let ended = false;
  const end = (complete: boolean) => {
    if (ended) return;
    ended = true;
    onEnd?.({ rows, complete });
  };
  let gone = false;
  out.on('close', () => {
    gone = true;
  });

  void (async () => {
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false, zip: { zlib: { level: 1 } } });
    const sheet = book.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c, i) => ({ key: String(i), width: c.width ?? 14 }));
    sheet.addRow(columns.map((c) => c.header)).commit();
    try {
      for await (const page of pages) {
        if (gone) break;
        for (const row of page) sheet.addRow(row).commit();
        rows += page.length;
        // Let the zip take the rows, and wait while the client has not read what is waiting.
        await new Promise((resolve) => setImmediate(resolve));
        while (!gone && out.writableNeedDrain) await drainedOrClosed(out);
      }
      if (gone) {
        end(false);
        return;
      }
      sheet.commit();
      await book.commit();
      end(true);
    } catch (err) {
      end(false);
      out.destroy(err as Error);
    }
  })();

  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}
