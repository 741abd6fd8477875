// Node-only helper for tests and benchmarks: finds the shared fixtures folder and loads traces.
// The fixtures live outside the repo (../shared), so tests skip cleanly where they are absent.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTraceCsv, type TraceRow } from './trace.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `$STILLHERE_SHARED_DIR` if set, else `<repo>/../shared`. */
export function sharedDir(): string {
  const fromEnv = process.env.STILLHERE_SHARED_DIR;
  return fromEnv ? path.resolve(fromEnv) : path.resolve(repoRoot, '..', 'shared');
}

export function tracesDir(): string {
  return path.join(sharedDir(), 'fixtures', 'video', 'traces');
}

export const tracesAvailable = (): boolean => existsSync(tracesDir());

export const SKIP_MESSAGE = `skipped: ${process.env.STILLHERE_SHARED_DIR ? tracesDir() : '../shared/fixtures/video/traces'} not found (set STILLHERE_SHARED_DIR)`;

export const CLIPS = [
  'blink_man_glasses',
  'blink_eyes_closed_man',
  'blink_gaze_woman',
  'turn_left_right_woman_hijab',
  'nod_up_down_woman_hijab',
  'turn_up_man_beard',
  'mouth_open_man',
  'talking_selfie_man',
  'neutral_woman',
  'neutral_man_webcam',
  'spoof_phone_replay_man_webcam',
  'spoof_phone_replay_selfie',
] as const;
export type ClipName = (typeof CLIPS)[number];

const cache = new Map<string, TraceRow[]>();

export function loadTrace(name: ClipName): TraceRow[] {
  let rows = cache.get(name);
  if (!rows) {
    rows = parseTraceCsv(readFileSync(path.join(tracesDir(), `${name}.csv`), 'utf8'));
    cache.set(name, rows);
  }
  return rows;
}
