// What the office's queue holds in the browser tests (issue 16), made through the real API the way
// the phones make it: a community worker's signed home-visit attestation with its photo, and a
// worker's "passed" check whose evidence falls short. The pictures are synthetic (a drawn outline
// of a person on a plain background), never a fixture person's face: they end up in screenshots.
import { createHash } from 'node:crypto';
import { outlinePhoto } from '../../server/seed/outline-photo.ts';
import { signatureBinding, sealSignature } from '../../shared/signature.ts';
import { syntheticResult } from '../../shared/sync-fixtures.ts';
import type { ChallengeGrant, PullResponse, PushResponse, SignatureKey } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';

const sha256 = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');

export interface ApiSession {
  userId: number;
  json<T>(path: string, init?: { method?: string; json?: unknown; body?: FormData }): Promise<{ status: number; body: T }>;
}

/** Signs in through the real API (a staff account, on one phone) and keeps the cookie. */
export async function apiSession(serverUrl: string, who: { username: string; password: string }, deviceId: string): Promise<ApiSession> {
  const res = await fetch(`${serverUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: serverUrl },
    body: JSON.stringify({ ...who, deviceId }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${who.username} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  const me = (await res.json()) as { user: { id: number } };
  return {
    userId: me.user.id,
    async json<T>(path: string, init: { method?: string; json?: unknown; body?: FormData } = {}) {
      const headers: Record<string, string> = { Origin: serverUrl, Cookie: cookie };
      if (init.json !== undefined) headers['Content-Type'] = 'application/json';
      const r = await fetch(`${serverUrl}${path}`, {
        method: init.method ?? (init.json === undefined && !init.body ? 'GET' : 'POST'),
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      });
      return { status: r.status, body: (await r.json()) as T };
    },
  };
}

async function pushForm(worker: ApiSession, item: Record<string, unknown>, parts: Record<string, Uint8Array>): Promise<PushResponse> {
  const form = new FormData();
  form.set('batch', JSON.stringify({ items: [item] }));
  for (const [name, data] of Object.entries(parts)) form.set(name, new Blob([data as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), name);
  const res = await worker.json<PushResponse>('/api/sync/push', { body: form });
  if (res.status !== 200) throw new Error(`push answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** "Cannot do the check" with a photo, a note, the location, and the worker's password sealed as the phone seals it. */
export async function pushAttestation(worker: ApiSession, password: string, retireeId: number, seq: number, note: string): Promise<{ id: string; photo: Uint8Array; answer: PushResponse }> {
  const key = (await worker.json<PullResponse>('/api/sync/pull', { json: { cursor: null } })).body.signatureKey as SignatureKey;
  const id = uuidv7();
  const photo = outlinePhoto(20);
  const signature = await sealSignature(key, password, signatureBinding({ id, retireeId, userId: worker.userId, photoSha256: sha256(photo) }));
  const now = Date.now();
  const answer = await pushForm(
    worker,
    {
      type: 'outcome',
      id,
      seq,
      retireeId,
      kind: 'cannot_check',
      reason: 'bedridden',
      signature,
      note,
      location: { lat: 39.90421, lon: 116.40739, accuracyM: 18, at: now - 120_000 },
      deviceTime: now - 60_000,
      blobs: [{ part: 'p0', kind: 'frame', type: 'image/jpeg', bytes: photo.length, sha256: sha256(photo) }],
    },
    { p0: photo },
  );
  return { id, photo, answer };
}

/** A worker's check that says "passed" with a valid token but one key frame: the server holds it as evidence_missing. */
export async function pushThinCheck(worker: ApiSession, retireeId: number, seq: number): Promise<{ id: string; answer: PushResponse }> {
  const [grant] = (await worker.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count: 1 } })).body.challenges;
  const id = uuidv7();
  const frame = outlinePhoto(90);
  const answer = await pushForm(
    worker,
    {
      id,
      seq,
      retireeId,
      method: 'worker',
      challengeToken: grant!.token,
      deviceTime: Date.now() - 30_000,
      result: syntheticResult(grant!),
      blobs: [{ part: 'p0', kind: 'frame', type: 'image/jpeg', bytes: frame.length, sha256: sha256(frame) }],
    },
    { p0: frame },
  );
  return { id, answer };
}
