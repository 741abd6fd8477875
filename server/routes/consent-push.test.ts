// Consent in the push (issue 21 §1, decision 085) through app.request(): a choice travels in the same
// push, sequence and per-item answers as attempts and visits; a replayed push stores nothing and is
// answered from the row; a worker records the retiree's answer heard at the door (recordedBy
// 'worker'); the older POST /api/consents of installed apps writes the same rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONSENT_NOTICE_VERSION } from '../../shared/schemas/consent.ts';
import type { ConsentItem, PushResponse } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { DEMO } from '../seed/demo.ts';
import { makeItem } from '../sync/test-helpers.ts';
import { signIn, type Client, type TestApp, createTestApp } from '../test-support.ts';
import { demoRetireeIds } from './role-clients.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoRetireeIds>>;
beforeEach(async () => {
  t = await createTestApp();
  ids = await demoRetireeIds(t);
});
afterEach(async () => t.close());

const push = (c: Client, items: unknown[]) => c.json<PushResponse>('/api/sync/push', { json: { items } });
const consent = (seq: number, retireeId: number, choice: ConsentItem['choice'] = 'face'): ConsentItem => ({
  type: 'consent',
  id: uuidv7(t.clock.now),
  seq,
  retireeId,
  choice,
  noticeVersion: CONSENT_NOTICE_VERSION,
  deviceTime: t.clock.now - 60_000,
});
const rows = (retireeId: number) =>
  t.db.all<{ id: string; user_id: number; choice: string; notice_version: number; device_id: string | null; seq: number | null; received_at: number }>(
    'SELECT id, user_id, choice, notice_version, device_id, seq, received_at FROM consents WHERE retiree_id = ? ORDER BY id',
    [retireeId],
  );
const lastSeq = async (deviceId: string) => (await t.db.get<{ last_seq: number; gaps: number }>('SELECT last_seq, gaps FROM sync_clients WHERE device_id = ?', [deviceId]))!;

describe('consent in the push', () => {
  it('is stored once however often the push is replayed, and moves the device sequence', async () => {
    const retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'phone-retiree-open1');
    const item = consent(1, ids.open);
    const first = await push(retiree, [item]);
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([{ id: item.id, seq: 1, status: 'accepted', outcome: { kind: 'consent_recorded', receivedAt: t.clock.now } }]);
    expect(first.body.lastSeq).toBe(1);
    const received = t.clock.now;
    // The answer was lost on the way: the same push again (twice in one request), a minute later.
    t.clock.advance(60_000);
    const again = await push(retiree, [item, item]);
    expect(again.body.results).toEqual([
      { id: item.id, seq: 1, status: 'duplicate', outcome: { kind: 'consent_recorded', receivedAt: received } },
      { id: item.id, seq: 1, status: 'duplicate', outcome: { kind: 'consent_recorded', receivedAt: received } },
    ]);
    expect(await rows(ids.open)).toEqual([
      { id: item.id, user_id: expect.any(Number), choice: 'face', notice_version: CONSENT_NOTICE_VERSION, device_id: 'phone-retiree-open1', seq: 1, received_at: received },
    ]);
    expect(await lastSeq('phone-retiree-open1')).toEqual({ last_seq: 1, gaps: 0 });
    // Read back as the latest choice, recorded by the retiree.
    const got = await retiree.json<{ consent: { id: string; recordedBy: string; decidedAt: number } }>(`/api/consents?retireeId=${ids.open}`);
    expect(got.body.consent).toMatchObject({ id: item.id, recordedBy: 'self', decidedAt: item.deviceTime });
  });

  it('shares the one sequence with attempts: consent, then the check, in one push, no gaps', async () => {
    const family = await signIn(t, DEMO.family, 'phone-family-0001');
    const c = consent(1, ids.open);
    const check = makeItem({ seq: 2, retireeId: ids.open, method: 'family', verdict: 'failed' });
    const res = await push(family, [c, check]);
    expect(res.body.results.map((r) => [r.seq, r.status])).toEqual([
      [1, 'accepted'],
      [2, 'accepted'],
    ]);
    expect(res.body.lastSeq).toBe(2);
    expect(await lastSeq('phone-family-0001')).toEqual({ last_seq: 2, gaps: 0 });
    const got = await family.json<{ consent: { recordedBy: string } }>(`/api/consents?retireeId=${ids.open}`);
    expect(got.body.consent.recordedBy).toBe('family');
  });

  it("a worker records the retiree's answer at the door: stored as recorded by the worker", async () => {
    const worker = await signIn(t, DEMO.worker, 'phone-worker-0001');
    const workerId = (await t.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.worker.username]))!.id;
    const item = consent(1, ids.certified, 'alternative');
    const res = await push(worker, [item]);
    expect(res.body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'consent_recorded' } });
    expect((await rows(ids.certified))[0]).toMatchObject({ id: item.id, user_id: workerId, choice: 'alternative', device_id: 'phone-worker-0001' });
    const office = await signIn(t, DEMO.admin);
    const got = await office.json<{ consent: { recordedBy: string; choice: string } }>(`/api/consents?retireeId=${ids.certified}`);
    expect(got.body.consent).toMatchObject({ recordedBy: 'worker', choice: 'alternative' });
  });

  it('refuses, per item, a retiree the sender may not reach and a malformed choice (never stored)', async () => {
    const retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'phone-retiree-open1');
    const foreign = consent(1, ids.certified);
    const bad = { ...consent(2, ids.open), choice: 'maybe' };
    const good = consent(3, ids.open);
    const res = await push(retiree, [foreign, bad, good]);
    expect(res.body.results.map((r) => (r.status === 'rejected' ? r.reason : r.status))).toEqual(['no_access', 'invalid', 'accepted']);
    expect(await rows(ids.certified)).toEqual([]);
    expect((await rows(ids.open)).map((r) => r.id)).toEqual([good.id]);
    // A rejection is answered the same way again, from its row.
    const again = await push(retiree, [foreign]);
    expect(again.body.results[0]).toMatchObject({ status: 'rejected', reason: 'no_access' });
  });

  it('the same id from another account is an id conflict, and the first row stays', async () => {
    const retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'phone-retiree-open1');
    const family = await signIn(t, DEMO.family, 'phone-family-0001');
    const item = consent(1, ids.open, 'face');
    await push(retiree, [item]);
    const res = await push(family, [{ ...item, choice: 'alternative' }]);
    expect(res.body.results[0]).toMatchObject({ status: 'rejected', reason: 'id_conflict' });
    expect((await rows(ids.open)).map((r) => r.choice)).toEqual(['face']);
  });

  it('an installed older app still posts to /api/consents: the same table, and the push then answers that id as a duplicate', async () => {
    const retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'phone-retiree-open1');
    const id = uuidv7(t.clock.now);
    const posted = await retiree.json('/api/consents', { json: { id, retireeId: ids.open, choice: 'face', noticeVersion: CONSENT_NOTICE_VERSION, decidedAt: t.clock.now } });
    expect(posted.status).toBe(201);
    const res = await push(retiree, [{ ...consent(1, ids.open), id }]);
    expect(res.body.results[0]).toMatchObject({ id, status: 'duplicate', outcome: { kind: 'consent_recorded' } });
    expect(await rows(ids.open)).toHaveLength(1);
  });
});
