import { expect, it } from 'vitest';
import { frameSize, nativeDetector } from './qr-reader.ts';

class Detector {
  static formats: string[] = [];
  static getSupportedFormats = async () => Detector.formats;
  constructor(readonly options: { formats: string[] }) {}
  async detect() {
    return [{ rawValue: 'x' }];
  }
}

it('uses the browser’s BarcodeDetector only when it reads QR codes', async () => {
  expect(await nativeDetector({})).toBeNull();
  Detector.formats = ['ean_13'];
  expect(await nativeDetector({ BarcodeDetector: Detector })).toBeNull();
  Detector.formats = ['ean_13', 'qr_code'];
  const d = await nativeDetector({ BarcodeDetector: Detector });
  expect(d).toBeInstanceOf(Detector);
  expect((d as unknown as Detector).options).toEqual({ formats: ['qr_code'] });
});

it('falls back when the detector cannot say its formats', async () => {
  class Broken extends Detector {
    static override getSupportedFormats = async (): Promise<string[]> => {
      throw new Error('not here');
    };
  }
  expect(await nativeDetector({ BarcodeDetector: Broken })).toBeNull();
});

it('scales frames down to at most 800 px on the long side, never up', () => {
  expect(frameSize(1920, 1080)).toEqual({ width: 800, height: 450 });
  expect(frameSize(480, 640)).toEqual({ width: 480, height: 640 });
  expect(frameSize(720, 1280)).toEqual({ width: 450, height: 800 });
});
