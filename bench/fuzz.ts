// `npm run bench -- fuzz [--requests N] [--seed X] [--concurrency C]`
//
// Malformed requests against the real server process (its own SQLite file with the demo data,
// loopback only): every route of the API, read from the Hono app itself, with and without a valid
// session of each role, and broken methods, path parameters, queries, cookies, origins, content
// types, JSON, multipart bodies, sizes and header lines (bench/lib/fuzz/generate.ts). The requests
// are the same for the same --seed. Defaults: 10,000 requests, seed 20261215, 6 at a time.
//
// Prints the answers by status, the count of 5xx (must be 0) and of API answers without the API's
// error shape `{ error: { code, message, details? } }` with a known code (must be 0; a connection
// closed without any answer counts as one), with examples of each, and exits 1 otherwise.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODES } from '../shared/errors.ts';
import { createServices } from '../server/app.ts';
import { createPasswordHasher } from '../server/auth/password.ts';
import { loadConfig } from '../server/config.ts';
import { migrate } from '../server/db/migrate.ts';
import { openDb, type Db } from '../server/db/sqlite.ts';
import { DEMO, seedDemoIfEmpty } from '../server/seed/demo.ts';
import { seededRandom } from '../web/data/fake-network.ts';
import { generateCase, render, ROLES, type FuzzCase, type Known, type Role } from './lib/fuzz/generate.ts';
import { rawRequest, type RawAnswer } from './lib/fuzz/raw-http.ts';
import { apiRoutes } from './lib/fuzz/routes.ts';
import { startBenchServer } from './lib/server.ts';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const CODES = new Set<string>(ERROR_CODES);

/** Why an answer is not in the API's error shape; null when it is (or need not be). */
export function shapeProblem(c: Pick<FuzzCase, 'method' | 'target'>, a: RawAnswer): string | null {
  if (a.status === 0) return `no answer (${a.failure})`;
  if (a.status < 400 || c.method === 'HEAD') return null;
  let path: string;
  try {
    path = new URL(c.target, 'http://fuzz').pathname;
  } catch {
    path = c.target;
  }
  // What reaches the web app instead (a path that normalises outside /api/) answers as a page.
  if (path !== '/api' && !path.startsWith('/api/')) return null;
  let body: { error?: { code?: unknown; message?: unknown; details?: unknown } };
  try {
    body = JSON.parse(a.body.toString('utf8')) as typeof body;
  } catch {
    return `not JSON: ${JSON.stringify(a.body.subarray(0, 80).toString('utf8'))}`;
  }
  const e = body?.error;
  if (!e || typeof e !== 'object') return 'no error object';
  if (typeof e.code !== 'string' || !CODES.has(e.code)) return `unknown code ${JSON.stringify(e.code)}`;
  if (typeof e.message !== 'string') return 'message is not text';
  if (e.details !== undefined && (typeof e.details !== 'object' || e.details === null || Array.isArray(e.details))) return 'details is not an object';
  if (!/application\/json/i.test(a.headers['content-type'] ?? '')) return `content-type ${a.headers['content-type'] ?? 'missing'}`;
  return null;
}

interface Seeded {
  known: Known;
  users: Record<Role, number>;
}

async function seed(db: Db): Promise<Seeded> {
  await migrate(db);
  const services = createServices({ db, config: loadConfig({ NODE_ENV: 'test' }), passwords: createPasswordHasher(10) });
  await seedDemoIfEmpty(services);
  const user = async (sql: string, params: string[]) => (await db.get<{ id: number }>(sql, params))!.id;
  const users: Record<Role, number> = {
    retiree: await user('SELECT u.id FROM users u JOIN retirees r ON r.id = u.retiree_id WHERE r.id_number = ?', [DEMO.retireeOpen.idNumber]),
    family: await user('SELECT id FROM users WHERE username = ?', [DEMO.family.username]),
    worker: await user('SELECT id FROM users WHERE username = ?', [DEMO.worker.username]),
    admin: await user('SELECT id FROM users WHERE username = ?', [DEMO.admin.username]),
  };
  const known: Known = {
    retireeIds: (await db.all<{ id: number }>('SELECT id FROM retirees ORDER BY id')).map((r) => r.id),
    regionCodes: (await db.all<{ code: string }>('SELECT code FROM regions ORDER BY id')).map((r) => r.code),
    attemptIds: [],
    reviewIds: [1, 2],
    referenceIds: [1, 2],
    idNumber: DEMO.retireeOpen.idNumber,
  };
  return { known, users };
}

export async function run(args: string[]): Promise<void> {
  const requests = arg(args, 'requests', 10_000);
  const seedValue = arg(args, 'seed', 20261215);
  const concurrency = arg(args, 'concurrency', 6);
  if (!(requests >= 1 && concurrency >= 1)) {
    console.error('fuzz: --requests and --concurrency must be positive');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'stillhere-bench-fuzz-'));
  const db = await openDb(join(dir, 'stillhere.sqlite'));
  try {
    const { known, users } = await seed(db);
    const routes = apiRoutes(db);
    const rng = seededRandom(seedValue);
    const cases = Array.from({ length: requests }, (_, n) => generateCase(rng, routes, known, n));
    const perRoute = new Map<string, number>();
    for (const c of cases) perRoute.set(c.route, (perRoute.get(c.route) ?? 0) + 1);
    const untouched = routes.filter((r) => !perRoute.has(`${r.method} ${r.path}`));
    console.log(`fuzz: ${requests} requests over ${routes.length} API routes read from the app (each ${Math.min(...routes.map((r) => perRoute.get(`${r.method} ${r.path}`) ?? 0))}–${Math.max(...perRoute.values())} times), seed ${seedValue}, ${concurrency} at a time; loopback only`);
    if (untouched.length) console.log(`  not reached by this many requests: ${untouched.map((r) => `${r.method} ${r.path}`).join(', ')}`);

    // Sessions are made in the database, as a sign-in would: a fuzzed sign-out or PIN reset ends
    // one, and the next request of that role gets a fresh one.
    const services = createServices({ db, config: loadConfig({ NODE_ENV: 'test' }), passwords: createPasswordHasher(10) });
    const tokens = {} as Record<Role, string>;
    let sessionsMade = 0;
    const newSession = async (role: Role) => {
      tokens[role] = (await services.sessions.createSession(users[role], role, role === 'admin' ? null : `fuzz-${role}-${String(sessionsMade).padStart(6, '0')}`)).token;
      sessionsMade++;
    };
    for (const role of ROLES) await newSession(role);

    const server = await startBenchServer(dir, { MATCH_THREADS: '1', SEED_DEMO: '0' });
    const statuses = new Map<number, number>();
    const fiveXX: string[] = [];
    const shape: string[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < cases.length) {
          const c = cases[next++]!;
          const sentWith = c.cookie.kind === 'role' ? tokens[c.cookie.role] : null;
          const answer = await rawRequest(server.port, render(c, tokens, server.url));
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const what = () => `#${c.n} ${c.method} ${c.target.slice(0, 80)} [${c.route}; ${c.label.join('; ') || 'as the route expects'}] → ${answer.status} ${answer.body.subarray(0, 160).toString('utf8')}`;
          if (answer.status >= 500) fiveXX.push(what());
          const problem = shapeProblem(c, answer);
          if (problem) shape.push(`${problem}: ${what()}`);
          // A session this request ended (sign-out, PIN change, the office's reset) is replaced.
          if (c.cookie.kind === 'role' && c.cookie.form === 'plain' && sentWith === tokens[c.cookie.role] && (answer.status === 401 || (answer.status === 200 && /sign-out/.test(c.target)))) {
            await newSession(c.cookie.role);
          }
          if ((c.n + 1) % 2000 === 0) console.log(`  ${c.n + 1} sent, ${((performance.now() - started) / 1000).toFixed(0)} s`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const health = await rawRequest(server.port, Buffer.from(`GET /api/health HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nConnection: close\r\n\r\n`));
    const peak = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
    const unhandled = server.output().split('\n').filter((l) => /unhandled error/.test(l));
    await server.stop();

    console.log(`answers in ${seconds.toFixed(0)} s: ${[...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s || 'none'} ×${n}`).join(', ')}`);
    console.log(`sessions made for the fuzzed roles: ${sessionsMade} (a fuzzed sign-out, PIN change or reset ends one)`);
    console.log(`5xx: ${fiveXX.length}`);
    for (const f of fiveXX.slice(0, 10)) console.log(`  ${f}`);
    console.log(`API answers without the error shape: ${shape.length}`);
    for (const f of shape.slice(0, 10)) console.log(`  ${f}`);
    console.log(`server: /api/health ${health.status} afterwards; peak RSS ${peak.toFixed(0)} MB; ${unhandled.length} "unhandled error" lines in its log`);
    for (const l of unhandled.slice(0, 3)) console.log(`  ${l.slice(0, 400)}`);
    const ok = fiveXX.length === 0 && shape.length === 0 && unhandled.length === 0 && health.status === 200;
    console.log(ok ? 'verdict: ok — no 5xx, every API error in the error shape' : 'verdict: FAILED');
    if (!ok) process.exitCode = 1;
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
