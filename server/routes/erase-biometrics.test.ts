// The office erases a retiree's biometric data on request (issue 15, decision 052), through the real
// app and a real database: every key frame, recording, visit photo and reference face of that
// retiree goes (on SQLite also from the file's free pages and the -wal), a check still waiting for its face
// match goes to the office instead, and every decision and an audit entry stay.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { syntheticJpeg } from '../../shared/sync-fixtures.ts';
import { DEMO } from '../seed/demo.ts';
import { addReference } from '../store/reference-faces.ts';
import { attestation, blobsOf, challenges, checkWithEvidence, hasPhoto, inDatabaseFiles, push, retireeIdOf } from '../retention/test-evidence.ts';
import { createTestApp, signIn, type TestApp } from '../test-support.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

async function reference(retireeId: number, status: 'active' | 'pending', seed: number) {
  const photo = syntheticJpeg(256, 256, 9_000, seed);
  await addReference(t.db, { retireeId, source: status === 'active' ? 'office_photo' : 'first_check', status, descriptor: new Float32Array(128).fill(seed / 100), photo, photoType: 'image/jpeg', sha256: `${seed}`.padStart(64, '0'), width: 256, height: 256, addedBy: null, at: t.clock.now });
  return photo;
}

it('erases the retiree’s evidence and reference faces, sends a check waiting for its match to the office, and keeps every decision', async () => {
  const rid = await retireeIdOf(t, DEMO.retireeOpen.idNumber);
  const otherRid = await retireeIdOf(t, DEMO.retireeReview.idNumber);
  const retiree = await signIn(t, DEMO.retireeOpen, 'phone-erase-01');
  const [g1, g2] = await challenges(retiree, 2);
  const decided = checkWithEvidence(1, rid, 'failed', 10, g1);
  const waiting = checkWithEvidence(2, rid, 'passed', 20, g2);
  const answers = await push(retiree, [decided, waiting]);
  expect(answers.map((r) => r.status === 'accepted' && r.outcome.kind)).toEqual(['not_passed', 'verifying']);
  const officePhoto = await reference(rid, 'active', 1);
  await reference(rid, 'pending', 2);
  await reference(otherRid, 'active', 3);
  const worker = await signIn(t, DEMO.worker, 'phone-erase-02');
  const visit = await attestation(t, worker, rid, 1, 40);
  const otherVisit = await attestation(t, worker, otherRid, 2, 50);

  const office = await signIn(t, DEMO.admin);
  const res = await office.json(`/api/identity/retirees/${rid}/erase-biometrics`, { json: { reason: '本人书面申请 2026-11-20' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toEqual({ retireeId: rid, frames: 4, audio: 2, photos: 1, bytes: 4 * 9_000 + 2 * 6_000 + 12_000, references: 2, withdrawn: 1 });

  // Gone: the blobs, the visit photo, the reference photos and descriptors, and from the file itself.
  expect(await blobsOf(t, decided.id)).toBe(0);
  expect(await blobsOf(t, waiting.id)).toBe(0);
  expect(await hasPhoto(t, visit.id)).toBe(false);
  expect(await t.db.all('SELECT status, length(photo) AS photo, descriptor = ? AS zeroed, removed_reason FROM reference_faces WHERE retiree_id = ?', [Buffer.alloc(512), rid])).toEqual([
    { status: 'removed', photo: 0, zeroed: 1, removed_reason: 'erased: 本人书面申请 2026-11-20' },
    { status: 'removed', photo: 0, zeroed: 1, removed_reason: 'erased: 本人书面申请 2026-11-20' },
  ]);
  // On SQLite, gone from the file too (secure_delete); PostgreSQL leaves the bytes in dead tuples
  // until VACUUM, which the deploy guide asks for after an erasure (decision 082).
  if (t.db.engine === 'sqlite') for (const bytes of [decided.blobs[0]!.data, waiting.blobs[1]!.data, visit.photo, officePhoto]) expect(inDatabaseFiles(t, bytes)).toBe(false);
  // Nobody else's.
  expect(await hasPhoto(t, otherVisit.id)).toBe(true);
  expect(await t.db.get("SELECT count(*) AS n FROM reference_faces WHERE retiree_id = ? AND status = 'active'", [otherRid])).toEqual({ n: 1 });

  // The check that waited for its face match is with the office, never certified on its own, and
  // its job is gone; the office can still decide it (on-site, by phone).
  expect(await t.db.get('SELECT outcome, review_reason FROM attempts WHERE id = ?', [waiting.id])).toEqual({ outcome: 'review', review_reason: 'biometrics_erased' });
  expect(await t.db.get('SELECT count(*) AS n FROM match_jobs')).toEqual({ n: 0 });
  expect(await t.db.get('SELECT status FROM certifications WHERE evidence_ref = ?', [waiting.id])).toEqual({ status: 'pending_review' });
  expect((await retiree.json('/api/me/status')).body.status.state).toBe('under_review');
  const queue = await office.json('/api/identity/reviews?reason=biometrics_erased');
  expect(queue.body.attempts.map((a: { id: string; blobs: unknown[] }) => [a.id, a.blobs.length])).toEqual([[waiting.id, 0]]);
  expect((await office.json(`/api/identity/reviews/${waiting.id}/decision`, { json: { decision: 'approve' } })).status).toBe(200);
  expect((await retiree.json('/api/me/status')).body.status.state).toBe('certified');

  // The decisions stay: the attempts and their outcomes, the visit and its pending review.
  expect(await t.db.get('SELECT outcome, blob_bytes FROM attempts WHERE id = ?', [decided.id])).toEqual({ outcome: 'not_passed', blob_bytes: 2 * 9_000 + 6_000 });
  expect(await t.db.get('SELECT review, photo_bytes FROM visit_outcomes WHERE id = ?', [visit.id])).toEqual({ review: 'pending', photo_bytes: 12_000 });

  const entry = await t.db.get<{ user_id: number; subject: string; details: string }>("SELECT user_id, subject, details FROM audit_log WHERE event = 'biometrics_erased'");
  expect(entry).toMatchObject({ subject: `retiree:${rid}` });
  expect(JSON.parse(entry!.details)).toMatchObject({ reason: '本人书面申请 2026-11-20', frames: 4, references: 2, withdrawn: 1 });
});

it('is the office’s alone, for the retirees of its region, with a reason', async () => {
  const rid = await retireeIdOf(t, DEMO.retireeOpen.idNumber);
  const foreign = await retireeIdOf(t, DEMO.retireeSuspended.idNumber);
  for (const who of [DEMO.worker, DEMO.family]) {
    const c = await signIn(t, who, 'phone-erase-03');
    expect((await c.json(`/api/identity/retirees/${rid}/erase-biometrics`, { json: { reason: 'x' } })).status).toBe(403);
  }
  const office = await signIn(t, DEMO.admin);
  expect((await office.json(`/api/identity/retirees/${rid}/erase-biometrics`, { json: {} })).status).toBe(400);
  expect((await office.json(`/api/identity/retirees/${foreign}/erase-biometrics`, { json: { reason: 'x' } })).status).toBe(404);
  expect(await t.db.get("SELECT count(*) AS n FROM audit_log WHERE event = 'biometrics_erased'")).toEqual({ n: 0 });
});
