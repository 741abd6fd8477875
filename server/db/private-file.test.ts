// The database holds biometric data: its folder and files are readable by the server account only
// (issue 15, decision 052), -wal and -shm included.
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDb } from './sqlite.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'stillhere-private-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

it('creates the folder 0700 and the database, its -wal and its -shm 0600', async () => {
  const path = join(root, 'data', 'stillhere.sqlite');
  const db = await openDb(path);
  try {
    await db.exec('CREATE TABLE t (v BLOB)');
    await db.run('INSERT INTO t VALUES (?)', [Buffer.alloc(10_000, 7)]);
    expect(mode(join(root, 'data'))).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(mode(file), file).toBe(0o600);
  } finally {
    await db.close();
  }
});

it('narrows a database file that was copied in readable by others', async () => {
  const path = join(root, 'copied.sqlite');
  writeFileSync(path, '');
  chmodSync(path, 0o644);
  const db = await openDb(path);
  try {
    await db.exec('CREATE TABLE t (v TEXT)');
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(mode(file), file).toBe(0o600);
  } finally {
    await db.close();
  }
});
