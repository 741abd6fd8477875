import { expect, it } from 'vitest';
import { parseCsv } from './csv.ts';

it('parses quoted fields with commas, quotes and line breaks', () => {
  const rows = parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\nlast,,\n');
  expect(rows).toEqual([
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 2, fields: ['x, y', 'say "hi"', 'two\nlines'] },
    { line: 4, fields: ['last', '', ''] },
  ]);
});

it('drops a BOM and blank lines, keeps Chinese text', () => {
  expect(parseCsv('\ufeff姓名,地址\n\n张桂兰,幸福里 3 号楼\n')).toEqual([
    { line: 1, fields: ['姓名', '地址'] },
    { line: 3, fields: ['张桂兰', '幸福里 3 号楼'] },
  ]);
});

it('handles a last row without a newline', () => {
  expect(parseCsv('a,b\n1,2')).toEqual([
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['1', '2'] },
  ]);
});

it('reports an unclosed quote with its line', () => {
  expect(() => parseCsv('a\n"open,b\n')).toThrow(/line 2: a quoted field is not closed/);
});
