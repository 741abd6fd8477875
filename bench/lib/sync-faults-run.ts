// The fault run behind `npm run bench -- sync-faults` and the two-process test
// (server/sync/two-processes.test.ts): phones running the REAL phone code (web/data: store, sync
// engine, HTTP transport, each its own IndexedDB via fake-indexeddb) against REAL server processes
// through a fake network that drops requests, loses answers after the server acted, delivers twice
// and out of order; "tabs" killed mid-save and mid-sync; server processes SIGKILLed and restarted;
// phone clocks skewed. With several instances (PostgreSQL only: they share one database) each
// request goes to an instance that is up, as a reverse proxy would send it, and the kills take the
// instances in turn, so the others keep serving while one is down. At the end every phone gets a
// good network until its outbox is empty, and the database is compared with what the phones saved.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { syntheticJpeg, syntheticResult } from '../../shared/sync-fixtures.ts';
import { openAppDb, type AppDb } from '../../web/data/db.ts';
import { createFakeNetwork, NO_FAULTS, seededRandom, type FakeNetwork, type FaultRates } from '../../web/data/fake-network.ts';
import { saveAttempt, takeChallenge } from '../../web/data/store.ts';
import { createSyncEngine } from '../../web/data/sync-engine.ts';
import { createFetchTransport } from '../../web/data/transport.ts';
import { startBenchServer, type BenchServer } from './server.ts';
import { seedPhones, withDb, type Phone } from './sync-setup.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DAY = 86_400_000;

export interface FaultRunOptions {
  /** Scratch folder (the SQLite file lives here unless `databaseUrl` is given). */
  dir: string;
  /** PostgreSQL database every instance shares; absent: one SQLite file in `dir`. */
  databaseUrl?: string;
  instances: number;
  runs: number;
  seconds: number;
  concurrency: number;
  seed: number;
  /** SIGKILL an instance every this many ms (a random time between the two). */
  killEveryMs?: [number, number];
  /** Extra environment for the server processes. */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

interface RunResult {
  phone: Phone;
  created: string[];
  tabKillsWrite: number;
  tabKillsSync: number;
  healed: boolean;
}

export interface FaultReport {
  runsStarted: number;
  completed: number;
  failures: number;
  healed: number;
  elapsedS: number;
  kills: number;
  /** Kills that found requests of phones in flight on the killed instance. */
  killsMidPush: number;
  requestsPerInstance: number[];
  faults: { requests: number; dropped: number; lostAnswers: number; duplicated: number; reordered: number };
  tabKillsWrite: number;
  tabKillsSync: number;
  outcomes: { outcome: string; n: number }[];
  created: number;
  stored: number;
  lost: string[];
  phantom: string[];
  doubleCerts: number;
  /** Devices whose last sequence number is not the number of attempts the phone saved, or with gaps. */
  seqMismatch: { deviceId: string; lastSeq: number; gaps: number; saved: number }[];
  problems: string[];
}

export async function runSyncFaults(o: FaultRunOptions): Promise<FaultReport> {
  const log = o.log ?? ((line: string) => console.log(line));
  const random = seededRandom(o.seed);
  const where = o.databaseUrl ?? `${o.dir}/stillhere.sqlite`;
  if (o.instances > 1 && !o.databaseUrl) throw new Error('several instances need one PostgreSQL database (SQLite is one process)');
  const env = { ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}), ...o.env };
  // Time kept at the end for the runs in flight: a run's final phase may take up to 60 s to empty
  // its outbox. Reserving a fixed 60 s made `--seconds 60` start no run at all (issue 15).
  const finishMs = Math.min(60_000, (o.seconds * 1000) / 4);
  const phones = await seedPhones(where, o.runs);

  // The instances, started one after the other (the first migrates), each on a port of its own.
  const servers: BenchServer[] = [];
  for (let i = 0; i < o.instances; i++) servers.push(await startBenchServer(o.dir, env));
  const up = servers.map(() => true);
  /** Pushes (POST /api/sync/push) sent to each instance and not yet answered. */
  const inFlight = servers.map(() => 0);
  const requestsPerInstance = servers.map(() => 0);
  let kills = 0;
  let killsMidPush = 0;
  let chaos = true;
  const [killMin, killMax] = o.killEveryMs ?? [3000, 6000];
  const chaosLoop = (async () => {
    while (chaos) {
      // Each instance is killed once as soon as a push is in flight on it, then at random
      // intervals: a fast machine must not finish the phones' runs before any kill (the test
      // asserts kills on every machine, and a run here can take 5 s).
      if (kills >= servers.length) await sleep(killMin + random() * (killMax - killMin));
      if (!chaos) break;
      const i = kills % servers.length;
      // Aim at a push in flight (waiting at most a second for one), so the kill lands mid-push.
      for (let waited = 0; waited < 1000 && inFlight[i] === 0 && chaos; waited += 2) await sleep(2);
      up[i] = false;
      if (inFlight[i]! > 0) killsMidPush++;
      await servers[i]!.stop({ crash: true });
      kills++;
      servers[i] = await startBenchServer(o.dir, env, servers[i]!.port);
      up[i] = true;
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
    // The proxy: an instance that is up, chosen at random; a request in flight when its instance is
    // killed fails as a reset connection does.
    const deliver = async (url: string, init: RequestInit) => {
      const live = servers.map((_, i) => i).filter((i) => up[i]);
      const i = live.length ? live[Math.floor(rnd() * live.length)]! : 0;
      const base = servers[i]!.url;
      const isPush = url.startsWith('/api/sync/push');
      requestsPerInstance[i]!++;
      if (isPush) inFlight[i]!++;
      try {
        return await fetch(`${base}${url}`, { ...init, headers: { ...(init.headers as Record<string, string>), Origin: base, Cookie: phone.cookie } });
      } finally {
        if (isPush) inFlight[i]!--;
      }
    };
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

    // Signal comes back for good: send until the outbox is empty (an instance may be restarting).
    await net.flush();
    net = createFakeNetwork(deliver, { ...NO_FAULTS }, rnd);
    const healBy = Date.now() + 60_000;
    while (Date.now() < healBy) {
      if ((await db.outbox.count()) === 0) {
        result.healed = true;
        break;
      }
      if (!up.some(Boolean)) {
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
  const startBy = started + o.seconds * 1000 - finishMs;
  const results: RunResult[] = [];
  let next = 0;
  let failures = 0;
  try {
    await Promise.all(
      Array.from({ length: o.concurrency }, async () => {
        while (next < o.runs && Date.now() < startBy) {
          const i = next++;
          try {
            results.push(await onePhone(phones[i]!, o.seed + i));
          } catch (err) {
            failures++;
            log(`run ${i} failed: ${err instanceof Error ? err.message : String(err)}`);
          }
          if (results.length % 100 === 0 && results.length) log(`  ${results.length} runs done, ${kills} server kills, ${((Date.now() - started) / 1000).toFixed(0)} s`);
        }
      }),
    );
  } finally {
    chaos = false;
    await chaosLoop;
    await Promise.all(servers.map((s) => s.stop()));
  }
  const elapsedS = (Date.now() - started) / 1000;

  // Compare what the phones saved with what the database holds.
  const created = new Set(results.flatMap((r) => r.created));
  const devices = results.map((r) => r.phone.deviceId);
  const report = await withDb(where, async (db) => {
    const list = JSON.stringify(devices);
    const inDevices = `device_id IN ${db.dialect.jsonValues('?', 'text')}`;
    const stored = await db.all<{ id: string }>(`SELECT id FROM attempts WHERE ${inDevices}`, [list]);
    const doubleCerts = (await db.get<{ n: number }>("SELECT count(*) AS n FROM (SELECT 1 FROM certifications WHERE status = 'approved' GROUP BY retiree_id, period_id HAVING count(*) > 1) AS d"))!.n;
    const seqs = await db.all<{ device_id: string; last_seq: number; gaps: number }>(`SELECT device_id, last_seq, gaps FROM sync_clients WHERE ${inDevices}`, [list]);
    const outcomes = await db.all<{ outcome: string; n: number }>(
      `SELECT outcome || coalesce(' (' || review_reason || ')', '') AS outcome, count(*) AS n FROM attempts WHERE ${inDevices} GROUP BY 1 ORDER BY 1`,
      [list],
    );
    return { stored: stored.map((r) => r.id), doubleCerts, seqs, outcomes };
  });
  const storedIds = new Set(report.stored);
  const lost = [...created].filter((id) => !storedIds.has(id));
  const phantom = [...storedIds].filter((id) => !created.has(id));
  const perDevice = new Map(results.map((r) => [r.phone.deviceId, r.created.length]));
  const seqMismatch = report.seqs
    .filter((s) => s.last_seq !== perDevice.get(s.device_id) || s.gaps !== 0)
    .map((s) => ({ deviceId: s.device_id, lastSeq: s.last_seq, gaps: s.gaps, saved: perDevice.get(s.device_id) ?? 0 }));
  const sum = (f: (r: RunResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const faults = { requests: 0, dropped: 0, lostAnswers: 0, duplicated: 0, reordered: 0 };
  for (const n of nets) for (const k of Object.keys(faults) as (keyof typeof faults)[]) faults[k] += n.stats[k];

  // Every reason for a failed verdict is said, not only implied by the exit status.
  const problems: string[] = [];
  if (lost.length) problems.push(`${lost.length} attempts lost`);
  if (phantom.length || report.doubleCerts) problems.push(`${phantom.length + report.doubleCerts} duplicated`);
  if (report.stored.length !== storedIds.size) problems.push(`${report.stored.length - storedIds.size} attempts stored twice`);
  if (seqMismatch.length) problems.push(`${seqMismatch.length} devices with a wrong last sequence or gap count`);
  if (next < o.runs) {
    problems.push(
      `only ${next} of ${o.runs} runs started: new runs stop ${((startBy - started) / 1000).toFixed(0)} s in (--seconds ${o.seconds}, less the last ${(finishMs / 1000).toFixed(0)} s kept for runs in flight); ` +
        `runs took ${results.length ? (elapsedS / Math.max(1, results.length / o.concurrency)).toFixed(1) : '?'} s each on average here — give more --seconds or ask fewer --runs`,
    );
  }
  if (failures) problems.push(`${failures} runs failed to finish (their errors are above)`);
  return {
    runsStarted: next,
    completed: results.length,
    failures,
    healed: results.filter((r) => r.healed).length,
    elapsedS,
    kills,
    killsMidPush,
    requestsPerInstance,
    faults,
    tabKillsWrite: sum((r) => r.tabKillsWrite),
    tabKillsSync: sum((r) => r.tabKillsSync),
    outcomes: report.outcomes,
    created: created.size,
    stored: storedIds.size,
    lost,
    phantom,
    doubleCerts: report.doubleCerts,
    seqMismatch,
    problems,
  };
}
