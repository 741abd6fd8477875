// Self-service family sign-ups by address (table family_sign_ups, migration 015): what the per-IP
// and overall limits count (server/routes/family.ts, decision 070).
import type { Db } from '../db/sqlite.ts';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** Sign-ups from `ip` in the last hour and day, and from anywhere in the last hour, as of `now`. */
export async function signUpCounts(db: Db, ip: string, now: number): Promise<{ ipHour: number; ipDay: number; allHour: number }> {
  const row = await db.get<{ ipHour: number; ipDay: number; allHour: number }>(
    `SELECT (SELECT count(*) FROM family_sign_ups WHERE ip = ? AND at >= ?) AS "ipHour",
            (SELECT count(*) FROM family_sign_ups WHERE ip = ? AND at >= ?) AS "ipDay",
            (SELECT count(*) FROM family_sign_ups WHERE at >= ?) AS "allHour"`,
    [ip, now - HOUR, ip, now - DAY, now - HOUR],
  );
  return { ipHour: row?.ipHour ?? 0, ipDay: row?.ipDay ?? 0, allHour: row?.allHour ?? 0 };
}

/** Counts one sign-up try from `ip`; rows older than a day are of no more use and go. */
export async function recordSignUp(db: Db, ip: string, at: number): Promise<void> {
  await db.transaction(async () => {
    await db.run('DELETE FROM family_sign_ups WHERE at < ?', [at - DAY]);
    await db.run('INSERT INTO family_sign_ups (ip, at) VALUES (?, ?)', [ip, at]);
  });
}
