import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { idCheckChar } from '../../shared/id-number.ts';
import { migrate } from '../db/migrate.ts';
import { openDb, type Db } from '../db/sqlite.ts';
import { DEMO } from '../seed/demo.ts';
import { createTestApp, client, signIn } from '../test-support.ts';
import { runAdmin } from './admin.ts';

const withCheck = (s: string) => s + idCheckChar(s);
let dir: string;
let db: Db;
let out: string[];
const admin = (...argv: string[]) => runAdmin(db, argv, (l) => out.push(l), Date.UTC(2026, 10, 22));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stillhere-cli-'));
  db = await openDb(join(dir, 'db.sqlite'));
  await migrate(db);
  out = [];
  await admin('create-region', '--code', '320199', '--name', '测试区', '--office-phone', '025-1234 5678');
  await admin('create-community', '--region', '320199', '--name', '和平社区');
  out = [];
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('admin CLI', () => {
  it('backs the database up to a new file, reports what the copy holds, and never overwrites one', async () => {
    const file = join(dir, 'backup.sqlite');
    await admin('backup', '--file', file);
    expect(out.join('\n')).toMatch(/^backup written to .*backup\.sqlite: [\d.]+ MB, schema version \d+, 0 retirees, 0 attempts \(integrity checked\)$/);
    await expect(admin('backup', '--file', file)).rejects.toThrow(/already exists/);
    await expect(admin('backup')).rejects.toThrow(/--file is required/);
  });

  it('sets a period with sensible defaults and refuses an inconsistent one', async () => {
    await admin('set-period', '--region', '320199', '--year', '2027', '--self-start', '2027-03-01', '--self-end', '2027-06-30');
    expect(out.at(-1)).toBe('Period 2027 for 320199: self-service 2027-03-01–2027-06-30, on-site 2027-03-01–2027-06-30, deadline 2027-06-30, suspension from 2027-07-01');
    await expect(admin('set-period', '--region', '320199', '--year', '2028', '--self-start', '2028-03-01', '--self-end', '2028-02-30')).rejects.toThrow(/selfEnd: Date must be a real date/);
    await expect(admin('set-period', '--region', '320199', '--year', '2028', '--self-start', '2028-03-01', '--self-end', '2028-06-30', '--deadline', 'soon')).rejects.toThrow(/deadline: Date must be a real date/);
    await expect(admin('set-period', '--region', '320199', '--year', '2028', '--self-start', '2028-03-01', '--self-end', '2028-06-30', '--suspension', '2028-06-01')).rejects.toThrow(/suspension date must come after the deadline/);
  });

  it('creates users with a generated password, changes roles with an audit entry and ends old sessions', async () => {
    await admin('create-user', '--role', 'worker', '--username', 'wang.fang', '--name', '王芳');
    const password = /password: (\S+)/.exec(out.at(-1)!)![1]!;
    expect(password.length).toBeGreaterThanOrEqual(16);
    await admin('set-role', '--username', 'wang.fang', '--role', 'admin', '--region', '320199');
    const row = await db.get<{ role: string }>("SELECT role FROM users WHERE username = 'wang.fang'");
    expect(row?.role).toBe('admin');
    const event = await db.get<{ details: string }>("SELECT details FROM audit_log WHERE event = 'role_changed'");
    expect(JSON.parse(event!.details)).toMatchObject({ from: 'worker', to: 'admin' });
    await expect(admin('create-user', '--role', 'worker', '--username', 'wang.fang', '--name', 'x')).rejects.toThrow(/taken/);
    await expect(admin('create-user', '--role', 'root', '--username', 'li.si', '--name', 'x')).rejects.toThrow(/Role must be family, worker or admin/);
  });

  it('imports a CSV: good rows in, bad rows reported with line and reason, re-import skips', async () => {
    const good1 = withCheck('32019919480101001');
    const good2 = withCheck('32019919500505002');
    const csv = [
      '身份证号码,姓名,养老保险类别,社区,地址,联系电话,待遇开始日期',
      `${good1},周大爷,企业职工,和平社区,"和平路 1 号, 2 单元",13800000000,2008-01-01`,
      `${good2},吴奶奶,urban_rural_resident,和平社区,,,2012-07-01`,
      `${good1.slice(0, 17)}0,坏校验,urban_employee,和平社区,,,2010-01-01`,
      `${withCheck('32019919520202003')},没社区,urban_employee,不存在社区,,,2010-01-01`,
      `${withCheck('32019919520303004')},坏类别,farmer,和平社区,,,2010-01-01`,
      `${good2},重复,urban_employee,和平社区,,,2010-01-01`,
      'too,few,fields',
    ].join('\r\n');
    const file = join(dir, 'r.csv');
    writeFileSync(file, csv);
    await expect(admin('import-retirees', '--region', '320199', '--file', file)).rejects.toThrow(/5 rows were not imported/);
    expect(out).toEqual([
      'Added 2 retirees, updated 0, 0 unchanged; 5 rows with errors.',
      expect.stringMatching(/^ {2}row 4, id_number: not a valid ID number: the last character \(the check digit\) does not match/),
      '  row 5, community: community "不存在社区" does not exist in region 320199',
      expect.stringMatching(/^ {2}row 6, pension_category: pension category must be one of/),
      '  row 7, id_number: ID number repeats row 3',
      '  row 8: has 3 fields, the header has 7',
    ]);
    const rows = await db.all<{ name: string; address: string; pension_category: string }>('SELECT name, address, pension_category FROM retirees ORDER BY id');
    expect(rows).toEqual([
      { name: '周大爷', address: '和平路 1 号, 2 单元', pension_category: 'urban_employee' },
      { name: '吴奶奶', address: '', pension_category: 'urban_rural_resident' },
    ]);
    out = [];
    writeFileSync(file, csv.split('\r\n').slice(0, 3).join('\n'));
    await admin('import-retirees', '--region', '320199', '--file', file);
    expect(out[0]).toBe('Added 0 retirees, updated 0, 2 unchanged; 0 rows with errors.');
    // A corrected name is an update, and a dry run says so without writing it.
    out = [];
    writeFileSync(file, csv.split('\r\n').slice(0, 3).join('\n').replace('周大爷', '周德福'));
    await admin('import-retirees', '--region', '320199', '--file', file, '--dry-run');
    expect(out[0]).toBe('Would add 0 retirees, would update 1, 1 unchanged; 0 rows with errors.');
    expect((await db.get<{ n: number }>("SELECT count(*) AS n FROM retirees WHERE name = '周德福'"))!.n).toBe(0);
  });

  it('refuses a file with unknown or missing columns before importing anything', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'id_number,name,colour\n1,2,3\n');
    await expect(admin('import-retirees', '--region', '320199', '--file', file)).rejects.toThrow();
    expect(String(await admin('import-retirees', '--region', '320199', '--file', file).catch((e) => e.message))).toBe(`${file}: missing columns: pension_category, community, enrolled_on; unknown columns: colour`);
  });

  it('issues an activation code that activates the retiree through the API', async () => {
    const t = await createTestApp();
    db = t.db;
    await admin('issue-activation', '--id-number', withCheck('11019919521105004'));
    const code = /: (\d{8}) /.exec(out.at(-1)!)![1]!;
    const res = await client(t).json('/api/auth/activate', { json: { idNumber: withCheck('11019919521105004'), code, pin: '502718' } });
    expect(res.status).toBe(200);
    await t.close();
    db = await openDb(join(dir, 'db.sqlite'));
  });
});

describe('the command itself', () => {
  const run = promisify(execFile);
  it('prints usage and exits 2 without a command; exits 1 on refused data', async () => {
    const env = { ...process.env, DATABASE_PATH: join(dir, 'cli.sqlite') };
    const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
    const usage = await run(tsx, ['server/cli/admin.ts'], { env }).catch((e) => e);
    expect(usage.code).toBe(2);
    expect(usage.stdout).toContain('import-retirees');
    const refused = await run(tsx, ['server/cli/admin.ts', 'create-region', '--code', '12', '--name', 'x'], { env }).catch((e) => e);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Region code must be 6 digits');
    const ok = await run(tsx, ['server/cli/admin.ts', 'create-region', '--code', '440199', '--name', '广州演示'], { env });
    expect(ok.stdout).toContain('Created region 440199');
  });
});

describe('taking access away (issue 15)', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  const at = Date.UTC(2026, 10, 22, 3);
  const run = (...argv: string[]) => runAdmin(t.db, argv, (l) => out.push(l), at);
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t.close());

  it('disable-user signs the account out everywhere and it cannot sign in; enable-user lets it back', async () => {
    const session = await signIn(t, DEMO.worker);
    await run('disable-user', '--username', DEMO.worker.username);
    expect(out.at(-1)).toBe('user:worker.demo is disabled (1 session ended)');
    expect((await session.json('/api/me')).status).toBe(401);
    await expect(signIn(t, DEMO.worker)).rejects.toThrow(/401/);
    await run('enable-user', '--username', DEMO.worker.username);
    expect((await signIn(t, DEMO.worker)).cookie).toBeTruthy();
    const events = await t.db.all<{ event: string }>("SELECT event FROM audit_log WHERE event IN ('user_disabled', 'user_enabled') ORDER BY id");
    expect(events.map((e) => e.event)).toEqual(['user_disabled', 'user_enabled']);
  });

  it('disable-user takes a retiree by ID number', async () => {
    const phone = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin });
    await run('disable-user', '--id-number', DEMO.retireeOpen.idNumber);
    expect((await phone.json('/api/me')).status).toBe(401);
    await expect(signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin })).rejects.toThrow(/401/);
    await expect(run('disable-user', '--id-number', DEMO.retireeNew.idNumber)).rejects.toThrow(/No retiree account/);
    await expect(run('disable-user')).rejects.toThrow(/--username or --id-number/);
  });

  it('unassign-worker removes one assignment: the worker no longer sees that community', async () => {
    const worker = await signIn(t, DEMO.worker);
    const id = (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
    expect((await worker.json(`/api/retirees/${id}`)).status).toBe(200);
    await run('unassign-worker', '--username', DEMO.worker.username, '--region', '110199', '--community', '幸福里社区');
    expect(out.at(-1)).toBe('worker.demo no longer covers "幸福里社区"');
    expect((await worker.json(`/api/retirees/${id}`)).status).toBe(404);
    await expect(run('unassign-worker', '--username', DEMO.worker.username, '--region', '110199', '--community', '幸福里社区')).rejects.toThrow(/is not assigned/);
    expect(await t.db.get("SELECT 1 FROM audit_log WHERE event = 'worker_unassigned'")).toBeTruthy();
  });

  it('reset-password prints a new password once, ends the old sessions and lifts the account’s sign-in locks', async () => {
    const old = await signIn(t, DEMO.worker, 'worker-phone-0001');
    await t.db.run("INSERT INTO login_throttle (key, failures, last_failure_at, locked_until) VALUES ('user:worker.demo', 10, ?, ?), ('user:worker.demo#device:x', 10, ?, ?), ('user:worker.demox', 10, ?, ?)", [
      t.clock.now, t.clock.now + 3_600_000, t.clock.now, t.clock.now + 3_600_000, t.clock.now, t.clock.now + 3_600_000,
    ]);
    await run('reset-password', '--username', DEMO.worker.username);
    const password = /New password for worker\.demo: (\S+) /.exec(out.at(-1)!)![1]!;
    expect(out.at(-1)).toMatch(/1 session ended$/);
    expect((await old.json('/api/me')).status).toBe(401);
    await expect(signIn(t, DEMO.worker)).rejects.toThrow(/401/);
    expect((await signIn(t, { username: DEMO.worker.username, password })).cookie).toBeTruthy();
    // Another account whose name starts the same keeps its lock.
    expect(await t.db.all('SELECT key FROM login_throttle')).toEqual([{ key: 'user:worker.demox' }]);
    await expect(run('reset-password', '--username', DEMO.worker.username, '--password', 'short')).rejects.toThrow(/at least 10/);
    await expect(run('reset-password', '--username', 'nobody.here')).rejects.toThrow(/No user/);
  });
});
