// Builds push requests the way the phone does (JSON without blobs, multipart with them), for the
// server tests and benchmarks.
import { createHash } from 'node:crypto';
import type { Verdict } from '../../shared/liveness.ts';
import { syntheticJpeg, syntheticResult } from '../../shared/sync-fixtures.ts';
import type { BlobRef, ChallengeGrant, SyncMethod } from '../../shared/sync.ts';
import { uuidv7 } from '../../shared/uuid7.ts';

export interface TestBlob {
  kind: 'frame' | 'audio';
  type: string;
  data: Uint8Array;
  durationMs?: number;
}

export interface TestItem {
  id: string;
  seq: number;
  retireeId: number;
  method: SyncMethod;
  challengeToken: string | null;
  deviceTime: number;
  result: unknown;
  blobs: TestBlob[];
}

export function makeItem(opts: {
  seq: number;
  retireeId: number;
  method: SyncMethod;
  challenge?: ChallengeGrant | null;
  verdict?: Verdict;
  frames?: number;
  frameBytes?: number;
  id?: string;
}): TestItem {
  const challenge = opts.challenge ?? null;
  return {
    id: opts.id ?? uuidv7(),
    seq: opts.seq,
    retireeId: opts.retireeId,
    method: opts.method,
    challengeToken: challenge?.token ?? null,
    deviceTime: Date.now(),
    result: syntheticResult(challenge ?? { seed: 12345 }, opts.verdict ?? 'passed'),
    blobs: Array.from({ length: opts.frames ?? 0 }, (_, i) => ({ kind: 'frame' as const, type: 'image/jpeg', data: syntheticJpeg(240, 320, opts.frameBytes ?? 9_000, i + 1) })),
  };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The request body: JSON when no item has blobs, multipart otherwise. */
export function pushBody(items: TestItem[]): { body: string | FormData; headers: Record<string, string> } {
  let part = 0;
  const files: [string, Uint8Array, string][] = [];
  const wire = items.map((it) => ({
    id: it.id,
    seq: it.seq,
    retireeId: it.retireeId,
    method: it.method,
    challengeToken: it.challengeToken,
    deviceTime: it.deviceTime,
    result: it.result,
    blobs: it.blobs.map((b): BlobRef => {
      const name = `p${part++}`;
      files.push([name, b.data, b.type]);
      const ref: BlobRef = { part: name, kind: b.kind, type: b.type, bytes: b.data.length, sha256: sha256(b.data) };
      if (b.durationMs !== undefined) ref.durationMs = b.durationMs;
      return ref;
    }),
  }));
  const json = JSON.stringify({ items: wire });
  if (!files.length) return { body: json, headers: { 'Content-Type': 'application/json' } };
  const form = new FormData();
  form.set('batch', json);
  for (const [name, data, type] of files) form.set(name, new Blob([data as Uint8Array<ArrayBuffer>], { type }), name);
  return { body: form, headers: {} };
}
