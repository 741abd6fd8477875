// Shared by the sync benchmarks: a seeded SQLite file (or, given a postgres:// URL, a PostgreSQL
// database) with many retirees, each with a signed-in
// phone (a session bound to its own device id), challenge tokens signed with the database's secret,
// and push bodies built as the phone builds them.
import { createHash } from 'node:crypto';
import { createServices } from '../../server/app.ts';
import { createPasswordHasher } from '../../server/auth/password.ts';
import { loadConfig } from '../../server/config.ts';
import { migrate } from '../../server/db/migrate.ts';
import type { Db } from '../../server/db/db.ts';
import { isPostgresUrl, openPostgres } from '../../server/db/postgres.ts';
import { openDb } from '../../server/db/sqlite.ts';
import { seedDemoIfEmpty } from '../../server/seed/demo.ts';
import { insertRetiree } from '../../server/store/retirees.ts';
import { ensureRetireeUser } from '../../server/store/users.ts';
import { issueChallenges } from '../../server/sync/tokens.ts';
import { addDays } from '../../shared/dates.ts';
import { idCheckChar } from '../../shared/id-number.ts';
import type { Verdict } from '../../shared/liveness.ts';
import { syntheticJpeg, syntheticResult } from '../../shared/sync-fixtures.ts';
import type { BlobRef, ChallengeGrant } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';

export interface Phone {
  userId: number;
  retireeId: number;
  deviceId: string;
  cookie: string;
}

/** The SQLite file at `where`, or the PostgreSQL database when `where` is a postgres:// URL. */
export const openWhere = (where: string): Promise<Db> => (isPostgresUrl(where) ? openPostgres(where) : openDb(where));

/** Seeds `path` (demo data + `n` extra retirees, each signed in on its own phone). */
export async function seedPhones(path: string, n: number, now = Date.now()): Promise<Phone[]> {
  const db = await openWhere(path);
  try {
    await migrate(db);
    const services = createServices({ db, config: loadConfig({ NODE_ENV: 'test' }), passwords: createPasswordHasher(10), now: () => now });
    await seedDemoIfEmpty(services);
    const community = (await db.get<{ id: number }>("SELECT id FROM communities WHERE name LIKE '幸福里%'"))!.id;
    const phones: Phone[] = [];
    await db.transaction(async () => {
      for (let i = 0; i < n; i++) {
        const first17 = `110199${addDays('1938-01-01', Math.floor(i / 900)).replace(/-/g, '')}${100 + (i % 900)}`;
        const idNumber = first17 + idCheckChar(first17);
        const retireeId = await insertRetiree(db, { idNumber, name: `测试${i}`, pensionCategory: 'urban_employee', address: '', enrolledOn: '2010-01-01' }, community, now);
        const user = await ensureRetireeUser(db, retireeId, `测试${i}`, now);
        const deviceId = `bench-device-${String(i).padStart(5, '0')}`;
        await db.run('INSERT INTO devices (id, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)', [deviceId, user.id, now, now]);
        const { token } = await services.sessions.createSession(user.id, 'retiree', deviceId);
        phones.push({ userId: user.id, retireeId, deviceId, cookie: `sh_session=${token}` });
      }
    });
    return phones;
  } finally {
    await db.close();
  }
}

export async function tokensFor(path: string, phone: Phone, count: number, now = Date.now()): Promise<ChallengeGrant[]> {
  const db = await openWhere(path);
  try {
    return await issueChallenges(db, phone.userId, phone.deviceId, count, now);
  } finally {
    await db.close();
  }
}

export async function withDb<T>(path: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openWhere(path);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export interface Body {
  data: Buffer;
  contentType: string;
}

/** One attempt, as one push request (JSON, or multipart with its key frames). */
export function attemptBody(opts: { id?: string; seq: number; retireeId: number; grant: ChallengeGrant | null; frames?: number; frameBytes?: number; verdict?: Verdict }): { id: string; body: Body } {
  const id = opts.id ?? uuidv7();
  const frames = Array.from({ length: opts.frames ?? 0 }, (_, i) => syntheticJpeg(240, 320, opts.frameBytes ?? 10_000, opts.seq * 7 + i));
  const blobs: BlobRef[] = frames.map((f, i) => ({ part: `p${i}`, kind: 'frame', type: 'image/jpeg', bytes: f.length, sha256: createHash('sha256').update(f).digest('hex') }));
  const json = JSON.stringify({
    items: [
      {
        id,
        seq: opts.seq,
        retireeId: opts.retireeId,
        method: 'self',
        challengeToken: opts.grant?.token ?? null,
        deviceTime: Date.now(),
        result: syntheticResult(opts.grant ?? { seed: 1 }, opts.verdict ?? 'passed'),
        blobs,
      },
    ],
  });
  if (!frames.length) return { id, body: { data: Buffer.from(json), contentType: 'application/json' } };
  const boundary = `----stillhere${id.replace(/-/g, '')}`;
  const parts: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="batch"\r\n\r\n${json}\r\n`)];
  frames.forEach((f, i) => {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="p${i}"; filename="p${i}"\r\nContent-Type: image/jpeg\r\n\r\n`), Buffer.from(f), Buffer.from('\r\n'));
  });
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { id, body: { data: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` } };
}

/** Several blob-less attempts in one JSON push, as a phone sends a backlog. */
export function batchBody(items: { seq: number; retireeId: number; grant: ChallengeGrant | null; verdict?: Verdict }[]): { ids: string[]; body: Body } {
  const ids = items.map(() => uuidv7());
  const json = JSON.stringify({
    items: items.map((it, i) => ({
      id: ids[i],
      seq: it.seq,
      retireeId: it.retireeId,
      method: 'self',
      challengeToken: it.grant?.token ?? null,
      deviceTime: Date.now(),
      result: syntheticResult(it.grant ?? { seed: 1 }, it.verdict ?? 'passed'),
      blobs: [],
    })),
  });
  return { ids, body: { data: Buffer.from(json), contentType: 'application/json' } };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
