// The server's face match in the browser tests (issue 14): reference photos added through the real
// office API (signed in as the demo office clerk), the photos to add, and waiting for the match
// queue to decide an attempt that the push stored as `verifying`.
//
// Why the clip's references are several photos of two people: the camera plays the composite clip
// of decision 039 (mouth_open_man, then turn_left_right_woman_hijab), so the key frames of one check
// may show either person, and the server certifies only when EVERY usable key frame is close to a
// reference (server/face/match-rules.ts). "The retiree's own face" in these tests is therefore both
// people of the clip: the woman at 0.3 s, and the man with his mouth closed (0.2 s) and open
// (2.5 s: an open mouth moves his descriptor away from the closed-mouth photo, up to ~0.5). Measured
// key frames of both clips are then ≤ 0.37 from the closest reference, and ≥ 0.75 from the other
// person's. Matching one person against their own references is unit-tested in server/face and
// server/identity.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DEMO } from '../../server/seed/demo.ts';
import type { BrowserContext } from 'playwright-core';
import type { Db } from '../../server/db/sqlite.ts';
import type { PushResponse } from '../../shared/sync.ts';
import { frameAt } from '../../server/face/test-keyframes.ts';
import { SHARED_DIR } from './shared-data.ts';

/** Whole frames of both people of the composite clip (see above): the retiree's own face here. */
export const clipPeoplePhotos = (): Uint8Array[] => [
  frameAt('turn_left_right_woman_hijab', 0.3),
  frameAt('mouth_open_man', 0.2),
  frameAt('mouth_open_man', 2.5),
];

/** A photo of somebody who is not in the clip (≥ 0.7 from every frame of it): a face mismatch. */
export const strangerPhoto = (): Uint8Array => readFileSync(join(SHARED_DIR, 'fixtures', 'photos', 'elon_musk', 'elon_musk_1.jpg'));

/** Signs in as the demo office clerk; the cookie header for the following requests. */
export async function officeCookie(serverUrl: string): Promise<string> {
  const res = await fetch(`${serverUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: serverUrl },
    body: JSON.stringify({ username: DEMO.admin.username, password: DEMO.admin.password }),
  });
  if (res.status !== 200) throw new Error(`office sign-in answered ${res.status}: ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  if (!cookies.length) throw new Error('office sign-in set no cookie');
  return cookies.join('; ');
}

/** Adds each photo as an office reference of the retiree through POST /api/identity/retirees/:id/references. */
export async function addReferencePhotos(serverUrl: string, retireeId: number, jpegs: readonly Uint8Array[]): Promise<number[]> {
  const cookie = await officeCookie(serverUrl);
  const ids: number[] = [];
  for (const photo of jpegs) {
    const res = await fetch(`${serverUrl}/api/identity/retirees/${retireeId}/references`, {
      method: 'POST',
      headers: { 'Content-Type': 'image/jpeg', Origin: serverUrl, Cookie: cookie },
      body: new Uint8Array(photo),
    });
    const body = (await res.json()) as { created: boolean; reference: { id: number; status: string; source: string } };
    if (res.status !== 201) throw new Error(`adding a reference answered ${res.status}: ${JSON.stringify(body)}`);
    expect(body.reference).toMatchObject({ status: 'active', source: 'office_photo' });
    ids.push(body.reference.id);
  }
  return ids;
}

export interface MatchedAttempt {
  outcome: string;
  review_reason: string | null;
  match_decision: string | null;
  match_distance: number | null;
}

/**
 * Waits until the match queue has decided the attempt (its outcome is no longer `verifying`) and
 * returns what it stored. Generous: a face match on two busy cores next to Chromium takes a while.
 */
export async function decidedAttempt(db: Db, attemptId: string, timeoutMs = 90_000): Promise<MatchedAttempt> {
  const read = () => db.get<MatchedAttempt>('SELECT outcome, review_reason, match_decision, match_distance FROM attempts WHERE id = ?', [attemptId]);
  await expect
    .poll(async () => (await read())?.outcome ?? 'not stored', { timeout: timeoutMs, interval: 500 })
    .toSatisfy((outcome: string) => outcome !== 'verifying' && outcome !== 'not stored');
  return (await read())!;
}

/** The one attempt of this retiree on the server (fails when there is none or more than one). */
export async function onlyAttempt(db: Db, retireeId: number): Promise<{ id: string; outcome: string; method: string }> {
  const rows = await db.all<{ id: string; outcome: string; method: string }>('SELECT id, outcome, method FROM attempts WHERE retiree_id = ?', [retireeId]);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/**
 * What the server answered to each attempt the first time a phone of this context pushed it
 * ('verifying' for a passed check since issue 14). Read from the real push responses, so it is the
 * push's answer, not what a later pull changed it to. Taken at the context's router, which sees the
 * service worker's pushes (Background Sync) as well as the page's; the request goes on unchanged.
 */
export interface PushAnswers {
  /** The outcome kind of the first push answer for this attempt. */
  of(attemptId: string): string | undefined;
}

export async function pushAnswers(context: BrowserContext): Promise<PushAnswers> {
  const answers = new Map<string, string>();
  await context.route('**/api/sync/push', async (route) => {
    const response = await route.fetch();
    if (response.status() === 200) {
      const body = (await response.json()) as PushResponse;
      for (const r of body.results) if (r.status !== 'rejected' && !answers.has(r.id)) answers.set(r.id, r.outcome.kind);
    }
    await route.fulfill({ response });
  });
  return { of: (attemptId) => answers.get(attemptId) };
}
