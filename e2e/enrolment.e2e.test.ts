// In-person enrolment (issue 14) end to end, in real Chromium against the real server, its face-match
// queue with the real model, and a real SQLite file: the demo worker opens a demo retiree the office
// holds no reference photo of, ticks "I checked the ID card", signs with their password and runs the
// assisted check (the composite clip of decision 039 as the rear camera, a genuine server-signed
// challenge token it can pass). The attempt reaches the server with a verified enrolment signature;
// the match makes its clearest key frame an ACTIVE `enrolment` reference and hands the check to the
// office as review reason `enrolment`; the phone keeps no password and, after the answer, no
// signature, and says "已建档，等待社保局确认".
//
// Screenshots of the check screen at 360×640 go to a temp folder (STILLHERE_SHOTS to choose it):
// they show a fixture person's face, so they are never committed.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { en, zh as w } from '../web/i18n/worker.ts';
import { PHONE, phoneRecords } from '../scripts/harness/browser.ts';
import { passableSeed, plantChallenge, useCameraPhone } from '../scripts/harness/retiree-phone.ts';
import { HAS_SHARED, SKIP_REASON } from '../scripts/harness/shared-data.ts';
import { agreeAtTheDoor } from '../scripts/harness/worker-door.ts';

const suite = HAS_SHARED ? describe : describe.skip;
const CHECK_TIMEOUT = 150_000;
/** The server matches after the push: seconds on a quiet machine, longer next to Chromium on two cores. */
const MATCH_TIMEOUT = 90_000;

const env = useCameraPhone();
let retireeId = 0;
let shots = '';
beforeAll(async () => {
  if (!HAS_SHARED) return;
  retireeId = (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
  shots = process.env.STILLHERE_SHOTS ?? mkdtempSync(join(tmpdir(), 'stillhere-enrolment-shots-'));
  mkdirSync(shots, { recursive: true });
});

async function signInAsWorker(page: Page) {
  await page.getByRole('button', { name: /社区工作人员、家属/ }).click();
  await page.getByLabel('用户名').fill(DEMO.worker.username);
  await page.getByLabel('密码', { exact: true }).fill(DEMO.worker.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect.poll(() => page.getByTestId('worker-app').count(), { timeout: 30_000 }).toBe(1);
}

interface ServerAttempt {
  id: string;
  user_id: number;
  method: string;
  verdict: string;
  enrolment: string | null;
  outcome: string;
  review_reason: string | null;
}

const serverAttempts = () => env.db.all<ServerAttempt>('SELECT id, user_id, method, verdict, enrolment, outcome, review_reason FROM attempts WHERE retiree_id = ?', [retireeId]);

suite('community worker: in-person enrolment of a retiree without a reference photo', () => {
  it(HAS_SHARED ? 'ticks the ID card, signs, checks: an enrolment reference waiting for the office' : `skipped (${SKIP_REASON})`, { timeout: 420_000 }, async () => {
    const context = await env.browser.newContext({ ...PHONE, viewport: { width: 360, height: 640 }, serviceWorkers: 'allow', permissions: ['camera', 'microphone'] });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(env.server.url);
    await signInAsWorker(page);

    // With signal: the roster (hasReference: false for every demo retiree), tokens and the signing key.
    await expect.poll(() => page.getByTestId('roster-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await phoneRecords<{ key: string }>(page, 'settings')).some((s) => s.key === 'signatureKey'), { timeout: 30_000 }).toBe(true);
    await expect.poll(async () => (await phoneRecords<{ retireeId: number; hasReference?: boolean }>(page, 'roster')).find((r) => r.retireeId === retireeId)?.hasReference).toBe(false);
    await plantChallenge(page, env.db, passableSeed());

    await page.getByTestId('roster-search').fill(DEMO.retireeOpen.name);
    await page.locator(`[data-testid="roster-row"][data-id="${retireeId}"]`).click();
    await expect.poll(() => page.getByTestId('retiree-page').getAttribute('data-id')).toBe(String(retireeId));
    expect(await page.getByTestId('no-reference').textContent()).toBe(w['w.page.referenceNone']);
    await page.getByTestId('act-certify').click();
    await expect.poll(() => page.getByTestId('certify').getAttribute('data-engine'), { timeout: 90_000 }).toBe('ready');
    await agreeAtTheDoor(page); // the retiree's consent first (decision 085)

    // Before the check: the section, optional (unticked, no password field).
    const section = page.getByTestId('enrolment');
    await expect.poll(() => section.getAttribute('data-can-sign')).toBe('yes');
    expect(await section.getByRole('heading').textContent()).toBe(w['w.enrol.title']);
    expect(await page.getByTestId('enrol-confirm').isChecked()).toBe(false);
    expect(await page.getByLabel(w['w.enrol.password']).count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid="certify"] video').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'certify-enrolment-1.png') });
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'certify-enrolment-2.png') });

    // Ticked without a password: the check does not start and the screen says why.
    await page.getByLabel(w['w.enrol.confirm']).check();
    await page.getByTestId('start-check').click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe(w['w.enrol.needPassword']);
    expect(await page.getByTestId('certify').getAttribute('data-phase')).toBe('setup');

    await page.getByLabel(w['w.enrol.password']).fill(DEMO.worker.password);
    await page.getByLabel(w['w.enrol.password']).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'certify-enrolment-3.png') });
    // The same in English (the ticked box and the password stay), then back.
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => section.getByRole('heading').textContent()).toBe(en['w.enrol.title']);
    expect(await page.getByLabel(en['w.enrol.confirm']).isChecked()).toBe(true);
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'certify-enrolment-en.png') });
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await expect.poll(() => section.getByRole('heading').textContent()).toBe(w['w.enrol.title']);
    expect(await page.getByLabel(w['w.enrol.password']).inputValue()).toBe(DEMO.worker.password);
    await page.getByTestId('start-check').click();
    await expect.poll(() => page.getByTestId('certify').getAttribute('data-phase'), { timeout: CHECK_TIMEOUT, interval: 500 }).toMatch(/passed|not_passed|error/);
    const prompt = await page.getByTestId('certify-prompt').textContent();
    expect(await page.getByTestId('certify').getAttribute('data-phase'), `check ended with prompt "${prompt}"`).toBe('passed');
    expect(await page.getByTestId('certify-result').getAttribute('data-enrolment')).toMatch(/signed|enrolled/);

    // The attempt reaches the server with a verified signature…
    await expect.poll(async () => (await serverAttempts()).map((a) => a.enrolment), { timeout: 60_000 }).toEqual(['verified']);
    const [stored] = await serverAttempts();
    const worker = (await env.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.worker.username]))!.id;
    expect(stored).toMatchObject({ user_id: worker, method: 'worker', verdict: 'passed' });

    // …the match keeps the clearest key frame as the retiree's reference, waiting for the office to confirm it.
    await expect
      .poll(async () => (await serverAttempts())[0]!.outcome, { timeout: MATCH_TIMEOUT, interval: 500 })
      .toSatisfy((outcome: string) => outcome !== 'verifying');
    expect(await serverAttempts()).toMatchObject([{ id: stored!.id, outcome: 'review', review_reason: 'enrolment', enrolment: 'verified' }]);
    expect(await env.db.all('SELECT source, status FROM reference_faces WHERE retiree_id = ?', [retireeId])).toEqual([{ source: 'enrolment', status: 'pending' }]);
    expect(await env.db.get('SELECT status, method FROM certifications WHERE evidence_ref = ?', [stored!.id])).toEqual({ status: 'pending_review', method: 'worker' });

    // The phone: never the password; the sealed signature gone once the server answered.
    const onPhone = await phoneRecords<{ id: string; enrolment?: boolean; enrolmentSignature?: string }>(page, 'attempts');
    expect(JSON.stringify(onPhone)).not.toContain(DEMO.worker.password);
    expect(onPhone).toEqual([expect.objectContaining({ id: stored!.id, enrolment: true })]);
    expect(onPhone[0]!.enrolmentSignature).toBeUndefined();

    // The phone hears the outcome on its own follow-up sync: enrolled, the office will confirm.
    await expect.poll(() => page.getByTestId('certify-result').getAttribute('data-enrolment'), { timeout: MATCH_TIMEOUT, interval: 1_000 }).toBe('enrolled');
    expect(await page.getByTestId('certify-result').textContent()).toBe(w['w.certify.enrolled']);
    await page.getByTestId('certify-result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'certify-enrolled.png') });
    await page.getByTestId('certify-done').click();
    await expect.poll(() => page.locator(`[data-testid="history-item"][data-id="${stored!.id}"]`).textContent()).toContain(w['w.enrol.done']);
    console.log(`enrolment screenshots: ${shots}`);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
