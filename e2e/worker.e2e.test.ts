// Community worker mode end to end (issue 6) in real Chromium against the real server and SQLite:
// a worker signs in with signal and the roster downloads; the network goes off; three retirees are
// checked with the rear camera (Chromium's fake camera plays a real face clip), one is not at home,
// one is bedridden (photo + password signature); the app is reloaded offline and everything is
// still there and the roster still searches; the network comes back, the worker sends, and the
// server holds the five records exactly once with the worker's attribution and the statuses they
// imply. A second worker on the same phone sees only their own items. Before each check the worker
// records the retiree's consent heard at the door (decision 085), and one retiree's "no": the
// worker app's consent reaches the server in the same push and sequence (issue 21).
//
// The checks run the production path: server-signed challenge tokens, each fixing a sequence of a
// head and a face action. The camera plays the composite clip of decision 039 (a man opening his
// mouth, then a woman turning right and left), and the test puts three genuine tokens (signed with
// the server's own secret, bound to the worker and this phone) whose sequences that clip shows at
// the front of the phone's token cache, so the checks pass on the server. Since issue 14 the server
// stores each as `verifying` and its face match certifies it against the retiree's reference photos,
// which the office adds first (the clip's two people, support/identity.ts).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../server/auth/password.ts';
import { addWorkerFixture, type WorkerFixture } from '../server/seed/worker-fixture.ts';
import { CONSENT_NOTICE_VERSION } from '../shared/schemas/consent.ts';
import { PHONE, phoneRecords, setNoSignal } from '../scripts/harness/browser.ts';
import { addReferencePhotos, clipPeoplePhotos, decidedAttempt } from '../scripts/harness/identity.ts';
import { passableSeed, plantChallenge, useCameraPhone } from '../scripts/harness/retiree-phone.ts';
import { HAS_SHARED, SKIP_REASON } from '../scripts/harness/shared-data.ts';
import { agreeAtTheDoor, doorConsent } from '../scripts/harness/worker-door.ts';

const suite = HAS_SHARED ? describe : describe.skip;

let a: WorkerFixture;
let b: WorkerFixture;

const env = useCameraPhone();
beforeAll(async () => {
  if (!HAS_SHARED) return;
  const passwords = createPasswordHasher(12);
  a = await addWorkerFixture(env.db, passwords, Date.now(), { username: 'wang.fang', password: 'wang-fang-2026', displayName: '王芳', communityName: '和平社区', count: 8 });
  b = await addWorkerFixture(env.db, passwords, Date.now(), { username: 'li.ming', password: 'li-ming-2026', displayName: '李明', communityName: '东风社区', count: 3, offset: 100 });
  // The three retirees the worker checks with the camera have office photos to be matched against.
  for (const r of a.retirees.slice(0, 3)) await addReferencePhotos(env.server.url, r.id, clipPeoplePhotos());
});

async function signIn(page: Page, fx: WorkerFixture) {
  await page.getByRole('button', { name: /社区工作人员、家属/ }).click();
  await page.getByLabel('用户名').fill(fx.username);
  await page.getByLabel('密码', { exact: true }).fill(fx.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect.poll(() => page.getByTestId('worker-app').count(), { timeout: 30_000 }).toBe(1);
}

async function openRetiree(page: Page, query: string, id: number) {
  await page.getByTestId('roster-search').fill(query);
  await page.locator(`[data-testid="roster-row"][data-id="${id}"]`).click();
  await expect.poll(() => page.getByTestId('retiree-page').getAttribute('data-id')).toBe(String(id));
}

async function certify(page: Page, fx: WorkerFixture, index: number) {
  const r = fx.retirees[index]!;
  await page.getByTestId('open-summary').click();
  await page.getByRole('button', { name: '名单' }).click();
  await openRetiree(page, r.idNumber.slice(-6), r.id);
  await page.getByTestId('act-certify').click();
  await expect.poll(() => page.getByTestId('certify').getAttribute('data-engine'), { timeout: 60_000 }).toBe('ready');
  await agreeAtTheDoor(page);
  await page.getByTestId('start-check').click();
  await expect.poll(() => page.getByTestId('certify').getAttribute('data-phase'), { timeout: 150_000, interval: 500 }).toMatch(/passed|not_passed|error/);
  const prompt = await page.getByTestId('certify-prompt').textContent();
  expect(await page.getByTestId('certify').getAttribute('data-phase'), `check ended with prompt "${prompt}"`).toBe('passed');
  await expectSpokenRearCheck(page);
  await page.getByTestId('certify-done').click();
  await expect.poll(() => page.getByTestId('retiree-status').getAttribute('data-mark')).toBe('certified');
}

/** The assisted check ran on the rear camera and the retiree heard every prompt the worker saw. */
async function expectSpokenRearCheck(page: Page) {
  expect(await page.getByTestId('certify').getAttribute('data-camera')).toBe('rear');
  const spoken = ((await page.getByTestId('certify').getAttribute('data-spoken')) ?? '').split(' ');
  expect(spoken).toContain('prompt.look_straight');
  expect(spoken.filter((k) => ['prompt.open_mouth', 'prompt.turn_left', 'prompt.turn_right'].includes(k)).length).toBeGreaterThanOrEqual(2);
  expect(spoken.at(-1)).toBe('verdict.passed');
}

const count = async (sql: string, params: (string | number)[] = []) => (await env.db.get<{ n: number }>(`SELECT count(*) AS n FROM (${sql})`, params))!.n;

suite('community worker: a day of visits with no signal, synced at night', () => {
  it(HAS_SHARED ? 'records five visits offline, survives an offline reload, sends each exactly once' : `skipped (${SKIP_REASON})`, { timeout: 900_000 }, async () => {
    const context: BrowserContext = await env.browser.newContext({
      ...PHONE,
      serviceWorkers: 'allow',
      permissions: ['camera', 'microphone', 'geolocation'],
      geolocation: { latitude: 39.9087, longitude: 116.3975, accuracy: 30 },
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(env.server.url);
    await signIn(page, a);

    // Online: the roster downloads (only this worker's community), tokens and the signing key come too.
    await expect.poll(() => page.getByTestId('roster-row').count(), { timeout: 30_000 }).toBe(8);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.evaluate(async () => (await fetch('/api/me')).status)).toBe(200);
    let seed = 0;
    for (let i = 0; i < 3; i++) await plantChallenge(page, env.db, (seed = passableSeed(seed)));

    // The face-check engine is loaded while there is signal (the check screen warms it).
    await openRetiree(page, a.retirees[0]!.name, a.retirees[0]!.id);
    await page.getByTestId('act-certify').click();
    await expect.poll(() => page.getByTestId('certify').getAttribute('data-engine'), { timeout: 90_000 }).toBe('ready');

    // No signal from here on.
    await setNoSignal(context, true);
    await expect.poll(() => page.getByTestId('offline-line').count()).toBe(1);
    // Consent first (decision 085): the retiree hears the notice and answers; the worker records the
    // answer, which waits in the outbox with the check. No check starts before a yes.
    expect(await doorConsent(page)).toBe('needed');
    expect(await page.getByTestId('start-check').isDisabled()).toBe(true);
    // A picture of the question for a person to look at (a temp folder: the camera shows a fixture face).
    await page.screenshot({ path: join(tmpdir(), 'stillhere-worker-consent.png') });
    await page.getByTestId('consent-play').click();
    await page.getByTestId('consent-face').click();
    await expect.poll(() => page.getByTestId('certify').getAttribute('data-consent')).toBe('face');
    await expect.poll(() => page.getByTestId('worker-consent').count()).toBe(0);
    await page.getByTestId('start-check').click();
    await expect.poll(() => page.getByTestId('certify').getAttribute('data-phase'), { timeout: 150_000, interval: 500 }).toMatch(/passed|not_passed|error/);
    expect(await page.getByTestId('certify').getAttribute('data-phase'), await page.getByTestId('certify-prompt').textContent() ?? '').toBe('passed');
    await expectSpokenRearCheck(page);
    await page.getByTestId('certify-done').click();
    await certify(page, a, 1);
    await certify(page, a, 2);

    // Another retiree does not want the face check: the answer is recorded, and no check starts.
    await page.getByRole('button', { name: '名单' }).click();
    await openRetiree(page, a.retirees[5]!.idNumber.slice(-6), a.retirees[5]!.id);
    await page.getByTestId('act-certify').click();
    expect(await doorConsent(page)).toBe('needed');
    await page.getByTestId('consent-alternative').click();
    await expect.poll(() => page.getByTestId('consent-declined').count()).toBe(1);
    expect(await page.getByTestId('certify').getAttribute('data-consent')).toBe('alternative');
    expect(await page.getByTestId('start-check').isDisabled()).toBe(true);
    expect(await count('SELECT 1 FROM consents')).toBe(0); // still offline: kept on the phone

    // Not at home.
    await page.getByRole('button', { name: '名单' }).click();
    await openRetiree(page, a.retirees[3]!.name, a.retirees[3]!.id);
    await page.getByTestId('act-not_home').click();
    await page.getByLabel('备注（可不填）').fill('邻居说去女儿家了，下周再来');
    await page.getByLabel('记录我现在的位置').check(); // the location permission is used only now
    await page.getByTestId('save-outcome').click();
    await expect.poll(() => page.getByTestId('retiree-status').getAttribute('data-mark')).toBe('not_home');

    // Bedridden: photo with the rear camera, reason, password as signature.
    await page.getByRole('button', { name: '名单' }).click();
    await openRetiree(page, a.retirees[4]!.address.split(' ').slice(1).join(' '), a.retirees[4]!.id);
    await page.getByTestId('act-cannot_check').click();
    await page.getByLabel('卧床').check();
    await expect.poll(() => page.locator('[data-testid="outcome"] video').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('take-photo').click();
    await expect.poll(() => page.getByTestId('photo-preview').count()).toBe(1);
    await page.getByLabel('输入您的登录密码作为签名').fill(a.password);
    await page.getByTestId('save-outcome').click();
    await expect.poll(() => page.getByTestId('retiree-status').getAttribute('data-mark')).toBe('attested');
    // The password is not on the phone: only the sealed envelope.
    const stored = JSON.stringify(await phoneRecords(page, 'visits'));
    expect(stored).not.toContain(a.password);
    expect(stored).toContain('"signature":"s1.');

    // The day so far, still offline.
    await page.getByTestId('open-summary').click();
    // Six doors (the one who said no included); waiting: 3 checks, 2 outcomes and the 4 consent answers.
    const counts = async () => Object.fromEntries(await Promise.all(['visited', 'certified', 'attested', 'notHome', 'waiting'].map(async (k) => [k, Number(await page.getByTestId(`count-${k}`).getAttribute('data-value'))])));
    await expect.poll(counts).toEqual({ visited: 6, certified: 3, attested: 1, notHome: 1, waiting: 9 });
    expect(await count('SELECT 1 FROM attempts WHERE user_id = ?', [a.workerId])).toBe(0);

    // Reload with no signal: served by the service worker, opened as the same worker, nothing lost.
    await page.reload();
    await expect.poll(() => page.getByTestId('worker-app').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('roster-row').count()).toBeGreaterThan(0);
    await page.getByTestId('roster-search').fill(a.retirees[6]!.idNumber.slice(-4));
    await expect.poll(() => page.locator('[data-testid="roster-row"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))))).toContain(a.retirees[6]!.id);
    await page.getByTestId('roster-search').fill(b.retirees[0]!.name);
    await expect.poll(() => page.locator(`[data-testid="roster-row"][data-id="${b.retirees[0]!.id}"]`).count()).toBe(0);
    await page.locator('[data-filter="revisit"]').click();
    await page.getByTestId('roster-search').fill('');
    await expect.poll(() => page.locator('[data-testid="roster-row"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))))).toEqual([a.retirees[3]!.id]);
    await page.getByTestId('open-summary').click();
    await expect.poll(counts).toEqual({ visited: 6, certified: 3, attested: 1, notHome: 1, waiting: 9 });
    await expect.poll(() => page.getByTestId('day-item').count()).toBe(9); // 3 checks, 2 outcomes, 4 consent answers

    // Signal again: send.
    await setNoSignal(context, false);
    await page.getByRole('button', { name: '现在发送' }).click();
    await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-waiting'), { timeout: 90_000 }).toBe('0');

    // Exactly once each, attributed to the worker, with the statuses they imply: the three checks
    // are certified by the server's face match (stored `verifying`, then matched to the retirees'
    // reference photos).
    const ids = a.retirees.slice(0, 5).map((r) => r.id);
    for (const { id } of await env.db.all<{ id: string }>('SELECT id FROM attempts')) {
      expect(await decidedAttempt(env.db, id)).toMatchObject({ outcome: 'certified', match_decision: 'match' });
    }
    const attempts = await env.db.all<{ retiree_id: number; user_id: number; method: string; verdict: string; outcome: string; review_reason: string | null; frames: number }>(
      `SELECT a.retiree_id, a.user_id, a.method, a.verdict, a.outcome, a.review_reason, (SELECT count(*) FROM attempt_blobs b WHERE b.attempt_id = a.id AND b.kind = 'frame') AS frames
         FROM attempts a ORDER BY a.retiree_id`,
    );
    expect(attempts.map(({ frames, ...rest }) => rest)).toEqual(
      ids.slice(0, 3).map((id) => ({ retiree_id: id, user_id: a.workerId, method: 'worker', verdict: 'passed', outcome: 'certified', review_reason: null })),
    );
    for (const x of attempts) expect(x.frames).toBeGreaterThanOrEqual(2);
    const visits = await env.db.all<{ retiree_id: number; user_id: number; kind: string; reason: string | null; note: string; latitude: number | null; signature: string | null; review: string | null; photo_bytes: number | null }>(
      'SELECT retiree_id, user_id, kind, reason, note, latitude, signature, review, photo_bytes FROM visit_outcomes WHERE user_id = ? ORDER BY retiree_id',
      [a.workerId],
    );
    expect(visits).toMatchObject([
      { retiree_id: ids[3], user_id: a.workerId, kind: 'not_home', reason: null, note: '邻居说去女儿家了，下周再来', latitude: 39.9087, signature: null, review: null, photo_bytes: null },
      { retiree_id: ids[4], user_id: a.workerId, kind: 'cannot_check', reason: 'bedridden', latitude: null, signature: 'verified', review: 'pending' },
    ]);
    // The worker app's consent reached the server (issue 21): each retiree's answer, heard at the
    // door and recorded by the worker, once, in the phone's sequence with the checks and visits.
    const consents = await env.db.all<{ retiree_id: number; user_id: number; choice: string; notice_version: number; device_id: string | null; seq: number }>(
      'SELECT retiree_id, user_id, choice, notice_version, device_id, seq FROM consents ORDER BY seq',
    );
    expect(consents.map(({ retiree_id, user_id, choice }) => ({ retiree_id, user_id, choice }))).toEqual([
      ...ids.slice(0, 3).map((id) => ({ retiree_id: id, user_id: a.workerId, choice: 'face' })),
      { retiree_id: a.retirees[5]!.id, user_id: a.workerId, choice: 'alternative' },
    ]);
    expect(consents.every((c) => c.device_id && c.notice_version === CONSENT_NOTICE_VERSION)).toBe(true);
    const lastSeq = await env.db.get<{ last_seq: number; gaps: number }>('SELECT last_seq, gaps FROM sync_clients WHERE user_id = ?', [a.workerId]);
    expect(lastSeq).toEqual({ last_seq: 9, gaps: 0 }); // 3 consents + 3 checks, the refusal, 2 visit outcomes
    expect(visits[1]!.photo_bytes).toBeGreaterThan(1000);
    expect(visits[1]!.photo_bytes).toBeLessThanOrEqual(20 * 1024);
    const certs = await env.db.all<{ retiree_id: number; status: string; method: string; recorded_by: number }>(
      `SELECT retiree_id, status, method, recorded_by FROM certifications WHERE retiree_id IN (${ids.map(() => '?').join(',')}) ORDER BY retiree_id`,
      ids,
    );
    // The three token-bound checks certify; the signed attestation waits for the office (under
    // review); not at home changes no status and puts the retiree on the revisit list.
    expect(certs).toEqual([
      ...ids.slice(0, 3).map((id) => ({ retiree_id: id, status: 'approved', method: 'worker', recorded_by: a.workerId })),
      { retiree_id: ids[4], status: 'pending_review', method: 'home_visit', recorded_by: a.workerId },
    ]);
    // Reopening the app with signal syncs again (nothing to send, the new statuses come back).
    await page.reload();
    await expect.poll(() => page.getByTestId('worker-app').count(), { timeout: 30_000 }).toBe(1);
    expect(await count('SELECT 1 FROM attempts')).toBe(3);
    expect(await count('SELECT 1 FROM visit_outcomes WHERE user_id = ?', [a.workerId])).toBe(2);
    await page.locator('[data-filter="all"]').click();
    const stateOf = async (id: number) => {
      await page.getByTestId('roster-search').fill(a.retirees.find((r) => r.id === id)!.idNumber.slice(-6));
      await page.locator(`[data-testid="roster-row"][data-id="${id}"]`).click();
      const s = `${await page.getByTestId('retiree-status').getAttribute('data-state')}/${await page.getByTestId('retiree-status').getAttribute('data-mark')}`;
      await page.getByRole('button', { name: /返回/ }).click();
      return s;
    };
    await expect
      .poll(async () => [await stateOf(ids[0]!), await stateOf(ids[2]!), await stateOf(ids[3]!), await stateOf(ids[4]!)], { timeout: 60_000 })
      .toEqual(['certified/', 'certified/', 'open/not_home', 'under_review/']);
    // The retiree's page lists the consent answer recorded at the door with the check, both sent.
    await page.getByTestId('roster-search').fill(a.retirees[0]!.idNumber.slice(-6));
    await page.locator(`[data-testid="roster-row"][data-id="${ids[0]}"]`).click();
    const consentItem = page.locator('[data-testid="history-item"]', { hasText: '老人同意人脸认证' });
    await expect.poll(() => consentItem.getAttribute('data-state')).toBe('sent');
    await page.getByRole('button', { name: /返回/ }).click();

    // A second worker on the same phone: only their roster and their own items.
    await page.getByTestId('sign-out').click();
    await expect.poll(() => page.getByRole('button', { name: /社区工作人员、家属/ }).count(), { timeout: 10_000 }).toBe(1);
    await signIn(page, b);
    await expect.poll(() => page.getByTestId('roster-row').count(), { timeout: 30_000 }).toBe(3);
    await page.getByTestId('open-summary').click();
    await expect.poll(() => page.getByTestId('count-visited').getAttribute('data-value')).toBe('0');
    expect(await page.getByTestId('day-item').count()).toBe(0);
    // Worker B records a not-at-home with no signal and signs out: warned, and the record stays.
    await setNoSignal(context, true);
    await page.getByRole('button', { name: '名单' }).click();
    await openRetiree(page, b.retirees[0]!.name, b.retirees[0]!.id);
    await page.getByTestId('act-not_home').click();
    await page.getByTestId('save-outcome').click();
    await page.getByTestId('sign-out').click();
    await expect.poll(() => page.getByTestId('sign-out-warning').count()).toBe(1);
    expect(await page.getByTestId('sign-out-warning').textContent()).toContain('1 条记录没有发送');
    await page.getByTestId('sign-out-confirm').click();
    await expect.poll(() => page.getByRole('button', { name: /社区工作人员、家属/ }).count(), { timeout: 10_000 }).toBe(1);
    await setNoSignal(context, false);
    // Back with signal, the app does not come back signed in as B (the session B signed out of
    // offline is ended now).
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: /社区工作人员、家属/ }).count(), { timeout: 30_000 }).toBe(1);
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: /社区工作人员、家属/ }).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('worker-app').count()).toBe(0);
    await signIn(page, a);
    await page.getByTestId('open-summary').click();
    await expect.poll(() => page.getByTestId('day-item').count()).toBe(9); // 3 checks, 2 outcomes, 4 consent answers
    // B's record stays bound to B: on the phone under B's id, and if it reached the server (the
    // service worker's Background Sync may send it with B's session), attributed to B, never to A.
    const bRecords = (await phoneRecords<{ userId: number; retireeId: number }>(page, 'visits')).map(({ userId, retireeId }) => ({ userId, retireeId }));
    expect(bRecords.filter((v) => v.retireeId === b.retirees[0]!.id)).toEqual([{ userId: b.workerId, retireeId: b.retirees[0]!.id }]);
    await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-waiting')).toBe('0');
    expect(await env.db.all('SELECT user_id FROM visit_outcomes WHERE retiree_id = ?', [b.retirees[0]!.id])).not.toContainEqual({ user_id: a.workerId });
    expect(await count('SELECT 1 FROM visit_outcomes WHERE user_id = ?', [a.workerId])).toBe(2);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
