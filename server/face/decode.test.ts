// The decoder without the model: formats by magic bytes, PNG colour types, limits, downscaling.
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeFull, decodeImage, MAX_SIDE, sniffFormat, UnreadableImageError } from './decode.ts';
import { encodeKeyframe } from './test-keyframes.ts';
import { resizeRgb } from './pixels.ts';

const rgb = (w: number, h: number, v = 100) => ({ width: w, height: h, data: new Uint8Array(w * h * 3).fill(v) });
const png = (w: number, h: number, opts: { colorType?: 0 | 2 | 4 | 6; fill?: [number, number, number, number] } = {}) => {
  const p = new PNG({ width: w, height: h });
  const [r, g, b, a] = opts.fill ?? [10, 20, 30, 255];
  for (let i = 0; i < w * h; i++) p.data.set([r, g, b, a], i * 4);
  return new Uint8Array(PNG.sync.write(p, { colorType: opts.colorType ?? 6 }));
};
const unreadable = (bytes: Uint8Array) => {
  try {
    decodeImage(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(UnreadableImageError);
    expect((err as Error).name).toBe('UnreadableImageError');
    return (err as Error).message;
  }
  throw new Error('decoded');
};

describe('decodeImage', () => {
  it('tells JPEG and PNG by their first bytes, nothing else', () => {
    expect(sniffFormat(encodeKeyframe(rgb(8, 8)))).toBe('jpeg');
    expect(sniffFormat(png(2, 2))).toBe('png');
    expect(sniffFormat(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(unreadable(new Uint8Array(0))).toBe('The file is empty');
    expect(unreadable(new TextEncoder().encode('<html>'))).toBe('The file is not a JPEG or PNG image');
  });

  it('decodes a JPEG to RGB', () => {
    const img = decodeImage(encodeKeyframe(rgb(40, 30, 200)));
    expect([img.width, img.height, img.data.length]).toEqual([40, 30, 40 * 30 * 3]);
    expect(Math.abs(img.data[0]! - 200)).toBeLessThan(4);
  });

  it('refuses a truncated JPEG or PNG', () => {
    const jpeg = encodeKeyframe(rgb(64, 64));
    expect(unreadable(jpeg.subarray(0, jpeg.length - 100))).toMatch(/JPEG.*truncated/);
    const p = png(64, 64);
    expect(unreadable(p.subarray(0, 20))).toMatch(/PNG.*truncated/);
    expect(unreadable(p.subarray(0, p.length - 30))).toMatch(/PNG image cannot be read/);
  });

  it('reads greyscale and greyscale+alpha PNGs, and puts transparency on white', () => {
    expect(decodeImage(png(4, 4, { colorType: 0, fill: [90, 90, 90, 255] })).data.slice(0, 3)).toEqual(new Uint8Array([90, 90, 90]));
    expect(decodeImage(png(4, 4, { colorType: 4, fill: [0, 0, 0, 0] })).data.slice(0, 3)).toEqual(new Uint8Array([255, 255, 255]));
    expect(decodeImage(png(4, 4, { colorType: 6, fill: [0, 0, 0, 128] })).data[0]).toBe(127);
  });

  it('refuses images claiming more pixels than it will decode (decompression bombs)', () => {
    const p = png(4, 4);
    new DataView(p.buffer).setUint32(16, 60_000); // IHDR width
    new DataView(p.buffer).setUint32(20, 60_000);
    expect(unreadable(p)).toMatch(/too large/);
    const jpeg = encodeKeyframe(rgb(16, 16));
    const sof = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0); // SOF0: height, width at +5, +7
    new DataView(jpeg.buffer).setUint16(sof + 5, 60_000);
    new DataView(jpeg.buffer).setUint16(sof + 7, 60_000);
    expect(unreadable(jpeg)).toMatch(/maxResolutionInMP|cannot be read/);
  });

  it('scales down so the long side is at most 1024, keeping the aspect ratio; never up', () => {
    const big = decodeImage(encodeKeyframe(rgb(2000, 500)));
    expect([big.width, big.height]).toEqual([MAX_SIDE, 256]);
    const small = decodeFull(encodeKeyframe(rgb(300, 200)));
    expect(decodeImage(encodeKeyframe(rgb(300, 200)))).toEqual(small);
  });
});

describe('resizeRgb', () => {
  it('averages areas when shrinking and interpolates when growing', () => {
    const img = { width: 4, height: 1, data: new Uint8Array([0, 0, 0, 100, 100, 100, 200, 200, 200, 50, 50, 50]) };
    expect([...resizeRgb(img, 2, 1).data]).toEqual([50, 50, 50, 125, 125, 125]);
    const up = resizeRgb({ width: 2, height: 2, data: new Uint8Array(12).fill(80) }, 5, 3);
    expect([up.width, up.height, up.data.every((v) => v === 80)]).toEqual([5, 3, true]);
  });
});
