// `admin import-photos`: the real face model (one pool for the file) on fixture photos copied from
// ../shared into a temp folder at test time (never into the repo), against a demo-seeded database.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HAS_SHARED, SHARED_DIR, SKIP_REASON } from '../../scripts/harness/shared-data.ts';
import { idCheckChar } from '../../shared/id-number.ts';
import { startFacePool, type FacePool } from '../face/face-pool.ts';
import { encodeKeyframe } from '../face/test-keyframes.ts';
import { retireeByIdNumber } from '../store/retirees.ts';
import { DEMO } from '../seed/demo.ts';
import { createTestApp, type TestApp } from '../test-support.ts';
import { runAdmin } from './admin.ts';
import { idNumberOfFileName } from './import-photos.ts';

const withCheck = (s: string) => s + idCheckChar(s);
const OPEN = DEMO.retireeOpen.idNumber; // 张桂兰
const CERTIFIED = DEMO.retireeCertified.idNumber; // 李建国
const NEW = DEMO.retireeNew.idNumber; // 王秀英
const UNKNOWN = withCheck('11019919550101001'); // valid, not enrolled
const BAD_CHECK = OPEN.slice(0, 17) + (OPEN[17] === '0' ? '1' : '0');
const NOW = Date.UTC(2026, 10, 22, 2, 0);
const fixture = (who: string, n: number) => join(SHARED_DIR, 'fixtures', 'photos', who, `${who}_${n}.jpg`);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const grey = encodeKeyframe({ width: 128, height: 128, data: new Uint8Array(128 * 128 * 3).fill(128) });

describe('photo file names', () => {
  it('takes the ID number, with or without a suffix, any case of .jpg/.jpeg/.png', () => {
    for (const name of [`${OPEN}.jpg`, `${OPEN}.JPEG`, `${OPEN}.Png`, `${OPEN}_2.jpg`, `${OPEN}-2019.jpg`]) {
      expect(idNumberOfFileName(name)).toEqual({ ok: true, idNumber: OPEN });
    }
    const withX = Array.from({ length: 100 }, (_, n) => withCheck(`110105194912310${String(n).padStart(2, '0')}`)).find((id) => id.endsWith('X'))!;
    expect(idNumberOfFileName(`${withX.slice(0, 17)}x.jpg`)).toEqual({ ok: true, idNumber: withX });
  });
  it('says what is wrong with any other name', () => {
    const reason = (n: string) => (idNumberOfFileName(n) as { reason: string }).reason;
    expect(reason(`${OPEN}.gif`)).toBe('not a JPEG or PNG file (the name ends .gif; photos end .jpg, .jpeg or .png)');
    expect(reason(OPEN)).toMatch(/^not a JPEG or PNG file \(the name has no ending/);
    expect(reason('grandma.jpg')).toMatch(/^the file name is not an ID number \(name photos by the ID number, e\.g\. 110199194903120021\.jpg/);
    expect(reason('20190312_101500.jpg')).toMatch(/^the file name is not an ID number/);
    expect(reason(`${OPEN}2.jpg`)).toBe(`ID number not valid: ${OPEN}2: it must have 18 characters`);
    expect(reason(`${BAD_CHECK}.jpg`)).toMatch(/^ID number not valid: \d{18}: the last character \(the check digit\) does not match/);
  });
});

describe.skipIf(!HAS_SHARED)(`import-photos${HAS_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  let pool: FacePool;
  let t: TestApp;
  let dir: string;
  let out: string[];
  const admin = (...argv: string[]) => runAdmin(t.db, argv, (l) => out.push(l), NOW, { faces: pool });

  beforeAll(async () => {
    pool = startFacePool({ size: 2 });
    await pool.ready();
  }, 60_000);
  afterAll(() => pool?.close());

  beforeEach(async () => {
    t = await createTestApp({ now: NOW });
    out = [];
    dir = mkdtempSync(join(tmpdir(), 'stillhere-photos-'));
    const photos = join(dir, 'photos');
    mkdirSync(join(photos, 'batch 2'), { recursive: true });
    copyFileSync(fixture('guido_van_rossum', 1), join(photos, `${OPEN}.jpg`));
    copyFileSync(fixture('steve_wozniak', 1), join(photos, 'batch 2', `${CERTIFIED}_2.JPG`));
    writeFileSync(join(photos, `${OPEN}-notes.jpg`), 'Photo taken at the 2019 visit.\n');
    writeFileSync(join(photos, `${OPEN}.txt`), 'notes\n');
    copyFileSync(fixture('paul_allen', 1), join(photos, `${UNKNOWN}.jpg`));
    copyFileSync(fixture('paul_allen', 2), join(photos, `${BAD_CHECK}.jpg`));
    copyFileSync(fixture('paul_allen', 2), join(photos, 'grandma.jpg'));
    writeFileSync(join(photos, `${NEW}.jpg`), grey);
    writeFileSync(join(photos, '.DS_Store'), 'junk');
    writeFileSync(join(photos, 'Thumbs.db'), 'junk');
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const photosDir = () => join(dir, 'photos');
  // The per-file lines for the folder above; `prefix` is the folder inside a ZIP.
  const expectedLines = (prefix: string, good: (who: string) => string | RegExp) =>
    (
      [
        [`${BAD_CHECK}.jpg`, 'error: ID number not valid: ' + BAD_CHECK + ': the last character (the check digit) does not match; a digit is probably mistyped'],
        [`${UNKNOWN}.jpg`, `error: unknown ID number: no retiree with ID number ${UNKNOWN} is enrolled`],
        [`${OPEN}-notes.jpg`, 'error: not a JPEG or PNG file (by its contents)'],
        [`${OPEN}.jpg`, good(DEMO.retireeOpen.name)],
        [`${OPEN}.txt`, 'error: not a JPEG or PNG file (the name ends .txt; photos end .jpg, .jpeg or .png)'],
        [`${NEW}.jpg`, 'error: no face was found in the photo'],
        [`batch 2/${CERTIFIED}_2.JPG`, good(DEMO.retireeCertified.name)],
        ['grandma.jpg', 'error: the file name is not an ID number (name photos by the ID number, e.g. 110199194903120021.jpg, 110199194903120021_2.jpg or 110199194903120021-2019.jpg)'],
      ] as [string, string | RegExp][]
    )
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, text]) => (typeof text === 'string' ? `  ${prefix}${name}: ${text}` : expect.stringMatching(new RegExp(`^${escape(`  ${prefix}${name}: `)}${text.source}$`))));
  const references = () =>
    t.db.all<{ retiree_id: number; source: string; status: string; taken_on: string | null; added_by: number | null }>(
      'SELECT retiree_id, source, status, taken_on, added_by FROM reference_faces ORDER BY id',
    );
  const retireeId = async (idNumber: string) => (await retireeByIdNumber(t.db, idNumber))!.id;

  it('imports the good photos, reports every other file with its reason, exits 1; a second run adds nothing', async () => {
    await expect(admin('import-photos', '--dir', photosDir(), '--taken-on', '2025-05-01')).rejects.toThrow(
      '6 files were not imported (the others were); correct or rename them and run the import again: photos already imported are skipped',
    );
    expect(out[0]).toBe(`Importing 8 files from folder ${photosDir()} (2 hidden or system files ignored)`);
    expect(out.slice(1, -1)).toEqual(expectedLines('', (name) => new RegExp(`imported for ${name} \\(reference \\d+\\)`)));
    expect(out.at(-1)).toBe('Imported 2 photos; 0 already imported; 6 files with errors.');
    const refs = await references();
    expect(refs).toEqual(
      expect.arrayContaining([
        { retiree_id: await retireeId(OPEN), source: 'office_photo', status: 'active', taken_on: '2025-05-01', added_by: null },
        { retiree_id: await retireeId(CERTIFIED), source: 'office_photo', status: 'active', taken_on: '2025-05-01', added_by: null },
      ]),
    );
    expect(refs).toHaveLength(2);
    const audits = await t.db.all<{ details: string }>("SELECT details FROM audit_log WHERE event = 'reference_added' ORDER BY id");
    expect(audits.map((a) => JSON.parse(a.details).origin).sort()).toEqual([`import-photos:${OPEN}.jpg`, `import-photos:batch 2/${CERTIFIED}_2.JPG`]);

    out = [];
    await expect(admin('import-photos', '--dir', photosDir())).rejects.toThrow(/6 files were not imported/);
    expect(out.slice(1, -1)).toEqual(expectedLines('', (name) => new RegExp(`already imported for ${name} \\(the same photo is reference \\d+\\)`)));
    expect(out.at(-1)).toBe('Imported 0 photos; 2 already imported; 6 files with errors.');
    expect(await references()).toHaveLength(2);
  }, 60_000);

  it('imports the same photos from a ZIP (folders inside, __MACOSX and dot-files ignored), idempotent with the folder', async () => {
    const files: Record<string, Uint8Array> = {};
    const walk = (folder: string, prefix: string) => {
      for (const d of readdirSync(folder, { withFileTypes: true })) {
        if (d.isDirectory()) walk(join(folder, d.name), `${prefix}${d.name}/`);
        else files[`photos/${prefix}${d.name}`] = new Uint8Array(readFileSync(join(folder, d.name)));
      }
    };
    walk(photosDir(), '');
    files[`__MACOSX/photos/._${OPEN}.jpg`] = new Uint8Array([0, 5, 22, 7]);
    const zip = join(dir, 'photos.zip');
    writeFileSync(zip, zipSync(files));

    await expect(admin('import-photos', '--zip', zip)).rejects.toThrow(/^6 files were not imported/);
    expect(out[0]).toBe(`Importing 8 files from archive ${zip} (3 hidden or system files ignored)`);
    expect(out.slice(1, -1)).toEqual(expectedLines('photos/', (name) => new RegExp(`imported for ${name} \\(reference \\d+\\)`)));
    expect(await references()).toHaveLength(2);

    out = [];
    await expect(admin('import-photos', '--dir', photosDir())).rejects.toThrow(/6 files were not imported/);
    expect(out.at(-1)).toBe('Imported 0 photos; 2 already imported; 6 files with errors.');
    expect(await references()).toHaveLength(2);
  }, 60_000);

  it('--dry-run checks everything and writes nothing', async () => {
    await expect(admin('import-photos', '--dir', photosDir(), '--dry-run')).rejects.toThrow(/^6 files were not imported \(the others were checked\)/);
    expect(out[0]).toBe(`Checking 8 files from folder ${photosDir()} (2 hidden or system files ignored); dry run: nothing is written`);
    expect(out.slice(1, -1)).toEqual(expectedLines('', (name) => `would be imported for ${name}`));
    expect(out.at(-1)).toBe('Would import 2 photos; 0 already imported; 6 files with errors. (Dry run: nothing was written.)');
    expect(await references()).toEqual([]);
    expect(await t.db.get("SELECT 1 FROM audit_log WHERE event = 'reference_added'")).toBeUndefined();
  }, 60_000);

  it('exits 0 when every file is good; the same photo twice in one run is one reference', async () => {
    const good = join(dir, 'good');
    mkdirSync(good);
    copyFileSync(fixture('guido_van_rossum', 1), join(good, `${OPEN}.jpg`));
    copyFileSync(fixture('guido_van_rossum', 1), join(good, `${OPEN}_copy.jpg`));
    copyFileSync(fixture('guido_van_rossum', 2), join(good, `${OPEN}_2.jpeg`));
    await admin('import-photos', '--dir', good);
    expect(out.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^ {2}${OPEN}.jpg: imported for 张桂兰 \\(reference \\d+\\)$`)),
      expect.stringMatching(new RegExp(`^ {2}${OPEN}_2.jpeg: imported for 张桂兰 \\(reference \\d+\\)$`)),
      `  ${OPEN}_copy.jpg: already imported for 张桂兰 (the same photo as ${OPEN}.jpg)`,
      'Imported 2 photos; 1 already imported; 0 files with errors.',
    ]);
    expect(await references()).toHaveLength(2);
  }, 60_000);
});

describe('import-photos refusals', () => {
  let t: TestApp;
  let dir: string;
  let out: string[];
  const noFaces = { describe: () => Promise.reject(new Error('no face reading expected')) };
  const admin = (...argv: string[]) => runAdmin(t.db, argv, (l) => out.push(l), NOW, { faces: noFaces });
  beforeEach(async () => {
    t = await createTestApp({ now: NOW });
    out = [];
    dir = mkdtempSync(join(tmpdir(), 'stillhere-photos-'));
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('wants exactly one of --dir and --zip, and a real --taken-on', async () => {
    await expect(admin('import-photos')).rejects.toThrow('import-photos needs either --dir FOLDER or --zip FILE.zip');
    await expect(admin('import-photos', '--dir', dir, '--zip', 'x.zip')).rejects.toThrow(/either --dir/);
    await expect(admin('import-photos', '--dir', dir, '--taken-on', '2025-02-30')).rejects.toThrow(/--taken-on must be a date/);
    await expect(admin('import-photos', '--dir', dir, '--taken-on', '2030-01-01')).rejects.toThrow(/not in the future/);
    await expect(admin('import-photos', '--dir', join(dir, 'missing'))).rejects.toThrow(/^Cannot read .*missing/);
    await expect(admin('import-photos', '--dir', dir)).rejects.toThrow(`No photos found in ${dir}`);
  });

  it('refuses what is not a ZIP; an entry over 8 MB is too large without being unpacked', async () => {
    writeFileSync(join(dir, 'a.zip'), 'not a zip');
    await expect(admin('import-photos', '--zip', join(dir, 'a.zip'))).rejects.toThrow(/a\.zip is not a readable ZIP archive/);
    // 9 MB of zeros packs into a few KB.
    writeFileSync(join(dir, 'big.zip'), zipSync({ [`${OPEN}.jpg`]: new Uint8Array(9 * 1024 * 1024) }));
    await expect(admin('import-photos', '--zip', join(dir, 'big.zip'))).rejects.toThrow(/^1 file was not imported/);
    expect(out[1]).toBe(`  ${OPEN}.jpg: error: too large: larger than 8 MB (9.0 MB)`);
  });

  it('refuses a whole archive that declares more than 2 GB', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 300; i++) files[`${OPEN}_${i}.jpg`] = new Uint8Array(10);
    const zip = zipSync(files, { level: 0 });
    // Each central-directory entry claims 7.5 MB unpacked: 2.2 GB in all.
    const view = new DataView(zip.buffer);
    for (let o = 0; o + 4 <= zip.length; o++) if (view.getUint32(o, true) === 0x02014b50) view.setUint32(o + 24, 7.5 * 1024 * 1024, true);
    writeFileSync(join(dir, 'bomb.zip'), zip);
    await expect(admin('import-photos', '--zip', join(dir, 'bomb.zip'))).rejects.toThrow(/bomb\.zip would unpack to more than 2 GB \(2\.2 GB declared\): refused, nothing was imported/);
    expect(out).toEqual([]);
  });
});

describe.skipIf(!HAS_SHARED)(`the import-photos command itself${HAS_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  it('starts and closes its own face threads, prints per-file lines and exits 1 when a file failed', async () => {
    const t = await createTestApp({ now: Date.now() });
    const dir = mkdtempSync(join(tmpdir(), 'stillhere-photos-'));
    try {
      copyFileSync(fixture('guido_van_rossum', 1), join(dir, `${OPEN}.jpg`));
      writeFileSync(join(dir, `${UNKNOWN}.jpg`), grey);
      // The test's database, as the server would be told it (the test cluster's URL has no password to redact).
      const env = { ...process.env, ...(t.db.engine === 'postgres' ? { DATABASE_URL: t.db.path } : { DATABASE_PATH: t.db.path }) };
      const r = await promisify(execFile)(join(process.cwd(), 'node_modules/.bin/tsx'), ['server/cli/admin.ts', 'import-photos', '--dir', dir], { env }).catch((e) => e);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`\\n {2}${OPEN}\\.jpg: imported for 张桂兰 \\(reference \\d+\\)\\n`));
      expect(r.stdout).toContain(`  ${UNKNOWN}.jpg: error: unknown ID number`);
      expect(r.stdout).toContain('Imported 1 photo; 0 already imported; 1 file with errors.');
      expect(r.stderr).toContain('Refused: 1 file was not imported');
      expect(await t.db.get('SELECT count(*) AS n FROM reference_faces')).toEqual({ n: 1 });
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
