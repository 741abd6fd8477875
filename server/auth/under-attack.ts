// The accounts someone is guessing at, for the office (decision 051): every budget with more than
// the free tries used, or locked, grouped by account, limited to the office's own region. Names
// that match no account are only counted: they are attacks on nobody, but worth knowing about.
import type { SessionUser } from './auth_session.ts';
import type { Services } from '../context.ts';
import { countAuditEvents } from '../store/audit.ts';
import { retireeByIdNumber } from '../store/retirees.ts';
import { userByUsername, userInRegion } from '../store/users.ts';
import { accountOfKey, budgetOfKey } from './try-context.ts';

export interface AccountUnderAttack {
  /** The account name tried: `retiree:<ID number>` or `user:<username>`. */
  account: string;
  kind: 'retiree' | 'staff';
  name: string;
  retireeId: number | null;
  communityName: string | null;
  /** The budget shared by phones the account does not know: tries counted, and its lock. */
  unknownDevices: { failures: number; lockedUntil: number | null; lastTryAt: number } | null;
  /** Phones (or sessions) of the account whose own budget has tries counted, and how many of them are locked. */
  knownDevices: { busy: number; locked: number };
  /** Lockouts written to the audit log in the last 24 hours. */
  lockoutsLastDay: number;
}

const DAY = 24 * 60 * 60_000;

export async function accountsUnderAttack({ db, throttle, now }: Services, office: SessionUser): Promise<{ accounts: AccountUnderAttack[]; unknownAccounts: number }> {
  const at = now();
  const byAccount = new Map<string, { unknown: AccountUnderAttack['unknownDevices']; busy: number; locked: number }>();
  for (const row of await throttle.busyBudgets()) {
    const account = accountOfKey(row.key);
    const entry = byAccount.get(account) ?? { unknown: null, busy: 0, locked: 0 };
    const locked = row.locked_until !== null && row.locked_until > at;
    if (budgetOfKey(row.key) === 'unknown_devices') entry.unknown = { failures: row.failures, lockedUntil: locked ? row.locked_until : null, lastTryAt: row.last_failure_at };
    else {
      entry.busy++;
      if (locked) entry.locked++;
    }
    byAccount.set(account, entry);
  }
  const accounts: AccountUnderAttack[] = [];
  let unknownAccounts = 0;
  for (const [account, entry] of byAccount) {
    const [kind, name] = [account.slice(0, account.indexOf(':')), account.slice(account.indexOf(':') + 1)];
    let found: Pick<AccountUnderAttack, 'kind' | 'name' | 'retireeId' | 'communityName'> | null = null;
    if (kind === 'retiree') {
      const r = await retireeByIdNumber(db, name);
      if (r && (office.regionId === null || r.regionId === office.regionId)) found = { kind: 'retiree', name: r.name, retireeId: r.id, communityName: r.communityName };
      else if (!r) unknownAccounts++;
    } else {
      const u = await userByUsername(db, name);
      if (u && (office.regionId === null || (await userInRegion(db, u.id, office.regionId)))) found = { kind: 'staff', name: u.display_name, retireeId: null, communityName: null };
      else if (!u) unknownAccounts++;
    }
    if (!found) continue;
    accounts.push({
      account,
      ...found,
      unknownDevices: entry.unknown,
      knownDevices: { busy: entry.busy, locked: entry.locked },
      lockoutsLastDay: await countAuditEvents(db, 'lockout', account, at - DAY),
    });
  }
  return { accounts, unknownAccounts };
}
