// The audit log as the office console reads it (decision 059, migration 013): what each entry is
// about is derived when it is written (and backfilled for entries written before), every event the
// server writes has a name in the viewer, each filter reads the index meant for it, and the days of
// the "when" filter are days in the region's time zone.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_EVENTS } from '../../shared/schemas/office-audit.ts';
import { migrate } from '../db/migrate.ts';
import { queryPlan, sortsOnPostgres } from '../db/query-plan.ts';
import { openDb } from '../db/sqlite.ts';
import { DEMO } from '../seed/demo.ts';
import { createTestApp, seedOnOlderSchema, type TestApp } from '../test-support.ts';
import { audit } from './audit.ts';
import { auditEntries, auditSql, dayStart, type AuditFilter } from './audit-query.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const ids = async (t: TestApp) => {
  const one = async (sql: string, p: string) => (await t.db.get<{ id: number }>(sql, [p]))!.id;
  return {
    open: await one('SELECT id FROM retirees WHERE id_number = ?', DEMO.retireeOpen.idNumber),
    suspended: await one('SELECT id FROM retirees WHERE id_number = ?', DEMO.retireeSuspended.idNumber),
    worker: await one('SELECT id FROM users WHERE username = ?', DEMO.worker.username),
    family: await one('SELECT id FROM users WHERE username = ?', DEMO.family.username),
    admin: await one('SELECT id FROM users WHERE username = ?', DEMO.admin.username),
    demo: await one('SELECT id FROM regions WHERE code = ?', '110199'),
    county: await one('SELECT id FROM regions WHERE code = ?', '130199'),
  };
};

describe('what an entry is about', () => {
  it('is derived from every subject format when written', async () => {
    t = await createTestApp();
    const x = await ids(t);
    const at = t.clock.now;
    const cases: [Parameters<typeof audit>[2], { retiree_id: number | null; subject_user_id: number | null; region_id: number | null }][] = [
      [{ event: 'review_approved', userId: x.admin, subject: `retiree:${x.open}` }, { retiree_id: x.open, subject_user_id: null, region_id: x.demo }],
      [{ event: 'sign_in_failed', subject: `retiree:${DEMO.retireeSuspended.idNumber}` }, { retiree_id: x.suspended, subject_user_id: null, region_id: x.county }],
      [{ event: 'sign_in_failed', subject: 'retiree:110199200001010000' }, { retiree_id: null, subject_user_id: null, region_id: null }],
      [{ event: 'lockout', subject: `user:${DEMO.worker.username}` }, { retiree_id: null, subject_user_id: x.worker, region_id: x.demo }],
      [{ event: 'sign_in_failed', subject: 'user:nobody.here' }, { retiree_id: null, subject_user_id: null, region_id: null }],
      [{ event: 'period_set', subject: 'region:130199' }, { retiree_id: null, subject_user_id: null, region_id: x.county }],
      // The CLI names a community and the worker in user_id.
      [{ event: 'worker_assigned', userId: x.worker, subject: 'community:幸福里社区' }, { retiree_id: null, subject_user_id: null, region_id: x.demo }],
      // A family member's region is their linked retiree's; a retiree's sign-in is about the retiree.
      [{ event: 'sign_in', userId: x.family }, { retiree_id: null, subject_user_id: null, region_id: x.demo }],
      [{ event: 'sign_in', userId: (await t.db.get<{ id: number }>('SELECT id FROM users WHERE retiree_id = ?', [x.suspended]))!.id }, { retiree_id: x.suspended, subject_user_id: null, region_id: x.county }],
      [{ event: 'evidence_expired', details: { photos: 1 } }, { retiree_id: null, subject_user_id: null, region_id: null }],
      [{ event: 'family_link_ended', userId: x.admin, subject: `retiree:${x.open}`, about: { userId: x.family } }, { retiree_id: x.open, subject_user_id: x.family, region_id: x.demo }],
    ];
    for (const [entry, expected] of cases) {
      await audit(t.db, at, entry);
      const row = await t.db.get('SELECT retiree_id, subject_user_id, region_id FROM audit_log ORDER BY id DESC LIMIT 1');
      expect(row, JSON.stringify(entry)).toEqual(expected);
    }
  });

  it('is backfilled for entries written before migration 013', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stillhere-audit-'));
    const db = await openDb(join(dir, 'a.sqlite'));
    try {
      await seedOnOlderSchema(db, dir, 12, Date.UTC(2026, 10, 22));
      const open = (await db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
      await db.run("INSERT INTO audit_log (at, event, user_id, subject) VALUES (1, 'review_approved', NULL, ?), (2, 'lockout', NULL, ?), (3, 'period_set', NULL, 'region:130199')", [
        `retiree:${open}`,
        `user:${DEMO.worker.username}`,
      ]);
      await migrate(db);
      const rows = await db.all<{ retiree_id: number | null; subject_user_id: number | null; code: string | null }>(
        'SELECT a.retiree_id, a.subject_user_id, g.code FROM audit_log a LEFT JOIN regions g ON g.id = a.region_id ORDER BY a.at',
      );
      const worker = (await db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.worker.username]))!.id;
      expect(rows).toEqual([
        { retiree_id: open, subject_user_id: null, code: '110199' },
        { retiree_id: null, subject_user_id: worker, code: '110199' },
        { retiree_id: null, subject_user_id: null, code: '130199' },
      ]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('events', () => {
  it('the viewer names every event the server writes (server/store/audit.ts) and no other', () => {
    const source = readFileSync(new URL('./audit.ts', import.meta.url), 'utf8');
    const union = source.slice(source.indexOf('export type AuditEvent'), source.indexOf('export interface AuditEntry'));
    const written = [...union.matchAll(/\|\s*'([a-z_]+)'/g)].map((m) => m[1]);
    expect([...AUDIT_EVENTS].sort()).toEqual(written.sort());
  });

  it('every event string used across server/ is one of them', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
    const root = new URL('..', import.meta.url).pathname;
    const used = new Set<string>();
    for (const f of files(root)) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/event: (?:[^,{}]*\? )?'([a-z_]+)'(?: : '([a-z_]+)')?/g)) for (const name of [m[1], m[2]]) if (name) used.add(name);
    }
    expect(used.size).toBeGreaterThan(15);
    for (const name of used) expect(AUDIT_EVENTS, name).toContain(name);
  });
});

describe('days in the region', () => {
  it("begin at midnight in the region's time zone", () => {
    expect(new Date(dayStart('2026-11-22', 'Asia/Shanghai')).toISOString()).toBe('2026-11-21T16:00:00.000Z');
    expect(new Date(dayStart('2026-03-01', 'UTC')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });
});

describe('query plans', () => {
  // What each filter must read, on a log of millions of rows: its index, in order, never a sort of
  // the region. SQLite: the plan it runs. PostgreSQL: the plan with sequential scans and sorts priced
  // out (queryPlan), which names the index that serves the filter and its order; its indexes hold
  // no id, so entries of one millisecond are put in id order by an incremental sort on `at`.
  const plans: [string, Partial<AuditFilter>, RegExp, RegExp][] = [
    ['region only', { regionId: 1 }, /audit_log_by_region \(region_id=\?\)/, /Index Scan Backward using audit_log_by_region on audit_log a\s+Index Cond: \(region_id = /],
    [
      'region and days',
      { regionId: 1, fromAt: 1, toAt: 2 },
      /audit_log_by_region \(region_id=\? AND at>\? AND at<\?\)/,
      /Index Scan Backward using audit_log_by_region on audit_log a\s+Index Cond: \(\(region_id = \S+\) AND \(at >= \S+\) AND \(at < \S+\)\)/,
    ],
    [
      'region and event',
      { regionId: 1, event: 'sign_in' },
      /audit_log_by_region_event \(region_id=\? AND event=\?\)/,
      /Index Scan Backward using audit_log_by_region_event on audit_log a\s+Index Cond: \(\(region_id = \S+\) AND \(event = \S+\)\)/,
    ],
    [
      'region, event, cursor',
      { regionId: 1, event: 'sign_in', after: { at: 5, id: 9 } },
      /audit_log_by_region_event \(region_id=\? AND event=\? AND \(at,rowid\)<\(\?,\?\)\)|audit_log_by_region_event \(region_id=\? AND event=\? AND at<\?\)/,
      /Index Scan Backward using audit_log_by_region_event on audit_log a\s+Index Cond: \(\(region_id = \S+\) AND \(event = \S+\) AND \(at <= \S+\)\)/,
    ],
    ['region and retiree', { regionId: 1, retireeId: 7, event: 'sign_in' }, /audit_log_by_retiree \(retiree_id=\?\)/, /Index Scan Backward using audit_log_by_retiree on audit_log a\s+Index Cond: \(retiree_id = /],
    ['every region', {}, /SCAN a USING INDEX audit_log_by_at/, /Index Scan Backward using audit_log_by_at on audit_log a/],
    ['every region, event', { event: 'lockout', regionId: null }, /audit_log_by_event \(event=\?\)/, /Index Scan Backward using audit_log_by_event on audit_log a\s+Index Cond: \(event = /],
  ];
  it.each(plans)('%s', async (_name, filter, sqlite, postgres) => {
    t ??= await createTestApp({ seed: false });
    const { sql, params } = auditSql({ regionId: null, ...filter });
    const plan = await queryPlan(t.db, sql, params, { ordered: true });
    if (t.db.engine === 'sqlite') {
      expect(plan).toMatch(sqlite);
      expect(plan).not.toContain('TEMP B-TREE');
    } else {
      expect(plan).toMatch(postgres);
      expect(sortsOnPostgres(plan, 'a.at'), plan).toBe(false);
    }
  });

  it('an account: its entries both ways, from their indexes', async () => {
    t = await createTestApp({ seed: false });
    const { sql, params } = auditSql({ regionId: 1, userId: 3 });
    const plan = await queryPlan(t.db, sql, params);
    if (t.db.engine === 'sqlite') {
      expect(plan).toMatch(/audit_log_by_user \(user_id=\?\)/);
      expect(plan).toMatch(/audit_log_by_subject_user \(subject_user_id=\?\)/);
    } else {
      expect(plan).toMatch(/Bitmap Index Scan on audit_log_by_user\s+Index Cond: \(user_id = /);
      expect(plan).toMatch(/Bitmap Index Scan on audit_log_by_subject_user\s+Index Cond: \(subject_user_id = /);
    }
  });
});

describe('paging', () => {
  it('walks every entry once, newest first, with entries of the same instant in order', async () => {
    t = await createTestApp();
    const x = await ids(t);
    for (let i = 0; i < 23; i++) await audit(t.db, 1_000 + Math.floor(i / 4), { event: 'review_approved', userId: x.admin, subject: `retiree:${x.open}` });
    const seen: number[] = [];
    let after: AuditFilter['after'];
    for (;;) {
      const page = await auditEntries(t.db, { regionId: x.demo, retireeId: x.open, limit: 5, after });
      seen.push(...page.items.map((e) => e.id));
      if (!page.next) break;
      const [at, id] = page.next.split(':').map(Number);
      after = { at: at!, id: id! };
    }
    const all = (await t.db.all<{ id: number }>('SELECT id FROM audit_log WHERE retiree_id = ? ORDER BY at DESC, id DESC', [x.open])).map((r) => r.id);
    expect(seen).toEqual(all);
    expect(seen).toHaveLength(23);
  });
});
