// Online backup of the embedded SQLite database (issue 20, docs/deploy.md): `VACUUM INTO` copies a
// consistent snapshot while the server keeps answering. It runs on a connection of its own: on the
// app's writer it would hold every push for as long as the copy takes, and the app's reader is
// query_only, which SQLite applies to VACUUM INTO's output too. In WAL mode that connection is just
// one more reader, so writers never wait for it; the copy is compact, with no -wal to carry along.
import { existsSync, statSync } from 'node:fs';
import type { Db } from '../db/sqlite.ts';
import { ensurePrivateDatabaseFile } from '../db/private-file.ts';
import { openDb } from '../db/sqlite.ts';
import { AppError } from '../errors.ts';

export interface BackupSummary {
  file: string;
  bytes: number;
  /** The last migration the copy carries: a server of this version or newer can open it. */
  schemaVersion: number;
  retirees: number;
  attempts: number;
}

/** Writes a snapshot of `db` to `file`, which must not exist yet (a backup never overwrites one). */
export async function backupInto(db: Db, file: string): Promise<BackupSummary> {
  // On PostgreSQL db.path is the server's URL, not a file: its backups are the database's own
  // (pg_basebackup and the replica, docs/deploy.md).
  if (db.engine !== 'sqlite') throw new AppError(400, 'validation_failed', 'This command backs up the SQLite file; back PostgreSQL up with its own tools (pg_basebackup or pg_dump, docs/deploy.md)');
  if (db.path === '' || db.path === ':memory:') throw new AppError(400, 'validation_failed', 'An in-memory database cannot be backed up');
  if (existsSync(file) && statSync(file).size > 0) throw new AppError(409, 'conflict', `${file} already exists; choose a new file name`);
  // Key frames and reference faces are in the copy too: it gets the database's own 0600 before
  // SQLite writes a byte (SQLite accepts an empty file as the target).
  ensurePrivateDatabaseFile(file);
  const own = await openDb(db.path);
  try {
    await own.run('VACUUM INTO ?', [file]);
  } finally {
    await own.close();
  }
  return summarize(file);
}

/** What a backup holds, read from the copy itself: an unreadable copy fails here, not on restore day. */
export async function describeBackup(copy: Db): Promise<Omit<BackupSummary, 'file' | 'bytes'>> {
  const problems = await copy.all<{ integrity_check: string }>('PRAGMA integrity_check');
  if (problems.length !== 1 || problems[0]!.integrity_check !== 'ok') {
    throw new AppError(500, 'internal', `The backup is damaged: ${problems.map((p) => p.integrity_check).join('; ')}`);
  }
  const row = await copy.get<{ version: number; retirees: number; attempts: number }>(
    `SELECT (SELECT MAX(version) FROM schema_migrations) AS version,
            (SELECT COUNT(*) FROM retirees) AS retirees,
            (SELECT COUNT(*) FROM attempts) AS attempts`,
  );
  return { schemaVersion: row?.version ?? 0, retirees: row?.retirees ?? 0, attempts: row?.attempts ?? 0 };
}

async function summarize(file: string): Promise<BackupSummary> {
  const copy = await openDb(file, { readOnly: true });
  try {
    return { file, bytes: statSync(file).size, ...(await describeBackup(copy)) };
  } finally {
    await copy.close();
  }
}
