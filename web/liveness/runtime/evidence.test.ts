import { describe, expect, it } from 'vitest';
import { encodeWithinLimit, faceCropRect, FALLBACK_SIDES, JPEG_QUALITIES, MAX_KEYFRAME_BYTES } from './evidence.ts';

const box = (cx: number, cy: number, w: number, h: number) => ({ x: cx - w / 2, y: cy - h / 2, w, h, cx, cy });

describe('key-frame face crop', () => {
  it('is a square around the face with margin, inside the image', () => {
    const r = faceCropRect(box(0.5, 0.5, 0.3, 0.4), 640, 480);
    expect(r.sw).toBe(r.sh);
    expect(r.sw).toBeCloseTo(0.4 * 480 * 1.6, -1);
    expect(r.sx + r.sw / 2).toBeCloseTo(320, -1);
    expect(r.sx).toBeGreaterThanOrEqual(0);
    expect(r.sy).toBeGreaterThanOrEqual(0);
    expect(r.sy + r.sh).toBeLessThanOrEqual(480);
  });

  it('shifts at the edges instead of leaving the image, and shrinks for a huge face', () => {
    const left = faceCropRect(box(0.05, 0.5, 0.2, 0.3), 640, 480);
    expect(left.sx).toBe(0);
    const bottom = faceCropRect(box(0.5, 0.97, 0.2, 0.3), 640, 480);
    expect(bottom.sy + bottom.sh).toBeLessThanOrEqual(480);
    const huge = faceCropRect(box(0.5, 0.5, 0.95, 1.1), 640, 480);
    expect(huge.sw).toBe(480);
    expect(huge.sx).toBeGreaterThanOrEqual(0);
    expect(huge.sx + huge.sw).toBeLessThanOrEqual(640);
  });

  it('works for portrait frames', () => {
    const r = faceCropRect(box(0.5, 0.4, 0.5, 0.35), 480, 640);
    expect(r.sw).toBe(r.sh);
    expect(r.sx + r.sw).toBeLessThanOrEqual(480);
    expect(r.sy + r.sh).toBeLessThanOrEqual(640);
  });
});

describe('JPEG within the upload limit', () => {
  // A stand-in encoder whose size grows with quality and area, like JPEG does.
  const sizer = (bytesAt: (side: number, q: number) => number) => {
    const calls: [number, number][] = [];
    const encode = async (side: number, q: number) => {
      calls.push([side, q]);
      return new Blob([new Uint8Array(Math.round(bytesAt(side, q)))], { type: 'image/jpeg' });
    };
    return { calls, encode };
  };

  it('keeps the first quality that fits', async () => {
    const s = sizer((side, q) => side * side * q * 0.3);
    const r = await encodeWithinLimit(s.encode);
    expect(r.fits).toBe(true);
    expect(r.quality).toBe(JPEG_QUALITIES[0]);
    expect(r.side).toBe(256);
    expect(s.calls).toHaveLength(1);
  });

  it('lowers the quality until the file is at most 20 KB', async () => {
    const s = sizer((side, q) => side * side * q * 0.5);
    const r = await encodeWithinLimit(s.encode);
    expect(r.fits).toBe(true);
    expect(r.blob.size).toBeLessThanOrEqual(MAX_KEYFRAME_BYTES);
    expect(r.quality).toBeLessThan(JPEG_QUALITIES[0]);
    expect(r.side).toBe(256);
  });

  it('then uses a smaller side, and reports when nothing fits', async () => {
    const s = sizer((side) => side * side * 0.45);
    const r = await encodeWithinLimit(s.encode);
    expect(r.fits).toBe(true);
    expect(r.side).toBeLessThan(256);
    const never = sizer(() => 50_000);
    const n = await encodeWithinLimit(never.encode);
    expect(n.fits).toBe(false);
    expect(n.side).toBe(FALLBACK_SIDES.at(-1));
    expect(never.calls).toHaveLength((FALLBACK_SIDES.length + 1) * JPEG_QUALITIES.length);
  });
});
