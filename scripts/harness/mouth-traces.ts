// The talking clips' measured mouth (testdata/*.mouth.json, numbers only) for the voice tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MouthSample } from '../../web/liveness/voice/av-sync.ts';

export interface MouthTrace {
  clipMs: number;
  /** Clip time, ms (from the start of the first loop). */
  track: MouthSample[];
}

export function mouthTrace(clip: string): MouthTrace {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'liveness', 'voice', 'testdata', `${clip}.mouth.json`);
  const d = JSON.parse(readFileSync(file, 'utf8')) as { clipMs: number; track: [number, number | null][] };
  return { clipMs: d.clipMs, track: d.track.map(([tMs, jaw]) => ({ tMs, jaw })) };
}
