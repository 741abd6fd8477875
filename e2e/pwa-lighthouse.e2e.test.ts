// Lighthouse accessibility (100 on the sign-in screen, the retiree's home and the PWA pieces) and
// Chromium's installability check, with the system Chromium against the real server, offline.
// See scripts/lighthouse.ts (also runnable on its own) and docs/decisions/033.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditApp } from '../scripts/lighthouse.ts';
import { DEMO } from '../server/seed/demo.ts';
import { startServer, type RunningServer } from '../scripts/harness/server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('lighthouse', () => {
  it('is installable and scores 100 for accessibility', async () => {
    const report = await auditApp(server.url, DEMO.retireeOpen, { harness: true });
    for (const p of report.pages) console.log(`lighthouse accessibility ${p.accessibility} ${p.name}${p.failures.map((f) => ` ✗ ${f.id}`).join('')}`);
    expect(report.installabilityErrors).toEqual([]);
    expect(report.pages.map((p) => p.name)).toEqual(['sign-in', 'retiree home', 'pwa pieces (asset progress, install help)']);
    for (const p of report.pages) expect({ page: p.name, score: p.accessibility, failures: p.failures }).toEqual({ page: p.name, score: 100, failures: [] });
  }, 300_000);
});
