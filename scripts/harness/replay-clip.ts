// A screen replay that performs the actions (issue 18 §5): the composite clip of real people
// (retiree-phone.ts), shown small on a "phone" with a dark bezel on a plain wall and softened as a
// screen filmed by a camera is. Its actions pass any sequence the composite passes, so only the
// spoof-risk score can tell it from a live person. Built in a temp folder, never in the repo.
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { compositeClip } from './retiree-phone.ts';

export function replayClip(): string {
  const composite = compositeClip();
  const out = join(dirname(composite), 'spoof_screen_replay.mjpeg');
  execFileSync('ffmpeg', [
    '-loglevel', 'error', '-y',
    '-f', 'mjpeg', '-framerate', '30', '-i', composite,
    '-f', 'lavfi', '-i', 'color=c=0x7a7064:s=640x480:r=30',
    '-filter_complex', '[0:v]scale=480:360,gblur=sigma=1.2,pad=504:392:12:16:color=0x141414[phone];[1:v][phone]overlay=68:44:shortest=1',
    '-pix_fmt', 'yuvj420p', '-q:v', '3', '-f', 'mjpeg', out,
  ]);
  return out;
}
