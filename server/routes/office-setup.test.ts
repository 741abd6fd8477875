// The office's year set-up (issue 16, decision 058) through the real app and SQLite: who may use
// each route, an office of one region touching nothing of another, period rules answered by field
// and code, the retiree import from CSV and XLSX (preview, per-row errors, an idempotent apply of
// exactly what was previewed), reference photos uploaded in parts, and activation letters whose new
// code activates through the real route while the old one no longer does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { outlinePhoto } from '../seed/outline-photo.ts';
import { HAS_SHARED, SHARED_DIR, SKIP_REASON } from '../../scripts/harness/shared-data.ts';
import { idCheckChar } from '../../shared/id-number.ts';
import { parseActivationQr } from '../../shared/activation-qr.ts';
import type { ImportPreview, IssuedLetters, LetterCount, PhotoUploadResult, SetupRegions } from '../../shared/schemas/office-setup.ts';
import { createPasswordHasher } from '../auth/password.ts';
import { loadFaceModel, type FaceModel } from '../face/face-model.ts';
import { DEMO } from '../seed/demo.ts';
import { createStaffUser } from '../store/users.ts';
import { client, createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';

const withCheck = (s: string) => s + idCheckChar(s);
const COMMUNITY = '幸福里社区';
const OTHER_COMMUNITY = '东村';
const HEADER = '身份证号码,姓名,养老保险类别,社区,地址,联系电话,待遇开始日期';
const A = withCheck('11019919500101001');
const B = withCheck('11019919510202002');
const C = withCheck('11019919520303003');
const BAD_CHECK = A.slice(0, 17) + (A[17] === '0' ? '1' : '0');

// The server's real face model (from its npm package): the drawn outlines have no face; a real face
// comes from ../shared/fixtures (the test that needs one is skipped where that folder is absent).
let faces: FaceModel;
beforeAll(async () => {
  faces = await loadFaceModel();
}, 60_000);
const fixtureFace = () => new Uint8Array(readFileSync(join(SHARED_DIR, 'fixtures', 'photos', 'paul_allen', 'paul_allen_1.jpg')));

type Actor = 'anon' | 'retiree' | 'family' | 'worker' | 'admin' | 'otherOffice';
let t: TestApp;
const as = {} as Record<Actor, Client>;

async function setUp() {
  t = await createTestApp({ deps: { faces } });
  as.anon = client(t);
  as.retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin });
  as.family = await signIn(t, DEMO.family);
  as.worker = await signIn(t, DEMO.worker);
  as.admin = await signIn(t, DEMO.admin);
  await createStaffUser(t.db, createPasswordHasher(10), { role: 'admin', username: 'county.office', password: 'county-office-2026', displayName: '县社保', regionCode: '130199' }, t.clock.now);
  as.otherOffice = await signIn(t, { username: 'county.office', password: 'county-office-2026' });
}

const csvBody = (text: string) => ({ body: new TextEncoder().encode(text), headers: { 'Content-Type': 'text/csv' } });
const upload = (who: Client, path: string, bytes: Uint8Array, type = 'text/csv') =>
  who.json(path, { method: 'POST', body: bytes as Uint8Array<ArrayBuffer>, headers: { 'Content-Type': type } });
const photoForm = (files: { name: string; bytes: Uint8Array }[]) => {
  const form = new FormData();
  for (const f of files) form.append('file', new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), f.name);
  return form;
};

describe('who may use the year set-up', () => {
  beforeAll(setUp);
  afterAll(async () => t.close());

  const csv = `${HEADER}\n${A},周大爷,企业职工,${COMMUNITY},,,2008-01-01\n`;
  const period = { selfStart: '2027-03-01', selfEnd: '2027-06-30', onsiteStart: '2027-06-01', onsiteEnd: '2027-06-30', deadline: '2027-06-30', suspensionDate: '2027-07-01' };
  // [name, method, path, body, expected per actor]
  const routes: [string, string, string, { json?: unknown; bytes?: Uint8Array; form?: () => FormData } | undefined, Record<Actor, number>][] = [
    ['regions', 'GET', '/api/office/setup/regions', undefined, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 200, otherOffice: 200 }],
    ['template', 'GET', '/api/office/setup/retirees/template.csv', undefined, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 200, otherOffice: 200 }],
    ['preview', 'POST', '/api/office/setup/retirees/preview', { bytes: new TextEncoder().encode(csv) }, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 200, otherOffice: 200 }],
    ['preview naming the demo region', 'POST', '/api/office/setup/retirees/preview?region=110199', { bytes: new TextEncoder().encode(csv) }, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 200, otherOffice: 404 }],
    ['apply with a plan', 'POST', `/api/office/setup/retirees/apply?region=110199&plan=${'0'.repeat(64)}`, { bytes: new TextEncoder().encode(csv) }, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 409, otherOffice: 404 }],
    ['photos', 'POST', '/api/office/setup/photos?region=110199', { form: () => photoForm([{ name: `${A}.jpg`, bytes: outlinePhoto(10) }]) }, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 200, otherOffice: 404 }],
    ['letters count', 'POST', '/api/office/setup/activation-codes/count', { json: { region: '110199' } }, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 200, otherOffice: 404 }],
    ['letters', 'POST', '/api/office/setup/activation-codes', { json: { region: '130199', idNumber: DEMO.retireeSuspended.idNumber, confirmReplace: true } }, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 404, otherOffice: 201 }],
    ['periods of the demo region', 'GET', '/api/regions/110199/periods', undefined, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 200, otherOffice: 404 }],
    ['set a period of the demo region', 'PUT', '/api/regions/110199/periods/2027', { json: period }, { anon: 401, retiree: 403, family: 403, worker: 403, admin: 200, otherOffice: 404 }],
  ];

  describe.each(routes)('%s', (_name, method, path, body, expected) => {
    it.each(Object.keys(expected) as Actor[])('as %s', async (actor) => {
      const res = await as[actor].json(path, {
        method,
        ...(body?.json !== undefined ? { json: body.json } : {}),
        ...(body?.bytes ? { body: body.bytes as Uint8Array<ArrayBuffer>, headers: { 'Content-Type': 'text/csv' } } : {}),
        ...(body?.form ? { body: body.form() } : {}),
      }).catch(async () => ({ status: (await as[actor].request(path, { method })).status, body: null }));
      expect(res.status, JSON.stringify(res.body)).toBe(expected[actor]);
    });
  });

  it('an office sees only its own region; its import, photos and letters reach nothing of another', async () => {
    const mine = await as.admin.json<SetupRegions>('/api/office/setup/regions');
    expect(mine.body.regions.map((r) => r.code)).toEqual(['110199']);
    const theirs = await as.otherOffice.json<SetupRegions>('/api/office/setup/regions');
    expect(theirs.body.regions.map((r) => r.code)).toEqual(['130199']);
    // A row naming the other region's community is a row error, not a retiree of theirs.
    const preview = await upload(as.admin, '/api/office/setup/retirees/preview', new TextEncoder().encode(`${HEADER}\n${B},吴奶奶,城乡居民,${OTHER_COMMUNITY},,,2012-07-01\n`));
    expect(preview.body.errors).toEqual([expect.objectContaining({ row: 2, column: 'community', problem: 'unknown_community' })]);
    // The other region's retiree, by ID number: nobody in this office's letters or photos.
    const count = await as.admin.json<LetterCount>('/api/office/setup/activation-codes/count', { json: { idNumber: DEMO.retireeSuspended.idNumber } });
    expect(count.body.count).toBe(0);
    const photos = await as.admin.json<PhotoUploadResult>('/api/office/setup/photos', { body: photoForm([{ name: `${DEMO.retireeSuspended.idNumber}.jpg`, bytes: outlinePhoto(30) }]) });
    expect(photos.body.files).toEqual([expect.objectContaining({ outcome: 'error', problem: 'unknown_retiree' })]);
    expect((await t.db.get<{ n: number }>("SELECT count(*) AS n FROM reference_faces rf JOIN retirees r ON r.id = rf.retiree_id WHERE r.id_number = ?", [DEMO.retireeSuspended.idNumber]))!.n).toBe(0);
  });
});

describe('periods', () => {
  beforeEach(setUp);
  afterEach(async () => t.close());
  const put = (year: number, json: Record<string, unknown>) => as.admin.json(`/api/regions/110199/periods/${year}`, { method: 'PUT', json });
  const good = { selfStart: '2027-03-01', selfEnd: '2027-06-30', onsiteStart: '2027-06-01', onsiteEnd: '2027-06-30', deadline: '2027-06-30', suspensionDate: '2027-07-01' };

  it('answers every broken rule with its field and code', async () => {
    const res = await put(2027, { ...good, selfEnd: '2027-02-01', onsiteEnd: '2027-07-10', suspensionDate: '2027-06-30' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: { path: string; code: string }) => `${i.path}:${i.code}`)).toEqual([
      'selfEnd:self_window_reversed',
      'onsiteEnd:window_after_deadline',
      'suspensionDate:suspension_not_after_deadline',
    ]);
    expect((await put(2028, good)).body.error.details.issues).toEqual([expect.objectContaining({ path: 'year', code: 'year_mismatch' })]);
    expect((await put(2027, { ...good, deadline: '2027-02-30' })).body.error.details.issues).toEqual([expect.objectContaining({ path: 'deadline', code: 'invalid_date' })]);
  });

  it('refuses an overlap with another year, naming it', async () => {
    const periods = (await as.admin.json('/api/regions/110199/periods')).body;
    const current = periods.periods.at(-1);
    const next = current.year + 1;
    const res = await put(next, { selfStart: current.deadline, selfEnd: `${next}-06-30`, onsiteStart: `${next}-06-01`, onsiteEnd: `${next}-06-30`, deadline: `${next}-06-30`, suspensionDate: `${next}-07-01` });
    expect(res.status).toBe(409);
    expect(res.body.error.details.issues).toEqual([expect.objectContaining({ path: 'selfStart', code: 'overlaps', otherYear: current.year })]);
  });

  it('changes a period whose deadline has passed only when the clerk confirms, and audits what it was', async () => {
    const { periods, today } = (await as.admin.json('/api/regions/110199/periods')).body;
    const past = periods.find((p: { deadline: string }) => p.deadline < today);
    const moved = { selfStart: past.selfStart, selfEnd: past.selfEnd, onsiteStart: past.onsiteStart, onsiteEnd: past.onsiteEnd, deadline: past.deadline, suspensionDate: past.suspensionDate };
    const refused = await put(past.year, moved);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.issues).toEqual([expect.objectContaining({ path: 'deadline', code: 'deadline_passed' })]);
    expect((await put(past.year, { ...moved, confirmPast: true })).status).toBe(200);
    const entry = await t.db.get<{ details: string }>("SELECT details FROM audit_log WHERE event = 'period_set' ORDER BY id DESC LIMIT 1");
    expect(JSON.parse(entry!.details)).toMatchObject({ confirmedPast: true, before: { deadline: past.deadline } });
  });
});

describe('retiree import', () => {
  beforeEach(setUp);
  afterEach(async () => t.close());

  const file = [
    `\ufeff${HEADER}`,
    `${A},周大爷,企业职工,${COMMUNITY},"和平路 1 号, 2 单元",13800000000,2008/1/1`,
    `${B},"吴""小""奶奶",urban_rural_resident,${COMMUNITY},,,2012-07-01`,
    `${BAD_CHECK},坏校验,urban_employee,${COMMUNITY},,,2010-01-01`,
    `${C},坏类别,farmer,${COMMUNITY},,,2010-01-01`,
    `${B},重复,urban_employee,${COMMUNITY},,,2010-01-01`,
  ].join('\r\n');
  const bytes = new TextEncoder().encode(file);
  const countRetirees = async () => (await t.db.get<{ n: number }>('SELECT count(*) AS n FROM retirees'))!.n;

  it('previews a CSV with a BOM and quoted fields: counts and every bad row with its row number, column and problem', async () => {
    const before = await countRetirees();
    const res = await upload(as.admin, '/api/office/setup/retirees/preview', bytes);
    expect(res.status).toBe(200);
    const p = res.body as ImportPreview;
    expect(p.format).toBe('csv');
    expect(p.counts).toEqual({ rows: 5, added: 2, updated: 0, unchanged: 0, errors: 3 });
    expect(p.changes.map((c) => [c.row, c.name, c.action])).toEqual([
      [2, '周大爷', 'add'],
      [3, '吴"小"奶奶', 'add'],
    ]);
    expect(p.errors.map((e) => [e.row, e.column, e.problem])).toEqual([
      [4, 'idNumber', 'id_checksum'],
      [5, 'pensionCategory', 'bad_category'],
      [6, 'idNumber', 'duplicate_in_file'],
    ]);
    expect(p.errors[2]!.earlierRow).toBe(3);
    expect(await countRetirees()).toBe(before);
  });

  it('applies exactly what was previewed, once: the same file again changes nothing; a corrected file updates', async () => {
    const before = await countRetirees();
    const preview = (await upload(as.admin, '/api/office/setup/retirees/preview', bytes)).body as ImportPreview;
    const apply = (plan: string, b = bytes) => upload(as.admin, `/api/office/setup/retirees/apply?plan=${plan}`, b);
    const first = await apply(preview.planHash);
    expect(first.status).toBe(200);
    expect(first.body.counts).toMatchObject({ added: 2, updated: 0, errors: 3 });
    expect(await countRetirees()).toBe(before + 2);
    const stored = await t.db.get<{ address: string; phone: string; enrolled_on: string; name: string }>('SELECT address, phone, enrolled_on, name FROM retirees WHERE id_number = ?', [A]);
    expect(stored).toEqual({ address: '和平路 1 号, 2 单元', phone: '13800000000', enrolled_on: '2008-01-01', name: '周大爷' });

    // The same preview's apply again (a double click): nothing left to do, nothing written.
    const again = await apply(preview.planHash);
    expect(again.status).toBe(200);
    expect(again.body.counts).toMatchObject({ added: 0, updated: 0, unchanged: 2 });
    expect(await countRetirees()).toBe(before + 2);
    const second = (await upload(as.admin, '/api/office/setup/retirees/preview', bytes)).body as ImportPreview;
    expect(second.counts).toMatchObject({ added: 0, updated: 0, unchanged: 2, errors: 3 });

    // A corrected name is an update; an apply naming the old preview is refused, not guessed at.
    const corrected = new TextEncoder().encode(file.replace('周大爷', '周德福'));
    expect((await apply(preview.planHash, corrected)).status).toBe(409);
    const third = (await upload(as.admin, '/api/office/setup/retirees/preview', corrected)).body as ImportPreview;
    expect(third.changes).toEqual([expect.objectContaining({ row: 2, action: 'update', fields: ['name'] })]);
    expect((await apply(third.planHash, corrected)).body.counts).toMatchObject({ added: 0, updated: 1, unchanged: 1 });
    expect((await t.db.get<{ name: string }>('SELECT name FROM retirees WHERE id_number = ?', [A]))!.name).toBe('周德福');

    const audits = await t.db.all<{ user_id: number; details: string }>("SELECT user_id, details FROM audit_log WHERE event = 'retirees_imported' ORDER BY id");
    expect(audits).toHaveLength(3);
    expect(JSON.parse(audits[0]!.details)).toMatchObject({ sha256: preview.fileSha256, added: 2, updated: 0, errors: 3 });
  });

  it('reads an XLSX written by exceljs: dates, numbers, rich text; an ID number stored as a number is a row error', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['id_number', 'name', 'pension_category', 'community', 'phone', 'enrolled_on']);
    ws.addRow([A, { richText: [{ text: '周' }, { text: '大爷' }] }, '机关事业单位', COMMUNITY, 13800000000, new Date(Date.UTC(2009, 4, 6))]);
    ws.addRow([]);
    ws.addRow([Number(C.slice(0, 15)) * 1000, '数字号', '城乡居民', COMMUNITY, null, '2010-01-01']);
    wb.addWorksheet('说明').addRow(['not read']);
    const xlsx = new Uint8Array(await wb.xlsx.writeBuffer());
    const res = await upload(as.admin, '/api/office/setup/retirees/preview', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const p = res.body as ImportPreview;
    expect(p.format).toBe('xlsx');
    expect(p.counts).toEqual({ rows: 2, added: 1, updated: 0, unchanged: 0, errors: 1 });
    expect(p.errors).toEqual([expect.objectContaining({ row: 4, column: 'idNumber', problem: 'id_as_number' })]);
    await upload(as.admin, `/api/office/setup/retirees/apply?plan=${p.planHash}`, xlsx);
    expect(await t.db.get('SELECT name, pension_category, phone, enrolled_on FROM retirees WHERE id_number = ?', [A])).toEqual({
      name: '周大爷', pension_category: 'public_institution', phone: '13800000000', enrolled_on: '2009-05-06',
    });
  });

  it('refuses a whole file in words: columns missing, an unclosed quote, too large (413), too many rows (413)', async () => {
    const missing = await upload(as.admin, '/api/office/setup/retirees/preview', new TextEncoder().encode('姓名,颜色\n张三,红\n'));
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toMatchObject({ problem: 'missing_columns', missing: ['idNumber', 'pensionCategory', 'community', 'enrolledOn'], unknown: ['颜色'] });
    const quote = await upload(as.admin, '/api/office/setup/retirees/preview', new TextEncoder().encode(`${HEADER}\n"${A},x\n`));
    expect(quote.body.error.details).toMatchObject({ problem: 'unclosed_quote' });
    const huge = await as.admin.request('/api/office/setup/retirees/preview', { method: 'POST', body: new Uint8Array(10 * 1024 * 1024 + 1), headers: { 'Content-Type': 'text/csv' } });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.message).toBe('The file is larger than 10 MB');
    const many = `${HEADER}\n${Array.from({ length: 50_001 }, () => `${A},x,企业职工,${COMMUNITY},,,2008-01-01`).join('\n')}`;
    const tooMany = await upload(as.admin, '/api/office/setup/retirees/preview', new TextEncoder().encode(many));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.details).toMatchObject({ problem: 'too_many_rows', maxRows: 50_000 });
  });

  it('offers a template with a BOM and the Chinese header the import takes', async () => {
    const res = await as.admin.request('/api/office/setup/retirees/template.csv');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const body = new Uint8Array(await res.arrayBuffer());
    expect([...body.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(body)).toBe(`\ufeff${HEADER}\r\n`);
    const filled = new TextEncoder().encode(`${new TextDecoder().decode(body)}${A},周大爷,企业职工,${COMMUNITY},,,2008-01-01\r\n`);
    expect(((await upload(as.admin, '/api/office/setup/retirees/preview', filled)).body as ImportPreview).counts.added).toBe(1);
  });
});

if (!HAS_SHARED) console.warn(`office-setup reference photos with a real face: ${SKIP_REASON}`);

describe('reference photos', () => {
  beforeEach(setUp);
  afterEach(async () => t.close());

  it.skipIf(!HAS_SHARED)('imports photos named by ID number, each with its result; the same photo again is already there; a ZIP works the same', async () => {
    const photo = fixtureFace();
    const files = [
      { name: `${DEMO.retireeOpen.idNumber}.jpg`, bytes: photo },
      { name: `${DEMO.retireeCertified.idNumber}_2.jpg`, bytes: outlinePhoto(40) },
      { name: 'grandma.jpg', bytes: photo },
      { name: `${withCheck('11019919550101001')}.jpg`, bytes: photo },
    ];
    const res = await as.admin.json<PhotoUploadResult>('/api/office/setup/photos', { body: photoForm(files) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.files.map((f) => [f.name, f.outcome, f.problem ?? f.retiree?.name])).toEqual([
      [`${DEMO.retireeCertified.idNumber}_2.jpg`, 'error', 'no_face'],
      [`${DEMO.retireeOpen.idNumber}.jpg`, 'imported', DEMO.retireeOpen.name],
      [`${withCheck('11019919550101001')}.jpg`, 'error', 'unknown_retiree'],
      ['grandma.jpg', 'error', 'bad_name'],
    ]);
    const zip = zipSync({ 'photos/': new Uint8Array(), [`photos/${DEMO.retireeOpen.idNumber}.jpg`]: photo });
    const again = await as.admin.json<PhotoUploadResult>('/api/office/setup/photos', { body: photoForm([{ name: 'photos.zip', bytes: zip }]) });
    expect(again.body).toMatchObject({ imported: 0, already: 1, failed: 0 });
    const refs = await t.db.all<{ added_by: number }>('SELECT added_by FROM reference_faces');
    expect(refs).toHaveLength(1);
    expect(refs[0]!.added_by).not.toBeNull();
  });

  it('takes at most 20 photos in one upload (the console sends more in parts)', async () => {
    const files = Array.from({ length: 21 }, (_, i) => ({ name: `p${i}.jpg`, bytes: outlinePhoto(i) }));
    const res = await as.admin.json('/api/office/setup/photos', { body: photoForm(files) });
    expect(res.status).toBe(413);
    expect(res.body.error.details).toEqual({ maxFiles: 20 });
    const zip = zipSync(Object.fromEntries(files.map((f) => [f.name, f.bytes])));
    expect((await as.admin.json('/api/office/setup/photos', { body: photoForm([{ name: 'all.zip', bytes: zip }]) })).status).toBe(413);
  });
});

describe('activation letters', () => {
  beforeEach(setUp);
  afterEach(async () => t.close());

  it('issues codes for the not-yet-activated of a community; a re-issue needs a yes, and the old code stops working while the new one activates', async () => {
    const { body: regions } = await as.admin.json<SetupRegions>('/api/office/setup/regions');
    const community = regions.regions[0]!.communities.find((c) => c.name === COMMUNITY)!;
    // The demo has two retirees in the community who never chose a PIN (王秀英 holds a code already).
    expect(community.notActivated).toBe(2);
    const selection = { communityId: community.id, scope: 'not_activated' };
    const count = await as.admin.json<LetterCount>('/api/office/setup/activation-codes/count', { json: selection });
    expect(count.body).toEqual({ count: 2, activated: 0, withOpenCode: 1 });
    const refused = await as.admin.json('/api/office/setup/activation-codes', { json: selection });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ problem: 'confirm_replace', withOpenCode: 1 });

    const issued = await as.admin.json<IssuedLetters>('/api/office/setup/activation-codes', { json: { ...selection, confirmReplace: true } });
    expect(issued.status).toBe(201);
    const letter = issued.body.letters.find((l) => l.name === DEMO.retireeNew.name)!;
    expect(issued.body.letters).toHaveLength(2);
    expect(letter).toMatchObject({ maskedIdNumber: `${DEMO.retireeNew.idNumber.slice(0, 4)}**********${DEMO.retireeNew.idNumber.slice(14)}`, community: COMMUNITY, phone: '010-6500 5678', reactivation: false });
    expect(letter.code).toMatch(/^\d{8}$/);
    // The QR code printed on the letter carries the whole ID number and the code, in the shared format.
    expect(parseActivationQr(letter.qr!)).toEqual({ ok: true, value: { idNumber: DEMO.retireeNew.idNumber, code: letter.code } });

    // Never in plain text in the database or the audit log.
    const dump = JSON.stringify([await t.db.all('SELECT * FROM activation_codes'), await t.db.all('SELECT * FROM audit_log')]);
    for (const l of issued.body.letters) expect(dump).not.toContain(l.code);
    const batch = await t.db.get<{ details: string }>("SELECT details FROM audit_log WHERE event = 'activation_codes_issued_batch'");
    expect(JSON.parse(batch!.details)).toMatchObject({ count: 2, replacedCodes: 1, retireeIds: issued.body.letters.map((l) => l.retireeId) });

    const activate = (code: string) => client(t).json('/api/auth/activate', { json: { idNumber: DEMO.retireeNew.idNumber, code, pin: '502718' } });
    expect((await activate(DEMO.retireeNew.activationCode)).status).toBe(401);
    expect((await activate(letter.code)).status).toBe(200);

    // Re-issue for one retiree who now has a PIN: a reactivation letter, after the clerk's yes.
    const one = { idNumber: DEMO.retireeNew.idNumber };
    expect((await as.admin.json<LetterCount>('/api/office/setup/activation-codes/count', { json: one })).body).toEqual({ count: 1, activated: 1, withOpenCode: 0 });
    const again = await as.admin.json<IssuedLetters>('/api/office/setup/activation-codes', { json: { ...one, confirmReplace: true } });
    expect(again.body.letters).toEqual([expect.objectContaining({ reactivation: true })]);
  });
});
