// Consent recording: per-role authorization (object-level too), idempotent resend, conflicts,
// validation, and "latest choice counts".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/uuid7.ts';
import { createTestApp, type Client, type TestApp } from '../test-support.ts';
import { clientsByRole, demoRetireeIds, type Actor, type DemoRetiree } from './role-clients.ts';

let t: TestApp;
let clients: Record<Actor, Client>;
let ids: Record<DemoRetiree, number>;

beforeAll(async () => {
  t = await createTestApp();
  clients = await clientsByRole(t);
  ids = await demoRetireeIds(t);
});
afterAll(async () => t.close());

const body = (retireeId: number, choice: 'face' | 'alternative' = 'face') => ({ id: uuidv7(), retireeId, choice, noticeVersion: 1, decidedAt: t.clock.now - 60_000 });

describe('who may record a consent', () => {
  const cases: [string, () => number, Record<Actor, number>][] = [
    // open: the retiree's own record, linked to family.demo, in worker.demo's community, in admin.demo's region.
    ['for the signed-in retiree / linked / assigned', () => ids.open, { anon: 401, retiree: 201, family: 201, worker: 201, admin: 403 }],
    ['for another retiree of the same community', () => ids.certified, { anon: 401, retiree: 404, family: 404, worker: 201, admin: 403 }],
    ['for a retiree of another region', () => ids.suspended, { anon: 401, retiree: 404, family: 404, worker: 404, admin: 403 }],
    ['for a retiree that does not exist', () => 999_999, { anon: 401, retiree: 404, family: 404, worker: 404, admin: 403 }],
  ];
  describe.each(cases)('%s', (_name, retiree, expected) => {
    it.each(Object.keys(expected) as Actor[])('as %s', async (actor) => {
      const res = await clients[actor].json('/api/consents', { json: body(retiree()) });
      expect(res.status, JSON.stringify(res.body)).toBe(expected[actor]);
      if (res.status >= 400) expect(res.body.error.code).toMatch(/^[a-z_]+$/);
    });
  });

  const reads: [string, () => number, Record<Actor, number>][] = [
    ['reading the latest for own / linked / assigned / region', () => ids.open, { anon: 401, retiree: 200, family: 200, worker: 200, admin: 200 }],
    ['reading another region', () => ids.suspended, { anon: 401, retiree: 404, family: 404, worker: 404, admin: 404 }],
  ];
  describe.each(reads)('%s', (_name, retiree, expected) => {
    it.each(Object.keys(expected) as Actor[])('as %s', async (actor) => {
      const res = await clients[actor].json(`/api/consents?retireeId=${retiree()}`);
      expect(res.status, JSON.stringify(res.body)).toBe(expected[actor]);
    });
  });
});

describe('recording', () => {
  it('stores the choice once: a resend with the same id answers 200 with the stored row', async () => {
    const b = body(ids.open, 'alternative');
    const first = await clients.retiree.json('/api/consents', { json: b });
    expect(first.status).toBe(201);
    expect(first.body.consent).toMatchObject({ id: b.id, retireeId: ids.open, choice: 'alternative', noticeVersion: 1, decidedAt: b.decidedAt, recordedBy: 'self' });
    const again = await clients.retiree.json('/api/consents', { json: b });
    expect(again.status).toBe(200);
    expect(again.body.consent).toEqual(first.body.consent);
    const n = await t.db.get<{ n: number }>('SELECT count(*) AS n FROM consents WHERE id = ?', [b.id]);
    expect(n?.n).toBe(1);
  });

  it('refuses the same id with different content (409 conflict) and keeps the first', async () => {
    const b = body(ids.open, 'face');
    expect((await clients.retiree.json('/api/consents', { json: b })).status).toBe(201);
    const changed = await clients.retiree.json('/api/consents', { json: { ...b, choice: 'alternative' } });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('conflict');
    const byOther = await clients.family.json('/api/consents', { json: b });
    expect(byOther.status).toBe(409);
    const row = await t.db.get<{ choice: string }>('SELECT choice FROM consents WHERE id = ?', [b.id]);
    expect(row?.choice).toBe('face');
  });

  it('the latest choice on the phone counts, and says who recorded it', async () => {
    const early = { ...body(ids.certified, 'face'), decidedAt: t.clock.now - 10_000 };
    const late = { ...body(ids.certified, 'alternative'), decidedAt: t.clock.now - 5_000 };
    // Sent in the opposite order: the phone's time of the choice decides.
    expect((await clients.worker.json('/api/consents', { json: late })).status).toBe(201);
    expect((await clients.worker.json('/api/consents', { json: early })).status).toBe(201);
    const got = await clients.admin.json(`/api/consents?retireeId=${ids.certified}`);
    expect(got.body.consent).toMatchObject({ id: late.id, choice: 'alternative', recordedBy: 'worker' });
    const fam = await clients.family.json('/api/consents', { json: body(ids.open, 'face') });
    expect(fam.body.consent.recordedBy).toBe('family');
  });

  it('rejects bad input with a clear validation error', async () => {
    const bad = [
      { ...body(ids.open), id: 'not-a-uuid' },
      { ...body(ids.open), choice: 'maybe' },
      { ...body(ids.open), noticeVersion: 0 },
      { ...body(ids.open), extra: true },
      { id: uuidv7(), retireeId: ids.open },
    ];
    for (const b of bad) {
      const res = await clients.retiree.json('/api/consents', { json: b });
      expect(res.status, JSON.stringify(b)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const q = await clients.retiree.json('/api/consents?retireeId=abc');
    expect(q.status).toBe(400);
    expect(q.body.error.code).toBe('validation_failed');
  });
});
