// The retiree's whole path in real Chromium on a phone viewport, against the real server and its
// SQLite file, with Chromium's fake camera playing real face clips (see support/retiree-phone.ts):
//   first visit → activation on the keypad → new PIN → Home → consent → tips → check passes →
//   sent, the server answers `verifying` and its face match certifies it against the retiree's
//   reference photos (issue 14) → the result and Home show certified, and the server stored the
//   certification and the consent;
//   then, as a retiree due now, with the network off and a reload: the app opens from the service
//   worker, a check runs and passes, and the result is kept on the phone as waiting to send, and
//   goes out once the signal is back.
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { CONSENT_NOTICE_VERSION } from '../shared/schemas/consent.ts';
import { PHONE, phoneRecords, setNoSignal } from '../scripts/harness/browser.ts';
import { addReferencePhotos, clipPeoplePhotos, decidedAttempt, onlyAttempt, pushAnswers } from '../scripts/harness/identity.ts';
import { passableSeed, plantChallenge, tapKeys, useCameraPhone } from '../scripts/harness/retiree-phone.ts';
import { HAS_SHARED, SKIP_REASON } from '../scripts/harness/shared-data.ts';

const suite = HAS_SHARED ? describe : describe.skip;
const CHECK_TIMEOUT = 150_000;
/** The face match runs on the server after the push, and the phone hears of it on a re-sync (~20 s, ~60 s later). */
const MATCH_TIMEOUT = 90_000;

const env = useCameraPhone();

const retireeId = async (idNumber: string) => (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;

/** Waits for the first sync after sign-in (challenge tokens cached) and the service worker. */
async function settled(page: Page) {
  await expect.poll(() => page.getByTestId('sync-last').textContent(), { timeout: 30_000 }).toContain('上次发送成功');
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 }).toBe(true);
}

/** Home → consent (first time) → tips → check; resolves when the result screen shows. */
async function doCheck(page: Page, { consentFirst }: { consentFirst: boolean }) {
  await page.getByTestId('start-check').click();
  if (consentFirst) {
    await expect.poll(() => page.getByTestId('consent').count()).toBe(1);
    // The non-face route is offered on the same screen.
    expect(await page.getByTestId('consent').textContent()).toContain('上门认证');
    await page.getByRole('button', { name: '同意，用人脸认证' }).click();
  }
  await expect.poll(() => page.getByTestId('prepare').count()).toBe(1);
  expect(await page.locator('.tips li').count()).toBe(3);
  await page.getByRole('button', { name: '我准备好了，开始' }).click();
  await expect.poll(() => page.getByTestId('face-check').getAttribute('data-phase'), { timeout: 60_000 }).toBe('running');
  // One instruction at a time, in large text, with "step n of m" once the actions start.
  const size = await page.getByTestId('instruction').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(32);
  await expect.poll(() => page.getByTestId('step-line').textContent(), { timeout: 60_000 }).toMatch(/第 [12] 步，共 2 步/);
  await expect.poll(() => page.getByTestId('check-result').count(), { timeout: CHECK_TIMEOUT, interval: 500 }).toBe(1);
}

suite('retiree on a phone, real camera clip, real server', () => {
  let context: BrowserContext;
  let page: Page;

  it('first visit: activation on the keypad, consent, a passing check, certified on the server', async () => {
    context = await env.browser.newContext({ ...PHONE, serviceWorkers: 'allow' });
    const answers = await pushAnswers(context);
    page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.server.url);

    // "第一次使用" is the first thing on the first screen; it opens the letter's QR scanner, and the
    // ID number and code can still be typed (the QR path is e2e/first-use.e2e.test.ts).
    await page.getByTestId('first-use').click();
    await page.getByRole('button', { name: '手动输入' }).click();
    // A wrong last character is caught as it is typed, in plain words.
    await tapKeys(page, DEMO.retireeNew.idNumber.slice(0, 17) + (DEMO.retireeNew.idNumber.endsWith('1') ? '2' : '1'));
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('有一位输错了');
    expect(await page.getByLabel('身份证号码').inputValue()).toMatch(/^\d{6} \d{8} \d{3}[\dX]$/);
    await page.getByRole('button', { name: '删除一位' }).click();
    await tapKeys(page, DEMO.retireeNew.idNumber.slice(17));
    // Complete and valid: the code field comes by itself.
    await tapKeys(page, DEMO.retireeNew.activationCode);
    await tapKeys(page, '502718');
    await tapKeys(page, '502718');
    await page.getByRole('button', { name: '设置密码并登录' }).click();

    const card = page.getByTestId('status-card');
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
    await settled(page);
    await plantChallenge(page, env.db, passableSeed());
    // The office holds this retiree's photos (the clip's two people, support/identity.ts).
    const id = await retireeId(DEMO.retireeNew.idNumber);
    await addReferencePhotos(env.server.url, id, clipPeoplePhotos());

    await doCheck(page, { consentFirst: true });
    const result = page.getByTestId('check-result');
    expect(await result.getAttribute('data-verdict')).toBe('passed');
    await expect.poll(() => result.getAttribute('data-sync'), { timeout: 60_000 }).toBe('sent');
    // The push stores the check as `verifying`; the server's face match decides it afterwards.
    const attemptId = (await onlyAttempt(env.db, id)).id;
    expect(answers.of(attemptId)).toBe('verifying');
    expect(await decidedAttempt(env.db, attemptId, MATCH_TIMEOUT)).toMatchObject({ outcome: 'certified', review_reason: null, match_decision: 'match' });
    // The result screen follows: "认证成功" only once the phone has heard the server certified it.
    await expect.poll(() => result.getAttribute('data-stage'), { timeout: MATCH_TIMEOUT }).toBe('certified');
    expect(await page.getByTestId('result-title').textContent()).toBe('认证成功');
    await expect.poll(() => page.getByTestId('result-sync').textContent()).toContain('社保局已经收到');

    const cert = await env.db.get<{ method: string; status: string; evidence_ref: string }>('SELECT method, status, evidence_ref FROM certifications WHERE retiree_id = ?', [id]);
    expect(cert).toMatchObject({ method: 'self', status: 'approved', evidence_ref: attemptId });
    const blobs = await env.db.get<{ n: number }>('SELECT count(*) AS n FROM attempt_blobs WHERE attempt_id = ? AND kind = ?', [cert!.evidence_ref, 'frame']);
    expect(blobs!.n).toBeGreaterThanOrEqual(2);
    await expect
      .poll(() => env.db.get<{ choice: string; notice_version: number }>('SELECT choice, notice_version FROM consents WHERE retiree_id = ?', [id]))
      .toEqual({ choice: 'face', notice_version: CONSENT_NOTICE_VERSION });

    await page.getByRole('button', { name: '回到首页' }).click();
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 30_000 }).toBe('certified');
    expect(await card.textContent()).toMatch(/年已认证/);
    // Certified: no start button; the history lists this year.
    expect(await page.getByTestId('start-check').count()).toBe(0);
    await page.getByRole('button', { name: '认证记录' }).click();
    await expect.poll(() => page.getByTestId('history-years').textContent()).toMatch(/已认证.*本人手机认证/);
    await expect.poll(() => page.locator('[data-testid="attempt"][data-state="sent"]').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('offline: the app opens after a reload, a check runs, and the result waits on the phone', async () => {
    // Sign out in Settings and sign in as the retiree who is due now (online, as on any day with signal).
    await page.getByRole('button', { name: '回到首页' }).click();
    await page.getByRole('button', { name: '设置', exact: true }).click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await tapKeys(page, DEMO.retireeOpen.idNumber);
    await tapKeys(page, DEMO.retireeOpen.pin);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
    await settled(page);
    // The liveness assets must be on the phone before the signal goes.
    await expect.poll(() => page.evaluate(async () => (await caches.match('/models/face_landmarker.task')) !== undefined), { timeout: 120_000 }).toBe(true);
    await plantChallenge(page, env.db, passableSeed(passableSeed()));
    const id = await retireeId(DEMO.retireeOpen.idNumber);
    await addReferencePhotos(env.server.url, id, clipPeoplePhotos());

    await setNoSignal(context, true);
    await page.reload();
    await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
    await doCheck(page, { consentFirst: true });
    const result = page.getByTestId('check-result');
    expect(await result.getAttribute('data-verdict')).toBe('passed');
    expect(await result.getAttribute('data-sync')).toBe('waiting');
    expect(await page.getByTestId('result-sync').textContent()).toContain('已保存在手机上，有信号时会自动发送');

    await page.getByRole('button', { name: '回到首页' }).click();
    await expect.poll(() => page.getByTestId('saved-here').count()).toBe(1);
    // The line is its own live query and follows Home's first render a moment later.
    await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-state')).toBe('waiting');
    // The phone knows it has no connection, so it did not even try: a failed try would count in
    // the outbox entry (and show the record as "sending" for a moment). "Send now" does not try either.
    // The consent chosen before the check waits in the same outbox, first in the sequence (decision 085).
    const outbox = async () =>
      (await phoneRecords<{ kind: string; seq: number; tries: number; lastError?: string }>(page, 'outbox'))
        .sort((a, b) => a.seq - b.seq)
        .map(({ kind, tries, lastError }) => ({ kind, tries, lastError }));
    await page.getByRole('button', { name: '现在发送' }).click();
    await expect.poll(() => page.getByRole('button', { name: '现在发送' }).isEnabled()).toBe(true);
    expect(await outbox()).toEqual([
      { kind: 'consent', tries: 0, lastError: undefined },
      { kind: 'attempt', tries: 0, lastError: undefined },
    ]);
    // Nothing has reached the server while there is no signal (page and service worker alike).
    expect(await env.db.get('SELECT 1 FROM attempts WHERE retiree_id = ?', [id])).toBeUndefined();
    expect(await env.db.get('SELECT 1 FROM consents WHERE retiree_id = ?', [id])).toBeUndefined();

    // Signal again: the check and the consent go out once, the face match certifies the check, and
    // Home shows certified once the app's own re-sync brings the decision.
    await setNoSignal(context, false);
    await expect.poll(() => env.db.get<{ n: number }>('SELECT count(*) AS n FROM attempts WHERE retiree_id = ?', [id]), { timeout: 60_000 }).toEqual({ n: 1 });
    const attemptId = (await onlyAttempt(env.db, id)).id;
    expect(await decidedAttempt(env.db, attemptId, MATCH_TIMEOUT)).toMatchObject({ outcome: 'certified', match_decision: 'match' });
    expect(await env.db.all('SELECT method, status FROM certifications WHERE retiree_id = ? AND evidence_ref = ?', [id, attemptId])).toEqual([{ method: 'self', status: 'approved' }]);
    await expect.poll(() => env.db.get<{ choice: string }>('SELECT choice FROM consents WHERE retiree_id = ?', [id]), { timeout: 30_000 }).toEqual({ choice: 'face' });
    await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: MATCH_TIMEOUT }).toBe('certified');
    await context.close();
  });
});

if (!HAS_SHARED) it.skip(`retiree e2e (${SKIP_REASON})`, () => undefined);
