// `npm run bench -- sync-faults [--runs N] [--seconds S] [--concurrency C] [--seed X]`
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
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticJpeg, syntheticResult } from '../shared/sync-fixtures.ts';
import { openAppDb, type AppDb } from '../web/data/db.ts';
import { createFakeNetwork, NO_FAULTS, seededRandom, type FakeNetwork, type FaultRates } from '../web/data/fake-network.ts';
import { saveAttempt, takeChallenge } from '../web/data/store.ts';
import { createSyncEngine } from '../web/data/sync-engine.ts';
import { createFetchTransport } from '../web/data/transport.ts';
import { startBenchServer, type BenchServer } from './lib/server.ts';
import { seedPhones, withDb, type Phone } from './lib/sync-setup.ts';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DAY = 86_400_000;

interface RunResult {
  phone: Phone;
  created: string[];
  tabKillsWrite: number;
  tabKillsSync: number;
  healed: boolean;
}

export async function run(args: string[]): Promise<void> {
  const runs = arg(args, 'runs', 1000);
  const seconds = arg(args, 'seconds', 240);
  const concurrency = arg(args, 'concurrency', 40);
  const seed = arg(args, 'seed', 20261122);
  const random = seededRandom(seed);
  if (!(runs >= 1 && seconds > 0 && concurrency >= 1)) {
    console.error(`sync-faults: --runs, --seconds and --concurrency must be positive (got ${runs}, ${seconds}, ${concurrency})`);
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'stillhere-bench-faults-'));
  const dbPath = join(dir, 'stillhere.sqlite');
  // Time kept at the end for the runs in flight: a run's final phase may take up to 60 s to empty
  // its outbox. Reserving a fixed 60 s made `--seconds 60` start no run at all (issue 15).
  const finishMs = Math.min(60_000, (seconds * 1000) / 4);

  console.log(`sync-faults: ${runs} runs (one phone each), ${concurrency} at a time, at most ${seconds} s (runs start during the first ${((seconds * 1000 - finishMs) / 1000).toFixed(0)} s), seed ${seed}; loopback only`);
  const phones = await seedPhones(dbPath, runs);
  let server: BenchServer = await startBenchServer(dir);
  const port = server.port;
  const base = server.url;

  // Chaos: SIGKILL the server every 3-6 s and start it again on the same file and port.
  let kills = 0;
  let chaos = true;
  let serverUp = true;
  const chaosLoop = (async () => {
    while (chaos) {
      await sleep(3000 + random() * 3000);
      if (!chaos) break;
      serverUp = false;
      await server.stop({ crash: true });
      kills++;
      server = await startBenchServer(dir, {}, port);
      serverUp = true;
    }
  })();

  const rates: FaultRates = { dropRequest: 0.3, dropResponse: 0.15, duplicate: 0.15, reorder: 0.15, maxDelayMs: 20 };
  const nets: FakeNetwork[] = [];

  async function onePhone(phone: Phone, runSeed: number): Promise<RunResult> {
    const rnd = seededRandom(runSeed);
    const skew = Math.round((rnd() * 2 - 1) * 3 * DAY);
    const now = () => Date.now() + skew;
    const factory = new IDBFactory();
    const open = () => openAppDb({ indexedDB: factory, IDBKeyRange });
    const deliver = (url: string, init: RequestInit) =>
      fetch(`${base}${url}`, { ...init, headers: { ...(init.headers as Record<string, string>), Origin: base, Cookie: phone.cookie } });
    let db = open();
    const newNet = () => {
      const n = createFakeNetwork(deliver, { ...rates }, rnd);
      nets.push(n);
      return n;
    };
    let net = newNet();
    const engineOf = (d: AppDb) => createSyncEngine({ db: d, transport: createFetchTransport({ fetch: net.fetch, latencyMs: 5_000, stallMs: 5_000 }), now, random: rnd, backoff: { baseMs: 20, maxMs: 400 } });
    let engine = engineOf(db);
    const result: RunResult = { phone, created: [], tabKillsWrite: 0, tabKillsSync: 0, healed: false };
    const reopen = async () => {
      await net.flush();
      db.close();
      db = open();
      engine = engineOf(db);
    };

    const sync = async (force: boolean) => {
      if (rnd() < 0.15) {
        // The tab dies while syncing: the request may or may not have reached the server.
        const pending = engine.sync(phone.userId, { force }).catch(() => undefined);
        await sleep(rnd() * 30);
        result.tabKillsSync++;
        db.close();
        await pending;
        await net.flush();
        net = newNet();
        db = open();
        engine = engineOf(db);
        return;
      }
      await engine.sync(phone.userId, { force }).catch(() => undefined);
    };

    // Signed in with signal: the first syncs bring challenge tokens (through the faulty network).
    for (let i = 0; i < 10 && (await db.challenges.count()) === 0; i++) await sync(true);
    const checks = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < checks; i++) {
      const challenge = await takeChallenge(db, phone.userId, now());
      const verdict = rnd() < 0.7 ? 'passed' : 'failed';
      const kill = rnd() < 0.15;
      try {
        const id = await saveAttempt(
          db,
          {
            userId: phone.userId,
            retireeId: phone.retireeId,
            method: 'self',
            challenge,
            result: syntheticResult(challenge, verdict),
            frames: rnd() < 0.5 ? [syntheticJpeg(240, 320, 6_000, i + 1), syntheticJpeg(240, 320, 6_000, i + 2)] : [],
            midWrite: kill
              ? () => {
                  throw new Error('tab killed mid-write');
                }
              : undefined,
          },
          now(),
        );
        result.created.push(id);
      } catch {
        result.tabKillsWrite++;
        await reopen();
      }
      if (rnd() < 0.7) await sync(rnd() < 0.5);
      if (rnd() < 0.1) await reopen();
    }

    // Signal comes back for good: send until the outbox is empty (the server may be restarting).
    await net.flush();
    net = createFakeNetwork(deliver, { ...NO_FAULTS }, rnd);
    const healBy = Date.now() + 60_000;
    while (Date.now() < healBy) {
      if ((await db.outbox.count()) === 0) {
        result.healed = true;
        break;
      }
      if (!serverUp) {
        await sleep(100);
        continue;
      }
      await engine.sync(phone.userId, { force: true }).catch(() => undefined);
      await sleep(50);
    }
    await net.flush();
    // Everything the phone holds is what was saved (a killed write left nothing behind).
    const onPhone = (await db.attempts.toArray()).map((a) => a.id).sort();
    const confirmed = [...result.created].sort();
    if (onPhone.join() !== confirmed.join()) throw new Error(`phone ${phone.deviceId}: stored ${onPhone.length} attempts, confirmed ${confirmed.length}`);
    db.close();
    return result;
  }

  const started = Date.now();
  const startBy = started + seconds * 1000 - finishMs;
  const results: RunResult[] = [];
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < runs && Date.now() < startBy) {
        const i = next++;
        try {
          results.push(await onePhone(phones[i]!, seed + i));
        } catch (err) {
          failures++;
          console.error(`run ${i} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (results.length % 100 === 0 && results.length) process.stdout.write(`  ${results.length} runs done, ${kills} server kills, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
      }
    }),
  );
  chaos = false;
  await chaosLoop;
  await server.stop();
  const elapsed = (Date.now() - started) / 1000;

  // Compare what the phones saved with what the database holds.
  const created = new Set(results.flatMap((r) => r.created));
  const devices = results.map((r) => r.phone.deviceId);
  const report = await withDb(dbPath, async (db) => {
    const marks = devices.map(() => '?').join(',');
    const stored = await db.all<{ id: string }>(`SELECT id FROM attempts WHERE device_id IN (${marks})`, devices);
    const storedIds = new Set(stored.map((r) => r.id));
    const doubleCerts = (await db.get<{ n: number }>("SELECT count(*) AS n FROM (SELECT 1 FROM certifications WHERE status = 'approved' GROUP BY retiree_id, period_id HAVING count(*) > 1)"))!.n;
    const seqs = await db.all<{ device_id: string; last_seq: number; gaps: number }>(`SELECT device_id, last_seq, gaps FROM sync_clients WHERE device_id IN (${marks})`, devices);
    const outcomes = await db.all<{ outcome: string; n: number }>(
      `SELECT outcome || coalesce(' (' || review_reason || ')', '') AS outcome, count(*) AS n FROM attempts WHERE device_id IN (${marks}) GROUP BY 1 ORDER BY 1`,
      devices,
    );
    return { stored: storedIds, doubleCerts, seqs, outcomes };
  });
  const lost = [...created].filter((id) => !report.stored.has(id));
  const phantom = [...report.stored].filter((id) => !created.has(id));
  const perDevice = new Map(results.map((r) => [r.phone.deviceId, r.created.length]));
  const seqMismatch = report.seqs.filter((s) => s.last_seq !== perDevice.get(s.device_id) || s.gaps !== 0).length;
  const sum = (f: (r: RunResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const totals = { requests: 0, dropped: 0, lostAnswers: 0, duplicated: 0, reordered: 0 };
  for (const n of nets) for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += n.stats[k];

  console.log(`runs: ${results.length} completed (${failures} failed to finish) in ${elapsed.toFixed(0)} s; ${results.filter((r) => r.healed).length} emptied their outbox`);
  console.log(
    `faults: ${totals.requests} requests, ${totals.dropped} dropped before the server, ${totals.lostAnswers} answers lost after it acted, ` +
      `${totals.duplicated} delivered twice, ${totals.reordered} re-delivered late; ${sum((r) => r.tabKillsWrite)} tabs killed mid-write, ` +
      `${sum((r) => r.tabKillsSync)} mid-sync; ${kills} server SIGKILLs + restarts; phone clocks skewed up to ±3 days`,
  );
  console.log(`outcomes on the server: ${report.outcomes.map((o) => `${o.outcome} ${o.n}`).join(', ')}`);
  console.log(`created ${created.size}, stored ${report.stored.size}: ${lost.length} lost, ${phantom.length + report.doubleCerts} duplicated ` +
    `(${phantom.length} phantom attempts, ${report.doubleCerts} double certifications); ${seqMismatch} devices whose last sequence or gap count is off`);
  rmSync(dir, { recursive: true, force: true });

  // Every reason for a failed verdict is said, not only implied by the exit status.
  const problems: string[] = [];
  if (lost.length) problems.push(`${lost.length} attempts lost`);
  if (phantom.length || report.doubleCerts) problems.push(`${phantom.length + report.doubleCerts} duplicated`);
  if (seqMismatch) problems.push(`${seqMismatch} devices with a wrong last sequence or gap count`);
  if (next < runs) {
    problems.push(
      `only ${next} of ${runs} runs started: new runs stop ${((startBy - started) / 1000).toFixed(0)} s in (--seconds ${seconds}, less the last ${(finishMs / 1000).toFixed(0)} s kept for runs in flight); ` +
        `runs took ${results.length ? (elapsed / Math.max(1, results.length / concurrency)).toFixed(1) : '?'} s each on average here — give more --seconds or ask fewer --runs`,
    );
  }
  if (failures) problems.push(`${failures} runs failed to finish (their errors are above)`);
  // Not a failure by itself: what such a phone still held is counted as lost above.
  const unhealed = results.filter((r) => !r.healed).length;
  if (unhealed) console.log(`note: ${unhealed} phones did not empty their outbox within 60 s of good network`);
  console.log(problems.length ? `verdict: FAILED — ${problems.join('; ')}` : `verdict: ok — ${runs} runs, nothing lost or duplicated`);
  if (problems.length) process.exitCode = 1;
}
