// Tables streamed as CSV and XLSX (decision 056): pages are read only as the client takes the file,
// a client that goes away stops the reading, and what is written parses back.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { csvStream, readAhead, xlsxStream, type Cell } from './table-export.ts';

/** Pages of `size` rows, counting how many were asked for. */
function source(pages: number, size = 3) {
  const state = { read: 0, closed: false };
  const iterable = (async function* () {
    try {
      for (let p = 0; p < pages; p++) {
        state.read++;
        yield Array.from({ length: size }, (_, i): Cell[] => [`名字${p}-${i}`, `11010519490312${String(p * size + i).padStart(4, '0')}`, '2026-11-22']);
      }
    } finally {
      state.closed = true;
    }
  })();
  return { iterable, state };
}

const columns = [{ header: '姓名' }, { header: '身份证号', text: true }, { header: '日期' }];

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    chunks.push(value);
  }
}

describe('csvStream', () => {
  it('writes a BOM, the header and every row, ID numbers after a tab', async () => {
    const { iterable } = source(4);
    let end: { rows: number; complete: boolean } | null = null;
    const bytes = await readAll(csvStream({ columns, pages: iterable, onEnd: (r) => (end = r) }));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = Buffer.from(bytes).toString('utf8');
    expect(text).toContain('\r\n');
    const rows = parse(text, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['姓名', '身份证号', '日期']);
    expect(rows).toHaveLength(1 + 12);
    expect(rows[1]).toEqual(['名字0-0', '\t110105194903120000', '2026-11-22']);
    expect(end).toEqual({ rows: 12, complete: true });
  });

  it('reads a page only when the client has room for it, and stops when the client goes away', async () => {
    const { iterable, state } = source(100);
    let end: { rows: number; complete: boolean } | null = null;
    const reader = csvStream({ columns, pages: iterable, onEnd: (r) => (end = r) }).getReader();
    await reader.read(); // the header
    await new Promise((r) => setTimeout(r, 20));
    // Two pages wait at most, however long nobody reads.
    expect(state.read).toBeLessThanOrEqual(3);
    await reader.read();
    await reader.cancel();
    expect(state.read).toBeLessThan(10);
    expect(state.closed).toBe(true);
    expect(end).toMatchObject({ complete: false });
  });
});

describe('xlsxStream', () => {
  it('writes a sheet that exceljs reads back, header frozen, ID numbers as text', async () => {
    const { iterable } = source(5, 40);
    const bytes = await readAll(xlsxStream({ columns, pages: iterable, sheetName: '未认证名单' }));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('未认证名单')!;
    expect(sheet.rowCount).toBe(1 + 200);
    expect(sheet.getRow(1).values).toEqual([undefined, '姓名', '身份证号', '日期']);
    expect(sheet.getRow(2).values).toEqual([undefined, '名字0-0', '110105194903120000', '2026-11-22']);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('stops reading pages when the client goes away', async () => {
    const { iterable, state } = source(10_000, 200);
    let end: { rows: number; complete: boolean } | null = null;
    const reader = xlsxStream({ columns, pages: iterable, sheetName: 'x', onEnd: (r) => (end = r) }).getReader();
    await reader.read();
    await reader.cancel();
    await expect.poll(() => end, { timeout: 5000 }).not.toBeNull();
    expect(end).toMatchObject({ complete: false });
    expect(state.read).toBeLessThan(10_000);
    await expect.poll(() => state.closed).toBe(true);
  });
});

describe('readAhead', () => {
  it('yields every page in order with the next one already asked for, and ends the source when stopped', async () => {
    const { iterable, state } = source(5);
    const seen: string[] = [];
    for await (const page of readAhead(iterable)) {
      seen.push(String(page[0]![0]));
      // While this page is handled, the next is already being read.
      expect(state.read).toBe(Math.min(5, seen.length + 1));
    }
    expect(seen).toEqual(['名字0-0', '名字1-0', '名字2-0', '名字3-0', '名字4-0']);
    const second = source(50);
    for await (const _ of readAhead(second.iterable)) break;
    expect(second.state.closed).toBe(true);
    expect(second.state.read).toBe(2);
  });

  it('a page read ahead that fails while nobody reads (the client gone, the database closed) is no unhandled rejection, and is thrown to the next reader', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      async function* failing() {
        yield [['first']];
        throw new Error('SQLITE_MISUSE: Database handle is closed');
      }
      const pages = readAhead(failing());
      expect((await pages.next()).value).toEqual([['first']]);
      // The reader pauses here; the page read ahead fails meanwhile.
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
      await expect(pages.next()).rejects.toThrow('Database handle is closed');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
