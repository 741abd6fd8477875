// /api/office/setup: the office's year set-up (issue 16, docs/decisions/058). The retiree import
// (template, preview, apply), reference photos uploaded from the console, and activation letters.
// Periods are /api/regions/:code/periods. Office (admin) only; every read and write is scoped to the
// office's region (an office without one names the region it works on with ?region=).
import type { Context } from 'hono';
import { Hono } from 'hono';
import * as v from 'valibot';
import { activationQrPayload } from '../../shared/activation-qr.ts';
import { localDateIn } from '../../shared/dates.ts';
import {
  ApplyQuery,
  ImportQuery,
  LetterSelection,
  SETUP,
  type IssuedLetters,
  type LetterCount,
  type PhotoUploadResult,
  type SetupRegions,
} from '../../shared/schemas/office-setup.ts';
import { issueActivationCode } from '../auth/activation.ts';
import { importPhotos } from '../cli/import-photos.ts';
import type { AppEnv } from '../context.ts';
import { readBody, reply } from '../http/reply.ts';
import { AppError, notFound } from '../errors.ts';
import { validate } from '../http/json.ts';
import { limitBody } from '../http/limits.ts';
import { applyRetireeImport, previewRetireeImport, templateCsv } from '../import/retirees.ts';
import { FileRefused, MAX_IMPORT_BYTES } from '../import/spreadsheet.ts';
import { requireUser } from '../middleware/session.ts';
import { audit } from '../store/audit.ts';
import { letterRecipients, MAX_LETTERS, regionsOfOffice, setupCommunities } from '../store/activation-letters.ts';
import { regionByCode, regionById } from '../store/regions.ts';
import { maskIdNumber } from './me.ts';

/** The letter's QR payload, or none for an ID number the phone would refuse anyway. */
function letterQr(idNumber: string, code: string): string | null {
  try {
    return activationQrPayload(idNumber, code);
  } catch {
    return null;
  }
}

type Ctx = Context<AppEnv>;

/** Photos taken in one upload: each is read by the face model (0.1–0.5 s); the console sends a larger choice in parts. */
export const MAX_PHOTOS_PER_UPLOAD = 20;
const MAX_PHOTO_UPLOAD_BYTES = 48 * 1024 * 1024;

/** The region an office works on: its own, or (an office of every region) the one it names. */
async function officeRegion(c: Ctx, code: string | undefined) {
  const { user } = requireUser(c, 'admin');
  const { db } = c.get('services');
  if (user.regionId === null && !code) {
    throw new AppError(400, 'validation_failed', 'region: choose the region to work on', { issues: [{ path: 'region', message: 'Choose a region' }] });
  }
  const region = code ? await regionByCode(db, code).catch(() => null) : null;
  if (user.regionId !== null) {
    // Naming another region is answered as if it did not exist: its existence is not the office's business.
    if (code && region?.id !== user.regionId) throw notFound('Region');
    return { user, region: region ?? (await regionById(db, user.regionId)) };
  }
  if (!region) throw notFound('Region');
  return { user, region };
}

/** An upload over its limit is told in words before its body is read (Content-Length), or while it is counted. */
function uploadLimit(maxBytes: number, what: string) {
  const words = `${what} is larger than ${maxBytes / 1024 / 1024} MB`;
  const counted = limitBody(maxBytes);
  return async (c: Ctx, next: () => Promise<void>) => {
    const length = Number(c.req.header('content-length') ?? NaN);
    if (length > maxBytes) throw new AppError(413, 'payload_too_large', words, { maxBytes });
    try {
      await counted(c, next);
    } catch (err) {
      if (err instanceof AppError && err.status === 413) throw new AppError(413, 'payload_too_large', words, { maxBytes });
      throw err;
    }
  };
}

async function uploadedBytes(c: Ctx): Promise<Uint8Array> {
  return new Uint8Array(await c.req.arrayBuffer());
}

/** A whole file refused: 413 for one too large to take, 400 otherwise; the problem code for the console. */
function refusedFile(err: unknown): never {
  if (err instanceof FileRefused) {
    const status = err.problem === 'too_many_rows' ? 413 : 400;
    throw new AppError(status, status === 413 ? 'payload_too_large' : 'validation_failed', err.message, { problem: err.problem, ...err.details });
  }
  throw err;
}

export function officeSetupRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/regions', async (c) => {
    const { user } = requireUser(c, 'admin');
    const { db } = c.get('services');
    const regions = await regionsOfOffice(db, user.regionId);
    const body: SetupRegions = {
      regions: await Promise.all(regions.map(async (r) => ({ code: r.code, name: r.name, officePhone: r.officePhone, communities: await setupCommunities(db, r.id) }))),
    };
    return reply(c, SETUP.regions, body);
  });

  // ---- Retiree import: the template, a preview that writes nothing, the apply of what was previewed.

  app.get('/retirees/template.csv', (c) => {
    requireUser(c, 'admin');
    return c.body(templateCsv(), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="retirees-template.csv"; filename*=UTF-8''${encodeURIComponent('老人名单模板.csv')}`,
    });
  });

  app.post('/retirees/preview', uploadLimit(MAX_IMPORT_BYTES, 'The file'), async (c) => {
    const { region } = await officeRegion(c, validate(ImportQuery, c.req.query()).region);
    const { db, now } = c.get('services');
    const bytes = await uploadedBytes(c);
    try {
      return reply(c, SETUP.previewImport, await previewRetireeImport(db, region, bytes, localDateIn(region.timeZone, now())));
    } catch (err) {
      refusedFile(err);
    }
  });

  // The client sends the same file again with the preview's planHash (decision 058): nothing is kept
  // between the two, and what is applied is what the clerk saw, or a 409.
  app.post('/retirees/apply', uploadLimit(MAX_IMPORT_BYTES, 'The file'), async (c) => {
    const query = validate(ApplyQuery, c.req.query());
    const { user, region } = await officeRegion(c, query.region);
    const { db, now } = c.get('services');
    const bytes = await uploadedBytes(c);
    const at = now();
    try {
      const { counts, fileSha256 } = await applyRetireeImport(db, region, bytes, { at, today: localDateIn(region.timeZone, at), userId: user.id, ip: c.get('ip'), expectPlan: query.plan });
      return reply(c, SETUP.applyImport, { counts, fileSha256 });
    } catch (err) {
      refusedFile(err);
    }
  });

  // ---- Reference photos: a ZIP, or photos, named by ID number; the CLI's import-photos does the work.

  app.post('/photos', uploadLimit(MAX_PHOTO_UPLOAD_BYTES, 'The upload'), async (c) => {
    const { user, region } = await officeRegion(c, validate(ImportQuery, c.req.query()).region);
    const { db, faces, now } = c.get('services');
    if (!faces) throw new AppError(503, 'internal', 'Face matching is not running on this server (MATCH_THREADS=0)', { problem: 'no_face_model' });
    const type = c.req.header('content-type') ?? '';
    if (!/^multipart\/form-data/i.test(type)) throw new AppError(415, 'unsupported_media_type', 'Send the photos as multipart/form-data, one part per file');
    const form = await c.req.formData().catch(() => {
      throw new AppError(400, 'bad_request', 'The upload could not be read as multipart/form-data');
    });
    const files: { name: string; bytes: Uint8Array }[] = [];
    for (const part of form.getAll('file')) {
      if (typeof part === 'string') continue;
      files.push({ name: part.name, bytes: new Uint8Array(await part.arrayBuffer()) });
    }
    if (!files.length) throw new AppError(400, 'validation_failed', 'No files in the upload (parts named "file")', { problem: 'empty' });
    const zip = files.length === 1 && /\.zip$/i.test(files[0]!.name) ? files[0]! : null;
    if (!zip && files.length > MAX_PHOTOS_PER_UPLOAD) {
      throw new AppError(413, 'payload_too_large', `More than ${MAX_PHOTOS_PER_UPLOAD} photos in one upload: send them in parts`, { maxFiles: MAX_PHOTOS_PER_UPLOAD });
    }
    const report = await importPhotos(
      db,
      {
        source: zip ? { zipBytes: zip.bytes, label: zip.name } : { files },
        dryRun: false,
        takenOn: null,
        at: now(),
        faces,
        regionId: region.id,
        addedBy: user.id,
        ip: c.get('ip'),
        // Checked before any photo is read: a ZIP holding more than an upload takes is refused whole.
        maxFiles: MAX_PHOTOS_PER_UPLOAD,
        concurrency: 2,
      },
      () => undefined,
    ).catch((err) => {
      if (err instanceof AppError && err.details?.problem === 'too_many_files') {
        throw new AppError(413, 'payload_too_large', err.message, { maxFiles: MAX_PHOTOS_PER_UPLOAD });
      }
      throw err;
    });
    const body: PhotoUploadResult = { files: report.files, imported: report.imported, already: report.alreadyImported, failed: report.failed };
    return reply(c, SETUP.photos, body);
  });

  // ---- Activation letters: who a choice names, then the codes (shown once, never stored in plain text).

  const selection = async (c: Ctx, s: v.InferOutput<typeof LetterSelection>) => {
    const { user, region } = await officeRegion(c, s.region);
    const { db, now } = c.get('services');
    const at = now();
    const recipients = await letterRecipients(db, { regionId: region.id, communityId: s.communityId, scope: s.scope, idNumber: s.idNumber, at });
    return { user, region, recipients, at };
  };

  app.post('/activation-codes/count', limitBody(1024), async (c) => {
    const { recipients } = await selection(c, await readBody(c, SETUP.letterCount));
    const body: LetterCount = {
      count: recipients.length,
      activated: recipients.filter((r) => r.activated).length,
      withOpenCode: recipients.filter((r) => r.openCode).length,
    };
    return reply(c, SETUP.letterCount, body);
  });

  app.post('/activation-codes', limitBody(1024), async (c) => {
    const input = await readBody(c, SETUP.issueLetters);
    const { user, region, recipients, at } = await selection(c, input);
    if (recipients.length > MAX_LETTERS) {
      throw new AppError(413, 'payload_too_large', `More than ${MAX_LETTERS} letters at once: choose a community`, { maxLetters: MAX_LETTERS });
    }
    const activated = recipients.filter((r) => r.activated).length;
    const withOpenCode = recipients.filter((r) => r.openCode).length;
    // A letter for someone with a PIN resets it once used; one for someone holding an unused code
    // makes that code stop working. The clerk has been told (inline) and said yes.
    if ((activated || withOpenCode) && !input.confirmReplace) {
      throw new AppError(409, 'conflict', `${activated} of them already chose a PIN and ${withOpenCode} hold an unused code: confirm to replace them`, { problem: 'confirm_replace', activated, withOpenCode });
    }
    const { db } = c.get('services');
    const ip = c.get('ip');
    const letters = await db.transaction(async () => {
      const out: IssuedLetters['letters'] = [];
      for (const r of recipients) {
        const { code, expiresAt } = await issueActivationCode(db, r.retireeId, user.id, at);
        await audit(db, at, { event: r.activated ? 'reactivation_code_issued' : 'activation_code_issued', userId: user.id, subject: `retiree:${r.retireeId}`, ip, details: { letter: true } });
        out.push({ retireeId: r.retireeId, name: r.name, maskedIdNumber: maskIdNumber(r.idNumber), community: r.community, phone: r.phone, code, qr: letterQr(r.idNumber, code), expiresAt, reactivation: r.activated });
      }
      // Who, how many, for whom: never the codes.
      await audit(db, at, {
        event: 'activation_codes_issued_batch',
        userId: user.id,
        subject: `region:${region.code}`,
        ip,
        details: { count: out.length, reactivations: activated, replacedCodes: withOpenCode, communityId: input.communityId ?? null, scope: input.scope, retireeIds: out.map((l) => l.retireeId) },
      });
      return out;
    });
    const body: IssuedLetters = { region: { code: region.code, name: region.name }, issuedAt: at, letters };
    return reply(c, SETUP.issueLetters, body, 201);
  });

  return app;
}
