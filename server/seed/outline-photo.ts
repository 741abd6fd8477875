// A picture that stands for a photo of a person in the demo data and the tests: the demo's home
// visit needs one, and screenshots must never show a real (fixture) person's face.
import jpeg from 'jpeg-js';

/**
 * A small JPEG of a drawn head-and-shoulders outline (no face, no features) on a soft gradient;
 * `hue` tells pictures apart. 240×320, a few KB: within the push's frame limits (≤ 20 KB).
 */
export function outlinePhoto(hue: number): Uint8Array {
  const width = 240;
  const height = 320;
  const data = Buffer.alloc(width * height * 4);
  const bg = (y: number): [number, number, number] => [200 + hue * 0.2 - y * 0.05, 214 - y * 0.04, 226 - hue * 0.3];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const head = ((x - 120) / 52) ** 2 + ((y - 120) / 64) ** 2 <= 1;
      const shoulders = y > 205 && ((x - 120) / 110) ** 2 + ((y - 330) / 125) ** 2 <= 1;
      const [r, g, b] = head || shoulders ? [96, 104, 116] : bg(y);
      const i = (y * width + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = 255;
    }
  }
  return new Uint8Array(jpeg.encode({ data, width, height }, 80).data);
}
