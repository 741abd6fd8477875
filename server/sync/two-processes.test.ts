// Issue 20's proof for several instances: TWO server processes (node server/main.ts, as `npm start`
// runs it, with DATABASE_URL) on one PostgreSQL database; phones running the real phone code push
// through both at once over a lossy network (bench/lib/sync-faults-run.ts, the engine of
// `npm run bench -- sync-faults`); an instance is SIGKILLed while pushes are in flight on it and
// started again, several times. Then: nothing lost, nothing counted twice, no second certification,
// every device's last sequence number exact and no gaps.
//
// Needs PostgreSQL (the throwaway cluster of scripts/test-postgres.sh, started here if it is not
// running). Without it the test is skipped and its name says so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSyncFaults } from '../../bench/lib/sync-faults-run.ts';
import { createTestDatabase, throwawayClusterUrl, type TestDatabase } from '../db/pg-test-databases.ts';
import { openPostgres } from '../db/postgres.ts';

const cluster = throwawayClusterUrl();
const title = cluster
  ? 'two server processes on one PostgreSQL, one killed mid-push'
  : 'two server processes on one PostgreSQL — SKIPPED: PostgreSQL is not installed (apt-get install -y postgresql; scripts/test-postgres.sh)';

describe.skipIf(!cluster)(title, () => {
  let database: TestDatabase | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'stillhere-two-processes-'));
  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('phones push through both at once over a lossy network: nothing lost, nothing counted twice, sequences exact', { timeout: 600_000 }, async () => {
    database = await createTestDatabase(cluster!);
    const lines: string[] = [];
    const report = await runSyncFaults({
      dir,
      databaseUrl: database.url,
      instances: 2,
      runs: 60,
      concurrency: 16,
      // A budget, not a measure: the run ends when the 60 phones are done (~15 s on a quiet
      // machine); a CI box busy with other test files must not fail it for being slow.
      seconds: 480,
      seed: 20261204,
      killEveryMs: [1500, 3000],
      // One face-match thread each: both instances lease from the one match queue.
      env: { MATCH_THREADS: '1' },
      log: (l) => lines.push(l),
    });
    const summary = JSON.stringify({ ...report, lost: report.lost.length, phantom: report.phantom.length, log: lines }, null, 1);
    expect(report.problems, summary).toEqual([]);
    expect(report.completed, summary).toBe(60);
    expect(report.lost, summary).toEqual([]);
    expect(report.phantom, summary).toEqual([]);
    expect(report.doubleCerts, summary).toBe(0);
    expect(report.seqMismatch, summary).toEqual([]);
    // The faults really happened: both instances served, and kills landed on pushes in flight.
    expect(report.requestsPerInstance.every((n) => n > 20), summary).toBe(true);
    expect(report.kills, summary).toBeGreaterThanOrEqual(2);
    expect(report.killsMidPush, summary).toBeGreaterThanOrEqual(1);
    expect(report.faults.lostAnswers + report.faults.duplicated, summary).toBeGreaterThan(0);

    // No attempt is the evidence of two certifications, and no face-match job outlived its decision.
    const db = await openPostgres(database.url, { max: 1 });
    try {
      expect(await db.all("SELECT evidence_ref FROM certifications WHERE evidence_ref <> 'demo' GROUP BY evidence_ref HAVING count(*) > 1")).toEqual([]);
      expect(await db.all("SELECT j.attempt_id FROM match_jobs j JOIN attempts a ON a.id = j.attempt_id WHERE a.outcome <> 'verifying'")).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
