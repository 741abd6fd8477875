// For the retention and erasure tests: evidence put on the server the way phones put it there
// (pushes through the real app), and what is left of it afterwards, read from the real SQLite file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { signatureBinding, sealSignature } from '../../shared/signature.ts';
import { syntheticJpeg, syntheticOgg } from '../../shared/sync-fixtures.ts';
import type { ChallengeGrant, PullResponse, PushResponse, PushResult } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { DEMO } from '../seed/demo.ts';
import { makeItem, pushBody, type TestItem } from '../sync/test-helpers.ts';
import type { Client, TestApp } from '../test-support.ts';

const sha256 = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');

export async function retireeIdOf(t: TestApp, idNumber: string): Promise<number> {
  return (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;
}

/** Challenge tokens for this phone: a check with one is judged on its own (without, it goes to the office as no_token). */
export async function challenges(c: Client, count: number): Promise<ChallengeGrant[]> {
  const res = await c.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count } });
  expect(res.status).toBe(200);
  return res.body.challenges;
}

/** A check with two key frames and the digits audio; a failed one with a token is decided at once (not_passed). */
export function checkWithEvidence(seq: number, retireeId: number, verdict: 'passed' | 'failed', seed: number, challenge: ChallengeGrant | null = null, method: TestItem['method'] = 'self'): TestItem {
  const item = makeItem({ seq, retireeId, method, frames: 2, verdict, challenge });
  item.blobs = [
    { kind: 'frame', type: 'image/jpeg', data: syntheticJpeg(240, 320, 9_000, seed) },
    { kind: 'frame', type: 'image/jpeg', data: syntheticJpeg(240, 320, 9_000, seed + 1) },
    { kind: 'audio', type: 'audio/ogg;codecs=opus', data: syntheticOgg(6_000, seed + 2), durationMs: 3_000 },
  ];
  return item;
}

export async function push(c: Client, items: TestItem[]): Promise<PushResult[]> {
  const { body, headers } = pushBody(items);
  const res = await c.json<PushResponse>('/api/sync/push', { method: 'POST', body, headers });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.results;
}

/** The demo worker's signed home-visit attestation (photo, reason, password sealed to the server's key). */
export async function attestation(t: TestApp, worker: Client, retireeId: number, seq: number, seed: number): Promise<{ id: string; photo: Uint8Array }> {
  const pull = await worker.json<PullResponse>('/api/sync/pull', { json: { cursor: null } });
  const workerId = (await worker.json('/api/me')).body.user.id as number;
  const id = uuidv7();
  const photo = syntheticJpeg(256, 256, 12_000, seed);
  const signature = await sealSignature(pull.body.signatureKey!, DEMO.worker.password, signatureBinding({ id, retireeId, userId: workerId, photoSha256: sha256(photo) }));
  const item = { type: 'outcome', id, seq, retireeId, kind: 'cannot_check', reason: 'bedridden', signature, note: '卧床', deviceTime: t.clock.now, blobs: [{ part: 'p0', kind: 'frame', type: 'image/jpeg', bytes: photo.length, sha256: sha256(photo) }] };
  const form = new FormData();
  form.set('batch', JSON.stringify({ items: [item] }));
  form.set('p0', new Blob([photo as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), 'p0');
  const res = await worker.json<PushResponse>('/api/sync/push', { method: 'POST', body: form });
  expect(res.body.results[0], JSON.stringify(res.body)).toMatchObject({ status: 'accepted', outcome: { kind: 'pending_review' } });
  return { id, photo };
}

export async function blobsOf(t: TestApp, attemptId: string): Promise<number> {
  return (await t.db.get<{ n: number }>('SELECT count(*) AS n FROM attempt_blobs WHERE attempt_id = ?', [attemptId]))!.n;
}

export async function hasPhoto(t: TestApp, visitId: string): Promise<boolean> {
  return (await t.db.get<{ p: number }>('SELECT photo IS NOT NULL AS p FROM visit_outcomes WHERE id = ?', [visitId]))!.p === 1;
}

/** Whether these bytes are anywhere in the database file or its -wal (the erased evidence must not be). */
export function inDatabaseFiles(t: TestApp, bytes: Uint8Array): boolean {
  // PostgreSQL's files are the server's: deleted bytes stay in dead TOAST tuples until VACUUM (decision 082).
  if (t.db.engine !== 'sqlite') throw new Error('inDatabaseFiles reads the SQLite file and its -wal');
  // A run of bytes from the middle of the picture, long enough to be nothing else.
  const needle = Buffer.from(bytes.subarray(Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 64));
  for (const file of [t.db.path, `${t.db.path}-wal`]) {
    try {
      if (readFileSync(file).includes(needle)) return true;
    } catch {
      // no -wal
    }
  }
  return false;
}
