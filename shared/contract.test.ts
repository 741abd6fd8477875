import { describe, expect, it } from 'vitest';
import { pathOf } from './contract.ts';

describe('pathOf', () => {
  it('fills each :name, encoded, and appends the query', () => {
    expect(pathOf('/api/office/people/links/:user/:retiree', { user: 7, retiree: 12 })).toBe('/api/office/people/links/7/12');
    expect(pathOf('/api/family/requests/:id', { id: '1/../../me' })).toBe('/api/family/requests/1%2F..%2F..%2Fme');
    expect(pathOf('/api/certifications', {}, 'retireeId=3')).toBe('/api/certifications?retireeId=3');
    expect(pathOf('/api/office/lists', {}, '')).toBe('/api/office/lists');
  });

  it('refuses a path with a parameter left unfilled', () => {
    expect(() => pathOf('/api/retirees/:id/status')).toThrow(/:id/);
  });
});
