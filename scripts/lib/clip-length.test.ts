import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HAS_SHARED, videoFixture } from '../harness/shared-data.ts';
import { clipLength, loopsBy } from './clip-length.ts';

const dir = mkdtempSync(join(tmpdir(), 'stillhere-cliplen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clip length of a fake-camera file', () => {
  it('counts Y4M frames at the rate in its header', () => {
    const w = 4;
    const h = 2;
    const frame = Buffer.concat([Buffer.from('FRAME\n'), Buffer.alloc((w * h * 3) / 2, 0x80)]);
    const file = join(dir, 'three.y4m');
    writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F15:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]));
    expect(clipLength(file)).toEqual({ frames: 3, fps: 15, ms: 200 });
  });

  it.skipIf(!HAS_SHARED)('an MJPEG plays at 30 fps: the fixtures are their README lengths', () => {
    // blink_man_glasses: 0-8 s of the source, every frame doubled to 30 fps.
    expect(clipLength(videoFixture('blink_man_glasses.mjpeg')).ms).toBeGreaterThan(7800);
    expect(clipLength(videoFixture('blink_man_glasses.mjpeg')).ms).toBeLessThanOrEqual(8100);
    // neutral_man_webcam: 3.8 s (loops in any check).
    expect(Math.abs(clipLength(videoFixture('neutral_man_webcam.mjpeg')).ms - 3800)).toBeLessThan(150);
  });

  it('counts whole passes', () => {
    expect(loopsBy(0, 8000)).toBe(0);
    expect(loopsBy(7999, 8000)).toBe(0);
    expect(loopsBy(8000, 8000)).toBe(1);
    expect(loopsBy(25_000, 8000)).toBe(3);
  });
});
