// `npm run bench -- load [--phones N] [--seconds S] [--seed X] [--match-threads T]`
//
// Many phones at once against the real server process (its own SQLite file, synchronous=FULL,
// the ingest and pull threads), over loopback HTTP, each phone on its own keep-alive connection
// and behaving as the app does (web/data/sync-engine.ts): a pull for its challenge tokens when it
// comes online, then, after 1–4 s of doing something else each time, either a face check (a push of
// one attempt with two 10 KB key frames, multipart, then a pull that refills its tokens and asks
// the attempt's outcome) or, two times in three, a pull alone. Defaults: 1,000 phones for 60 s,
// which is about 130 pushes and 400 pulls a second.
//
// Prints errors (transport failures, answers other than 200, items not accepted; target 0), the
// latency p50/p99/max of pushes and of pulls (from sending to the full answer), the daily push
// quota's refusals apart (a phone here stays within it for 60 s; longer runs may reach it), and
// the server's memory: resident set sampled every 200 ms and its peak (VmHWM). At the end every
// accepted attempt must be in the database.
//
// MATCH_THREADS=0 by default: the face match would read every key frame on the same two cores; its
// cost is `npm run bench -- match`. --match-threads 2 runs it as production does.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChallengeGrant, PullResponse, PushResponse } from '../shared/sync.ts';
import { seededRandom } from '../web/data/fake-network.ts';
import { loopbackClient } from './lib/loopback-client.ts';
import { cpuSecondsOf, startBenchServer } from './lib/server.ts';
import { attemptBody, percentile, seedPhones, withDb, type Body, type Phone } from './lib/sync-setup.ts';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

/** The first seconds are reported apart too: every phone comes online (a pull) within the first two. */
const WARM_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (value: unknown): Body => ({ data: Buffer.from(JSON.stringify(value)), contentType: 'application/json' });

/** Resident set and its peak, in MB, from /proc. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

interface Tally {
  push: number[];
  pull: number[];
  /** The same, for requests sent after the first WARM_MS (the server's JIT, the pull thread's start, every phone's first session read). */
  pushSteady: number[];
  pullSteady: number[];
  steadyFrom: number;
  errors: Map<string, number>;
  /** Sent again once after the connection closed before any answer (as a browser does on a stale keep-alive socket). */
  retried: number;
  accepted: number;
  quotaRefused: number;
}

function error(t: Tally, what: string) {
  t.errors.set(what, (t.errors.get(what) ?? 0) + 1);
}

export async function run(args: string[]): Promise<void> {
  const phonesN = arg(args, 'phones', 1000);
  const seconds = arg(args, 'seconds', 60);
  const seed = arg(args, 'seed', 20261215);
  const matchThreads = arg(args, 'match-threads', 0);
  if (!(phonesN >= 1 && seconds > 0 && matchThreads >= 0)) {
    console.error('load: --phones, --seconds must be positive and --match-threads not negative');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'stillhere-bench-load-'));
  try {
    console.log(`load: ${phonesN} phones for ${seconds} s, one keep-alive connection each, seed ${seed}; MATCH_THREADS=${matchThreads}; loopback HTTP to a separate server process`);
    const phones = await seedPhones(join(dir, 'stillhere.sqlite'), phonesN);
    const server = await startBenchServer(dir, { MATCH_THREADS: String(matchThreads) });
    const tally: Tally = { push: [], pull: [], pushSteady: [], pullSteady: [], steadyFrom: Infinity, errors: new Map(), retried: 0, accepted: 0, quotaRefused: 0 };
    const memory = { rss: 0 };
    const sampler = setInterval(() => {
      try {
        memory.rss = Math.max(memory.rss, memoryOf(server.pid).rss);
      } catch {
        // the server has exited: reported below
      }
    }, 200);
    const serverCpu = () => cpuSecondsOf(server.pid);
    const cpuBefore = serverCpu();

    const started = performance.now();
    const endAt = started + seconds * 1000;
    tally.steadyFrom = started + Math.min(WARM_MS, (seconds * 1000) / 4);
    await Promise.all(phones.map((phone, i) => onePhone(server.url, phone, seededRandom(seed + i), endAt, tally)));
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const cpu = serverCpu() - cpuBefore;
    const { peak, rss } = memoryOf(server.pid);
    await server.stop();
    const unhandled = server.output().split('\n').filter((l) => /unhandled error/.test(l));
    const stored = await withDb(join(dir, 'stillhere.sqlite'), async (db) => (await db.get<{ n: number }>('SELECT count(*) AS n FROM attempts'))!.n);

    const sorted = (l: number[]) => l.sort((a, b) => a - b);
    const line = (name: string, l: number[], during = elapsed) =>
      `${name}: ${l.length} (${(l.length / during).toFixed(0)}/s), p50 ${percentile(sorted(l), 0.5).toFixed(0)} ms, p99 ${percentile(l, 0.99).toFixed(0)} ms, max ${(l.at(-1) ?? NaN).toFixed(0)} ms`;
    const errors = [...tally.errors.values()].reduce((s, n) => s + n, 0);
    console.log(line('pushes', tally.push));
    console.log(line('pulls ', tally.pull));
    const warm = ((tally.steadyFrom - started) / 1000).toFixed(0);
    const steadyFor = elapsed - (tally.steadyFrom - started) / 1000;
    console.log(`  sent after the first ${warm} s: ${line('pushes', tally.pushSteady, steadyFor)}; ${line('pulls', tally.pullSteady, steadyFor)}`);
    console.log(`errors: ${errors}${errors ? ` (${[...tally.errors].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}; sent again after a closed keep-alive connection: ${tally.retried}; refused by the daily push quota: ${tally.quotaRefused}`);
    console.log(`attempts: ${tally.accepted} accepted, ${stored} in the database`);
    if (unhandled.length) console.log(`server log: ${unhandled.length} unhandled errors, the first: ${unhandled[0]!.slice(0, 600)}`);
    console.log(`server: RSS max ${memory.rss.toFixed(0)} MB sampled (peak ${peak.toFixed(0)} MB, ${rss.toFixed(0)} MB at the end), CPU ${cpu.toFixed(1)} s in ${elapsed.toFixed(1)} s`);
    const lost = tally.accepted - stored;
    if (errors || lost) {
      console.log(`verdict: FAILED — ${[errors ? `${errors} errors` : '', lost ? `${lost} accepted attempts missing from the database` : ''].filter(Boolean).join('; ')}`);
      process.exitCode = 1;
    } else console.log('verdict: ok — no errors');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One phone until `endAt`: the app's pulls and pushes with their think times. */
async function onePhone(url: string, phone: Phone, random: () => number, endAt: number, tally: Tally): Promise<void> {
  const client = loopbackClient(url, 1);
  let cursor: string | null = null;
  let tokens: ChallengeGrant[] = [];
  let seq = 0;

  const send = async (path: string, body: Body, into: number[], steady: number[]) => {
    const t0 = performance.now();
    let res;
    try {
      res = await client.post(path, body, phone.cookie, 60_000);
    } catch {
      // The server closes an idle keep-alive connection after 5 s; a request written as it closed
      // never reached a handler. A browser sends it again on a new connection, once.
      tally.retried++;
      try {
        res = await client.post(path, body, phone.cookie, 60_000);
      } catch (err) {
        error(tally, `${path} ${(err as Error).message}`);
        return null;
      }
    }
    into.push(performance.now() - t0);
    if (t0 >= tally.steadyFrom) steady.push(performance.now() - t0);
    if (res.status !== 200) {
      error(tally, `${path} ${res.status}`);
      return null;
    }
    return res.body;
  };

  const pull = async (attempts: string[]) => {
    const body = await send('/api/sync/pull', json({ cursor, wantChallenges: Math.max(0, 3 - tokens.length), ...(attempts.length ? { attempts } : {}) }), tally.pull, tally.pullSteady);
    if (!body) return;
    const answer = JSON.parse(body) as PullResponse;
    cursor = answer.cursor;
    tokens.push(...answer.challenges);
  };

  try {
    await sleep(random() * 2000);
    await pull([]);
    while (performance.now() < endAt) {
      await sleep(1000 + random() * 3000);
      if (performance.now() >= endAt) break;
      if (random() < 1 / 3) {
        const grant = tokens.shift() ?? null;
        const { id, body } = attemptBody({ seq: ++seq, retireeId: phone.retireeId, grant, frames: 2 });
        const answer = await send('/api/sync/push', body, tally.push, tally.pushSteady);
        if (answer) {
          const result = (JSON.parse(answer) as PushResponse).results[0];
          if (result?.status === 'accepted' || result?.status === 'duplicate') tally.accepted += result.status === 'accepted' ? 1 : 0;
          else if (result?.status === 'rejected' && result.reason === 'quota_exceeded') tally.quotaRefused++;
          else error(tally, `push item ${result?.status ?? 'missing'}${result?.status === 'rejected' ? ` (${result.reason})` : ''}`);
        }
        await pull([id]);
      } else await pull([]);
    }
  } finally {
    client.close();
  }
}
