// Reads QR codes from a playing <video> (decision 064): the browser's own BarcodeDetector where it
// has one that knows QR codes (Android Chrome, Safari 17+ on macOS), otherwise the `qr` package's
// decoder over a scaled-down frame. The decoder is loaded only when a first-time retiree scans, so
// it never weighs on the first screen.

export type QrEngine = 'native' | 'js';

export interface QrReader {
  engine: QrEngine;
  /** The text of a QR code in the current frame, or null when there is none (or it cannot be read). */
  read(video: HTMLVideoElement): Promise<string | null>;
}

interface NativeDetector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
interface NativeDetectorClass {
  new (options: { formats: string[] }): NativeDetector;
  getSupportedFormats?(): Promise<string[]>;
}

/** The browser's BarcodeDetector, when it exists and reads QR codes; null otherwise. */
export async function nativeDetector(scope: object = globalThis): Promise<NativeDetector | null> {
  const Detector = (scope as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (typeof Detector !== 'function') return null;
  try {
    const formats = (await Detector.getSupportedFormats?.()) ?? [];
    return formats.includes('qr_code') ? new Detector({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

/** Frames are scaled to at most this many pixels on the long side for the JS decoder: fast enough on an old phone. */
export const JS_FRAME_MAX = 800;

export function frameSize(width: number, height: number, max = JS_FRAME_MAX): { width: number; height: number } {
  const k = Math.min(1, max / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

export async function createQrReader(scope: object = globalThis): Promise<QrReader> {
  const native = await nativeDetector(scope);
  if (native) {
    return {
      engine: 'native',
      async read(video) {
        try {
          return (await native.detect(video))[0]?.rawValue ?? null;
        } catch {
          return null;
        }
      },
    };
  }
  const { decodeQR } = await import('qr/decode.js');
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d canvas');
  return {
    engine: 'js',
    async read(video) {
      if (!video.videoWidth || !video.videoHeight) return null;
      const { width, height } = frameSize(video.videoWidth, video.videoHeight);
      if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
      ctx.drawImage(video, 0, 0, width, height);
      const image = ctx.getImageData(0, 0, width, height);
      try {
        return decodeQR({ width, height, data: image.data }, { format: 'RGBA' });
      } catch {
        return null; // no QR code in this frame
      }
    },
  };
}
