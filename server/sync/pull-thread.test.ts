// Pulls on their own thread (decision 053): the same answers as in process, and the main thread's
// event loop is left with one round trip per pull instead of one per read. Under push load each of
// those round trips waited for a turn of a busy loop, and pulls starved (issue 15).
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PullResponse } from '../../shared/sync.ts';
import { createApp } from '../app.ts';
import { createSessionStore } from '../auth/auth_session.ts';
import type { Db } from '../db/sqlite.ts';
import { DEMO } from '../seed/demo.ts';
import { createTestApp, onPostgres, signIn, type TestApp } from '../test-support.ts';
import { PullAnswerer, startPullThread } from './pull-thread.ts';
import { decodeToken, signingSecret } from './tokens.ts';

/** `db` with a count of the statements run on it (reads and writes, kept statements included). */
function counted(db: Db): Db & { statements: number } {
  const c: Db & { statements: number } = {
    statements: 0,
    path: db.path,
    engine: db.engine,
    dialect: db.dialect,
    get: (sql, params) => (c.statements++, db.get(sql, params)),
    all: (sql, params) => (c.statements++, db.all(sql, params)),
    run: (sql, params) => (c.statements++, db.run(sql, params)),
    exec: (sql) => (c.statements++, db.exec(sql)),
    prepare: (sql) => {
      const p = db.prepare(sql);
      return { all: (params) => (c.statements++, p.all(params)), run: (params) => (c.statements++, p.run(params)) };
    },
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  };
  return c;
}

let t: TestApp;
let db: ReturnType<typeof counted>;
let app: TestApp;
let pulls: PullAnswerer;
beforeEach(async () => {
  t = await createTestApp();
  db = counted(t.db);
  pulls = new PullAnswerer(db);
  // The same app on the counted handle: what it runs on the main thread's connections is seen.
  app = { ...t, db, app: createApp({ db, pulls, config: t.config, now: () => t.clock.now, passwords: (await import('../auth/password.ts')).createPasswordHasher(10), logger: { info: () => undefined, error: () => undefined } }) };
});
afterEach(async () => {
  await pulls.close();
  await t.close();
});

const pull = async (who: Parameters<typeof signIn>[1], device: string, body: object = { cursor: null, wantChallenges: 3 }) => {
  const c = await signIn(app, who, device);
  const first = await c.json<PullResponse>('/api/sync/pull', { json: body });
  expect(first.status).toBe(200);
  // The second pull, as a phone's next: the session is kept and the token secret known.
  const before = db.statements;
  const second = await c.json<PullResponse>('/api/sync/pull', { json: { ...body, cursor: first.body.cursor } });
  expect(second.status).toBe(200);
  return { first: first.body, second: second.body, statements: db.statements - before };
};

describe('pulls', () => {
  it('in process (tests): several reads per pull on the main thread', async () => {
    const { statements } = await pull(DEMO.retireeOpen, 'device-pull-0001');
    expect(statements).toBeGreaterThanOrEqual(4);
  });

  // The pull thread opens the SQLite file (decision 053); on PostgreSQL there is none, and pulls are
  // answered in process on the pool, as the test above shows on either engine (decision 081).
  it('on PostgreSQL: no pull thread, which would make a SQLite file of the URL; in process on the pool', async () => {
    expect(() => startPullThread('postgres://postgres@%2Ftmp:55432/stillhere')).toThrow(/on PostgreSQL pulls are answered in process, on the pool/);
    expect(existsSync('postgres:')).toBe(false);
    if (!onPostgres) return;
    const { first, second } = await pull(DEMO.worker, 'device-pull-0006');
    expect(first.full).toBe(true);
    expect(first.retirees.length).toBeGreaterThan(1);
    expect(second.full).toBe(false);
  });

  it.skipIf(onPostgres)(`are answered while the pull thread is still starting${onPostgres ? ' (SQLite’s alone: the thread opens the file)' : ''}`, async () => {
    const thread = startPullThread(db.path);
    pulls.useThread(thread);
    expect(thread.ready()).toBe(false);
    const { first } = await pull(DEMO.retireeOpen, 'device-pull-0005');
    expect(first.challenges).toHaveLength(3);
  });

  describe.skipIf(onPostgres)(`on the pull thread${onPostgres ? ' (SQLite’s alone: the thread opens the file)' : ''}`, () => {
    beforeEach(async () => {
      const thread = startPullThread(db.path);
      pulls.useThread(thread);
      await vi.waitFor(() => expect(thread.ready()).toBe(true), { timeout: 10_000 });
    });

    it('make no read on the main thread, the session check included', async () => {
      const { statements } = await pull(DEMO.retireeOpen, 'device-pull-0002');
      expect(statements).toBe(0);
    });

    it('answer a retiree as in process, with tokens signed by this database', async () => {
      const { first, second } = await pull(DEMO.retireeOpen, 'device-pull-0003');
      await pulls.close();
      const inProcess = await pull(DEMO.retireeOpen, 'device-pull-0003');
      const strip = (p: PullResponse) => ({ ...p, challenges: p.challenges.length });
      expect(strip(first)).toEqual(strip(inProcess.first));
      expect(strip(second)).toEqual(strip(inProcess.second));
      expect(first.retirees).toHaveLength(1);
      const secret = await signingSecret(t.db);
      for (const g of second.challenges) expect(decodeToken(secret, g.token)?.d).toBe('device-pull-0003');
    });

    it('answer a worker with the roster and the signature key', async () => {
      const { first, second } = await pull(DEMO.worker, 'device-pull-0004');
      expect(first.full).toBe(true);
      expect(first.retirees.length).toBeGreaterThan(1);
      expect(first.signatureKey?.spki).toMatch(/^[A-Za-z0-9+/=]+$/);
      expect(second.full).toBe(false);
      expect(second.retirees).toEqual([]);
    });
  });
});

// The pull takes a kept session without the auth epoch and re-checks its row on the pull thread:
// a session ended meanwhile is never answered, and the phone hears why (decisions 046, 051, 053).
describe.each([
  { where: 'in process', thread: false },
  // The thread opens the SQLite file: SQLite's alone.
  ...(onPostgres ? [] : [{ where: 'on the pull thread', thread: true }]),
])('a pull whose session ended after it was kept ($where)', ({ thread }) => {
  beforeEach(async () => {
    if (!thread) return;
    const t = startPullThread(db.path);
    pulls.useThread(t);
    await vi.waitFor(() => expect(t.ready()).toBe(true), { timeout: 10_000 });
  });

  async function keptThenEnded(end: (userId: number) => Promise<unknown>) {
    const c = await signIn(app, DEMO.retireeOpen, 'device-pull-0010');
    expect((await c.json('/api/sync/pull', { json: { cursor: null } })).status).toBe(200);
    const userId = (await t.db.get<{ user_id: number }>("SELECT user_id FROM sessions WHERE device_id = 'device-pull-0010'"))!.user_id;
    await end(userId);
    return c.json('/api/sync/pull', { json: { cursor: null, wantChallenges: 3 } });
  }

  it('signed out elsewhere: 401, no tokens', async () => {
    const res = await keptThenEnded((userId) => t.db.run('DELETE FROM sessions WHERE user_id = ?', [userId]));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect(res.body.challenges).toBeUndefined();
  });

  it('the office reset the PIN: 401 that says so', async () => {
    const res = await keptThenEnded((userId) => createSessionStore(t.db, () => t.clock.now).endUserSessions(userId, 'pin_reset'));
    expect(res.status).toBe(401);
    expect(res.body.error.details?.sessionEnded).toBe('pin_reset');
  });

  it('the account disabled: 401', async () => {
    const res = await keptThenEnded((userId) => t.db.run('UPDATE users SET disabled = 1 WHERE id = ?', [userId]));
    expect(res.status).toBe(401);
  });
});
