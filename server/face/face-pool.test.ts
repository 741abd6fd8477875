// The pool with real threads and the real model. Needs no fixtures: it describes an image it draws.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreadableImageError } from './decode.ts';
import { startFacePool, type FacePool } from './face-pool.ts';
import { encodeKeyframe } from './test-keyframes.ts';

// A flat grey 64×64 JPEG: a valid image with no face in it.
const grey = encodeKeyframe({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128) });

let pool: FacePool;
beforeAll(async () => {
  pool = startFacePool({ size: 2 });
  await pool.ready();
}, 60_000);
afterAll(() => pool?.close());

describe('startFacePool', () => {
  it('describes on its threads: a faceless image reads as no face', async () => {
    const readings = await Promise.all([pool.describe(grey, 'keyframe'), pool.describe(grey, 'photo'), pool.describe(grey, 'keyframe')]);
    for (const r of readings) expect(r).toEqual({ faces: 0, descriptor: null, box: null, score: null });
  });

  it('rejects an unreadable upload with the same typed error', async () => {
    const err = await pool.describe(new TextEncoder().encode('not an image'), 'photo').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreadableImageError);
    expect((err as Error).name).toBe('UnreadableImageError');
    expect((err as Error).message).toBe('The file is not a JPEG or PNG image');
    const truncated = await pool.describe(grey.subarray(0, grey.length - 40), 'keyframe').catch((e: unknown) => e);
    expect(truncated).toBeInstanceOf(UnreadableImageError);
  });

  it('leaves the caller\'s bytes intact', async () => {
    const copy = Uint8Array.from(grey);
    await pool.describe(copy, 'keyframe');
    expect(copy).toEqual(grey);
  });

  it('replaces a crashed thread and rejects only what it held', async () => {
    pool.crashOneForTest();
    // Thread 0 (least busy, first) gets the next request; it is queued behind the crash.
    const lost = pool.describe(grey, 'keyframe');
    await expect(lost).rejects.toThrow(/face thread stopped/);
    await pool.ready();
    await expect(pool.describe(grey, 'keyframe')).resolves.toMatchObject({ faces: 0 });
  }, 60_000);

  // Idle threads are unreferenced (they must not keep a server alive on shutdown), but a script
  // awaiting the pool must not see Node exit under it with an unsettled top-level await (code 13).
  it('keeps a script alive while it waits for a reading or for close()', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stillhere-face-pool-'));
    try {
      const script = join(dir, 'script.mts');
      const poolUrl = new URL('./face-pool.ts', import.meta.url).href;
      writeFileSync(
        script,
        `import { startFacePool } from ${JSON.stringify(poolUrl)};\n` +
          `const pool = startFacePool({ size: 1 });\nawait pool.ready();\n` +
          `const r = await pool.describe(new Uint8Array(${JSON.stringify([...grey])}), 'keyframe');\n` +
          `await pool.close();\nconsole.log('faces', r.faces);\n`,
      );
      const root = fileURLToPath(new URL('../..', import.meta.url));
      const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [script], { cwd: root, encoding: 'utf8', timeout: 50_000 });
      expect([r.status, r.stdout.trim()]).toEqual([0, 'faces 0']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses work after close', async () => {
    const p = startFacePool({ size: 1 });
    await p.close();
    await expect(p.describe(grey, 'photo')).rejects.toThrow(/closed/);
  }, 30_000);
});
