// The phone under the server's daily push quota (issue 15, decision 052): fake-indexeddb for the
// phone, the REAL server app (real SQLite) with a small quota. A quota_exceeded answer must not lose
// the check: it stays in the outbox with its key frames and is sent once the server's day has turned.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { syntheticJpeg, syntheticResult } from '../../shared/sync-fixtures.ts';
import { DEFAULT_PUSH_QUOTA } from '../../server/config.ts';
import { DEMO } from '../../server/seed/demo.ts';
import { createTestApp, signIn, type TestApp } from '../../server/test-support.ts';
import { openAppDb, type AppDb } from './db.ts';
import { blobCount, saveAttempt, syncSummary, takeChallenge } from './store.ts';
import { createSyncEngine } from './sync-engine.ts';
import { createFetchTransport } from './transport.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ config: { pushQuota: { ...DEFAULT_PUSH_QUOTA, retiree: { records: 2, bytes: 10 * 1024 * 1024 } } } });
});
afterEach(async () => t.close());

async function checkOnPhone(db: AppDb, userId: number, retireeId: number) {
  const challenge = await takeChallenge(db, userId);
  return saveAttempt(db, { userId, retireeId, method: 'self', challenge, result: syntheticResult(challenge), frames: [syntheticJpeg(240, 320, 8_000, 1), syntheticJpeg(240, 320, 8_000, 2)] });
}

it('keeps a check the quota refused, with its key frames, sends nothing more that day, and sends it once the day has turned', async () => {
  const c = await signIn(t, DEMO.retireeOpen, 'phone-quota-0001');
  const me = await c.json('/api/me');
  const userId: number = me.body.user.id;
  const retireeId: number = me.body.retiree.id;
  const db = openAppDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  // The phone's clock is an hour behind the server's: the wait is the server's, counted on the phone.
  let phoneClock = t.clock.now - 3_600_000;
  const pushes: number[] = [];
  const transport = createFetchTransport({
    fetch: async (url, init = {}) => {
      if (String(url).endsWith('/api/sync/push')) pushes.push(phoneClock);
      return c.request(String(url), { method: init.method ?? 'GET', body: init.body as BodyInit, headers: init.headers as Record<string, string> });
    },
  });
  const engine = createSyncEngine({ db, transport, now: () => phoneClock, backoff: { baseMs: 1, maxMs: 4 } });
  await engine.sync(userId);

  const ids = [await checkOnPhone(db, userId, retireeId), await checkOnPhone(db, userId, retireeId), await checkOnPhone(db, userId, retireeId)];
  const report = await engine.sync(userId, { force: true });
  expect(report).toMatchObject({ sent: 2, rejected: 0, waiting: 1, held: true, error: null });
  const third = await db.attempts.get(ids[2]!);
  expect(third).toMatchObject({ syncState: 'waiting' });
  expect(third?.rejectReason).toBeUndefined();
  expect(await db.outbox.get(ids[2]!)).toBeDefined();
  expect(await blobCount(db, ids[2]!)).toBe(2);
  // Midnight in Beijing is 14 hours after the server's 10:00; by the phone's clock, 14 hours from now.
  const summary = await syncSummary(db, userId);
  expect(summary).toMatchObject({ waiting: 1, attention: 0, heldUntil: phoneClock + 14 * 3_600_000 });

  // The timer, Send now, coming back online: pulls go on, pushes wait for the day to turn.
  const before = pushes.length;
  expect(await engine.sync(userId, { force: true })).toMatchObject({ ran: true, held: true, waiting: 1, error: null });
  expect(pushes.length).toBe(before);

  // The next day, on both clocks.
  t.clock.advance(14 * 3_600_000);
  phoneClock += 14 * 3_600_000;
  expect(await engine.sync(userId)).toMatchObject({ sent: 1, waiting: 0, held: false, error: null });
  expect(await db.attempts.get(ids[2]!)).toMatchObject({ syncState: 'sent' });
  expect(await blobCount(db, ids[2]!)).toBe(0);
  expect((await syncSummary(db, userId)).heldUntil).toBeNull();
  expect(await t.db.get('SELECT count(*) AS n FROM attempts WHERE id IN (?, ?, ?)', ids)).toEqual({ n: 3 });
});
