// The office's way to answer a family request (issue 19 (c)), in real Chromium against the real
// server and SQLite: two family members ask to help two demo retirees; the clerk sees both at the
// top of the review queue with the family member's phone number, approves one and declines the
// other; the first family member can then see their retiree, the second cannot and is told so.
import type { APIRequestContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../server/seed/demo.ts';
import { useServerAndBrowser } from '../scripts/harness/env.ts';
import { DESK, expectNoAxeViolations, signInAtDesk } from '../scripts/harness/office-desk.ts';

const env = useServerAndBrowser();

/** A family member signs up and asks to help `retiree`, through the API, from their own browser context. */
async function familyAsks(req: APIRequestContext, who: { username: string; displayName: string; phone: string }, retiree: { idNumber: string; name: string }, relation: string) {
  const headers = { Origin: env.server.url };
  const signUp = await req.post(`${env.server.url}/api/family/sign-up`, { data: { ...who, password: `${who.username}-pw-2026` }, headers });
  expect(signUp.status(), await signUp.text()).toBe(200);
  const ask = await req.post(`${env.server.url}/api/family/requests`, { data: { idNumber: retiree.idNumber, name: retiree.name, relation }, headers });
  expect(ask.status(), await ask.text()).toBe(201);
}

const retireeIdOf = async (idNumber: string) => (await env.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;

describe('the office answers family requests', () => {
  it('approves one and declines another from the review queue; each family member sees the answer', async () => {
    const son = await env.browser.newContext();
    const daughter = await env.browser.newContext();
    const desk = await env.browser.newContext(DESK);
    try {
      await familyAsks(son.request, { username: 'zhang.wei', displayName: '张伟', phone: '13700137000' }, DEMO.retireeOpen, 'son');
      await familyAsks(daughter.request, { username: 'li.na', displayName: '李娜', phone: '13600136000' }, DEMO.retireeCertified, 'daughter');

      const page = await desk.newPage();
      await signInAtDesk(page, env.server.url);
      await page.goto(`${env.server.url}/#/queue`);
      const requests = page.getByTestId('office-family-request');
      await expect.poll(() => requests.count(), { timeout: 30_000 }).toBe(2);
      const panel = (await page.getByTestId('office-family-requests').textContent()) ?? '';
      expect(panel).toContain('张伟');
      expect(panel).toContain('13700137000');
      expect(panel).toContain(DEMO.retireeOpen.name);
      await expectNoAxeViolations(page);
      await page.screenshot({ path: 'docs/screens/office-family-requests.png' });

      await requests.filter({ hasText: '张伟' }).getByTestId('office-family-approve').click();
      await expect.poll(() => requests.count(), { timeout: 30_000 }).toBe(1);
      await requests.filter({ hasText: '李娜' }).getByTestId('office-family-decline').click();
      await expect.poll(() => requests.count(), { timeout: 30_000 }).toBe(0);

      // The son now helps his mother; the daughter does not help her father and is told so.
      const mother = await retireeIdOf(DEMO.retireeOpen.idNumber);
      const father = await retireeIdOf(DEMO.retireeCertified.idNumber);
      expect((await son.request.get(`${env.server.url}/api/retirees/${mother}`)).status()).toBe(200);
      expect((await daughter.request.get(`${env.server.url}/api/retirees/${father}`)).status()).toBe(404);
      const hers = await (await daughter.request.get(`${env.server.url}/api/family/requests`)).json() as { requests: { state: string }[] };
      expect(hers.requests.map((r) => r.state)).toEqual(['declined']);
      // Both decisions are the office's, in the audit log.
      const clerk = (await env.db.get<{ id: number }>('SELECT id FROM users WHERE username = ?', [DEMO.admin.username]))!.id;
      const audited = await env.db.all<{ event: string }>("SELECT event FROM audit_log WHERE event IN ('family_linked', 'family_link_declined') AND user_id = ? ORDER BY id", [clerk]);
      expect(audited.map((a) => a.event)).toEqual(['family_linked', 'family_link_declined']);
    } finally {
      await son.close();
      await daughter.close();
      await desk.close();
    }
  });
});
