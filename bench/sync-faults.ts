// `npm run bench -- sync-faults [--runs N] [--seconds S] [--concurrency C] [--seed X] [--db postgres] [--instances N]`
//
// --seconds bounds the whole fault phase: new runs start during its first three quarters (the
// last quarter, at most 60 s, is kept for the runs in flight to empty their outboxes). Fewer runs
// than asked, for lack of time or because some failed, exits 1 and says which.
//
// Fault injection for the whole sync path, loopback only and bounded in time. Each run is one phone
// (its own IndexedDB via fake-indexeddb, its own device and retiree) running the REAL phone code
// (web/data: store, sync engine, HTTP transport) against the REAL server process (its own SQLite
// file, synchronous=FULL), through a fake network that drops 30% of requests, loses answers after
// the server acted, delivers twice and out of order. On top: "tabs" killed in the middle of saving
// an attempt and in the middle of a sync, the server SIGKILLed and restarted every few seconds, and
// each phone's clock skewed by up to ±3 days. At the end every phone gets a good network until its
// outbox is empty, and the database is compared with what the phones saved:
//   lost       = saved on a phone, missing on the server
//   duplicated = on the server but never saved (a phantom), or a second certification
//
// --db postgres runs the server processes on a fresh database of the throwaway PostgreSQL cluster
// (scripts/test-postgres.sh); --instances N (PostgreSQL only) starts N server processes on it, each
// request going to one that is up, and the SIGKILLs take them in turn (bench/lib/sync-faults-run.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchPostgres } from './lib/postgres.ts';
import { runSyncFaults } from './lib/sync-faults-run.ts';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

export async function run(args: string[]): Promise<void> {
  const runs = arg(args, 'runs', 1000);
  const seconds = arg(args, 'seconds', 240);
  const concurrency = arg(args, 'concurrency', 40);
  const seed = arg(args, 'seed', 20261122);
  const instances = arg(args, 'instances', 1);
  const dbIndex = args.indexOf('--db');
  const engine = dbIndex >= 0 ? args[dbIndex + 1] : 'sqlite';
  if (!(runs >= 1 && seconds > 0 && concurrency >= 1 && instances >= 1) || (engine !== 'sqlite' && engine !== 'postgres')) {
    console.error(`sync-faults: --runs, --seconds, --concurrency and --instances must be positive, --db sqlite or postgres (got ${runs}, ${seconds}, ${concurrency}, ${instances}, ${engine})`);
    process.exit(2);
  }
  if (instances > 1 && engine !== 'postgres') {
    console.error('sync-faults: --instances above 1 needs --db postgres (SQLite is one process)');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'stillhere-bench-faults-'));
  const pg = engine === 'postgres' ? await benchPostgres() : null;

  console.log(
    `sync-faults: ${runs} runs (one phone each), ${concurrency} at a time, at most ${seconds} s, seed ${seed}; ` +
      `${engine === 'postgres' ? `PostgreSQL, ${instances} server process${instances > 1 ? 'es' : ''}` : 'SQLite, one server process'}; loopback only`,
  );
  try {
    const r = await runSyncFaults({ dir, ...(pg ? { databaseUrl: pg.url } : {}), instances, runs, seconds, concurrency, seed });
    console.log(`runs: ${r.completed} completed (${r.failures} failed to finish) in ${r.elapsedS.toFixed(0)} s; ${r.healed} emptied their outbox`);
    console.log(
      `faults: ${r.faults.requests} requests (${r.requestsPerInstance.join(' / ')} per instance), ${r.faults.dropped} dropped before the server, ${r.faults.lostAnswers} answers lost after it acted, ` +
        `${r.faults.duplicated} delivered twice, ${r.faults.reordered} re-delivered late; ${r.tabKillsWrite} tabs killed mid-write, ` +
        `${r.tabKillsSync} mid-sync; ${r.kills} server SIGKILLs + restarts (${r.killsMidPush} with pushes in flight); phone clocks skewed up to ±3 days`,
    );
    console.log(`outcomes on the server: ${r.outcomes.map((o) => `${o.outcome} ${o.n}`).join(', ')}`);
    console.log(
      `created ${r.created}, stored ${r.stored}: ${r.lost.length} lost, ${r.phantom.length + r.doubleCerts} duplicated ` +
        `(${r.phantom.length} phantom attempts, ${r.doubleCerts} double certifications); ${r.seqMismatch.length} devices whose last sequence or gap count is off`,
    );
    // Not a failure by itself: what such a phone still held is counted as lost above.
    if (r.completed - r.healed) console.log(`note: ${r.completed - r.healed} phones did not empty their outbox within 60 s of good network`);
    console.log(r.problems.length ? `verdict: FAILED — ${r.problems.join('; ')}` : `verdict: ok — ${runs} runs, nothing lost or duplicated`);
    if (r.problems.length) process.exitCode = 1;
  } finally {
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
