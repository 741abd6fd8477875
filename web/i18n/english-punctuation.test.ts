// English office, worker and family screens showed Chinese punctuation ("distance 0.31：close",
// "Why it needs a decision：", "Zhang (community worker）"): a "：" typed into the code joins Chinese and
// English words alike. Punctuation that joins words comes from the catalog (`o.p.*` in office.ts),
// so each language has its own; the English catalogs of those screens hold none of the Chinese.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as family from './family.ts';
import * as office from './office.ts';
import * as lists from './office-lists.ts';
import * as people from './office-people.ts';
import * as retiree from './office-retiree.ts';
import * as setup from './office-setup.ts';
import * as worker from './worker.ts';

const CHINESE_PUNCTUATION = /[：，。（）；、！？【】《》]/;
const WEB = join(import.meta.dirname, '..');
const FOLDERS = ['office', 'worker', 'family'];

/** The code without its comments: what can reach a screen. */
const code = (source: string) =>
  source
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ''))
    .split('\n')
    .map((line) => line.replace(/(^|[^:])\/\/.*$/, '$1'))
    .join('\n');

describe('English on the office, worker and family screens', () => {
  it('has no Chinese punctuation in the English catalogs of those screens', () => {
    const found = [office, lists, people, retiree, setup, worker, family].flatMap((c) =>
      Object.entries(c.en as Record<string, string>)
        .filter(([, text]) => CHINESE_PUNCTUATION.test(text))
        .map(([key, text]) => `${key}: ${text}`),
    );
    expect(found).toEqual([]);
  });

  it('has no Chinese punctuation typed into the screens’ code: it comes from the catalog in the screen’s language', () => {
    const found: string[] = [];
    for (const folder of FOLDERS) {
      for (const file of readdirSync(join(WEB, folder))) {
        if (!/\.tsx?$/.test(file) || file.includes('.test.')) continue;
        code(readFileSync(join(WEB, folder, file), 'utf8'))
          .split('\n')
          .forEach((line, i) => {
            if (CHINESE_PUNCTUATION.test(line)) found.push(`web/${folder}/${file}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(found).toEqual([]);
  });
});
