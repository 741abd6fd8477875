// Helpers for the retiree / family browser tests: a camera clip that passes a server-issued
// sequence, a challenge token the server will accept for it, and typing on the on-screen keypad.
//
// Why a composite clip: every sequence the server can issue has one head action (turn left/right,
// look up) and one face action (blink, open mouth, read digits), and no single shared clip shows
// both. The composite plays mouth_open_man (jaw opens, two blinks), half a second with no face, then
// turn_left_right_woman_hijab (turns right, then left), and loops. The half second without a face is
// longer than the engine's "face jumped" window (a cut, not a swap) and shorter than its "face lost"
// restart, so the engine sees one continuous check. Built in a temp folder, never in the repo.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { generateSequence, type ActionId } from '../../shared/liveness.ts';
import type { Db } from '../../server/db/sqlite.ts';
import { encodeToken, signingSecret } from '../../server/sync/tokens.ts';
import { useServerAndBrowser, type E2eEnv } from './env.ts';
import { HAS_SHARED, videoFixture } from './shared-data.ts';

/** Actions the composite clip performs, each within one 16 s loop. */
export const COMPOSITE_ACTIONS: readonly ActionId[] = ['open_mouth', 'turn_right', 'turn_left'];

export function compositeClip(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stillhere-clip-'));
  const black = join(dir, 'black.jpg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=black:s=640x480', '-frames:v', '1', '-q:v', '5', black]);
  // .mjpeg fake-camera files are JPEG frames back to back at 30 fps: 15 frames = 0.5 s.
  const gap = Buffer.concat(Array.from({ length: 15 }, () => readFileSync(black)));
  const out = join(dir, 'mouth_then_turns.mjpeg');
  writeFileSync(out, Buffer.concat([readFileSync(videoFixture('mouth_open_man.mjpeg')), gap, readFileSync(videoFixture('turn_left_right_woman_hijab.mjpeg')), gap]));
  return out;
}

/** The first seed whose generated sequence has two actions, both of which the composite clip shows. */
export function passableSeed(after = 0): number {
  for (let seed = after + 1; seed < after + 1_000_000; seed++) {
    const seq = generateSequence(seed);
    if (seq.actions.length === 2 && seq.actions.every((a) => COMPOSITE_ACTIONS.includes(a))) return seed;
  }
  throw new Error('no passable seed found');
}

/**
 * Puts a genuine challenge token (signed with the server's own secret, bound to this user and
 * device, with a seed the clip can pass) at the front of the phone's challenge cache, exactly as a
 * sync pull would store it. The app then runs generateSequence(seed), the production path.
 */
export async function plantChallenge(page: Page, db: Db, seed: number): Promise<void> {
  const { userId, deviceId } = await page.evaluate(async () => {
    const me = (await (await fetch('/api/me')).json()) as { user: { id: number } };
    return { userId: me.user.id, deviceId: localStorage.getItem('stillhere.deviceId')! };
  });
  const secret = await signingSecret(db);
  const now = Date.now();
  // Expires before any token a pull issues (14 days), so it is the one beginCheck() takes first.
  const payload = { i: randomBytes(16).toString('base64url'), u: userId, d: deviceId, s: seed, t: now - 60_000, e: now + 24 * 3600_000 };
  const record = { id: payload.i, userId, token: encodeToken(secret, payload), seed, issuedAt: payload.t, expiresAt: payload.e };
  await page.evaluate(
    (rec) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('stillhere');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('challenges', 'readwrite');
          tx.objectStore('challenges').put(rec);
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    record,
  );
}

/** Types on the on-screen keypad, one tap per character, as a person would. */
export async function tapKeys(page: Page, text: string): Promise<void> {
  const pad = page.getByTestId('keypad');
  for (const ch of text) await pad.getByRole('button', { name: ch, exact: true }).click();
}

/** A server with its own SQLite file, Chromium with the composite clip as camera, and the db (filled by beforeAll). */
export function useCameraPhone(): E2eEnv {
  return useServerAndBrowser({ fakeVideo: compositeClip, when: HAS_SHARED });
}
