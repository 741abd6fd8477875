// `npm run bench -- office [--retirees 200000] [--runs 15]`: the office console on a county-sized
// region (issue 16). Builds a region of N retirees with last year certified and half of this year's
// attempts, visits, reviews and audit rows behind it (bench/lib/office-fixture.ts), starts the real
// server on that file, signs in as the region's office clerk and times what the console asks for,
// over HTTP, as the browser would: each request `runs` times after two warm-ups (median, p95, max).
// Exports are timed whole, with the server process's resident memory sampled while it streams.
// Targets (issue 16): overview ≤ 500 ms, a list page ≤ 200 ms, search ≤ 200 ms, a full export ≤ 10 s
// with bounded memory.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPasswordHasher } from '../server/auth/password.ts';
import { openDb } from '../server/db/sqlite.ts';
import { createStaffUser } from '../server/store/users.ts';
import { buildOfficeRegion } from './lib/office-fixture.ts';
import { startBenchServer } from './lib/server.ts';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

interface Probe {
  name: string;
  path: string;
  targetMs: number;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p95: at(0.95), max: s.at(-1)! };
};

/** Resident memory of a process in MiB (Linux). */
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

export async function run(args: string[]): Promise<void> {
  const n = arg(args, 'retirees', 200_000);
  const runs = arg(args, 'runs', 15);
  const dir = mkdtempSync(join(tmpdir(), 'stillhere-office-'));
  // No face-match or sampling work in the background: what is timed is the console's reads.
  const server = await startBenchServer(dir, { SEED_DEMO: '0', WORKER_REVIEW_SHARE: '0' });
  try {
    const db = await openDb(join(dir, 'stillhere.sqlite'));
    const t0 = performance.now();
    const fx = await buildOfficeRegion(db, { retirees: n, now: Date.now() });
    const clerk = { username: 'bench.office', password: 'bench-office-2026' };
    await createStaffUser(db, createPasswordHasher(12), { role: 'admin', username: clerk.username, password: clerk.password, displayName: '基准县社保经办', regionCode: fx.regionCode }, Date.now());
    await db.close();
    console.log(
      `region of ${fx.retirees.toLocaleString('en')} retirees in 40 communities built in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
        `${fx.attempts.toLocaleString('en')} attempts, ${fx.visits.toLocaleString('en')} visits, ${fx.auditRows.toLocaleString('en')} audit rows`,
    );

    const signIn = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(clerk) });
    if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { cookie } });
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${Buffer.from(body).toString().slice(0, 200)}`);
      return body.byteLength;
    };

    const q = encodeURIComponent;
    const someone = fx.sampleRetireeId;
    const probes: Probe[] = [
      { name: 'overview (counts, chart, per community)', path: '/api/office/overview', targetMs: 500 },
      { name: 'retiree list, first page by name', path: '/api/office/retirees', targetMs: 200 },
      { name: 'retiree list, page 1,000 by name', path: '/api/office/retirees?page=1000', targetMs: 200 },
      { name: 'retiree list, due, one community', path: `/api/office/retirees?status=due&community=${fx.sampleCommunityId}`, targetMs: 200 },
      { name: 'retiree list, due in the region', path: '/api/office/retirees?status=due', targetMs: 200 },
      { name: 'retiree list, certified by family, 80–89', path: '/api/office/retirees?status=certified&method=family&age=80_89', targetMs: 200 },
      { name: 'retiree list, sorted by last certified', path: '/api/office/retirees?sort=last_certified&dir=desc', targetMs: 200 },
      { name: 'retiree list, never signed in', path: '/api/office/retirees?neverSignedIn=1', targetMs: 200 },
      { name: 'search by name', path: `/api/office/retirees?q=${q(fx.sample.name)}`, targetMs: 200 },
      { name: 'search by last 4 ID digits', path: `/api/office/retirees?q=${fx.sample.idTail}`, targetMs: 200 },
      { name: 'lists and their counts', path: '/api/office/lists', targetMs: 500 },
      { name: 'review queue, first page', path: '/api/office/queue', targetMs: 200 },
      { name: 'review queue, one reason', path: '/api/office/queue?reason=face_uncertain', targetMs: 200 },
      { name: 'a retiree\'s record', path: `/api/office/retiree/${someone}`, targetMs: 200 },
      { name: 'people, first page', path: '/api/office/people', targetMs: 200 },
      { name: 'audit log, first page', path: '/api/office/audit', targetMs: 200 },
      { name: 'audit log, one event', path: '/api/office/audit?event=sign_in_failed', targetMs: 200 },
      { name: 'audit log, one retiree', path: `/api/office/audit?retiree=${someone}`, targetMs: 200 },
    ];
    console.log(`requests (${runs} runs each after 2 warm-ups; target in brackets):`);
    for (const p of probes) {
      await get(p.path);
      await get(p.path);
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < runs; i++) {
        const s = performance.now();
        bytes = await get(p.path);
        times.push(performance.now() - s);
      }
      const r = stats(times);
      const verdict = r.p95 <= p.targetMs ? 'met' : 'NOT met';
      console.log(`  ${p.name}: median ${r.median.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, max ${r.max.toFixed(0)} ms, ${(bytes / 1024).toFixed(1)} KB [≤ ${p.targetMs} ms: ${verdict}]`);
    }

    // Whole exports, streamed: time to the last byte, and the server's resident memory meanwhile
    // (sampled every 20 ms; the growth over what it held before is what the export costs).
    console.log('exports (the whole region; target ≤ 10 s, memory bounded):');
    for (const [list, format] of [['not_certified', 'csv'], ['not_certified', 'xlsx'], ['certified', 'csv'], ['certified', 'xlsx']] as const) {
      const before = rssMiB(server.pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(server.pid))), 20);
      const s = performance.now();
      const res = await fetch(`${server.url}/api/office/exports/${list}.${format}`, { headers: { cookie } });
      let bytes = 0;
      let lines = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        if (format === 'csv') for (const b of chunk) if (b === 10) lines++;
      }
      const ms = performance.now() - s;
      clearInterval(sampler);
      if (res.status !== 200) throw new Error(`export ${list}.${format}: ${res.status}`);
      const rows = format === 'csv' ? `${(lines - 1).toLocaleString('en')} rows, ` : '';
      console.log(
        `  ${list}.${format}: ${(ms / 1000).toFixed(1)} s, ${rows}${(bytes / 2 ** 20).toFixed(1)} MiB, server memory ${before.toFixed(0)} → peak ${peak.toFixed(0)} MiB (+${(peak - before).toFixed(0)}) [≤ 10 s: ${ms <= 10_000 ? 'met' : 'NOT met'}]`,
      );
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

