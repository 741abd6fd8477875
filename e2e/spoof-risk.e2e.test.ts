// Spoof risk end to end (issue 18 §5): real Chromium whose camera is a screen replay of real people
// doing the asked actions (support/replay-clip.ts), the real app, engine, sync and server. The check
// passes its actions, so the phone does not fail the person; the server sees the spoof-risk score
// and sends the check to the office as "spoof_risk": never certified, never matched, the phone says
// the office is checking, and the office's queue and review show it with its score and inputs.
import { expect, it } from 'vitest';
import { describe } from 'vitest';
import type { Page } from 'playwright-core';
import type { AttemptReview } from '../shared/schemas/identity.ts';
import type { OfficeQueue } from '../shared/schemas/office.ts';
import { DEMO } from '../server/seed/demo.ts';
import { zh as result } from '../web/i18n/retiree.ts';
import { zh as officeWords } from '../web/i18n/office.ts';
import { PHONE } from '../scripts/harness/browser.ts';
import { DESK, signInAtDesk } from '../scripts/harness/office-desk.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { officeCookie, onlyAttempt, pushAnswers } from '../scripts/harness/identity.ts';
import { replayClip } from '../scripts/harness/replay-clip.ts';
import { passableSeed, plantChallenge } from '../scripts/harness/retiree-phone.ts';
import { HAS_SHARED, SKIP_REASON } from '../scripts/harness/shared-data.ts';

const suite = HAS_SHARED ? describe : describe.skip;
const CHECK_TIMEOUT = 150_000;
const env = useServerAndBrowser({ fakeVideo: replayClip, when: HAS_SHARED });

async function signInRetiree(page: Page, url: string) {
  await page.goto(url);
  await page.getByLabel('身份证号码').fill(DEMO.retireeOpen.idNumber);
  await page.getByLabel('6 位密码').fill(DEMO.retireeOpen.pin);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
  await expect.poll(() => page.getByTestId('sync-last').textContent(), { timeout: 30_000 }).toContain('上次发送成功');
}

suite(`spoof risk${HAS_SHARED ? '' : ` (${SKIP_REASON})`}`, () => {
  it('a screen replay that does the actions lands in the office queue as spoof risk and is never certified', { timeout: 420_000 }, async () => {
    const context = await env.browser.newContext({ ...PHONE, serviceWorkers: 'allow' });
    const answers = await pushAnswers(context);
    const page = await context.newPage();
    await signInRetiree(page, env.server.url);
    await plantChallenge(page, env.db, passableSeed());

    await page.getByTestId('start-check').click();
    await page.getByRole('button', { name: '同意，用人脸认证' }).click();
    await page.getByRole('button', { name: '我准备好了，开始' }).click();
    await expect.poll(() => page.getByTestId('check-result').count(), { timeout: CHECK_TIMEOUT, interval: 500 }).toBe(1);
    // The actions matched: the person is not told they failed.
    expect(await page.getByTestId('check-result').getAttribute('data-verdict')).toBe('passed');
    await expect.poll(() => page.getByTestId('check-result').getAttribute('data-sync'), { timeout: 60_000 }).toBe('sent');

    const rid = (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
    const attempt = await onlyAttempt(env.db, rid);
    expect(answers.of(attempt.id)).toBe('review');
    expect(await env.db.get('SELECT outcome, review_reason FROM attempts WHERE id = ?', [attempt.id])).toEqual({ outcome: 'review', review_reason: 'spoof_risk' });
    expect(await env.db.get('SELECT 1 FROM match_jobs WHERE attempt_id = ?', [attempt.id])).toBeUndefined();
    expect(await env.db.get("SELECT 1 FROM certifications WHERE retiree_id = ? AND status = 'approved' AND evidence_ref <> 'demo'", [rid])).toBeUndefined();

    // The phone: with the office, in words that neither say it succeeded nor accuse anybody.
    const screen = page.getByTestId('check-result');
    await expect.poll(() => screen.getAttribute('data-stage'), { timeout: 60_000 }).toBe('review');
    expect(await page.getByTestId('result-title').textContent()).toBe(result['result.review.title']);
    const said = (await screen.textContent()) ?? '';
    expect(said).not.toContain(result['result.passed.title']);
    expect(said).not.toMatch(/翻拍|spoof/i);

    // The office: in the queue as spoof risk, and its review shows the score and what it came from.
    const cookie = await officeCookie(env.server.url);
    const get = async <T,>(path: string) => (await (await fetch(`${env.server.url}${path}`, { headers: { Cookie: cookie } })).json()) as T;
    const queue = await get<OfficeQueue>('/api/office/queue?reason=spoof_risk');
    expect(queue.items.map((i) => i.id)).toContain(attempt.id);
    const review = (await get<{ attempt: AttemptReview }>(`/api/identity/reviews/${attempt.id}`)).attempt;
    expect(review.reviewReason).toBe('spoof_risk');
    expect(review.spoof).toMatchObject({ flagged: true });
    expect(review.spoof!.score).toBeGreaterThanOrEqual(review.spoof!.threshold);
    expect(review.spoof!.inputs.frames).toBeGreaterThan(10);
    expect(review.spoof!.inputs.bezel).toBeGreaterThan(16);
    await context.close();

    // The clerk's screen: the queue item opens with the reason and the score in words.
    const desk = await env.browser.newContext(DESK);
    const office = await desk.newPage();
    await signInAtDesk(office, env.server.url);
    await office.goto(`${env.server.url}/#/queue?item=${attempt.id}`);
    const detail = office.getByTestId('review-detail');
    await expect.poll(() => detail.getAttribute('data-id'), { timeout: 30_000 }).toBe(attempt.id);
    expect(await office.getByTestId('review-reason').textContent()).toContain(officeWords['o.reason.spoof_risk']);
    const spoof = office.getByTestId('review-spoof');
    await expect.poll(() => spoof.getAttribute('data-flagged'), { timeout: 30_000 }).toBe('true');
    const shown = (await spoof.textContent()) ?? '';
    expect(shown).toContain(review.spoof!.score.toFixed(2));
    expect(shown).toContain(officeWords['o.detail.spoof.flagged']);
    await desk.close();
  });
});
