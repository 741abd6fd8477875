// `npm run admin -- <command> [--options]`: the office's tools, working directly on the database
// (DATABASE_PATH, default data/stillhere.sqlite). Exit codes: 0 done, 1 refused (bad data),
// 2 usage error.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { addDays, isValidDate, localDateIn } from '../../shared/dates.ts';
import type { ImportCounts, ImportRowError } from '../../shared/schemas/office-setup.ts';
import { NewCommunity, NewPeriod, NewRegion, NewStaffUser, ROLES } from '../../shared/schemas/admin.ts';
import { idNumber as idNumberSchema, newPassword } from '../../shared/schemas/auth.ts';
import { fieldIssues } from '../../shared/schemas/issues.ts';
import { issueActivationCode } from '../auth/activation.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { loadConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import type { Db } from '../db/db.ts';
import { openDatabase } from '../db/open.ts';
import { AppError } from '../errors.ts';
import { startFacePool, type FacePool } from '../face/face-pool.ts';
import type { FaceReader } from '../identity/match-queue.ts';
import { audit } from '../store/audit.ts';
import { backupInto } from '../store/backup.ts';
import { applyRetireeImport, previewRetireeImport, TEMPLATE_COLUMNS } from '../import/retirees.ts';
import { FileRefused } from '../import/spreadsheet.ts';
import { communityIdByName, createCommunity, createRegion, regionByCode, setPeriod } from '../store/regions.ts';
import { retireeByIdNumber } from '../store/retirees.ts';
import { deleteAccountThrottleRows } from '../store/login-throttle.ts';
import { assignWorker, createStaffUser, linkFamily, resetSecret, retireeUserById, setRole, setUserDisabled, unassignWorker, userByUsername, type UserRow } from '../store/users.ts';
import { importPhotos } from './import-photos.ts';

const USAGE = `usage: npm run admin -- <command> [options]

  create-region     --code 110199 --name "演示区" [--time-zone Asia/Shanghai] [--office-phone "010-6500 1234"]
  create-community  --region 110199 --name "幸福里社区" [--office-phone …]
  set-period        --region 110199 --year 2027 --self-start 2027-03-01 --self-end 2027-06-30
                    [--onsite-start …] [--onsite-end …] [--deadline …] [--suspension …]
                    (on-site defaults to the self-service window, the deadline to the later window end,
                     the suspension to the day after the deadline)
  create-user       --role worker|family|admin --username … --name … [--phone …] [--region 110199 (admins)]
                    (a password is generated and printed once; --password … sets one instead)
  set-role          --username … --role worker|family|admin [--region …]
  assign-worker     --username … --region 110199 --community "幸福里社区"
  unassign-worker   --username … --region 110199 --community "幸福里社区"   (removes that assignment)
  disable-user      --username … | --id-number …   (signs the account out everywhere; it cannot sign in)
  enable-user       --username … | --id-number …
  reset-password    --username …   (a new password is generated and printed once, or --password …;
                    ends the account's sessions and its sign-in locks; retirees: issue-activation)
  link-family       --username … --id-number … [--relation 女儿]
  import-retirees   --region 110199 --file retirees.csv|retirees.xlsx [--dry-run]
                    columns: id_number,name,pension_category,community,address,phone,enrolled_on
                    (or 身份证号码,姓名,养老保险类别,社区,地址,联系电话,待遇开始日期); a retiree
                    already enrolled in the region is corrected where the file differs
  issue-activation  --id-number …   (prints a one-time code for the retiree's first PIN)
  import-photos     --dir photos/ | --zip photos.zip [--taken-on 2024-05-01] [--dry-run]
                    reference faces from the photos the office holds, each file named by the
                    retiree's ID number: 110199194903120021.jpg, 110199194903120021_2.png …
                    (a photo already imported is skipped; exit 1 if any file was not imported)
  backup            --file /backups/stillhere-2027-03-01.sqlite
                    a consistent copy while the server runs (SQLite VACUUM INTO), checked
                    after writing; never overwrites a file. Restore: docs/deploy.md
`;

class UsageError extends Error {}

type Opts = Record<string, string | boolean | undefined>;

function need<N extends string[]>(opts: Opts, ...names: N): { [K in keyof N]: string } {
  return names.map((n) => {
    const value = opts[n];
    if (typeof value !== 'string' || value === '') throw new UsageError(`--${n} is required`);
    return value;
  }) as { [K in keyof N]: string };
}

function check<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const r = v.safeParse(schema, input);
  if (!r.success) throw new AppError(400, 'validation_failed', fieldIssues(r.issues).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n'));
  return r.output;
}

const optional = (opts: Opts, name: string) => (typeof opts[name] === 'string' ? (opts[name] as string) : undefined);

async function communityId(db: Db, regionCode: string, name: string): Promise<number> {
  const region = await regionByCode(db, regionCode);
  const id = await communityIdByName(db, region.id, name);
  if (id === undefined) throw new AppError(404, 'not_found', `Community "${name}" not found in region ${regionCode}`);
  return id;
}

async function staffUser(db: Db, username: string) {
  const user = await userByUsername(db, username);
  if (!user) throw new AppError(404, 'not_found', `No user "${username}"`);
  return user;
}

/** The account named by --username, or a retiree's by --id-number. */
async function accountFor(db: Db, opts: Opts): Promise<{ user: UserRow; label: string }> {
  const username = optional(opts, 'username');
  const id = optional(opts, 'id-number');
  if (!username === !id) throw new UsageError('name the account with either --username or --id-number');
  if (username) return { user: await staffUser(db, username), label: `user:${username}` };
  const retiree = await retireeByIdNumber(db, check(idNumberSchema, id));
  const user = retiree && (await retireeUserById(db, retiree.id));
  if (!user) throw new AppError(404, 'not_found', `No retiree account with ID number ${id} (it is made when the retiree first activates)`);
  return { user, label: `retiree:${retiree!.idNumber}` };
}

/** What a command needs beyond the database; tests pass their own face reader. */
export interface AdminTools {
  faces?: FaceReader;
}

// The face threads (two: both cores of the office's machine) start only when a photo needs
// reading, and are closed by the caller.
function lazyFacePool(): { reader: FaceReader; close(): Promise<void> } {
  let pool: FacePool | null = null;
  let ready: Promise<FacePool> | null = null;
  const start = () =>
    (ready ??= (async () => {
      pool = startFacePool({ size: 2 });
      try {
        await pool.ready();
      } catch (err) {
        throw new AppError(500, 'internal', `The face model could not be loaded: ${(err as Error).message}`);
      }
      return pool;
    })());
  return {
    reader: { describe: async (bytes, kind) => (await start()).describe(bytes, kind) },
    close: async () => {
      await (pool as FacePool | null)?.close();
    },
  };
}

export async function runAdmin(db: Db, argv: string[], out: (line: string) => void, now = Date.now(), tools: AdminTools = {}): Promise<void> {
  const [command, ...rest] = argv;
  const stringOptions = ['code', 'name', 'time-zone', 'office-phone', 'region', 'community', 'year', 'self-start', 'self-end', 'onsite-start',
    'onsite-end', 'deadline', 'suspension', 'role', 'username', 'password', 'phone', 'id-number', 'relation', 'file',
    'dir', 'zip', 'taken-on'];
  const options: Record<string, { type: 'string' | 'boolean' }> = Object.fromEntries(stringOptions.map((n) => [n, { type: 'string' as const }]));
  options['dry-run'] = { type: 'boolean' };
  const opts = parseArgs({ args: rest, strict: true, options }).values as Opts;
  switch (command) {
    case 'create-region': {
      const [code, name] = need(opts, 'code', 'name');
      const r = await createRegion(db, check(NewRegion, { code, name, timeZone: optional(opts, 'time-zone'), officePhone: optional(opts, 'office-phone') }), now);
      out(`Created region ${r.code} ${r.name} (${r.timeZone})`);
      return;
    }
    case 'create-community': {
      const [regionCode, name] = need(opts, 'region', 'name');
      const c = await createCommunity(db, check(NewCommunity, { regionCode, name, officePhone: optional(opts, 'office-phone') }));
      out(`Created community "${c.name}" in ${regionCode}`);
      return;
    }
    case 'set-period': {
      const [regionCode, year, selfStart, selfEnd] = need(opts, 'region', 'year', 'self-start', 'self-end');
      const onsiteStart = optional(opts, 'onsite-start') ?? selfStart;
      const onsiteEnd = optional(opts, 'onsite-end') ?? selfEnd;
      const deadline = optional(opts, 'deadline') ?? (onsiteEnd > selfEnd ? onsiteEnd : selfEnd);
      const input = check(NewPeriod, {
        regionCode, year: Number(year), selfStart, selfEnd, onsiteStart, onsiteEnd, deadline,
        // The default is derived only from a real date; a bad one is reported by the schema below.
        suspensionDate: optional(opts, 'suspension') ?? (isValidDate(deadline) ? addDays(deadline, 1) : deadline),
      });
      const p = await setPeriod(db, input);
      await audit(db, now, { event: 'period_set', subject: `region:${regionCode}`, details: { ...p, by: 'cli' } });
      out(`Period ${p.year} for ${regionCode}: self-service ${p.selfStart}–${p.selfEnd}, on-site ${p.onsiteStart}–${p.onsiteEnd}, deadline ${p.deadline}, suspension from ${p.suspensionDate}`);
      return;
    }
    case 'create-user': {
      const [role, username, displayName] = need(opts, 'role', 'username', 'name');
      const password = optional(opts, 'password') ?? randomBytes(12).toString('base64url');
      const input = check(NewStaffUser, { role, username, password, displayName, phone: optional(opts, 'phone'), regionCode: optional(opts, 'region') });
      const user = await createStaffUser(db, createPasswordHasher(), input, now);
      await audit(db, now, { event: 'user_created', userId: user.id, subject: `user:${user.username}`, details: { role, by: 'cli' } });
      out(`Created ${role} ${user.username}${opts.password ? '' : ` with password: ${password}  (shown once; hand it over safely)`}`);
      return;
    }
    case 'set-role': {
      const [username, role] = need(opts, 'username', 'role');
      if (!ROLES.includes(role as never) || role === 'retiree') throw new UsageError('--role must be family, worker or admin');
      const user = await staffUser(db, username);
      if (user.role === 'retiree') throw new AppError(400, 'validation_failed', 'A retiree account cannot change role');
      const regionId = role === 'admin' ? (await regionByCode(db, need(opts, 'region')[0])).id : null;
      await db.transaction(async () => {
        await setRole(db, user.id, role as 'family' | 'worker' | 'admin', regionId, now);
        await audit(db, now, { event: 'role_changed', userId: user.id, subject: `user:${username}`, details: { from: user.role, to: role, by: 'cli' } });
      });
      out(`${username}: ${user.role} → ${role}`);
      return;
    }
    case 'assign-worker': {
      const [username, regionCode, community] = need(opts, 'username', 'region', 'community');
      const user = await staffUser(db, username);
      await assignWorker(db, user.id, await communityId(db, regionCode, community), now);
      await audit(db, now, { event: 'worker_assigned', userId: user.id, subject: `community:${community}`, details: { by: 'cli' } });
      out(`${username} now covers "${community}"`);
      return;
    }
    case 'unassign-worker': {
      const [username, regionCode, community] = need(opts, 'username', 'region', 'community');
      const user = await staffUser(db, username);
      if (!(await unassignWorker(db, user.id, await communityId(db, regionCode, community)))) {
        throw new AppError(404, 'not_found', `${username} is not assigned to "${community}" in ${regionCode}`);
      }
      await audit(db, now, { event: 'worker_unassigned', userId: user.id, subject: `community:${community}`, details: { by: 'cli' } });
      out(`${username} no longer covers "${community}"`);
      return;
    }
    case 'disable-user':
    case 'enable-user': {
      const disable = command === 'disable-user';
      const { user, label } = await accountFor(db, opts);
      const ended = await setUserDisabled(db, user.id, disable, now);
      await audit(db, now, { event: disable ? 'user_disabled' : 'user_enabled', userId: user.id, subject: label, details: { by: 'cli', ...(disable ? { sessionsEnded: ended } : {}) } });
      out(disable ? `${label} is disabled (${ended} session${ended === 1 ? '' : 's'} ended)` : `${label} may sign in again`);
      return;
    }
    case 'reset-password': {
      const [username] = need(opts, 'username');
      const user = await staffUser(db, username);
      const password = optional(opts, 'password') ?? randomBytes(12).toString('base64url');
      check(newPassword, password);
      const ended = await resetSecret(db, user.id, await createPasswordHasher().hash(password), now);
      // The person the office just helped must be able to sign in at once.
      await deleteAccountThrottleRows(db, `user:${username}`);
      await audit(db, now, { event: 'password_reset', userId: user.id, subject: `user:${username}`, details: { by: 'cli', sessionsEnded: ended } });
      out(`New password for ${username}${opts.password ? ' set' : `: ${password}  (shown once; hand it over safely)`}; ${ended} session${ended === 1 ? '' : 's'} ended`);
      return;
    }
    case 'link-family': {
      const [username, id] = need(opts, 'username', 'id-number');
      const user = await staffUser(db, username);
      const retiree = await retireeByIdNumber(db, check(idNumberSchema, id));
      if (!retiree) throw new AppError(404, 'not_found', `No retiree with ID number ${id}`);
      await linkFamily(db, user.id, retiree.id, optional(opts, 'relation') ?? '', now);
      await audit(db, now, { event: 'family_linked', userId: user.id, subject: `retiree:${retiree.id}`, details: { by: 'cli' } });
      out(`${username} may now certify for ${retiree.name}`);
      return;
    }
    case 'import-retirees': {
      const [regionCode, file] = need(opts, 'region', 'file');
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(file));
      } catch (err) {
        throw new AppError(400, 'bad_request', `Cannot read ${file}: ${(err as Error).message}`);
      }
      const region = await regionByCode(db, regionCode);
      const today = localDateIn(region.timeZone, now);
      const dryRun = opts['dry-run'] === true;
      let result: { counts: ImportCounts; errors: ImportRowError[] };
      try {
        result = dryRun ? await previewRetireeImport(db, region, bytes, today) : await applyRetireeImport(db, region, bytes, { at: now, today, userId: null, by: 'cli' });
      } catch (err) {
        if (err instanceof FileRefused) throw new AppError(400, 'validation_failed', `${file}: ${err.message}`);
        throw err;
      }
      const { counts, errors } = result;
      out(`${dryRun ? 'Would add' : 'Added'} ${counts.added} retirees, ${dryRun ? 'would update' : 'updated'} ${counts.updated}, ${counts.unchanged} unchanged; ${counts.errors} rows with errors.`);
      for (const e of errors) out(`  row ${e.row}${e.column ? `, ${TEMPLATE_COLUMNS[e.column].en}` : ''}: ${e.message}`);
      if (counts.errors) throw new AppError(400, 'validation_failed', `${counts.errors} rows were not imported; fix them and import the file again`);
      return;
    }
    case 'issue-activation': {
      const [id] = need(opts, 'id-number');
      const retiree = await retireeByIdNumber(db, check(idNumberSchema, id));
      if (!retiree) throw new AppError(404, 'not_found', `No retiree with ID number ${id}`);
      // For an account already in use the code resets the PIN (and signs the retiree out when used).
      const reactivation = !!(await retireeUserById(db, retiree.id))?.password_hash;
      const { code, expiresAt } = await issueActivationCode(db, retiree.id, null, now);
      await audit(db, now, { event: reactivation ? 'reactivation_code_issued' : 'activation_code_issued', subject: `retiree:${retiree.id}`, details: { by: 'cli' } });
      out(`Activation code for ${retiree.name}: ${code} (valid until ${new Date(expiresAt).toISOString().slice(0, 10)})${reactivation ? '; it resets the PIN in use and signs the retiree out on every phone once used' : ''}`);
      return;
    }
    case 'import-photos': {
      const dir = optional(opts, 'dir');
      const zip = optional(opts, 'zip');
      if (!dir === !zip) throw new UsageError('import-photos needs either --dir FOLDER or --zip FILE.zip');
      const takenOn = optional(opts, 'taken-on') ?? null;
      if (takenOn !== null && (!isValidDate(takenOn) || takenOn > new Date(now).toISOString().slice(0, 10))) {
        throw new UsageError(`--taken-on must be a date (YYYY-MM-DD) not in the future, not "${takenOn}"`);
      }
      const pool = tools.faces ? null : lazyFacePool();
      let report;
      try {
        report = await importPhotos(db, { source: dir ? { dir } : { zip: zip! }, dryRun: opts['dry-run'] === true, takenOn, at: now, faces: tools.faces ?? pool!.reader }, out);
      } finally {
        await pool?.close();
      }
      if (report.failed) {
        throw new AppError(400, 'validation_failed', `${report.failed} file${report.failed === 1 ? ' was' : 's were'} not imported (the others were${opts['dry-run'] ? ' checked' : ''}); correct or rename them and run the import again: photos already imported are skipped`);
      }
      if (report.imported + report.alreadyImported === 0) throw new AppError(400, 'bad_request', `No photos found in ${dir ?? zip}`);
      return;
    }
    case 'backup': {
      const [file] = need(opts, 'file');
      const b = await backupInto(db, file);
      out(`backup written to ${b.file}: ${(b.bytes / 1e6).toFixed(1)} MB, schema version ${b.schemaVersion}, ${b.retirees} retirees, ${b.attempts} attempts (integrity checked)`);
      return;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
}

if (process.argv[1]?.endsWith('admin.ts')) {
  const argv = process.argv.slice(2);
  if (!argv.length || argv[0] === 'help' || argv.includes('--help')) {
    console.log(USAGE);
    process.exit(argv.length ? 0 : 2);
  }
  const config = loadConfig();
  // The server's database, whichever engine: the SQLite file, or PostgreSQL with DATABASE_URL.
  const db = await openDatabase(config);
  let code = 0;
  try {
    await migrate(db);
    await runAdmin(db, argv, (line) => console.log(line));
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(err as Error).message}\n\n${USAGE}`);
      code = 2;
    } else if (err instanceof AppError) {
      console.error(`Refused: ${err.message}`);
      code = 1;
    } else {
      console.error(err);
      code = 2;
    }
  } finally {
    await db.close();
  }
  process.exit(code);
}
