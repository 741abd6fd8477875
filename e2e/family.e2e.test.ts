// A family member certifies a linked retiree on their own phone: signs in with username and
// password, picks the retiree, and the rear camera films the retiree (assist mode). The server
// stores the attempt as `verifying`, its face match compares the key frames with the RETIREE's
// reference photos (issue 14) and certifies it with method 'family', recorded by the family member.
import { describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { PHONE } from '../scripts/harness/browser.ts';
import { addReferencePhotos, clipPeoplePhotos, decidedAttempt, onlyAttempt, pushAnswers } from '../scripts/harness/identity.ts';
import { passableSeed, plantChallenge, useCameraPhone } from '../scripts/harness/retiree-phone.ts';
import { HAS_SHARED, SKIP_REASON } from '../scripts/harness/shared-data.ts';

const suite = HAS_SHARED ? describe : describe.skip;
const env = useCameraPhone();

suite('family member certifies on behalf', () => {
  it('picks the linked retiree, checks with the rear camera, and the server records method family', async () => {
    const retiree = (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id;
    // The office holds the retiree's photos (the clip's two people, support/identity.ts).
    await addReferencePhotos(env.server.url, retiree, clipPeoplePhotos());
    const context = await env.browser.newContext({ ...PHONE, serviceWorkers: 'allow' });
    const answers = await pushAnswers(context);
    const page = await context.newPage();
    await page.goto(env.server.url);
    await page.getByRole('button', { name: /社区工作人员、家属/ }).click();
    await page.getByLabel('用户名').fill(DEMO.family.username);
    await page.getByLabel('密码', { exact: true }).fill(DEMO.family.password);
    await page.getByRole('button', { name: '登录', exact: true }).click();

    const pick = page.getByTestId('pick-retiree');
    await expect.poll(() => pick.count()).toBe(1);
    expect(await pick.textContent()).toContain(DEMO.retireeOpen.name);
    // Family members see a masked ID number.
    expect(await pick.textContent()).toMatch(/\d{4}\*{10}\d{3}[\dX]/);
    await expect.poll(() => page.getByTestId('sync-last').textContent(), { timeout: 30_000 }).toContain('上次发送成功');
    await plantChallenge(page, env.db, passableSeed());

    await pick.click();
    await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: 30_000 }).toBe('open');
    expect(await page.locator('h1').textContent()).toContain(DEMO.retireeOpen.name);
    await page.getByTestId('start-check').click();
    await page.getByRole('button', { name: '同意，用人脸认证' }).click();
    // Assist mode is fixed for family members: no front-camera choice.
    await expect.poll(() => page.getByTestId('prepare').count()).toBe(1);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await page.getByRole('button', { name: '我准备好了，开始' }).click();
    await expect.poll(() => page.getByTestId('face-check').getAttribute('data-phase'), { timeout: 60_000 }).toBe('running');
    // Rear camera: the preview is not mirrored.
    expect(await page.locator('video.preview').getAttribute('class')).not.toContain('mirrored');
    await expect.poll(() => page.getByTestId('check-result').count(), { timeout: 150_000, interval: 500 }).toBe(1);
    expect(await page.getByTestId('check-result').getAttribute('data-verdict')).toBe('passed');
    await expect.poll(() => page.getByTestId('check-result').getAttribute('data-sync'), { timeout: 60_000 }).toBe('sent');
    // Stored as `verifying` at the push, then certified by the match against the retiree's references.
    const attemptId = (await onlyAttempt(env.db, retiree)).id;
    expect(answers.of(attemptId)).toBe('verifying');
    expect(await decidedAttempt(env.db, attemptId)).toMatchObject({ outcome: 'certified', match_decision: 'match' });

    const family = (await env.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.family.username]))!.id;
    const cert = await env.db.get<{ method: string; status: string; evidence_ref: string; recorded_by: number | null }>(
      'SELECT method, status, evidence_ref, recorded_by FROM certifications WHERE retiree_id = ? AND evidence_ref = ?',
      [retiree, attemptId],
    );
    expect(cert).toMatchObject({ method: 'family', status: 'approved', recorded_by: family });
    const attempt = await env.db.get<{ method: string; user_id: number; outcome: string }>('SELECT method, user_id, outcome FROM attempts WHERE id = ?', [cert!.evidence_ref]);
    expect(attempt).toEqual({ method: 'family', user_id: family, outcome: 'certified' });
    const consent = await env.db.get<{ choice: string; user_id: number }>('SELECT choice, user_id FROM consents WHERE retiree_id = ?', [retiree]);
    expect(consent).toEqual({ choice: 'face', user_id: family });

    await page.getByRole('button', { name: '回到首页' }).click();
    // The app's own re-sync after the push brings the decision.
    await expect.poll(() => page.getByTestId('status-card').getAttribute('data-state'), { timeout: 90_000 }).toBe('certified');
    await context.close();
  });
});

if (!HAS_SHARED) it.skip(`family e2e (${SKIP_REASON})`, () => undefined);
