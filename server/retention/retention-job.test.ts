// The daily retention job (issue 15, decision 052) on a real SQLite file with a moved clock: key
// frames, audio and home-visit photos go once they are older than the retention period, the
// decisions stay; evidence still waiting for a decision stays; reference faces of retirees off the
// rolls go after a grace period.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticJpeg } from '../../shared/sync-fixtures.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { DEMO } from '../seed/demo.ts';
import { addReference } from '../store/reference-faces.ts';
import { createTestApp, signIn, type TestApp } from '../test-support.ts';
import { OFF_ROLLS_GRACE_DAYS, runRetention, startRetention } from './retention-job.ts';
import { attestation, blobsOf, challenges, checkWithEvidence, hasPhoto, push, retireeIdOf } from './test-evidence.ts';

const DAY = 86_400_000;
const RETENTION_DAYS = 1096;

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

const job = () => runRetention({ db: t.db, now: () => t.clock.now, retentionDays: RETENTION_DAYS });

describe('evidence past its retention', () => {
  it('is deleted after 3 years, with the decisions kept; evidence still waiting for a decision stays', async () => {
    const start = t.clock.now;
    const rid = await retireeIdOf(t, DEMO.retireeOpen.idNumber);
    const reviewRid = await retireeIdOf(t, DEMO.retireeReview.idNumber);
    const retiree = await signIn(t, DEMO.retireeOpen, 'phone-retention-01');
    // Decided at once (not passed), and one still waiting for a decision (the face match, or the office).
    const [g1, g2] = await challenges(retiree, 2);
    const failed = checkWithEvidence(1, rid, 'failed', 10, g1);
    const waiting = checkWithEvidence(2, rid, 'passed', 20, g2);
    const answers = (await push(retiree, [failed, waiting])).map((r) => r.status === 'accepted' && r.outcome.kind);
    expect(answers[0]).toBe('not_passed');
    expect(['verifying', 'review']).toContain(answers[1]);
    // A home visit's attestation, which the office approves (its photo is evidence too), and one still pending.
    const worker = await signIn(t, DEMO.worker, 'phone-retention-02');
    const approved = await attestation(t, worker, reviewRid, 1, 30);
    const pending = await attestation(t, worker, rid, 2, 40);
    const office = await signIn(t, DEMO.admin);
    expect((await office.json(`/api/reviews/${approved.id}/decision`, { json: { decision: 'approve' } })).status).toBe(200);

    // A year later, a newer check.
    t.clock.advance(365 * DAY);
    const again = await signIn(t, DEMO.retireeOpen, 'phone-retention-01');
    const [g3] = await challenges(again, 1);
    const later = checkWithEvidence(3, rid, 'failed', 50, g3);
    await push(again, [later]);

    // One day short of the retention period: nothing goes.
    t.clock.now = start + (RETENTION_DAYS - 1) * DAY;
    expect(await job()).toMatchObject({ frames: 0, audio: 0, photos: 0 });
    expect(await blobsOf(t, failed.id)).toBe(3);

    // Past it: the decided evidence goes, the rest stays.
    t.clock.now = start + RETENTION_DAYS * DAY + 1;
    const report = await job();
    expect(report).toMatchObject({ frames: 2, audio: 1, photos: 1, bytes: 9_000 * 2 + 6_000 + 12_000 });
    expect(await blobsOf(t, failed.id)).toBe(0);
    expect(await blobsOf(t, waiting.id)).toBe(3);
    expect(await blobsOf(t, later.id)).toBe(3);
    expect(await hasPhoto(t, approved.id)).toBe(false);
    expect(await hasPhoto(t, pending.id)).toBe(true);

    // The decisions stay: the attempts with their outcomes, the visit with its review and the
    // certification it made, and that there was a photo (its size and hash).
    expect(await t.db.all('SELECT id, outcome, blob_bytes > 0 AS had FROM attempts WHERE retiree_id = ? ORDER BY seq', [rid])).toEqual([
      { id: failed.id, outcome: 'not_passed', had: 1 },
      { id: waiting.id, outcome: answers[1], had: 1 },
      { id: later.id, outcome: 'not_passed', had: 1 },
    ]);
    expect(await t.db.get('SELECT review, photo_bytes, photo_sha256 IS NOT NULL AS hashed FROM visit_outcomes WHERE id = ?', [approved.id])).toEqual({ review: 'approved', photo_bytes: 12_000, hashed: 1 });
    expect(await t.db.get("SELECT status FROM certifications WHERE evidence_ref = ? AND status = 'approved'", [approved.id])).toEqual({ status: 'approved' });
    const entry = await t.db.get<{ details: string }>("SELECT details FROM audit_log WHERE event = 'evidence_expired'");
    expect(JSON.parse(entry!.details)).toMatchObject({ retentionDays: RETENTION_DAYS, frames: 2, audio: 1, photos: 1 });

    // A second run finds nothing more; the year-later check goes a year later.
    expect(await job()).toMatchObject({ frames: 0, audio: 0, photos: 0 });
    t.clock.advance(366 * DAY);
    expect(await job()).toMatchObject({ frames: 2, audio: 1 });
    expect(await blobsOf(t, later.id)).toBe(0);
  });

  it('works through more evidence than one batch holds', async () => {
    const rid = await retireeIdOf(t, DEMO.retireeOpen.idNumber);
    const retiree = await signIn(t, DEMO.retireeOpen, 'phone-retention-03');
    const grants = await challenges(retiree, 12);
    for (let i = 0; i < 12; i++) await push(retiree, [checkWithEvidence(i + 1, rid, 'failed', 100 + i * 3, grants[i])]);
    t.clock.advance((RETENTION_DAYS + 1) * DAY);
    expect(await runRetention({ db: t.db, now: () => t.clock.now, retentionDays: RETENTION_DAYS, batchSize: 5 })).toMatchObject({ frames: 24, audio: 12 });
    expect((await t.db.get<{ n: number }>('SELECT count(*) AS n FROM attempt_blobs'))!.n).toBe(0);
  });
});

describe('reference faces of retirees off the rolls', () => {
  it('are erased once the retiree has been off the rolls for the grace period, not before', async () => {
    const rid = await retireeIdOf(t, DEMO.retireeOpen.idNumber);
    const other = await retireeIdOf(t, DEMO.retireeCertified.idNumber);
    const descriptor = new Float32Array(128).fill(0.1);
    for (const [retireeId, seed] of [[rid, 1], [other, 2]] as const) {
      const photo = syntheticJpeg(256, 256, 9_000, seed);
      await addReference(t.db, { retireeId, source: 'office_photo', status: 'active', descriptor, photo, photoType: 'image/jpeg', sha256: `${seed}`.padStart(64, '0'), width: 256, height: 256, addedBy: null, at: t.clock.now });
    }
    // A worker reports the death, the office approves it: the retiree is off the rolls.
    const worker = await signIn(t, DEMO.worker, 'phone-retention-04');
    const id = uuidv7();
    const res = await worker.json('/api/sync/push', { json: { items: [{ type: 'outcome', id, seq: 1, retireeId: rid, kind: 'deceased', source: '家属', deviceTime: t.clock.now }] } });
    expect(res.status).toBe(200);
    const office = await signIn(t, DEMO.admin);
    expect((await office.json(`/api/reviews/${id}/decision`, { json: { decision: 'approve' } })).status).toBe(200);

    t.clock.advance((OFF_ROLLS_GRACE_DAYS - 1) * DAY);
    expect(await job()).toMatchObject({ retirees: 0, references: 0 });
    t.clock.advance(2 * DAY);
    expect(await job()).toMatchObject({ retirees: 1, references: 1 });
    expect(await t.db.all('SELECT retiree_id, status, length(photo) AS photo, descriptor = ? AS zeroed FROM reference_faces ORDER BY retiree_id', [Buffer.alloc(512)])).toEqual([
      { retiree_id: rid, status: 'removed', photo: 0, zeroed: 1 },
      { retiree_id: other, status: 'active', photo: 9_000, zeroed: 0 },
    ]);
    expect(await t.db.get("SELECT subject, user_id FROM audit_log WHERE event = 'biometrics_erased'")).toEqual({ subject: `retiree:${rid}`, user_id: null });
  });
});

it('runs once at start, then on its interval, with the clock it is given', async () => {
  const rid = await retireeIdOf(t, DEMO.retireeOpen.idNumber);
  const phone = await signIn(t, DEMO.retireeOpen, 'phone-retention-05');
  const [grant] = await challenges(phone, 1);
  const item = checkWithEvidence(1, rid, 'failed', 7, grant);
  await push(phone, [item]);
  t.clock.advance((RETENTION_DAYS + 1) * DAY);
  const running = startRetention({ db: t.db, now: () => t.clock.now, retentionDays: RETENTION_DAYS }, 60_000);
  try {
    expect(await running.firstRun).toMatchObject({ frames: 2, audio: 1 });
    expect(await blobsOf(t, item.id)).toBe(0);
  } finally {
    await running.stop();
  }
});
