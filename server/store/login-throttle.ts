// The sign-in throttle's rows (table login_throttle): one per budget of tries, keyed by the account
// name tried and, for a phone the account signed in on before, that phone's id
// (server/auth/throttle.ts decides what the numbers mean; docs/decisions/005 and 051).
import type { Db } from '../db/sqlite.ts';

export interface ThrottleRow {
  key: string;
  /** Tries counted: failures, and tries being checked right now (a success removes the row). */
  failures: number;
  /** When the last counted try started. */
  last_failure_at: number;
  locked_until: number | null;
}

export type ThrottleWrite = { set: Omit<ThrottleRow, 'key'> } | { delete: true } | null;

export async function throttleRow(db: Db, key: string): Promise<ThrottleRow | undefined> {
  return db.get<ThrottleRow>('SELECT key, failures, last_failure_at, locked_until FROM login_throttle WHERE key = ?', [key]);
}

/**
 * Reads the key's row and writes what `decide` says, in ONE write transaction: two tries of the
 * same key can never both see the same count, however many arrive together and from however many
 * processes (BEGIN IMMEDIATE takes the database's write lock before the read).
 */
export async function updateThrottleRow<T>(db: Db, key: string, decide: (row: ThrottleRow | undefined) => { write: ThrottleWrite; result: T }): Promise<T> {
  return db.transaction(async () => {
    const { write, result } = decide(await throttleRow(db, key));
    if (write && 'delete' in write) await db.run('DELETE FROM login_throttle WHERE key = ?', [key]);
    else if (write) {
      await db.run(
        `INSERT INTO login_throttle (key, failures, last_failure_at, locked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at,
           locked_until = excluded.locked_until`,
        [key, write.set.failures, write.set.last_failure_at, write.set.locked_until],
      );
    }
    return result;
  });
}

export async function deleteThrottleRow(db: Db, key: string): Promise<void> {
  await db.run('DELETE FROM login_throttle WHERE key = ?', [key]);
}

/** Every budget of an account (its unknown-devices budget and each phone's): the office starts them again. */
export async function deleteAccountThrottleRows(db: Db, account: string): Promise<number> {
  return (await db.run("DELETE FROM login_throttle WHERE key = ? OR substr(key, 1, length(?) + 1) = ? || '#'", [account, account, account])).changes;
}

/** Rows without a try since `before` whose lock (if any) is over by `now`. */
export async function deleteForgottenThrottleRows(db: Db, before: number, now: number): Promise<number> {
  return (await db.run('DELETE FROM login_throttle WHERE last_failure_at < ? AND (locked_until IS NULL OR locked_until <= ?)', [before, now])).changes;
}

/** Rows with at least `minFailures` tries since `since`, or locked after `now`: the accounts being guessed at. */
export async function busyThrottleRows(db: Db, opts: { since: number; now: number; minFailures: number }): Promise<ThrottleRow[]> {
  return db.all<ThrottleRow>(
    `SELECT key, failures, last_failure_at, locked_until FROM login_throttle
      WHERE (failures >= ? AND last_failure_at >= ? AND locked_until IS NULL) OR locked_until > ?
      ORDER BY coalesce(locked_until, 0) DESC, failures DESC, key`,
    [opts.minFailures, opts.since, opts.now],
  );
}
