// The database holds biometric data (key frames, reference faces, their descriptors): its folder and
// its files are the server account's alone (issue 15, decision 052). SQLite gives the -wal and -shm
// files the mode of the database file itself, so the file is made 0600 before SQLite first opens it.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates the database's folder (0700, with any missing parents) and the empty database file (0600)
 * when they do not exist yet. An existing database file and its -wal/-shm are narrowed to 0600 too:
 * a file copied in with a looser mode would otherwise hand the same mode to every new -wal. An
 * existing folder is left as it is: it may be shared (/tmp, a mounted volume) and is not ours to change.
 */
export function ensurePrivateDatabaseFile(path: string): void {
  if (path === '' || path === ':memory:') return;
  const dir = dirname(path);
  if (!existsSync(dir)) {
    const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    // mkdir's mode passes through the umask; a narrower umask is fine, a wider one is not possible.
    if (first) chmodSync(dir, PRIVATE_DIR_MODE);
  }
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
  }
}
