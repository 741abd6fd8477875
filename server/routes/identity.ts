// /api/identity: the office's side of the face match (issue 14, docs/identity.md). Reference faces
// (list, add an office photo, look at one, remove a wrong one) and the review of attempts the server
// did not certify on its own, with their evidence. Office (admin) only, scoped to its region.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { AddReferenceQuery, IDENTITY, AttemptReviewFilter, type BiometricsErasure, type ReferenceFace } from '../../shared/schemas/identity.ts';
import { UUID7_RE } from '../../shared/uuid7.ts';
import type { SessionUser } from '../auth/auth_session.ts';
import { canAccessRetiree } from '../auth/access.ts';
import type { AppEnv } from '../context.ts';
import { readBody, reply } from '../http/reply.ts';
import { AppError, notFound } from '../errors.ts';
import { privateBytes } from '../http/bytes.ts';
import { idParam, validate } from '../http/json.ts';
import { limitBody } from '../http/limits.ts';
import { addOfficePhoto, MAX_PHOTO_BYTES, PHOTO_PROBLEM_TEXT } from '../identity/reference-photos.ts';
import { requireUser } from '../middleware/session.ts';
import { eraseBiometrics } from '../retention/erase-biometrics.ts';
import { attemptBlob, attemptResultJson, attemptReviewById, attemptSpoofEvidence, decideAttemptReview, listAttemptReviews } from '../store/attempt-reviews.ts';
import { storedVoiceCheck } from '../sync/voice-review.ts';
import { storedSpoofCheck } from '../sync/spoof-check.ts';
import { audit } from '../store/audit.ts';
import { referenceById, referencePhoto, referencesOf, removeReference, type ReferenceInfo } from '../store/reference-faces.ts';
import { retireeById } from '../store/retirees.ts';

type Ctx = Context<AppEnv>;

export const toFace = (r: ReferenceInfo): ReferenceFace => ({
  id: r.id,
  retireeId: r.retireeId,
  source: r.source,
  status: r.status,
  width: r.width,
  height: r.height,
  attemptId: r.attemptId,
  addedBy: r.addedBy === null ? null : { id: r.addedBy, name: r.addedByName ?? '' },
  createdAt: r.createdAt,
  takenOn: r.takenOn,
});

/** A retiree of the office's region; 404 for others, so ids of other regions cannot be probed. */
async function retireeOfRegion(c: Ctx, admin: SessionUser, id: number) {
  const db = c.get('services').db;
  const retiree = (await canAccessRetiree(db, admin, id)) ? await retireeById(db, id) : undefined;
  if (!retiree) throw notFound('Retiree');
  return retiree;
}

async function referenceOfRegion(c: Ctx, admin: SessionUser): Promise<ReferenceInfo> {
  const ref = await referenceById(c.get('services').db, idParam(c, 'id'));
  if (!ref || ref.status === 'removed') throw notFound('Reference');
  await retireeOfRegion(c, admin, ref.retireeId);
  return ref;
}

function attemptId(c: Ctx): string {
  const id = c.req.param('id') ?? '';
  if (!UUID7_RE.test(id)) throw notFound('Attempt');
  return id;
}

export function identityRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/retirees/:id/references', async (c) => {
    const { user } = requireUser(c, 'admin');
    const retiree = await retireeOfRegion(c, user, idParam(c, 'id'));
    return reply(c, IDENTITY.references, { references: (await referencesOf(c.get('services').db, retiree.id)).map(toFace) });
  });

  // The body is the photo itself (image/jpeg or image/png), as an office scanner or a browser's
  // file upload sends it.
  app.post('/retirees/:id/references', limitBody(MAX_PHOTO_BYTES), async (c) => {
    const { user } = requireUser(c, 'admin');
    const retiree = await retireeOfRegion(c, user, idParam(c, 'id'));
    const { takenOn } = validate(AddReferenceQuery, c.req.query());
    const { db, faces, now } = c.get('services');
    if (!faces) throw new AppError(503, 'internal', 'Face matching is not running on this server (MATCH_THREADS=0)');
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'image/jpeg' && type !== 'image/png') throw new AppError(415, 'unsupported_media_type', 'Send the photo as image/jpeg or image/png');
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const result = await addOfficePhoto(db, faces, { retireeId: retiree.id, bytes, addedBy: user.id, at: now(), takenOn: takenOn ?? null, ip: c.get('ip') });
    if (!result.ok) throw new AppError(422, 'validation_failed', `This photo cannot be a reference: ${PHOTO_PROBLEM_TEXT[result.problem]}`, { problem: result.problem });
    const ref = await referenceById(db, result.id);
    return reply(c, IDENTITY.addReference, { created: result.created, reference: toFace(ref!) }, result.created ? 201 : 200);
  });

  // Erasure on request (decision 052): every key frame, recording, visit photo and reference face of
  // the retiree; checks still waiting for their face match go to the office; decisions stay.
  app.post('/retirees/:id/erase-biometrics', limitBody(2048), async (c) => {
    const { user } = requireUser(c, 'admin');
    const retiree = await retireeOfRegion(c, user, idParam(c, 'id'));
    const { reason } = await readBody(c, IDENTITY.eraseBiometrics);
    const { db, now } = c.get('services');
    const erased = await eraseBiometrics(db, { retireeId: retiree.id, by: user.id, at: now(), reason, ip: c.get('ip') });
    const body: BiometricsErasure = { retireeId: retiree.id, ...erased };
    return reply(c, IDENTITY.eraseBiometrics, body);
  });

  app.get('/references/:id/photo', async (c) => {
    const { user } = requireUser(c, 'admin');
    const ref = await referenceOfRegion(c, user);
    const photo = await referencePhoto(c.get('services').db, ref.id);
    if (!photo) throw notFound('Photo');
    return privateBytes(c, photo.data, photo.type);
  });

  app.delete('/references/:id', limitBody(2048), async (c) => {
    const { user } = requireUser(c, 'admin');
    const ref = await referenceOfRegion(c, user);
    const { reason } = await readBody(c, IDENTITY.removeReference);
    const { db, now } = c.get('services');
    const at = now();
    await db.transaction(async () => {
      await removeReference(db, ref.id, user.id, at, reason);
      await audit(db, at, { event: 'reference_removed', userId: user.id, subject: `retiree:${ref.retireeId}`, ip: c.get('ip'), details: { reference: ref.id, source: ref.source, reason } });
    });
    return reply(c, IDENTITY.removeReference, { removed: ref.id });
  });

  app.get('/reviews', async (c) => {
    const { user } = requireUser(c, 'admin');
    return reply(c, IDENTITY.reviews, { attempts: await listAttemptReviews(c.get('services').db, user, validate(AttemptReviewFilter, c.req.query())) });
  });

  app.get('/reviews/:id', async (c) => {
    const { user } = requireUser(c, 'admin');
    const { db } = c.get('services');
    const review = await attemptReviewById(db, user, attemptId(c));
    review.spoof = storedSpoofCheck(await attemptSpoofEvidence(db, review.id));
    review.voice = storedVoiceCheck(await attemptResultJson(db, review.id));
    return reply(c, IDENTITY.review, { attempt: review, references: (await referencesOf(db, review.retiree.id)).map(toFace) });
  });

  app.get('/attempts/:id/blobs/:idx', async (c) => {
    const { user } = requireUser(c, 'admin');
    const idx = Number(c.req.param('idx'));
    if (!Number.isInteger(idx) || idx < 0 || idx > 9) throw notFound('Blob');
    const blob = await attemptBlob(c.get('services').db, user, attemptId(c), idx);
    if (!blob) throw notFound('Blob');
    return privateBytes(c, blob.data, blob.type);
  });

  app.post('/reviews/:id/decision', limitBody(2048), async (c) => {
    const { user } = requireUser(c, 'admin');
    const id = attemptId(c);
    const decision = await readBody(c, IDENTITY.decide);
    const { db, now } = c.get('services');
    return reply(c, IDENTITY.decide, { attempt: await decideAttemptReview(db, user, id, decision, now(), c.get('ip')) });
  });

  return app;
}
