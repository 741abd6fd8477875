import { describe, expect, it } from 'vitest';
import { officeHref, parseRoute, retireeHref } from './route.ts';

describe('office route', () => {
  it('reads the screen, the record and the filters from the hash', () => {
    const r = parseRoute('#/retirees?status=overdue&community=3');
    expect(r.view).toBe('retirees');
    expect(r.id).toBeNull();
    expect(r.params.get('status')).toBe('overdue');
    expect(r.params.get('community')).toBe('3');
    expect(parseRoute(retireeHref(42))).toMatchObject({ view: 'retiree', id: 42 });
    expect(parseRoute('#/queue').view).toBe('queue');
  });

  it('falls back to the overview or the list for what it does not know', () => {
    expect(parseRoute('').view).toBe('overview');
    expect(parseRoute('#/nonsense').view).toBe('overview');
    expect(parseRoute('#/retiree').view).toBe('overview');
    expect(parseRoute('#/retirees/abc')).toMatchObject({ view: 'retirees', id: null });
    expect(parseRoute('#/retirees/-1')).toMatchObject({ view: 'retirees', id: null });
  });

  it('writes only the filters that are set, and reads back what it wrote', () => {
    const href = officeHref('retirees', { status: 'due', community: 7, q: '', method: undefined, noReference: false, neverSignedIn: true });
    expect(href).toBe('#/retirees?status=due&community=7&neverSignedIn=true');
    expect(parseRoute(href).params.get('community')).toBe('7');
    expect(officeHref('overview')).toBe('#/overview');
    expect(parseRoute(officeHref('audit', { who: '王 五&x' })).params.get('who')).toBe('王 五&x');
  });
});
