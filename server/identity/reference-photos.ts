// An office photo becomes a reference face: the one path for the API (one photo) and the admin
// CLI (a folder or ZIP of photos named by ID number). Idempotent by content: the same bytes for the
// same retiree add nothing the second time.
import { createHash } from 'node:crypto';
import { jpegInfo } from '../../shared/media.ts';
import type { Db } from '../db/sqlite.ts';
import { audit } from '../store/audit.ts';
import { addReference, referenceByContent, type ReferenceStatus } from '../store/reference-faces.ts';
import type { FaceReader } from './match-queue.ts';

/** Largest office photo taken (an ID-card scan is far smaller; a phone photo can be a few MB). */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

export type PhotoProblem = 'not_an_image' | 'too_large' | 'unreadable' | 'no_face' | 'several_faces';

export const PHOTO_PROBLEM_TEXT: Record<PhotoProblem, string> = {
  not_an_image: 'not a JPEG or PNG file',
  too_large: `larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB`,
  unreadable: 'the image could not be decoded (damaged or truncated file)',
  no_face: 'no face was found in the photo',
  several_faces: 'the photo shows more than one face: crop it to the retiree alone',
};

export type PhotoResult =
  | { ok: true; id: number; created: boolean; status: ReferenceStatus }
  | { ok: false; problem: PhotoProblem; detail?: string };

function imageType(bytes: Uint8Array): 'image/jpeg' | 'image/png' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  return null;
}

function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export interface OfficePhoto {
  retireeId: number;
  bytes: Uint8Array;
  addedBy: number | null;
  at: number;
  takenOn?: string | null;
  /** For the audit log: the file it came from, the request's address. */
  origin?: string;
  ip?: string | null;
}

/** What addOfficePhoto would do, without writing: for an import's --dry-run. */
export type PhotoCheck =
  | { ok: true; existing: { id: number; status: ReferenceStatus } | null }
  | { ok: false; problem: PhotoProblem; detail?: string };

type Examined =
  | { ok: false; problem: PhotoProblem; detail?: string }
  | { ok: true; existing: { id: number; status: ReferenceStatus }; fresh?: undefined }
  | { ok: true; existing: null; fresh: { type: 'image/jpeg' | 'image/png'; sha256: string; descriptor: Float32Array; width: number; height: number } };

// The checks, in order; the same bytes already kept for this retiree are found before the (slow)
// face reading, so an import run again is quick.
async function examine(db: Db, faces: FaceReader, retireeId: number, bytes: Uint8Array): Promise<Examined> {
  const type = imageType(bytes);
  if (!type) return { ok: false, problem: 'not_an_image' };
  if (bytes.length > MAX_PHOTO_BYTES) return { ok: false, problem: 'too_large' };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const existing = await referenceByContent(db, retireeId, sha256);
  if (existing) return { ok: true, existing };
  let reading;
  try {
    reading = await faces.describe(bytes, 'photo');
  } catch (err) {
    if ((err as Error).name === 'UnreadableImageError') return { ok: false, problem: 'unreadable', detail: (err as Error).message };
    throw err;
  }
  if (!reading.descriptor) return { ok: false, problem: 'no_face' };
  if (reading.faces > 1) return { ok: false, problem: 'several_faces', detail: `${reading.faces} faces` };
  const size = type === 'image/jpeg' ? jpegInfo(bytes) : pngSize(bytes);
  return { ok: true, existing: null, fresh: { type, sha256, descriptor: reading.descriptor, width: size?.width ?? 0, height: size?.height ?? 0 } };
}

export async function checkOfficePhoto(db: Db, faces: FaceReader, photo: Pick<OfficePhoto, 'retireeId' | 'bytes'>): Promise<PhotoCheck> {
  const e = await examine(db, faces, photo.retireeId, photo.bytes);
  return e.ok ? { ok: true, existing: e.existing } : e;
}

export async function addOfficePhoto(db: Db, faces: FaceReader, photo: OfficePhoto): Promise<PhotoResult> {
  const { bytes } = photo;
  const e = await examine(db, faces, photo.retireeId, bytes);
  if (!e.ok) return e;
  if (e.existing) return { ok: true, id: e.existing.id, created: false, status: e.existing.status };
  const { type, sha256, descriptor, width, height } = e.fresh;
  const added = await db.transaction(async () => {
    const r = await addReference(db, {
      retireeId: photo.retireeId,
      source: 'office_photo',
      status: 'active',
      descriptor,
      photo: bytes,
      photoType: type,
      sha256,
      width,
      height,
      addedBy: photo.addedBy,
      at: photo.at,
      takenOn: photo.takenOn ?? null,
    });
    if (r.created) {
      await audit(db, photo.at, { event: 'reference_added', userId: photo.addedBy, subject: `retiree:${photo.retireeId}`, ip: photo.ip ?? null, details: { reference: r.id, sha256, origin: photo.origin ?? 'api' } });
    }
    return r;
  });
  return { ok: true, ...added };
}
