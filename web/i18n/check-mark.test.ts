// "2026 年已认证 ✓" left the ✓ alone on the next line of a narrow card: a ✓ is tied to the word
// before it by a no-break space in every catalog, so the two wrap together.
import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import * as family from './family.ts';
import * as office from './office.ts';
import * as lists from './office-lists.ts';
import * as people from './office-people.ts';
import * as officeRetiree from './office-retiree.ts';
import * as setup from './office-setup.ts';
import * as readAloud from './read-aloud.ts';
import * as retiree from './retiree.ts';
import * as worker from './worker.ts';
import { zhCN } from './zh-CN.ts';

const catalogs: Record<string, Record<string, string>> = {
  'zh-CN': zhCN,
  en,
  ...Object.fromEntries(
    Object.entries({ family, office, lists, people, officeRetiree, setup, readAloud, retiree, worker }).flatMap(([name, c]) => [
      [`${name}.zh`, c.zh],
      [`${name}.en`, c.en],
    ]),
  ),
};

describe('a check mark', () => {
  it('never starts a line on its own: a no-break space ties it to the word before', () => {
    const marks = Object.entries(catalogs).flatMap(([name, c]) => Object.entries(c).filter(([, text]) => text.includes('✓')).map(([key, text]) => ({ key: `${name} ${key}`, text })));
    expect(marks.length).toBeGreaterThanOrEqual(10);
    expect(marks.filter(({ text }) => /(^|[^\u00a0])✓/.test(text) && text.trim() !== '✓')).toEqual([]);
  });
});
