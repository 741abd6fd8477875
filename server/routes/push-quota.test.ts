// The daily push quota (issue 15, decision 052) through the real app and a real SQLite file: one
// retiree session had stored 149 MB in 20 s. Per account and per phone, records and bytes per
// local day; an item over it is answered quota_exceeded, not stored, and taken the next day.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushResponse } from '../../shared/sync.ts';
import { createApp } from '../app.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { DEFAULT_PUSH_QUOTA, type PushQuota } from '../config.ts';
import { DEMO } from '../seed/demo.ts';
import { makeItem, pushBody, type TestItem } from '../sync/test-helpers.ts';
import { createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';

const KB = 1024;
const quota = (over: Partial<PushQuota>): PushQuota => ({ ...DEFAULT_PUSH_QUOTA, ...over });

let t: TestApp;
afterEach(async () => t.close());

async function retireeId(idNumber: string): Promise<number> {
  return (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;
}

async function push(c: Client, items: TestItem[]): Promise<PushResponse> {
  const { body, headers } = pushBody(items);
  const res = await c.json<PushResponse>('/api/sync/push', { method: 'POST', body, headers });
  expect(res.status).toBe(200);
  return res.body;
}

const stored = async (ids: string[]) =>
  (await t.db.get<{ n: number }>(
    `SELECT (SELECT count(*) FROM attempts WHERE id IN ${t.db.dialect.jsonValues('?1', 'text')}) + (SELECT count(*) FROM sync_rejections WHERE id IN ${t.db.dialect.jsonValues('?1', 'text')}) AS n`,
    [JSON.stringify(ids)],
  ))!.n;

const statuses = (r: PushResponse) => r.results.map((x) => (x.status === 'rejected' ? x.reason : x.status));

describe('a retiree over the daily record limit', () => {
  beforeEach(async () => {
    t = await createTestApp({ config: { pushQuota: quota({ retiree: { records: 3, bytes: 10 * 1024 * KB } }) } });
  });

  it('is answered quota_exceeded, nothing of it is stored, and the same items are taken once the day has turned', async () => {
    const c = await signIn(t, DEMO.retireeOpen, 'phone-quota-0001');
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    const items = Array.from({ length: 5 }, (_, i) => makeItem({ seq: i + 1, retireeId: rid, method: 'self', frames: 2 }));

    for (const item of items.slice(0, 3)) expect(statuses(await push(c, [item]))).toEqual(['accepted']);
    const refused = await push(c, items.slice(3));
    expect(statuses(refused)).toEqual(['quota_exceeded', 'quota_exceeded']);
    // The next local midnight in Beijing (the test clock is 2026-11-22 10:00 there).
    expect(refused.retryAt).toBe(Date.UTC(2026, 10, 22, 16, 0));
    expect(refused.lastSeq).toBe(3);
    expect(await stored(items.slice(3).map((i) => i.id))).toBe(0);

    // A retry of something already stored is still answered duplicate, quota or not.
    expect(statuses(await push(c, [items[0]!]))).toEqual(['duplicate']);

    // One second before midnight: still today.
    t.clock.now = refused.retryAt! - 1000;
    expect(statuses(await push(c, [items[3]!]))).toEqual(['quota_exceeded']);
    // The day has turned: the same items go through, in order, without a gap in the sequence.
    t.clock.now = refused.retryAt!;
    const next = await push(c, items.slice(3));
    expect(statuses(next)).toEqual(['accepted', 'accepted']);
    expect(next.retryAt).toBeUndefined();
    expect(await t.db.get('SELECT last_seq, gaps FROM sync_clients WHERE device_id = ?', ['phone-quota-0001'])).toEqual({ last_seq: 5, gaps: 0 });
  });

  it('holds whatever the concurrency: 20 pushes at once store exactly the limit', async () => {
    const c = await signIn(t, DEMO.retireeOpen, 'phone-quota-0002');
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => push(c, [makeItem({ seq: i + 1, retireeId: rid, method: 'self', frames: 1 })])));
    const all = answers.flatMap(statuses);
    expect(all.filter((s) => s === 'accepted')).toHaveLength(3);
    expect(all.filter((s) => s === 'quota_exceeded')).toHaveLength(17);
    expect((await t.db.get<{ n: number }>('SELECT count(*) AS n FROM attempts WHERE user_id = (SELECT id FROM users WHERE retiree_id = ?)', [rid]))!.n).toBe(3);
  });

  it('is counted from the database after a restart, from every phone of the account', async () => {
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    const a = await signIn(t, DEMO.retireeOpen, 'phone-quota-0003');
    for (let seq = 1; seq <= 2; seq++) expect(statuses(await push(a, [makeItem({ seq, retireeId: rid, method: 'self', frames: 1 })]))).toEqual(['accepted']);

    // The server restarts: a new process has a new connection and nothing in memory.
    const db2 = await t.reopen();
    try {
      const restarted = { ...t, app: createApp({ db: db2, config: t.config, now: () => t.clock.now, passwords: createPasswordHasher(10) }) };
      const b = await signIn(restarted, DEMO.retireeOpen, 'phone-quota-0004');
      const r = await push(b, [makeItem({ seq: 1, retireeId: rid, method: 'self', frames: 1 }), makeItem({ seq: 2, retireeId: rid, method: 'self', frames: 1 })]);
      expect(statuses(r)).toEqual(['accepted', 'quota_exceeded']);
    } finally {
      await db2.close();
    }
  });
});

describe('the daily byte limit', () => {
  it('refuses the attempt whose evidence would go over it, and those after it', async () => {
    t = await createTestApp({ config: { pushQuota: quota({ retiree: { records: 100, bytes: 40 * KB } }) } });
    const c = await signIn(t, DEMO.retireeOpen, 'phone-quota-0005');
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    // Two 9 KB key frames and ~1 KB of result: about 19 KB an attempt.
    const items = Array.from({ length: 3 }, (_, i) => makeItem({ seq: i + 1, retireeId: rid, method: 'self', frames: 2 }));
    expect(statuses(await push(c, [items[0]!]))).toEqual(['accepted']);
    expect(statuses(await push(c, [items[1]!]))).toEqual(['accepted']);
    expect(statuses(await push(c, [items[2]!]))).toEqual(['quota_exceeded']);
    // A blob-less result still fits in what is left: the limit counts bytes, not only records.
    expect(statuses(await push(c, [makeItem({ seq: 3, retireeId: rid, method: 'self', frames: 0, verdict: 'failed' })]))).toEqual(['accepted']);
  });
});

describe('the per-phone limit', () => {
  it('counts every account on one phone together, and no other phone', async () => {
    t = await createTestApp({ config: { pushQuota: quota({ device: { records: 2, bytes: 10 * 1024 * KB } }) } });
    const rid = await retireeId(DEMO.retireeOpen.idNumber);
    const retiree = await signIn(t, DEMO.retireeOpen, 'phone-shared-0001');
    expect(statuses(await push(retiree, [makeItem({ seq: 1, retireeId: rid, method: 'self', frames: 1 }), makeItem({ seq: 2, retireeId: rid, method: 'self', frames: 1 })]))).toEqual(['accepted', 'accepted']);

    const family = await signIn(t, DEMO.family, 'phone-shared-0001');
    expect(statuses(await push(family, [makeItem({ seq: 1, retireeId: rid, method: 'family', frames: 1 })]))).toEqual(['quota_exceeded']);
    const ownPhone = await signIn(t, DEMO.family, 'phone-family-0002');
    expect(statuses(await push(ownPhone, [makeItem({ seq: 1, retireeId: rid, method: 'family', frames: 1 })]))).toEqual(['accepted']);
  });
});

