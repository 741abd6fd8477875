// The activation letter's QR code as a grid of dark modules (decision 064). The office console draws
// the letter from it, and the tests make their camera pictures from it, so both are the same code.
// Kept apart from shared/activation-qr.ts: the phone's first screen reads payloads but never draws them.
import encodeQR from 'qr';

/** Quiet zone around the code, in modules: 4 is what the QR standard asks for. */
export const QR_QUIET_ZONE = 4;

/** Rows of modules (true = dark), the quiet zone included. 25% error correction: a letter gets folded. */
export function activationQrModules(payload: string): boolean[][] {
  return encodeQR(payload, 'raw', { ecc: 'quartile', border: QR_QUIET_ZONE });
}

/** An SVG path of the dark modules, one unit a module (for a viewBox of the grid's size). */
export function qrPath(modules: boolean[][]): string {
  const parts: string[] = [];
  modules.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      parts.push(`M${start} ${y}h${x - start}v1h${start - x}z`);
    }
  });
  return parts.join('');
}

/** Grey pixels (0 dark, 255 light), `scale` pixels a module: a picture of the code as printed. */
export function qrPixels(modules: boolean[][], scale: number): { width: number; height: number; data: Uint8Array } {
  const size = modules.length * scale;
  const data = new Uint8Array(size * size).fill(255);
  modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++) data.fill(0, (y * scale + dy) * size + x * scale, (y * scale + dy) * size + (x + 1) * scale);
    }),
  );
  return { width: size, height: size, data };
}
