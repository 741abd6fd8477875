// docs/deploy.md's replica procedure, run: a primary with a synchronous streaming standby
// (scripts/postgres-replica.sh), the app on the primary, a push answered "accepted", the primary
// cut off at once (immediate shutdown, as a power cut), the standby promoted and the app started on
// it: the push is there, the phone's session still holds, the same push again is a duplicate and a
// new one is stored. Skipped, saying so, where PostgreSQL is not installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeGrant, PushResponse } from '../shared/sync.ts';
import { createApp, createServices } from '../server/app.ts';
import { createPasswordHasher } from '../server/auth/password.ts';
import { loadConfig } from '../server/config.ts';
import type { Deps } from '../server/context.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPostgres } from '../server/db/postgres.ts';
import type { Db } from '../server/db/sqlite.ts';
import { DEMO, seedDemoIfEmpty } from '../server/seed/demo.ts';
import { makeItem, pushBody } from '../server/sync/test-helpers.ts';
import { client, type Client } from '../server/test-support.ts';

const SCRIPT = join(import.meta.dirname, 'postgres-replica.sh');
const installed = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/pg_ctl`));
if (!installed) console.warn('scripts/postgres-replica.test.ts: PostgreSQL is not installed (apt-get install -y postgresql): the replica procedure is not tried.');

const replica = (...args: string[]) => execFileSync(SCRIPT, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe.skipIf(!installed)('a synchronous streaming replica takes over from a primary that died', () => {
  let dir: string;
  let primaryUrl: string;
  let standbyUrl: string;
  const open: Db[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stillhere-replica-'));
    // The clusters listen on sockets in `dir` only, so any port numbers do.
    [primaryUrl, standbyUrl] = replica('start', dir, '5401', '5402').trim().split('\n') as [string, string];
  }, 120_000);

  afterAll(async () => {
    // The first pool's server is gone: closing it may fail, and that is not what is tested.
    for (const db of open) await db.close().catch(() => undefined);
    replica('stop', dir);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function appOn(url: string) {
    const db = await openPostgres(url, { max: 4 });
    open.push(db);
    await migrate(db);
    const deps: Deps = { db, config: loadConfig({ NODE_ENV: 'test' }, dir), passwords: createPasswordHasher(10) };
    await seedDemoIfEmpty(createServices(deps));
    return createApp(deps);
  }

  async function pushCheck(c: Client, retireeId: number, seq: number, id?: string) {
    const grants = await c.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count: 1 } });
    expect(grants.status, JSON.stringify(grants.body)).toBe(200);
    const item = makeItem({ seq, retireeId, method: 'worker', challenge: grants.body.challenges[0], frames: 2, ...(id ? { id } : {}) });
    const { body, headers } = pushBody([item]);
    const res = await c.json<PushResponse>('/api/sync/push', { body, headers });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { item, result: res.body.results[0]! };
  }

  it('loses nothing the phone was told was kept, counts nothing twice, and keeps the session', async () => {
    const phone = client({ app: await appOn(primaryUrl) });
    const signIn = await phone.json('/api/auth/sign-in', { json: { ...DEMO.worker, deviceId: 'phone-replica-01' } });
    expect(signIn.status).toBe(200);
    const roster = await phone.json<{ retirees: { id: number }[] }>('/api/roster');
    const retireeId = roster.body.retirees[0]!.id;

    const first = await pushCheck(phone, retireeId, 1);
    expect(first.result.status).toBe('accepted');

    // Synchronous: "accepted" meant the standby had it too.
    expect(await open[0]!.all('SELECT application_name, sync_state FROM pg_stat_replication')).toEqual([{ application_name: 'standby1', sync_state: 'sync' }]);

    // The power cut: no checkpoint, no goodbye to the standby.
    replica('crash', dir, 'primary');
    // The instance still on the dead primary says so (503 with Retry-After: the phone keeps its
    // outbox and tries again; nginx's health check takes the instance out), not "internal error".
    const orphan = await phone.json('/api/health');
    expect(orphan).toMatchObject({ status: 503, body: { error: { code: 'server_busy' } } });
    const orphanPush = await phone.json('/api/me');
    expect(orphanPush.status).toBe(503);
    replica('promote', dir);

    // The app restarted against the new primary (DATABASE_URL now names the standby's host).
    const after = client({ app: await appOn(standbyUrl) });
    after.cookie = phone.cookie;
    expect((await after.request('/api/me')).status).toBe(200);
    const again = await pushCheck(after, retireeId, 1, first.item.id);
    expect(again.result).toMatchObject({ id: first.item.id, status: 'duplicate' });
    const next = await pushCheck(after, retireeId, 2);
    expect(next.result.status).toBe('accepted');

    const db = open.at(-1)!;
    const stored = await db.all<{ id: string }>('SELECT id FROM attempts WHERE id IN (?, ?) ORDER BY id', [first.item.id, next.item.id]);
    expect(stored.map((r) => r.id)).toEqual([first.item.id, next.item.id].sort());
  }, 120_000);
});
