// The retiree page's store (decision 057): the office's scope is in the query, and every section reads
// its own index, so a retiree with years of attempts and audit entries is still a handful of seeks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/auth_session.ts';
import { queryPlan, sortsOnPostgres } from '../db/query-plan.ts';
import { DEMO } from '../seed/demo.ts';
import { createTestApp, type TestApp } from '../test-support.ts';
import { scopedRetiree } from './office-retiree.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const idOf = async (idNumber: string) => (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;
const office = (regionId: number | null) => ({ id: 1, role: 'admin', regionId, retireeId: null, displayName: 'clerk' }) as unknown as SessionUser;

describe('scopedRetiree', () => {
  it('finds a retiree for the office of their region and for one without a region, and for no other', async () => {
    const open = await idOf(DEMO.retireeOpen.idNumber);
    const region = (await t.db.get<{ id: number }>("SELECT id FROM regions WHERE code = '110199'"))!.id;
    const county = (await t.db.get<{ id: number }>("SELECT id FROM regions WHERE code = '130199'"))!.id;
    expect((await scopedRetiree(t.db, office(region), open, t.clock.now)).profile.name).toBe(DEMO.retireeOpen.name);
    expect((await scopedRetiree(t.db, office(null), open, t.clock.now)).profile.region.id).toBe(region);
    await expect(scopedRetiree(t.db, office(county), open, t.clock.now)).rejects.toMatchObject({ status: 404 });
    await expect(scopedRetiree(t.db, office(null), 424_242, t.clock.now)).rejects.toMatchObject({ status: 404 });
  });
});

describe('the sections read indexes, never a whole table', () => {
  // SQLite: the plan it runs. PostgreSQL: the plan with sequential scans and sorts priced out
  // (queryPlan): the index that serves the section's filter and order. Its indexes hold no id, so
  // rows of one instant are put in id order by an incremental sort on the time.
  const plan = (sql: string, params: unknown[]) => queryPlan(t.db, sql, params as never, { ordered: true });
  const reads = (text: string, sqliteIndex: string, postgresIndex: RegExp, presortedOn: string) => {
    if (t.db.engine === 'sqlite') {
      expect(text).toMatch(sqliteIndex);
      expect(text).not.toMatch(/TEMP B-TREE/);
    } else {
      expect(text).toMatch(postgresIndex);
      expect(sortsOnPostgres(text, presortedOn), text).toBe(false);
    }
  };

  it('pages attempts, visits and the audit trail from their per-retiree indexes', async () => {
    const attempts = await plan(
      'SELECT a.id FROM attempts a WHERE a.retiree_id = ?1 AND (a.received_at, a.rowid) < (?2, ?3) ORDER BY a.received_at DESC, a.rowid DESC LIMIT 21',
      [1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    );
    reads(attempts, 'attempts_by_retiree', /Index Scan Backward using attempts_by_retiree on attempts a\s+Index Cond: \(\(retiree_id = /, 'a.received_at');
    const visits = await plan('SELECT o.id FROM visit_outcomes o WHERE o.retiree_id = ?1 AND (o.received_at, o.id) < (?2, ?3) ORDER BY o.received_at DESC, o.id DESC LIMIT 21', [1, 1, '~']);
    reads(visits, 'visit_outcomes_by_retiree', /Index Scan Backward using visit_outcomes_by_retiree on visit_outcomes o\s+Index Cond: \(\(retiree_id = /, 'received_at');
    const audit = await plan('SELECT a.id FROM audit_log a WHERE a.retiree_id = ? ORDER BY a.at DESC, a.id DESC LIMIT 21', [1]);
    if (t.db.engine === 'sqlite') expect(audit).toMatch(/audit_log_by_retiree/);
    else reads(audit, '', /Index Scan Backward using audit_log_by_retiree on audit_log a\s+Index Cond: \(retiree_id = /, 'at');
    const device = await plan('SELECT id FROM devices WHERE user_id = ? ORDER BY last_seen_at DESC LIMIT 1', [1]);
    reads(device, 'devices_by_user', /Index Scan Backward using devices_by_user on devices\s+Index Cond: \(user_id = /, '');
  });
});
