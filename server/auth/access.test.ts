// The access table of access.ts, through the app: every role sees and pushes for the same retirees
// whether or not they are on the rolls, the worker's roster and the phones' pulls list as the table
// says, and a check pushed for a retiree the office took off the rolls reaches the office as
// `not_active` instead of certifying or being refused (decision 090).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeGrant, PullResponse, PushResponse, SyncMethod } from '../../shared/sync.ts';
import { DEMO } from '../seed/demo.ts';
import { makeItem, pushBody } from '../sync/test-helpers.ts';
import { createTestApp, signIn, type Client, type TestApp } from '../test-support.ts';

type Role = 'retiree' | 'family' | 'worker' | 'admin';
let t: TestApp;
const clients = {} as Record<Role, Client>;
let open: number;
let neighbour: number;

beforeAll(async () => {
  t = await createTestApp();
  clients.retiree = await signIn(t, { idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin }, 'phone-access-retiree');
  clients.family = await signIn(t, DEMO.family, 'phone-access-family');
  clients.worker = await signIn(t, DEMO.worker, 'phone-access-worker');
  clients.admin = await signIn(t, DEMO.admin);
  const idOf = async (idNumber: string) => (await t.db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [idNumber]))!.id;
  open = await idOf(DEMO.retireeOpen.idNumber);
  neighbour = await idOf(DEMO.retireeCertified.idNumber);
});
afterAll(async () => t.close());

async function pulledIds(c: Client): Promise<number[]> {
  const res = await c.json<PullResponse>('/api/sync/pull', { json: { cursor: null } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.retirees.map((r) => r.id).sort((a, b) => a - b);
}

async function pushCheck(c: Client, method: SyncMethod, seq: number) {
  const grants = await c.json<{ challenges: ChallengeGrant[] }>('/api/sync/challenges', { json: { count: 1 } });
  expect(grants.status).toBe(200);
  const { body, headers } = pushBody([makeItem({ seq, retireeId: open, method, challenge: grants.body.challenges[0], frames: 2 })]);
  return c.json<PushResponse>('/api/sync/push', { body, headers });
}

const offRolls = (enrolment: 'active' | 'deceased' | 'moved') => t.db.run('UPDATE retirees SET enrolment = ? WHERE id = ?', [enrolment, open]);

describe('the access table', () => {
  it('on the rolls: each role sees and lists whom the table says', async () => {
    for (const role of ['retiree', 'family', 'worker', 'admin'] as const) {
      expect((await clients[role].request(`/api/retirees/${open}`)).status, role).toBe(200);
    }
    expect((await clients.retiree.request(`/api/retirees/${neighbour}`)).status).toBe(404);
    expect((await clients.family.request(`/api/retirees/${neighbour}`)).status).toBe(404);
    expect(await pulledIds(clients.retiree)).toEqual([open]);
    expect(await pulledIds(clients.family)).toEqual([open]);
    expect(await pulledIds(clients.worker)).toContain(open);
    expect((await clients.worker.request(`/api/roster/${open}`)).status).toBe(200);
  });

  for (const enrolment of ['deceased', 'moved'] as const) {
    it(`${enrolment}: still seen by everyone who saw them, off the worker's rounds only`, async () => {
      await offRolls(enrolment);
      try {
        for (const role of ['retiree', 'family', 'worker', 'admin'] as const) {
          expect((await clients[role].request(`/api/retirees/${open}`)).status, role).toBe(200);
        }
        expect((await clients.admin.request(`/api/office/retiree/${open}`)).status).toBe(200);
        expect(await pulledIds(clients.family)).toEqual([open]);
        const rounds = await pulledIds(clients.worker);
        expect(rounds).not.toContain(open);
        expect(rounds).toContain(neighbour);
        expect((await clients.worker.request(`/api/roster/${open}`)).status).toBe(404);
        const roster = await clients.worker.json<{ retirees: { id: number }[] }>('/api/roster?limit=500');
        expect(roster.body.retirees.map((r) => r.id)).not.toContain(open);
      } finally {
        await offRolls('active');
      }
    });
  }

  it('a check pushed for a retiree off the rolls goes to the office as not_active, whoever pushed it', async () => {
    const approved = async () => Number((await t.db.get<{ n: number }>("SELECT count(*) AS n FROM certifications WHERE retiree_id = ? AND status = 'approved'", [open]))!.n);
    const before = await approved();
    await offRolls('deceased');
    try {
      const pushes: [Role, SyncMethod][] = [['retiree', 'self'], ['family', 'family'], ['worker', 'worker']];
      for (const [role, method] of pushes) {
        const res = await pushCheck(clients[role], method, 1);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.results[0], role).toMatchObject({ status: 'accepted', outcome: { kind: 'review', reviewReason: 'not_active' } });
      }
      expect(await approved()).toBe(before);
    } finally {
      await offRolls('active');
    }
  });
});
