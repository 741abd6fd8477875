import { existsSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../db/sqlite.ts';
import { DEMO } from '../seed/demo.ts';
import { client, createTestApp, onPostgres, type TestApp } from '../test-support.ts';
import { audit } from './audit.ts';
import { backupInto, describeBackup } from './backup.ts';

let t: TestApp;
let dir: string;
beforeEach(async () => {
  t = await createTestApp();
  dir = mkdtempSync(join(tmpdir(), 'stillhere-backup-'));
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

// VACUUM INTO copies the SQLite file; a PostgreSQL database is backed up with PostgreSQL's own tools
// (docs/deploy.md), and the command says so (below, on both engines).
describe.skipIf(onPostgres)(`online backup (VACUUM INTO) and restore${onPostgres ? ' (SQLite’s alone: PostgreSQL uses pg_basebackup or pg_dump)' : ''}`, () => {
  it('copies a consistent snapshot while writes go on, and the copy serves a sign-in as the live database would', async () => {
    // Writers keep committing through the backup: none of them fails or waits for it to end.
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await audit(t.db, t.clock.now, { event: 'retiree_viewed', subject: `backup-test:${written}` });
        written++;
      }
    })();
    while (written < 20) await new Promise((r) => setTimeout(r, 5));
    const file = join(dir, 'stillhere-backup.sqlite');
    let writtenDuring: number;
    let summary: Awaited<ReturnType<typeof backupInto>>;
    try {
      summary = await backupInto(t.db, file);
      writtenDuring = written;
    } finally {
      writing = false;
      await writer;
    }

    expect(summary.file).toBe(file);
    expect(summary.bytes).toBe(statSync(file).size);
    expect(summary.retirees).toBeGreaterThan(0);
    // The copy carries the biometric data too: the same private mode as the database (decision 052).
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // Restore = the copy becomes the database file of a server: it opens at the current schema
    // (migrate has nothing to do), signs the demo retiree in and answers her status.
    const restored = await openDb(file);
    try {
      const before = await describeBackup(restored);
      await migrate(restored);
      expect((await describeBackup(restored)).schemaVersion).toBe(before.schemaVersion);
      const entries = await restored.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE subject LIKE 'backup-test:%'");
      expect(entries!.n).toBeGreaterThan(0);
      expect(entries!.n).toBeLessThanOrEqual(writtenDuring);
      const app = createApp({ db: restored, config: t.config, now: () => t.clock.now, passwords: createPasswordHasher(10), logger: { info: () => undefined, error: () => undefined } });
      const phone = client({ app });
      const who = DEMO.retireeOpen;
      expect((await phone.json('/api/auth/sign-in/retiree', { json: { idNumber: who.idNumber, pin: who.pin } })).status).toBe(200);
      const status = await phone.json<{ retiree: { name: string } }>('/api/me/status');
      expect(status.status).toBe(200);
    } finally {
      await restored.close();
    }
  });

  it('never overwrites an existing file', async () => {
    const file = join(dir, 'taken.sqlite');
    writeFileSync(file, 'an older backup');
    await expect(backupInto(t.db, file)).rejects.toMatchObject({ status: 409 });
    expect(statSync(file).size).toBe('an older backup'.length);
  });

  it('finds a damaged copy when it is made, not on restore day', async () => {
    const file = join(dir, 'damaged.sqlite');
    await backupInto(t.db, file);
    // Scribble over pages in the middle of the file, as a failing disk or a cut copy would.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(16_384, 0x5a), 0, 16_384, Math.floor(statSync(file).size / 2 / 4096) * 4096);
    closeSync(fd);
    const copy = await openDb(file, { readOnly: true });
    try {
      await expect(describeBackup(copy)).rejects.toThrow();
    } finally {
      await copy.close();
    }
    expect(existsSync(file)).toBe(true);
  });
});

describe('a PostgreSQL database', () => {
  it('is refused, with where its backups come from, instead of making a SQLite file of its URL', async () => {
    // The test's own database when the tests run on PostgreSQL; on SQLite one that says it is.
    const pg = onPostgres ? t.db : { ...t.db, engine: 'postgres' as const, path: 'postgres://postgres@%2Ftmp:55432/stillhere' };
    expect(pg.engine).toBe('postgres');
    const refused = backupInto(pg, join(dir, 'pg.sqlite'));
    await expect(refused).rejects.toMatchObject({ status: 400 });
    await expect(refused).rejects.toThrow(/pg_basebackup or pg_dump, docs\/deploy\.md/);
    expect(existsSync(join(dir, 'pg.sqlite'))).toBe(false);
    expect(existsSync('postgres:')).toBe(false);
  });
});
