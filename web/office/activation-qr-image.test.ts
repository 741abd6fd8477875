import { decodeQR } from 'qr/decode.js';
import { expect, it } from 'vitest';
import { DEMO } from '../../server/seed/demo.ts';
import { activationQrPayload } from '../../shared/activation-qr.ts';
import { activationQrModules, qrPixels } from './activation-qr-image.ts';

const { idNumber, activationCode } = DEMO.retireeNew;

it('draws a code that a QR reader reads back as the same payload', () => {
  const text = activationQrPayload(idNumber, activationCode);
  const modules = activationQrModules(text);
  // Version 3 (29 modules) plus the quiet zone of 4 on each side.
  expect(modules.length).toBe(29 + 8);
  const grey = qrPixels(modules, 6);
  const rgb = new Uint8Array(grey.data.length * 3);
  grey.data.forEach((v, i) => rgb.fill(v, i * 3, i * 3 + 3));
  expect(decodeQR({ width: grey.width, height: grey.height, data: rgb }, { format: 'RGB' })).toBe(text);
});
