// Every shared contract (shared/contract.ts, decision 086) names a route the server has: a path
// renamed on one side only fails here, not on a phone. And a contract answer the phone reads is the
// one the server sends (one endpoint per resource, end to end through the real app).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../shared/contract.ts';
import { AUTH } from '../../shared/schemas/auth.ts';
import { CONSENT } from '../../shared/schemas/consent.ts';
import { FAMILY } from '../../shared/schemas/family.ts';
import { IDENTITY } from '../../shared/schemas/identity.ts';
import { AUDIT } from '../../shared/schemas/office-audit.ts';
import { PEOPLE } from '../../shared/schemas/office-people.ts';
import { RETIREE_RECORD } from '../../shared/schemas/office-retiree.ts';
import { RETIREES } from '../../shared/schemas/office-retirees.ts';
import { SETUP } from '../../shared/schemas/office-setup.ts';
import { OFFICE } from '../../shared/schemas/office.ts';
import { STATUS } from '../../shared/schemas/status.ts';
import { ROSTER } from '../../shared/schemas/worker.ts';
import { DEMO } from '../seed/demo.ts';
import { createTestApp, signIn, type TestApp } from '../test-support.ts';

const ALL: Record<string, Record<string, Endpoint>> = { AUTH, CONSENT, FAMILY, IDENTITY, AUDIT, PEOPLE, RETIREE_RECORD, RETIREES, SETUP, OFFICE, STATUS, ROSTER };

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => t.close());

describe('the shared contracts', () => {
  it('name only routes the server has, with their methods', () => {
    // Hono lists '/api/office/people/:id{[0-9]+}/password'; the contracts write '/:id'.
    const routes = new Set(t.app.routes.map((r) => `${r.method} ${r.path.replace(/\{[^}]*\}/g, '')}`));
    const missing = Object.entries(ALL).flatMap(([resource, contracts]) =>
      Object.entries(contracts)
        .filter(([, e]) => !routes.has(`${e.method} ${e.path}`))
        .map(([name, e]) => `${resource}.${name}: ${e.method} ${e.path}`),
    );
    expect(missing).toEqual([]);
  });

  it('a retiree signs in, reads Me, the status and the years as their contracts say', async () => {
    const phone = await signIn(t, DEMO.retireeCertified);
    const me = await phone.json(AUTH.me.path);
    expect(me.status).toBe(200);
    expect(Object.keys(me.body).sort()).toEqual(['retiree', 'sessionExpiresAt', 'sessionStartedAt', 'user']);
    const status = await phone.json(STATUS.mine.path);
    expect(Object.keys(status.body).sort()).toEqual(['officePhone', 'status', 'today']);
    const years = await phone.json(`${STATUS.years.path}?retireeId=${me.body.retiree.id}`);
    expect(years.body.years.length).toBeGreaterThan(0);
    expect(Object.keys(years.body.years[0]).sort()).toEqual(['certifiedOn', 'method', 'status', 'year']);
  });
});
