// History of certifications by year: per-role authorization and what it returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../test-support.ts';
import { clientsByRole, demoRetireeIds, type Actor, type DemoRetiree } from './role-clients.ts';

let t: TestApp;
let clients: Record<Actor, Client>;
let ids: Record<DemoRetiree, number>;

beforeAll(async () => {
  t = await createTestApp();
  clients = await clientsByRole(t, 'certified');
  ids = await demoRetireeIds(t);
});
afterAll(async () => t.close());

describe('GET /api/certifications', () => {
  const cases: [string, () => number, Record<Actor, number>][] = [
    // certified: the signed-in retiree, not linked to family.demo, in worker.demo's community and admin.demo's region.
    ['own / assigned / in region', () => ids.certified, { anon: 401, retiree: 200, family: 404, worker: 200, admin: 200 }],
    ['linked to the family member', () => ids.open, { anon: 401, retiree: 404, family: 200, worker: 200, admin: 200 }],
    ['another region', () => ids.suspended, { anon: 401, retiree: 404, family: 404, worker: 404, admin: 404 }],
  ];
  describe.each(cases)('%s', (_name, id, expected) => {
    it.each(Object.keys(expected) as Actor[])('as %s', async (actor) => {
      const res = await clients[actor].json(`/api/certifications?retireeId=${id()}`);
      expect(res.status, JSON.stringify(res.body)).toBe(expected[actor]);
    });
  });

  it('lists the certified retiree’s years, newest first, with method and date', async () => {
    const res = await clients.retiree.json(`/api/certifications?retireeId=${ids.certified}`);
    expect(res.body.years.length).toBeGreaterThan(0);
    for (const y of res.body.years) {
      expect(y).toEqual({ year: expect.any(Number), status: expect.stringMatching(/^(approved|pending_review|rejected)$/), method: expect.any(String), certifiedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    }
    const years = res.body.years.map((y: { year: number }) => y.year);
    expect(years).toEqual([...years].sort((a, b) => b - a));
    const open = await clients.family.json(`/api/certifications?retireeId=${ids.open}`);
    expect(open.body.years.filter((y: { status: string; year: number }) => y.status === 'approved' && y.year === new Date(t.clock.now).getUTCFullYear())).toEqual([]);
  });

  it('refuses a malformed retiree id', async () => {
    const res = await clients.retiree.json('/api/certifications?retireeId=-1');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});
