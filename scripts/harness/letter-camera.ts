// A camera that films an activation letter's QR code (decision 064): the code is drawn by the same
// functions the office console's letter uses (web/office/activation-qr-image.ts), put on white paper a
// little askew, and written as an .mjpeg for Chromium's --use-file-for-fake-video-capture. No face
// is in the picture, so screenshots taken with it show no fixture person.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activationQrModules, qrPixels } from '../../web/office/activation-qr-image.ts';

/** An .mjpeg of one second (30 frames, looped by Chromium) showing a QR code of `text`. */
export function qrClip(text: string, name = 'letter'): string {
  const dir = mkdtempSync(join(tmpdir(), 'stillhere-qr-'));
  const grey = qrPixels(activationQrModules(text), 9);
  const pgm = join(dir, `${name}.pgm`);
  writeFileSync(pgm, Buffer.concat([Buffer.from(`P5\n${grey.width} ${grey.height}\n255\n`), Buffer.from(grey.data)]));
  const jpg = join(dir, `${name}.jpg`);
  // Held a little askew in front of the camera, as a person holds a letter.
  execFileSync('ffmpeg', [
    '-loglevel', 'error', '-y', '-i', pgm,
    '-vf', 'rotate=4*PI/180:fillcolor=white:ow=rotw(4*PI/180):oh=roth(4*PI/180),pad=640:480:(ow-iw)/2:(oh-ih)/2:color=white,format=yuvj420p',
    '-frames:v', '1', '-q:v', '3', jpg,
  ]);
  const out = join(dir, `${name}.mjpeg`);
  writeFileSync(out, Buffer.concat(Array.from({ length: 30 }, () => readFileSync(jpg))));
  return out;
}
