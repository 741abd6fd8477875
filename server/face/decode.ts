// Uploaded image bytes → RGB pixels for the face model. Only JPEG and PNG (what phones and office
// scanners produce), recognised by their magic bytes rather than a file name or MIME type the
// client chose. Limits guard against decompression bombs: a 100-KB file can claim 60,000×60,000 px.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { fitWithin, type RgbImage } from './pixels.ts';

/** The bytes are not a JPEG or PNG this engine can read (or one too large to decode safely). */
export class UnreadableImageError extends Error {
  override readonly name = 'UnreadableImageError';
}

/** Long side after decoding. Faces in a 1024-px photo are large enough for the detectors; more costs time. */
export const MAX_SIDE = 1024;
/** Largest picture decoded at all: a 48-MP phone photo passes, a crafted 1-gigapixel header does not. */
export const MAX_MEGAPIXELS = 50;

export type ImageFormat = 'jpeg' | 'png';

export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png';
  return null;
}

/** Decodes to RGB at full size (no downscale). Throws UnreadableImageError. */
export function decodeFull(bytes: Uint8Array): RgbImage {
  const format = sniffFormat(bytes);
  if (!format) {
    throw new UnreadableImageError(bytes.length === 0 ? 'The file is empty' : 'The file is not a JPEG or PNG image');
  }
  let img: RgbImage;
  try {
    img = format === 'jpeg' ? decodeJpeg(bytes) : decodePng(bytes);
  } catch (err) {
    if (err instanceof UnreadableImageError) throw err;
    throw new UnreadableImageError(`The ${format.toUpperCase()} image cannot be read: ${(err as Error).message}`);
  }
  if (img.width < 1 || img.height < 1) throw new UnreadableImageError(`The ${format.toUpperCase()} image has no pixels`);
  return img;
}

/** Decodes and scales down so the long side is ≤ MAX_SIDE. Throws UnreadableImageError. */
export function decodeImage(bytes: Uint8Array, maxSide = MAX_SIDE): RgbImage {
  return fitWithin(decodeFull(bytes), maxSide);
}

function decodeJpeg(bytes: Uint8Array): RgbImage {
  // A file cut short still "decodes" in tolerant mode (grey below the cut). An upload that lost its
  // end is more likely broken than a camera quirk, and a half-grey face gives a wrong descriptor,
  // so require the end-of-image marker (allowing trailing padding some cameras append).
  if (!hasJpegEnd(bytes)) throw new UnreadableImageError('The JPEG image is truncated (no end-of-image marker)');
  const raw = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    maxResolutionInMP: MAX_MEGAPIXELS,
    maxMemoryUsageInMB: 512,
  });
  return { width: raw.width, height: raw.height, data: raw.data };
}

function hasJpegEnd(bytes: Uint8Array): boolean {
  const from = Math.max(2, bytes.length - 4096);
  for (let i = bytes.length - 2; i >= from; i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  return false;
}

function decodePng(bytes: Uint8Array): RgbImage {
  // pngjs has no size limit of its own: read the IHDR dimensions before inflating anything.
  if (bytes.length < 33) throw new UnreadableImageError('The PNG image is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const w = view.getUint32(16);
  const h = view.getUint32(20);
  if (w === 0 || h === 0) throw new UnreadableImageError('The PNG image has no pixels');
  if (w * h > MAX_MEGAPIXELS * 1e6) throw new UnreadableImageError(`The PNG image is too large (${w}×${h}, limit ${MAX_MEGAPIXELS} MP)`);
  // pngjs expands greyscale, palette and 16-bit images to 8-bit RGBA.
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const n = png.width * png.height;
  const data = new Uint8Array(n * 3);
  const src = png.data;
  for (let i = 0; i < n; i++) {
    // Transparent parts over white, as a viewer shows them; otherwise a cut-out ID photo would sit on black.
    const a = src[i * 4 + 3]! / 255;
    const white = 255 * (1 - a);
    data[i * 3] = src[i * 4]! * a + white + 0.5;
    data[i * 3 + 1] = src[i * 4 + 1]! * a + white + 0.5;
    data[i * 3 + 2] = src[i * 4 + 2]! * a + white + 0.5;
  }
  return { width: png.width, height: png.height, data };
}
