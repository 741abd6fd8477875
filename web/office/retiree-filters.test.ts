import { describe, expect, it } from 'vitest';
import { parseRoute } from './route.ts';
import { apiQuery, filtered, filtersFrom, listHref, NO_FILTERS } from './retiree-filters.ts';

describe('the Retirees list’s filters in the URL', () => {
  it('reads what a link wrote, and writes only what is set', () => {
    const href = listHref({ ...NO_FILTERS, status: 'certified', method: 'family', community: 3, neverSignedIn: true, q: ' 王 ', page: 2 });
    expect(href).toBe('#/retirees?status=certified&method=family&community=3&neverSignedIn=1&q=%E7%8E%8B&page=2');
    const back = filtersFrom(parseRoute(href).params);
    expect(back).toMatchObject({ status: 'certified', method: 'family', community: 3, neverSignedIn: true, noReference: false, q: '王', page: 2, sort: 'name', dir: 'asc' });
    expect(listHref(NO_FILTERS)).toBe('#/retirees');
    expect(filtered(NO_FILTERS)).toBe(false);
    expect(filtered(back)).toBe(true);
  });

  it('drops what the server would refuse, so a hand-edited link still shows a list', () => {
    const f = filtersFrom(new URLSearchParams('status=nope&method=fax&community=abc&age=100&category=x&sort=phone&dir=up&page=-3&noReference=yes&region=1e3'));
    expect(f).toEqual(NO_FILTERS);
    expect(filtersFrom(new URLSearchParams(`q=${'张'.repeat(50)}`)).q).toHaveLength(40);
    expect(filtersFrom(new URLSearchParams('noReference=true&age=80_89&sort=last_certified&dir=desc'))).toMatchObject({ noReference: true, age: '80_89', sort: 'last_certified', dir: 'desc' });
  });

  it('asks the API for the same filters, with the page size', () => {
    const f = filtersFrom(new URLSearchParams('status=overdue&community=7&sort=status&dir=desc&page=4&region=2'));
    expect(apiQuery(f, 50)).toBe('region=2&status=overdue&community=7&sort=status&dir=desc&page=4&size=50');
    expect(apiQuery(NO_FILTERS, 50)).toBe('size=50');
  });
});
