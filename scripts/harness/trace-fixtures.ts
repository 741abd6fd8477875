// Node-only helper for tests and benchmarks: finds the shared fixtures folder and loads traces.
// The fixtures live outside the repo (../shared), so tests skip cleanly where they are absent.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionId } from '../../shared/liveness.ts';
import { parseTraceCsv, type TraceRow } from '../../web/liveness/trace.ts';

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

/**
 * What each clip performs, from the fixtures README; 'unasserted' where the README does not say
 * (the selfie replay's blink-like peaks). Tests that replay clips agree on this one table.
 */
export const CLIP_ACTIONS: Readonly<Record<ClipName, readonly ActionId[] | 'unasserted'>> = {
  blink_man_glasses: ['blink'],
  blink_eyes_closed_man: ['blink'],
  blink_gaze_woman: ['blink'],
  turn_left_right_woman_hijab: ['turn_left', 'turn_right'],
  nod_up_down_woman_hijab: ['look_up'],
  turn_up_man_beard: ['turn_left', 'turn_right'],
  mouth_open_man: ['open_mouth', 'blink', 'read_digits'],
  talking_selfie_man: ['read_digits', 'blink'],
  // One natural blink a pass (3.2 s): one blink is the blink step (decision 066).
  neutral_woman: ['blink'],
  neutral_man_webcam: [],
  spoof_phone_replay_man_webcam: [],
  spoof_phone_replay_selfie: 'unasserted',
};

const cache = new Map<string, TraceRow[]>();

export function loadTrace(name: ClipName): TraceRow[] {
  let rows = cache.get(name);
  if (!rows) {
    rows = parseTraceCsv(readFileSync(path.join(tracesDir(), `${name}.csv`), 'utf8'));
    cache.set(name, rows);
  }
  return rows;
}
