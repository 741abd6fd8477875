// `npm run bench -- ingest [--attempts N] [--seconds S] [--warm S] [--phones N] [--only A1,C0,C1,P]`:
// how fast the real server (its own process, real SQLite file, synchronous=FULL) ingests pushed
// attempts over loopback HTTP.
//
//   A. attempts/s without frames: one attempt per request (what a phone sends after a check),
//      64 phones pushing at once, each waiting for its answer before the next.
//   B. attempts/s with 2 key frames of 10 KB each (multipart), and the bytes each attempt costs.
//   C. latency at a fixed 1,000 attempts/s (open loop: requests leave on schedule, whatever the
//      answers do), p50/p99 from the scheduled send time, after a warm-up at the same rate. C0 is
//      the floor under it: the same open loop with pushes the server refuses (400) after reading
//      the session and the body, before any database work.
//   P. pulls under push load: A1's push load (64 phones, closed loop) while other phones pull
//      (`POST /api/sync/pull` with three challenge tokens, as a phone does before and after a
//      check) at a fixed 20 pulls/s, open loop; pull latency p50/p99/max and the push rate
//      meanwhile. Pulls carry the tokens phones need for their next checks (issue 15).
//   D. the raw ceiling: the same rows, in the order the server received them, inserted by the
//      sqlite3 driver directly (prepared statements, synchronous=FULL), committed in groups as
//      large as the server's average group in A, right after that A phase; the ratio A/D is what
//      HTTP, validation, HMAC and authorisation leave of the database's speed.
//
// --db postgres: the same server on a fresh database of the throwaway PostgreSQL cluster
// (scripts/test-postgres.sh: fsync and synchronous_commit off, so no WAL flush is timed): A1, A2,
// B, and latency at 500 and 1,000 attempts/s, with the CPU the server process and the database's
// backends spent per attempt and the WAL written per attempt (runPostgres below).
//
// The server runs with MATCH_THREADS=0: this measures what a push costs. A passed check is stored as
// `verifying` with its face-match job (B) or, without key frames, goes to the office (A, C); the
// face match itself, and the push latency while it runs, are `npm run bench -- match`.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { benchPostgres } from './lib/postgres.ts';
import { cpuSecondsOf, startBenchServer, type BenchServer } from './lib/server.ts';
import { loopbackClient } from './lib/loopback-client.ts';
import { attemptBody, batchBody, openWhere, percentile, seedPhones, tokensFor, withDb, type Body, type Phone } from './lib/sync-setup.ts';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

interface Planned {
  phone: Phone;
  /** Attempts in this request. */
  n: number;
  body: Body;
}

/** Per phone, its requests in order: one attempt each, or `batch` blob-less attempts each. */
async function plan(dbPath: string, phones: Phone[], perPhone: number, frames: number, batch = 1): Promise<Planned[][]> {
  const out: Planned[][] = [];
  for (const phone of phones) {
    const grants = await tokensFor(dbPath, phone, perPhone);
    const requests: Planned[] = [];
    for (let i = 0; i < grants.length; i += batch) {
      if (batch === 1) requests.push({ phone, n: 1, ...attemptBody({ seq: i + 1, retireeId: phone.retireeId, grant: grants[i]!, frames }) });
      else {
        const part = grants.slice(i, i + batch).map((grant, j) => ({ seq: i + j + 1, retireeId: phone.retireeId, grant }));
        requests.push({ phone, n: part.length, body: batchBody(part).body });
      }
    }
    out.push(requests);
  }
  return out;
}

// Each bench phone pushes hundreds of attempts in seconds, far beyond a real phone's daily quota.
export const NO_PUSH_QUOTA = { QUOTA_RETIREE: '1000000/99999', QUOTA_FAMILY: '1000000/99999', QUOTA_WORKER: '1000000/99999', QUOTA_DEVICE: '1000000/99999' };

async function startOn(dir: string, statsFile: string, env: Record<string, string> = {}): Promise<BenchServer> {
  return startBenchServer(dir, { STILLHERE_INGEST_STATS: statsFile, MATCH_THREADS: '0', ...NO_PUSH_QUOTA, ...env });
}

interface LoopResult {
  seconds: number;
  ok: number;
  failed: number;
  /** CPU seconds used meanwhile by the server process and by this (load-generating) process. */
  serverCpu: number;
  clientCpu: number;
}

/** Closed loop: every phone sends its attempts one after another; all phones at once. */
async function closedLoop(server: BenchServer, queues: Planned[][]): Promise<LoopResult> {
  const client = loopbackClient(server.url, queues.length);
  let ok = 0;
  let failed = 0;
  const serverCpuBefore = cpuSecondsOf(server.pid);
  const clientCpuBefore = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    queues.map(async (queue) => {
      for (const p of queue) {
        const res = await client.post('/api/sync/push', p.body, p.phone.cookie);
        const accepted = res.status === 200 ? res.body.split('"accepted"').length - 1 : 0;
        ok += accepted;
        if (accepted !== p.n) {
          failed++;
          if (failed < 4) console.error(`  unexpected answer ${res.status}: ${res.body.slice(0, 200)}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const serverCpu = cpuSecondsOf(server.pid) - serverCpuBefore;
  client.close();
  return { seconds, ok, failed, serverCpu, clientCpu: (clientCpu.user + clientCpu.system) / 1e6 };
}

/**
 * Open loop at `rate` requests/s: latency measured from the scheduled send time. The first
 * `warmSeconds` run at the same rate and are reported apart: they include the server's JIT warm-up
 * and the client opening its connections, which a server that has been up for a while has behind it.
 */
async function openLoop(server: BenchServer, queues: Planned[][], rate: number, seconds: number, warmSeconds: number, expectStatus = 200) {
  const client = loopbackClient(server.url, 256);
  const warmTotal = Math.floor(rate * warmSeconds);
  const total = warmTotal + Math.floor(rate * seconds);
  const order: Planned[] = [];
  for (let i = 0; order.length < total; i++) for (const q of queues) if (q[i] && order.length < total) order.push(q[i]!);
  if (order.length < total) throw new Error(`planned ${order.length} requests, need ${total}`);
  const latencies: number[] = [];
  const warmLatencies: number[] = [];
  let failed = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      while (sent < due) {
        const p = order[sent]!;
        const scheduled = start + (sent / rate) * 1000;
        const into = sent < warmTotal ? warmLatencies : latencies;
        sent++;
        inflight.push(
          client.post('/api/sync/push', p.body, p.phone.cookie).then(
            (res) => {
              into.push(performance.now() - scheduled);
              if (res.status !== expectStatus) failed++;
            },
            () => {
              failed++;
            },
          ),
        );
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(inflight);
  const achieved = total / ((performance.now() - start) / 1000);
  client.close();
  const sorted = (l: number[]) => l.sort((a, b) => a - b);
  return { latencies: sorted(latencies), warmLatencies: sorted(warmLatencies), failed, achieved };
}

/**
 * Open loop of pulls at `rate`/s from `pullers` (one phone each, in turn) until `until` resolves;
 * latency from the scheduled send time, so a pull that waits is counted in full.
 */
async function pullLoop(server: BenchServer, pullers: Phone[], rate: number, until: Promise<unknown>) {
  const client = loopbackClient(server.url, 64);
  const body: Body = { data: Buffer.from(JSON.stringify({ cursor: null, wantChallenges: 3 })), contentType: 'application/json' };
  const latencies: number[] = [];
  let failed = 0;
  let done = false;
  void until.then(() => (done = true));
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  while (!done) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    while (sent < due) {
      const phone = pullers[sent % pullers.length]!;
      const scheduled = start + (sent / rate) * 1000;
      sent++;
      inflight.push(
        client.post('/api/sync/pull', body, phone.cookie, 120_000).then(
          (res) => {
            latencies.push(performance.now() - scheduled);
            if (res.status !== 200 || !res.body.includes('"challenges":[{')) {
              failed++;
              if (failed < 4) console.error(`  unexpected pull answer ${res.status}: ${res.body.slice(0, 200)}`);
            }
          },
          (err: Error) => {
            failed++;
            if (failed < 4) console.error(`  pull failed: ${err.message}`);
          },
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inflight);
  client.close();
  return { latencies: latencies.sort((a, b) => a - b), failed };
}

/** The same rows through the sqlite3 driver alone: prepared statements, `group` rows per COMMIT. */
async function rawCeiling(dbPath: string, queues: Planned[][], group: number): Promise<number> {
  const conn = await new Promise<sqlite3.Database>((resolve, reject) => {
    const c = new sqlite3.Database(dbPath, (err) => (err ? reject(err) : resolve(c)));
  });
  const exec = (sql: string) => new Promise<void>((res, rej) => conn.exec(sql, (e) => (e ? rej(e) : res())));
  await exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
  const insertAttempt = conn.prepare(
    `INSERT INTO attempts (id, retiree_id, user_id, device_id, seq, method, verdict, outcome, review_reason, period_id, certified_on,
       challenge_id, token_issued_at, device_time, received_at, result, blob_bytes) VALUES (?, ?, ?, ?, ?, 'self', 'passed', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  const run = (stmt: sqlite3.Statement, params: unknown[]) => new Promise<void>((res, rej) => stmt.run(params, (e: Error | null) => (e ? rej(e) : res())));
  // The same rows in the order the server received them: the phones take turns (every phone's
  // first attempt, then every phone's second, …), with the same ids, sequence numbers and result
  // JSON. Phone after phone instead would let each COMMIT touch a phone's own index pages over and
  // over, a locality the server never sees: 29 phones in a group means 29 places in each index.
  const longest = Math.max(...queues.map((q) => q.length));
  const rows: { phone: Phone; seq: number; id: string; result: string; token: string }[] = [];
  for (let i = 0; i < longest; i++) {
    for (const q of queues) {
      const p = q[i];
      if (!p) continue;
      const item = JSON.parse(p.body.data.toString()).items[0] as { id: string; seq: number; challengeToken: string; result: unknown };
      rows.push({ phone: p.phone, seq: item.seq, id: item.id, result: JSON.stringify(item.result), token: `${item.challengeToken.slice(-22)}${item.seq}` });
    }
  }
  const start = performance.now();
  for (let i = 0; i < rows.length; i += group) {
    await exec('BEGIN IMMEDIATE');
    for (const r of rows.slice(i, i + group)) {
      const now = Date.now();
      // The same INSERT the server makes for these rows; the same triggers claim the token and move
      // the device's sequence. A passed check without key frames is never certified: it goes to the
      // office as no_face (issue 14), with no face-match job and no certification.
      await run(insertAttempt, [r.id, r.phone.retireeId, r.phone.userId, r.phone.deviceId, r.seq, 'review', 'no_face', null, null, r.token, now, now, now, r.result]);
    }
    await exec('COMMIT');
  }
  const rate = rows.length / ((performance.now() - start) / 1000);
  insertAttempt.finalize();
  await new Promise<void>((res) => conn.close(() => res()));
  return rate;
}

export async function run(args: string[]): Promise<void> {
  const dbAt = args.indexOf('--db');
  if (dbAt >= 0 && args[dbAt + 1] === 'postgres') return runPostgres(args);
  if (dbAt >= 0 && args[dbAt + 1] !== 'sqlite') {
    console.error(`ingest: --db sqlite or postgres, got ${args[dbAt + 1]}`);
    process.exit(2);
  }
  const attempts = arg(args, 'attempts', 24_000);
  const latencySeconds = arg(args, 'seconds', 10);
  const warmSeconds = arg(args, 'warm', 3);
  const phonesN = arg(args, 'phones', 64);
  // --only A1,C1: run just those phases (for profiling one of them); the targets need them all.
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new Set(args[onlyAt + 1]!.split(',')) : null;
  const want = (phase: string) => !only || only.has(phase);
  const root = mkdtempSync(join(tmpdir(), 'stillhere-bench-ingest-'));
  try {
    console.log(`ingest: ${phonesN} phones, ${attempts} attempts without frames; sqlite synchronous=FULL; loopback HTTP to a separate server process`);
    const template = join(root, 'template.sqlite');
    const phones = await seedPhones(template, Math.max(256, phonesN * 2));
    const copyTo = (name: string) => {
      const made = mkdtempSync(join(root, `${name}-`));
      copyFileSync(template, join(made, 'stillhere.sqlite'));
      return made;
    };

    // A. Without frames: A1 one attempt per request, A2 ten per request (a phone's backlog).
    const phaseA = async (name: string, batch: number) => {
      const dir = copyTo(name);
      const dbPath = join(dir, 'stillhere.sqlite');
      const warm = await plan(dbPath, phones.slice(phonesN, phonesN * 2), 10 * batch, 0, batch);
      const queues = await plan(dbPath, phones.slice(0, phonesN), Math.ceil(attempts / phonesN), 0, batch);
      const statsFile = join(dir, 'stats.json');
      const server = await startOn(dir, statsFile);
      await closedLoop(server, warm);
      const r = await closedLoop(server, queues);
      await server.stop();
      const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { groups: number; submissions: number; items: number; maxGroup: number; commitMs: number };
      const stored = await withDb(dbPath, async (db) => (await db.get<{ n: number }>('SELECT count(*) AS n FROM attempts'))!.n);
      const rate = r.ok / r.seconds;
      const rowsPerCommit = stats.items / stats.groups;
      console.log(`${name} without frames, ${batch} per request: ${r.ok} accepted (${r.failed} failed) in ${r.seconds.toFixed(2)} s = ${Math.round(rate)} attempts/s ` +
        `(${Math.round(rate / batch)} requests/s); ${stored} rows stored (incl. warm-up); group commit: ${stats.groups} COMMITs for ${stats.submissions} requests ` +
        `(avg ${(stats.submissions / stats.groups).toFixed(1)} requests = ${rowsPerCommit.toFixed(0)} attempts per COMMIT, max ${stats.maxGroup} requests, ${(stats.commitMs / stats.groups).toFixed(1)} ms per group from handing it to the transaction to COMMIT done); ` +
        `CPU per request: server ${((r.serverCpu / (r.ok / batch)) * 1000).toFixed(3)} ms, load generator ${((r.clientCpu / (r.ok / batch)) * 1000).toFixed(3)} ms`);
      return { rate, rowsPerCommit, queues };
    };

    // B. With two 10 KB key frames.
    const phaseB = async () => {
      const dirB = copyTo('b');
      const dbB = join(dirB, 'stillhere.sqlite');
      const framesN = Math.max(phonesN, Math.floor(attempts / 5));
      const queuesB = await plan(dbB, phones.slice(0, phonesN), Math.ceil(framesN / phonesN), 2);
      const wire = queuesB.flat().reduce((s, p) => s + p.body.data.length, 0) / queuesB.flat().length;
      await withDb(dbB, (db) => db.exec('PRAGMA wal_checkpoint(TRUNCATE)'));
      const sizeBefore = statSync(dbB).size;
      const server = await startOn(dirB, join(dirB, 'stats.json'));
      const b = await closedLoop(server, queuesB);
      await server.stop();
      const bytesB = await withDb(dbB, async (db) => {
        await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
        return (await db.get<{ blob: number; result: number }>('SELECT sum(blob_bytes) AS blob, sum(length(result)) AS result FROM attempts'))!;
      });
      const grown = (statSync(dbB).size - sizeBefore) / b.ok;
      console.log(`B  with 2 key frames (2 × 10 KB): ${b.ok} accepted (${b.failed} failed) in ${b.seconds.toFixed(2)} s = ${Math.round(b.ok / b.seconds)} attempts/s; ` +
        `${(wire / 1024).toFixed(1)} KB on the wire and ${(grown / 1024).toFixed(1)} KB of database file per attempt ` +
        `(frames ${(bytesB.blob / b.ok / 1024).toFixed(1)} KB + result ${(bytesB.result / b.ok / 1024).toFixed(1)} KB + rows and indexes)`);
      return { grown, wire };
    };

    // C. Latency at a fixed 1,000 attempts/s: C1 one attempt per request (1,000 requests/s), C2 five
    // per request (200 requests/s, phones sending small backlogs).
    const rate = 1000;
    const phaseC = async (name: string, batch: number) => {
      const dir = copyTo(name);
      const dbPath = join(dir, 'stillhere.sqlite');
      const queues = await plan(dbPath, phones.slice(0, 128), Math.ceil((rate * (latencySeconds + warmSeconds)) / 128) + batch, 0, batch);
      const server = await startOn(dir, join(dir, 'stats.json'));
      const c = await openLoop(server, queues, rate / batch, latencySeconds, warmSeconds);
      await server.stop();
      const p50 = percentile(c.latencies, 0.5);
      const p99 = percentile(c.latencies, 0.99);
      console.log(`${name} at a fixed ${rate} attempts/s, ${batch} per request (${rate / batch} requests/s) for ${warmSeconds} s warm-up + ${latencySeconds} s: ${c.latencies.length} requests answered (${c.failed} failed), ` +
        `achieved ${Math.round(c.achieved * batch)} attempts/s; latency p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${c.latencies.at(-1)!.toFixed(1)} ms ` +
        `(warm-up seconds after the server started: p99 ${percentile(c.warmLatencies, 0.99).toFixed(1)} ms)`);
      return p99;
    };

    // P: A1's push load with pulls at a fixed rate from other phones.
    const pullRate = 20;
    const phaseP = async () => {
      const dir = copyTo('p');
      const dbPath = join(dir, 'stillhere.sqlite');
      const warm = await plan(dbPath, phones.slice(phonesN, phonesN * 2), 10, 0);
      const queues = await plan(dbPath, phones.slice(0, phonesN), Math.ceil(attempts / phonesN), 0);
      const server = await startOn(dir, join(dir, 'stats.json'));
      await closedLoop(server, warm);
      const pushing = closedLoop(server, queues);
      const pulls = await pullLoop(server, phones.slice(phonesN, phonesN * 2), pullRate, pushing);
      const r = await pushing;
      await server.stop();
      const l = pulls.latencies;
      const over = (ms: number) => ((l.filter((x) => x > ms).length / Math.max(1, l.length)) * 100).toFixed(1);
      console.log(`P  pulls under push load: ${l.length} pulls at ${pullRate}/s (${pulls.failed} failed) while ${phonesN} phones pushed ${r.ok} attempts in ${r.seconds.toFixed(2)} s = ${Math.round(r.ok / r.seconds)} attempts/s (${r.failed} failed); ` +
        `pull latency p50 ${percentile(l, 0.5).toFixed(1)} ms, p99 ${percentile(l, 0.99).toFixed(1)} ms, max ${(l.at(-1) ?? NaN).toFixed(1)} ms; ${over(1000)}% over 1 s, ${over(30_000)}% over 30 s`);
      return percentile(l, 0.99);
    };

    // C0: the same schedule, every push refused as malformed (`{}`): HTTP, session and body parsing
    // on both sides of loopback, no group commit.
    const phaseC0 = async () => {
      const dir = copyTo('c0');
      const refused: Body = { data: Buffer.from('{}'), contentType: 'application/json' };
      const perPhone = Math.ceil((rate * (latencySeconds + warmSeconds)) / 128) + 1;
      const queues = phones.slice(0, 128).map((phone) => Array.from({ length: perPhone }, (): Planned => ({ phone, n: 1, body: refused })));
      const server = await startOn(dir, join(dir, 'stats.json'));
      const c = await openLoop(server, queues, rate, latencySeconds, warmSeconds, 400);
      await server.stop();
      console.log(`C0 the same open loop at ${rate} requests/s, every push refused before the database (400): ${c.latencies.length} answered (${c.failed} unexpected), ` +
        `latency p50 ${percentile(c.latencies, 0.5).toFixed(1)} ms, p99 ${percentile(c.latencies, 0.99).toFixed(1)} ms, max ${c.latencies.at(-1)!.toFixed(1)} ms`);
    };

    if (only) {
      if (want('A1')) await phaseA('A1', 1);
      if (want('A2')) await phaseA('A2', 10);
      if (want('B')) await phaseB();
      if (want('C0')) await phaseC0();
      if (want('C1')) await phaseC('C1', 1);
      if (want('C2')) await phaseC('C2', 5);
      if (want('P')) await phaseP();
      return;
    }
    // D, the driver's ceiling for the same rows, runs right after the phase it is compared with:
    // this machine's speed drifts over minutes, and the bare driver follows it more than the server.
    const a1 = await phaseA('A1', 1);
    const queuesA = a1.queues;
    const raw1 = await rawCeiling(join(copyTo('d1'), 'stillhere.sqlite'), queuesA, Math.max(1, Math.round(a1.rowsPerCommit)));
    const a2 = await phaseA('A2', 10);
    const raw2 = await rawCeiling(join(copyTo('d2'), 'stillhere.sqlite'), queuesA, Math.max(1, Math.round(a2.rowsPerCommit)));
    const { grown, wire } = await phaseB();
    await phaseC0();
    const p99 = await phaseC('C1', 1);
    const p99b = await phaseC('C2', 5);
    const pullP99 = await phaseP();

    const rawOne = await rawCeiling(join(copyTo('d3'), 'stillhere.sqlite'), queuesA.map((q) => q.slice(0, 40)), 1);
    console.log(`D  raw sqlite3 driver, same rows, synchronous=FULL, prepared statements: ${Math.round(raw1)} rows/s at ${Math.round(a1.rowsPerCommit)} per COMMIT (A1's average, run right after A1), ` +
      `${Math.round(raw2)} rows/s at ${Math.round(a2.rowsPerCommit)} per COMMIT (A2's average, right after A2), ${Math.round(rawOne)} rows/s at 1 per COMMIT`);
    const ratio1 = a1.rate / raw1;
    const ratio2 = a2.rate / raw2;
    console.log(`   server/raw at the same rows per COMMIT: A1 ${ratio1.toFixed(2)}, A2 ${ratio2.toFixed(2)}; A1 against one row per COMMIT: ${(a1.rate / rawOne).toFixed(2)}`);

    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log('targets:');
    console.log(`  ≥3,000 attempts/s without frames: ${Math.round(a1.rate)} one per request — ${verdict(a1.rate >= 3000)}; ${Math.round(a2.rate)} ten per request — ${verdict(a2.rate >= 3000)}`);
    console.log(`  p99 ≤20 ms at 1,000/s: ${p99.toFixed(1)} ms one per request — ${verdict(p99 <= 20)}; ${p99b.toFixed(1)} ms five per request — ${verdict(p99b <= 20)}`);
    console.log(`  ≥0.5 of the raw ceiling (same rows per COMMIT): A1 ${ratio1.toFixed(2)} — ${verdict(ratio1 >= 0.5)}; A2 ${ratio2.toFixed(2)} — ${verdict(ratio2 >= 0.5)}`);
    console.log(`  pull p99 ≤1 s under the A1 push load: ${pullP99.toFixed(1)} ms — ${verdict(pullP99 <= 1000)}`);
    console.log(`  ≤30 KB per attempt with 2 key frames: ${(grown / 1024).toFixed(1)} KB stored, ${(wire / 1024).toFixed(1)} KB sent — ${verdict(grown <= 30 * 1024 && wire <= 30 * 1024)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}


/** What the database's backends for one database have spent: CPU (from /proc) and WAL (cluster-wide). */
async function postgresMeter(url: string) {
  const db = await openWhere(url);
  const name = new URL(url).pathname.slice(1);
  const sample = async () => {
    const pids = await db.all<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()', [name]);
    let cpu = 0;
    for (const { pid } of pids) {
      try {
        cpu += cpuSecondsOf(pid);
      } catch {
        // A backend that ended meanwhile.
      }
    }
    const wal = (await db.get<{ b: number }>("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS b"))!.b;
    return { cpu, wal, pids: new Set(pids.map((p) => p.pid)) };
  };
  return {
    /** Runs `fn`; CPU of the backends alive at both ends (the pool keeps its connections while busy). */
    async measure<T>(fn: () => Promise<T>): Promise<{ out: T; dbCpu: number; walBytes: number }> {
      const before = await sample();
      const beforeByPid = new Map<number, number>();
      for (const pid of before.pids) {
        try {
          beforeByPid.set(pid, cpuSecondsOf(pid));
        } catch {
          // gone
        }
      }
      const out = await fn();
      const after = await sample();
      let dbCpu = 0;
      for (const pid of after.pids) {
        try {
          dbCpu += cpuSecondsOf(pid) - (beforeByPid.get(pid) ?? 0);
        } catch {
          // gone
        }
      }
      return { out, dbCpu, walBytes: after.wal - before.wal };
    },
    size: async () => (await db.get<{ n: number }>('SELECT pg_database_size(current_database()) AS n'))!.n,
    count: async () => (await db.get<{ n: number }>('SELECT count(*) AS n FROM attempts'))!.n,
    close: () => db.close(),
  };
}

/** `--db postgres`: the phases that have a PostgreSQL target, each on a fresh database. */
async function runPostgres(args: string[]): Promise<void> {
  const attempts = arg(args, 'attempts', 12_000);
  const latencySeconds = arg(args, 'seconds', 10);
  const warmSeconds = arg(args, 'warm', 3);
  const phonesN = arg(args, 'phones', 64);
  // --instances N: A1 and A2 with N server processes on the one database, the phones split among them.
  const instances = arg(args, 'instances', 1);
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new Set(args[onlyAt + 1]!.split(',')) : null;
  const want = (phase: string) => !only || only.has(phase);
  const root = mkdtempSync(join(tmpdir(), 'stillhere-bench-ingest-pg-'));
  console.log(
    `ingest --db postgres: ${phonesN} phones, ${attempts} attempts without frames; PostgreSQL (throwaway cluster, fsync off), pool of 10 per process; ` +
      `${instances} server process${instances > 1 ? 'es (A1, A2; the others one)' : ''}; loopback HTTP`,
  );
  const fresh = async (name: string, phonesWanted: number) => {
    const database = await benchPostgres();
    const phones = await seedPhones(database.url, phonesWanted);
    const dir = mkdtempSync(join(root, `${name}-`));
    return { database, phones, dir, env: { DATABASE_URL: database.url } };
  };
  const results: { a1?: number; a2?: number; p500?: number; p1000?: number } = {};
  try {
    const phaseA = async (name: string, batch: number) => {
      const f = await fresh(name, phonesN * 2);
      try {
        const warm = await plan(f.database.url, f.phones.slice(phonesN, phonesN * 2), 10 * batch, 0, batch);
        const queues = await plan(f.database.url, f.phones.slice(0, phonesN), Math.ceil(attempts / phonesN), 0, batch);
        const servers: BenchServer[] = [];
        for (let i = 0; i < instances; i++) servers.push(await startOn(f.dir, join(f.dir, `stats-${i}.json`), f.env));
        const meter = await postgresMeter(f.database.url);
        // Each phone talks to one instance (as a proxy keeping a phone's connection would).
        const share = (qs: Planned[][], i: number) => qs.filter((_, k) => k % instances === i);
        const loop = async (qs: Planned[][]) => {
          const parts = await Promise.all(servers.map((s, i) => closedLoop(s, share(qs, i))));
          const sum = (k: keyof LoopResult) => parts.reduce((t, p) => t + p[k], 0);
          return { seconds: Math.max(...parts.map((p) => p.seconds)), ok: sum('ok'), failed: sum('failed'), serverCpu: sum('serverCpu'), clientCpu: parts[0]!.clientCpu };
        };
        await loop(warm);
        const { out: r, dbCpu, walBytes } = await meter.measure(() => loop(queues));
        await Promise.all(servers.map((s) => s.stop()));
        const stored = await meter.count();
        await meter.close();
        const each = servers.map((_, i) => JSON.parse(readFileSync(join(f.dir, `stats-${i}.json`), 'utf8')) as { groups: number; submissions: number; items: number; maxGroup: number; commitMs: number });
        const stats = each.reduce((t, x) => ({ groups: t.groups + x.groups, submissions: t.submissions + x.submissions, items: t.items + x.items, maxGroup: Math.max(t.maxGroup, x.maxGroup), commitMs: t.commitMs + x.commitMs }));
        const rate = r.ok / r.seconds;
        console.log(
          `${name} without frames, ${batch} per request: ${r.ok} accepted (${r.failed} failed) in ${r.seconds.toFixed(2)} s = ${Math.round(rate)} attempts/s; ${stored} rows stored (incl. warm-up); ` +
            `group commit: ${stats.groups} COMMITs for ${stats.submissions} requests (avg ${(stats.items / stats.groups).toFixed(1)} attempts per COMMIT, ${(stats.commitMs / stats.groups).toFixed(1)} ms per group to COMMIT done); ` +
            `per attempt: server CPU ${((r.serverCpu / r.ok) * 1000).toFixed(3)} ms, database CPU ${((dbCpu / r.ok) * 1000).toFixed(3)} ms, WAL ${(walBytes / r.ok / 1024).toFixed(1)} KB (cluster-wide, so an upper bound), load generator ${((r.clientCpu / r.ok) * 1000).toFixed(3)} ms`,
        );
        return rate;
      } finally {
        await f.database.drop();
      }
    };
    const phaseB = async () => {
      const f = await fresh('b', phonesN);
      try {
        const framesN = Math.max(phonesN, Math.floor(attempts / 5));
        const queues = await plan(f.database.url, f.phones, Math.ceil(framesN / phonesN), 2);
        const meter = await postgresMeter(f.database.url);
        const sizeBefore = await meter.size();
        const server = await startOn(f.dir, join(f.dir, 'stats.json'), f.env);
        const { out: b, dbCpu, walBytes } = await meter.measure(() => closedLoop(server, queues));
        await server.stop();
        const grown = ((await meter.size()) - sizeBefore) / b.ok;
        await meter.close();
        console.log(
          `B  with 2 key frames (2 × 10 KB): ${b.ok} accepted (${b.failed} failed) in ${b.seconds.toFixed(2)} s = ${Math.round(b.ok / b.seconds)} attempts/s; ${(grown / 1024).toFixed(1)} KB of database per attempt; ` +
            `per attempt: server CPU ${((b.serverCpu / b.ok) * 1000).toFixed(3)} ms, database CPU ${((dbCpu / b.ok) * 1000).toFixed(3)} ms, WAL ${(walBytes / b.ok / 1024).toFixed(1)} KB`,
        );
      } finally {
        await f.database.drop();
      }
    };
    const phaseC = async (name: string, rate: number) => {
      const f = await fresh(name, 128);
      try {
        const queues = await plan(f.database.url, f.phones, Math.ceil((rate * (latencySeconds + warmSeconds)) / 128) + 1, 0);
        const server = await startOn(f.dir, join(f.dir, 'stats.json'), f.env);
        const c = await openLoop(server, queues, rate, latencySeconds, warmSeconds);
        await server.stop();
        const p99 = percentile(c.latencies, 0.99);
        console.log(
          `${name} at a fixed ${rate} attempts/s, one per request, ${warmSeconds} s warm-up + ${latencySeconds} s: ${c.latencies.length} answered (${c.failed} failed), achieved ${Math.round(c.achieved)}/s; ` +
            `latency p50 ${percentile(c.latencies, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${c.latencies.at(-1)!.toFixed(1)} ms`,
        );
        return p99;
      } finally {
        await f.database.drop();
      }
    };
    if (want('A1')) results.a1 = await phaseA('A1', 1);
    if (want('A2')) results.a2 = await phaseA('A2', 10);
    if (want('B')) await phaseB();
    if (want('C500')) results.p500 = await phaseC('C500', 500);
    if (want('C1')) results.p1000 = await phaseC('C1', 1000);
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log('targets (PostgreSQL):');
    if (results.a1 !== undefined) console.log(`  ≥1,500 attempts/s: ${Math.round(results.a1)} one per request — ${verdict(results.a1 >= 1500)}${results.a2 !== undefined ? `; ${Math.round(results.a2)} ten per request — ${verdict(results.a2 >= 1500)}` : ''}`);
    if (results.p500 !== undefined) console.log(`  p99 ≤50 ms at 500/s: ${results.p500.toFixed(1)} ms — ${verdict(results.p500 <= 50)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
