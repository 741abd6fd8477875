// Read the 4 digits, at the office (issue 18 §4, decision 080): a worker's passed read-digits check
// whose voice the mouth did not follow reaches the clerk's queue as "voice and mouth not in step",
// and its review shows the server's outcome beside the numbers. Pushed through the real API as the
// phone pushes it; the key frames are drawn outlines, never a person's face (decision 063).
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { generateSequence } from '../shared/liveness.ts';
import { syntheticResult } from '../shared/sync-fixtures.ts';
import { SYNC_LIMITS, type ChallengeGrant, type PushResponse } from '../shared/sync.ts';
import { uuidv7 } from '../shared/uuid7.ts';
import { DEMO } from '../server/seed/demo.ts';
import { zh as officeWords } from '../web/i18n/office.ts';
import { DESK, signInAtDesk } from '../scripts/harness/office-desk.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { outlinePhoto } from '../server/seed/outline-photo.ts';
import { apiSession } from '../scripts/harness/office.ts';

const env = useServerAndBrowser();
const sha256 = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');

it('a read-digits check out of step with the voice waits in the office queue with the reason and the numbers', { timeout: 180_000 }, async () => {
  const worker = await apiSession(env.server.url, DEMO.worker, 'e2e-voice-worker-phone');
  const retireeId = (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
  let grant: ChallengeGrant | undefined;
  for (let i = 0; i < 10 && !grant; i++) {
    const res = await worker.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count: SYNC_LIMITS.maxChallengesPerRequest } });
    grant = res.body.challenges.find((g) => generateSequence(g.seed).actions.includes('read_digits'));
  }
  expect(grant).toBeDefined();

  const id = uuidv7();
  const result = { ...syntheticResult(grant!), voice: { outcome: 'out_of_step' as const, syllables: 7, sync: 0.08, lagMs: -160, floorDb: -58.5, peakDb: -21.2, windowMs: 5400 } };
  const frames = [outlinePhoto(40), outlinePhoto(160)];
  const form = new FormData();
  form.set(
    'batch',
    JSON.stringify({
      items: [
        {
          id,
          seq: 1,
          retireeId,
          method: 'worker',
          challengeToken: grant!.token,
          deviceTime: Date.now() - 30_000,
          result,
          blobs: frames.map((f, i) => ({ part: `p${i}`, kind: 'frame', type: 'image/jpeg', bytes: f.length, sha256: sha256(f) })),
        },
      ],
    }),
  );
  frames.forEach((f, i) => form.set(`p${i}`, new Blob([f as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), `p${i}`));
  const pushed = await worker.json<PushResponse>('/api/sync/push', { body: form });
  expect(pushed.status).toBe(200);
  expect(pushed.body.results[0]).toMatchObject({ status: 'accepted', outcome: { kind: 'review', reviewReason: 'voice_out_of_step' } });

  const desk = await env.browser.newContext(DESK);
  const office = await desk.newPage();
  await signInAtDesk(office, env.server.url);
  await office.goto(`${env.server.url}/#/queue?item=${id}`);
  const detail = office.getByTestId('review-detail');
  await expect.poll(() => detail.getAttribute('data-id'), { timeout: 30_000 }).toBe(id);
  expect(await office.getByTestId('review-reason').textContent()).toContain(officeWords['o.reason.voice_out_of_step']);
  const voice = office.getByTestId('review-voice');
  await expect.poll(() => voice.getAttribute('data-outcome'), { timeout: 30_000 }).toBe('out_of_step');
  const shown = (await voice.textContent()) ?? '';
  expect(shown).toContain(officeWords['o.detail.voice.out_of_step']);
  expect(shown).toContain('7 个音节');
  expect(shown).toContain('0.08');
  if (process.env.STILLHERE_SCREENS_DIR) await office.screenshot({ path: `${process.env.STILLHERE_SCREENS_DIR}/office-review-voice.png`, fullPage: true });
  await desk.close();
});
