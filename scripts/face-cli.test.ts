// The face CLI end to end: the real script under tsx, the real model, photos from ../shared.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeKeyframe } from '../server/face/test-keyframes.ts';
import { parseArgs, UsageError } from './face-cli.ts';
import { ROOT } from './build.ts';
import { HAS_SHARED, SHARED_DIR, SKIP_REASON } from './harness/shared-data.ts';

const photo = (who: string, n: number) => join(SHARED_DIR, 'fixtures', 'photos', who, `${who}_${n}.jpg`);
const dir = mkdtempSync(join(tmpdir(), 'stillhere-face-cli-'));
const text = join(dir, 'notes.jpg');
writeFileSync(text, 'this is not a photo\n');
const blank = join(dir, 'blank.jpg');
writeFileSync(blank, encodeKeyframe({ width: 128, height: 128, data: new Uint8Array(128 * 128 * 3).fill(200) }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/face-cli.ts', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('face CLI arguments', () => {
  it('parses compare A B [--json]', () => {
    expect(parseArgs(['compare', 'a.jpg', 'b.png'])).toEqual({ a: 'a.jpg', b: 'b.png', json: false });
    expect(parseArgs(['--json', 'compare', 'a.jpg', 'b.png'])).toEqual({ a: 'a.jpg', b: 'b.png', json: true });
  });
  it('rejects anything else', () => {
    for (const argv of [[], ['compare', 'a.jpg'], ['compare', 'a', 'b', 'c'], ['match', 'a', 'b'], ['compare', 'a', 'b', '--fast']]) {
      expect(() => parseArgs(argv)).toThrow(UsageError);
    }
  });
  it('prints the usage and exits 2 on bad arguments', async () => {
    const r = await cli('compare', 'only-one.jpg');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: npm run face -- compare');
  });
  it('exits 2 naming the file that is not an image', async () => {
    const r = await cli('compare', text, text);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${text}: not a JPEG or PNG image`);
  });
});

describe.skipIf(!HAS_SHARED)(`face CLI on fixture photos${HAS_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  it.concurrent('same person: match, exit 0', async () => {
    const r = await cli('compare', photo('paul_allen', 1), photo('paul_allen', 2));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^distance 0\.\d{3}: match \(the same person\)\n {2}thresholds: match ≤ 0\.\d+, mismatch ≥ 0\.\d+/);
  }, 60_000);

  it.concurrent('different people, --json: one object, exit 1', async () => {
    const r = await cli('compare', photo('barack_obama', 1), photo('steve_wozniak', 2), '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ decision: 'mismatch', faces: [1, 1], thresholds: { match: expect.any(Number), mismatch: expect.any(Number) } });
    expect(out.distance).toBeGreaterThan(0.6);
  }, 60_000);

  it.concurrent('an image without a face: exit 2, naming it', async () => {
    const r = await cli('compare', photo('joe_biden', 2), blank);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${blank}: no face found in the image`);
  }, 60_000);
});
