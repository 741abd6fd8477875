// An office photo becomes a reference face: the one path for the API (one photo) and the admin
// CLI (a folder or ZIP of photos named by ID number). Idempotent by content: the same bytes for the
// same retiree add nothing the second time.
import { createHash } from 'node:crypto';
import { jpegInfo } from '../../shared/media.ts';
import type { Db } from '../db/sqlite.ts';
import { audit } from '../store/audit.ts';
import { addReference, type ReferenceStatus } from '../store/reference-faces.ts';
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

export async function addOfficePhoto(db: Db, faces: FaceReader, photo: OfficePhoto): Promise<PhotoResult> {
  const { bytes } = photo;
  const type = imageType(bytes);
  if (!type) return { ok: false, problem: 'not_an_image' };
  if (bytes.length > MAX_PHOTO_BYTES) return { ok: false, problem: 'too_large' };
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
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const added = await db.transaction(async () => {
    const r = await addReference(db, {
      retireeId: photo.retireeId,
      source: 'office_photo',
      status: 'active',
      descriptor: reading.descriptor!,
      photo: bytes,
      photoType: type,
      sha256,
      width: size?.width ?? 0,
      height: size?.height ?? 0,
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
