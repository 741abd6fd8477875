// The office's retiree page (issue 16, decision 057) in real Chromium against the real server: a
// community worker's phone has sent a check of 张桂兰 with two key frames and the read-digits
// recording (a tone recorded by Chromium's own MediaRecorder, as the phone records; drawn pictures
// only); the demo clerk opens her record from the review queue and sees her profile with the whole ID
// number, the status in a sentence, the check with its key frames loaded, its recording playable and
// the reason it waits for the office, her family link and the audit trail with the clerk's view in
// it. "Back" returns to the list with its filters. axe-core finds nothing; screenshot
// docs/screens/office-retiree.png.
import { createHash } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticResult } from '../shared/sync-fixtures.ts';
import type { PushResponse } from '../shared/sync.ts';
import { uuidv7 } from '../shared/uuid7.ts';
import { DEMO } from '../server/seed/demo.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { outlinePhoto } from '../server/seed/outline-photo.ts';
import { apiSession, type ApiSession } from '../scripts/harness/office.ts';
import { DESK, expectNoAxeViolations, signInAtDesk } from '../scripts/harness/office-desk.ts';

const env = useServerAndBrowser();
const sha256 = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');

let context: BrowserContext;
let page: Page;
let retireeId: number;
let attemptId: string;
let reviewReason: string;

/** 1.5 s of a 440 Hz tone, recorded by MediaRecorder as WebM/Opus at 24 kbit/s: what a phone sends. */
async function recordTone(): Promise<Uint8Array> {
  const p = await context.newPage();
  await p.setContent('<button id="rec">rec</button>');
  await p.evaluate(() => {
    const w = window as unknown as { clip: Promise<number[]> };
    document.getElementById('rec')!.addEventListener('click', () => {
      w.clip = new Promise((resolve) => {
        const ctx = new AudioContext();
        const tone = ctx.createOscillator();
        const out = ctx.createMediaStreamDestination();
        tone.connect(out);
        tone.start();
        const rec = new MediaRecorder(out.stream, { mimeType: 'audio/webm;codecs=opus', audioBitsPerSecond: 24_000 });
        const parts: Blob[] = [];
        rec.ondataavailable = (e) => parts.push(e.data);
        rec.onstop = async () => resolve(Array.from(new Uint8Array(await new Blob(parts).arrayBuffer())));
        rec.start();
        setTimeout(() => rec.stop(), 1_500);
      });
    });
  });
  // A click is a user gesture: the AudioContext may start.
  await p.click('#rec');
  const bytes = await p.evaluate(() => (window as unknown as { clip: Promise<number[]> }).clip);
  await p.close();
  return new Uint8Array(bytes);
}

/** A worker's check without a challenge token (it goes to the office) with two key frames and the recording. */
async function pushCheck(worker: ApiSession, audio: Uint8Array): Promise<PushResponse> {
  const frames = [outlinePhoto(140), outlinePhoto(200)];
  const id = uuidv7();
  attemptId = id;
  const item = {
    id,
    seq: 1,
    retireeId,
    method: 'worker',
    challengeToken: null,
    deviceTime: Date.now() - 45_000,
    result: syntheticResult({ seed: 4242 }),
    blobs: [
      ...frames.map((f, i) => ({ part: `p${i}`, kind: 'frame', type: 'image/jpeg', bytes: f.length, sha256: sha256(f) })),
      { part: 'p2', kind: 'audio', type: 'audio/webm;codecs=opus', bytes: audio.length, sha256: sha256(audio), durationMs: 1_500 },
    ],
  };
  const form = new FormData();
  form.set('batch', JSON.stringify({ items: [item] }));
  frames.forEach((f, i) => form.set(`p${i}`, new Blob([f as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), `p${i}`));
  form.set('p2', new Blob([audio as Uint8Array<ArrayBuffer>], { type: 'audio/webm' }), 'p2');
  const res = await worker.json<PushResponse>('/api/sync/push', { body: form });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeAll(async () => {
  retireeId = (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
  context = await env.browser.newContext(DESK);
  const audio = await recordTone();
  expect(audio.length).toBeGreaterThan(1_000);
  const worker = await apiSession(env.server.url, DEMO.worker, 'e2e-office-retiree-worker-phone');
  const answer = await pushCheck(worker, audio);
  expect(answer.results[0], JSON.stringify(answer)).toMatchObject({ status: 'accepted', outcome: { kind: 'review' } });
  reviewReason = (answer.results[0] as { outcome: { reviewReason: string } }).outcome.reviewReason;
  page = await context.newPage();
});
afterAll(async () => context?.close());


describe('the office’s retiree page', () => {
  it('opens from the review queue with the profile, the status, the check’s evidence and the audit trail', async () => {
    await signInAtDesk(page, env.server.url);
    await page.getByTestId('office-nav-queue').click();
    const item = page.locator(`[data-testid="review-detail"]`);
    // The queue opens its oldest item; pick this check.
    await page.locator(`[data-queue-id="${attemptId}"]`).click();
    await expect.poll(() => item.getAttribute('data-id')).toBe(attemptId);
    await page.getByTestId('review-retiree-link').click();
    await expect.poll(() => page.getByTestId('office-retiree').count()).toBe(1);
    expect(new URL(page.url()).hash).toBe(`#/retirees/${retireeId}`);

    await expect.poll(() => page.getByTestId('retiree-name').textContent()).toContain(DEMO.retireeOpen.name);
    expect(await page.getByTestId('retiree-id-number').textContent()).toBe(DEMO.retireeOpen.idNumber);
    expect(await page.getByTestId('retiree-profile').textContent()).toContain('1949年3月12日');
    // Certified last year only: due by the demo deadline this year.
    const status = page.getByTestId('retiree-status');
    expect(await status.getAttribute('data-state')).toBe('open');
    expect(await status.textContent()).toMatch(/^待认证，截止 \d{4}年\d{1,2}月\d{1,2}日（还有 \d+ 天）$/);
    expect(await page.getByTestId('retiree-waiting').textContent()).toContain((await reasonText(reviewReason)).slice(0, 6));

    const attempt = page.locator(`[data-testid="retiree-attempt"][data-id="${attemptId}"]`);
    expect(await attempt.getByTestId('attempt-review-reason').textContent()).toBe(await reasonText(reviewReason));
    expect(await attempt.getByTestId('attempt-outcome').textContent()).toBe('交给社保局审核');
    expect(await attempt.getByTestId('attempt-decision').textContent()).toContain('等待审核');

    // The key frames load (lazily, once on screen).
    const frames = attempt.getByTestId('attempt-frame');
    expect(await frames.count()).toBe(2);
    await frames.first().scrollIntoViewIfNeeded();
    for (let i = 0; i < 2; i++) {
      await expect.poll(() => frames.nth(i).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);
    }
    // The recording is playable: its data arrive, it has a length, and nothing failed.
    const audio = attempt.getByTestId('attempt-audio');
    await audio.evaluate((a: HTMLAudioElement) => {
      a.preload = 'auto';
      a.load();
    });
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.readyState)).toBeGreaterThanOrEqual(4); // HAVE_ENOUGH_DATA: the whole small clip is there to play
    expect(await audio.evaluate((a: HTMLAudioElement) => a.error)).toBeNull();
    expect(await audio.evaluate((a: HTMLAudioElement) => a.duration > 0)).toBe(true);

    expect(await page.getByTestId('retiree-family').textContent()).toContain('张小红');
    expect(await page.getByTestId('retiree-family').textContent()).toContain('女儿'); // the relation in the reader's language, not its code
    expect(await page.getByTestId('retiree-family').textContent()).not.toContain('daughter');
    const trail = page.getByTestId('retiree-audit');
    await expect.poll(() => trail.locator('[data-event="retiree_viewed"]').count()).toBe(1);
    expect(await trail.locator('[data-event="retiree_viewed"]').textContent()).toContain('周强');
    const viewed = await env.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE event = 'retiree_viewed' AND subject = ?", [`retiree:${retireeId}`]);
    expect(viewed!.n).toBe(1);

    await expectNoAxeViolations(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: 'docs/screens/office-retiree.png', fullPage: true });

    // The check's link opens the queue at this check, not at the oldest item.
    await attempt.getByTestId('attempt-queue-link').click();
    expect(new URL(page.url()).hash).toBe(`#/queue?item=${attemptId}`);
    await expect.poll(() => item.getAttribute('data-id')).toBe(attemptId);
  });

  it('goes back to the list with its filters when the clerk came from it, and to the list otherwise', async () => {
    await page.goto(`${env.server.url}/#/retirees?status=due&community=1`);
    await page.evaluate((id) => (location.hash = `#/retirees/${id}`), retireeId);
    await expect.poll(() => page.getByTestId('retiree-name').count()).toBe(1);
    await page.getByTestId('retiree-back').click();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/retirees?status=due&community=1');

    // From the overview: the list, unfiltered.
    await page.evaluate(() => (location.hash = '#/overview'));
    await expect.poll(() => page.getByTestId('office-overview').count()).toBe(1);
    await page.evaluate((id) => (location.hash = `#/retirees/${id}`), retireeId);
    await expect.poll(() => page.getByTestId('retiree-name').count()).toBe(1);
    expect(await page.getByTestId('retiree-back').getAttribute('href')).toBe('#/retirees');
  });

  it('says so for a retiree the office does not have', async () => {
    const county = (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeSuspended.idNumber]))!.id;
    await page.goto(`${env.server.url}/#/retirees/${county}`);
    await expect.poll(() => page.getByTestId('retiree-not-found').count()).toBe(1);
  });
});

/** The queue's sentence for a review reason, as the page shows it (from the catalog's source). */
async function reasonText(reason: string): Promise<string> {
  const { zh } = await import('../web/i18n/office.ts');
  return (zh as Record<string, string>)[`o.reason.${reason}`]!;
}
