// Issue 15's attacks on sign-in, against the real server with the production scrypt cost
// (decision 051): guesses sent all at once on one account (PINs, activation codes) and from one
// address over many accounts; a flood of hashing sign-ins while /api/health and a signed-in phone's
// pull are timed; a worker re-activating an account in use.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO } from '../../../server/seed/demo.ts';
import { idCheckChar } from '../../../shared/id-number.ts';
import { percentile, withDb } from '../sync-setup.ts';
import type { AttackContext, AttackScenario } from './scenario.ts';

const GUESSES = 120;
const LIMIT = 10;

interface Answer {
  status: number;
  body: { error?: { code: string; details?: Record<string, unknown> } } & Record<string, unknown>;
  cookie: string;
  ms: number;
}

/** A real server for one scenario: demo data, no face threads (nothing here reads faces), addresses from X-Forwarded-For. */
async function signInServer(ctx: AttackContext) {
  const server = await ctx.startServer({ SEED_DEMO: '1', MATCH_THREADS: '0', TRUST_PROXY: '1' });
  const dbPath = join(ctx.dir, 'stillhere.sqlite');
  const call = async (path: string, json: unknown, opts: { cookie?: string; ip?: string; method?: string } = {}): Promise<Answer> => {
    const started = performance.now();
    const res = await fetch(`${server.url}${path}`, {
      method: opts.method ?? 'POST',
      headers: {
        Origin: server.url,
        ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(opts.cookie ? { Cookie: opts.cookie } : {}),
        'X-Forwarded-For': opts.ip ?? '198.51.100.1',
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const body = (await res.json().catch(() => ({}))) as Answer['body'];
    const set = res.headers.getSetCookie().find((c) => c.startsWith('sh_session='));
    return { status: res.status, body, cookie: set ? set.split(';')[0]! : (opts.cookie ?? ''), ms: performance.now() - started };
  };
  const count = (sql: string, params: (string | number)[] = []) => withDb(dbPath, async (db) => (await db.get<{ n: number }>(sql, params))!.n);
  return { server, call, count, dbPath };
}

const tally = (answers: Answer[]) => {
  const by = new Map<string, number>();
  for (const a of answers) {
    const key = `${a.status}${a.body.error ? ` ${a.body.error.code}` : ''}`;
    by.set(key, (by.get(key) ?? 0) + 1);
  }
  return [...by].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}× ${k}`).join(', ');
};

const wrongPins = (n: number) => Array.from({ length: n }, (_, i) => String(100_000 + ((i * 7919) % 900_000)).slice(0, 6));

/** A well-formed ID number of nobody enrolled. */
function strangerId(i: number): string {
  const first17 = `110199194${String(i % 10)}0101${String(100 + (i % 900)).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

export const signInBruteForce: AttackScenario = {
  name: 'sign-in-brute-force',
  attack: `${GUESSES} wrong PINs sent at once on one account, then the right PIN; ${GUESSES} guesses at once from one address over many accounts`,
  async run(ctx) {
    const { call, count } = await signInServer(ctx);
    const who = DEMO.retireeOpen;
    const account = `retiree:${who.idNumber}`;
    // The retiree's own phone signed in before the attack: it keeps its own budget (decision 051).
    const ownPhone = 'zhang-own-phone-0001';
    await call('/api/auth/sign-in/retiree', { idNumber: who.idNumber, pin: who.pin, deviceId: ownPhone }, { ip: '100.64.0.10' });

    const attacker = '203.0.113.7';
    const flood = await Promise.all(
      wrongPins(GUESSES).map((pin, i) => call('/api/auth/sign-in/retiree', { idNumber: who.idNumber, pin, deviceId: `attacker-${String(i).padStart(6, '0')}` }, { ip: attacker })),
    );
    const checked = await count("SELECT count(*) AS n FROM audit_log WHERE event = 'sign_in_failed' AND subject = ?", [account]);
    const right = await call('/api/auth/sign-in/retiree', { idNumber: who.idNumber, pin: who.pin, deviceId: 'attacker-right-pin' }, { ip: attacker });
    const own = await call('/api/auth/sign-in/retiree', { idNumber: who.idNumber, pin: who.pin, deviceId: ownPhone }, { ip: attacker });

    const spread = '203.0.113.8';
    const accounts = await Promise.all(Array.from({ length: GUESSES }, (_, i) => call('/api/auth/sign-in/retiree', { idNumber: strangerId(i), pin: '582931' }, { ip: spread })));
    const ipChecked = await count("SELECT count(*) AS n FROM audit_log WHERE event = 'sign_in_failed' AND ip = ?", [spread]);
    const ipCap = 50;
    return [
      { figure: `${GUESSES} PINs at once on one account: ${checked} checked (limit ${LIMIT}: 3 free tries, then a 5 s wait); answers ${tally(flood)}`, held: checked <= LIMIT },
      { figure: `the right PIN from an unknown phone right after: ${right.status} ${right.body.error?.code ?? 'signed in'}`, held: right.status === 429 },
      { figure: `the retiree's own phone (signed in before) with the right PIN during the attack: ${own.status} ${own.body.error?.code ?? 'signed in'}`, held: own.status === 200 },
      { figure: `${GUESSES} guesses at once from one address over ${GUESSES} accounts: ${ipChecked} checked (per-IP cap ${ipCap}); answers ${tally(accounts)}`, held: ipChecked <= ipCap },
    ];
  },
};

export const signInActivationCodes: AttackScenario = {
  name: 'sign-in-activation-codes',
  attack: `${GUESSES} wrong activation codes sent at once on one account, then the right code`,
  async run(ctx) {
    const { call, count } = await signInServer(ctx);
    const who = DEMO.retireeNew;
    const codes = Array.from({ length: GUESSES }, (_, i) => String(10_000_000 + ((i * 104_729) % 89_999_999)).slice(0, 8));
    const flood = await Promise.all(codes.map((code) => call('/api/auth/activate', { idNumber: who.idNumber, code, pin: '502718' }, { ip: '203.0.113.9' })));
    const checked = await count("SELECT count(*) AS n FROM audit_log WHERE event = 'sign_in_failed' AND subject = ? AND details LIKE '%\"activate\"%'", [`retiree:${who.idNumber}`]);
    const right = await call('/api/auth/activate', { idNumber: who.idNumber, code: who.activationCode, pin: '502718' }, { ip: '203.0.113.9' });
    const used = await count('SELECT count(*) AS n FROM activation_codes a JOIN retirees r ON r.id = a.retiree_id WHERE r.id_number = ? AND a.used_at IS NOT NULL', [who.idNumber]);
    return [
      { figure: `${GUESSES} codes at once: ${checked} checked (limit ${LIMIT}); answers ${tally(flood)}`, held: checked <= LIMIT },
      { figure: `the right code right after: ${right.status} ${right.body.error?.code ?? 'activated'}; codes used up: ${used}`, held: right.status === 429 && used === 0 },
    ];
  },
};

/** Peak resident memory of a process so far (Linux), in MB. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export const signInHashFlood: AttackScenario = {
  name: 'sign-in-hash-flood',
  attack: '60 clients at once, from as many addresses, sign in and activate on made-up accounts for 15 s (each wrong sign-in costs a scrypt); /api/health and a phone\'s pull are timed meanwhile',
  async run(ctx) {
    const { server, call } = await signInServer(ctx);
    const phone = await call('/api/auth/sign-in/retiree', { idNumber: DEMO.retireeCertified.idNumber, pin: DEMO.retireeCertified.pin, deviceId: 'li-own-phone-00001' });
    const rssBefore = peakRssMb(server.pid);
    const FLOOD_MS = 15_000;
    const CLIENTS = 60;
    const end = Date.now() + FLOOD_MS;
    const answers: Answer[] = [];
    const failures: string[] = [];
    let n = 0;
    const client = async (c: number) => {
      while (Date.now() < end) {
        const i = n++;
        const ip = `10.${c}.${(i >> 8) & 255}.${i & 255}`;
        const kind = i % 3;
        try {
          const a =
            kind === 0
              ? await call('/api/auth/sign-in/retiree', { idNumber: strangerId(i), pin: '582931' }, { ip })
              : kind === 1
                ? await call('/api/auth/sign-in', { username: `made.up${i}`, password: randomBytes(6).toString('hex') }, { ip })
                : await call('/api/auth/activate', { idNumber: strangerId(i + 7), code: String(10_000_000 + i), pin: '582931' }, { ip });
          answers.push(a);
          // An attacker that ignores Retry-After, but is not infinitely fast either.
          if (a.status === 503 || a.status === 429) await new Promise((r) => setTimeout(r, 50));
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };
    const health: number[] = [];
    const pulls: number[] = [];
    const healthErrors: string[] = [];
    // Each probe waits for its answer before the next (10 a second at most), health and pull apart,
    // so a stalled answer shows as one long time instead of hiding the other probe.
    const probe = async (times: number[], ask: () => Promise<Answer>, label: string) => {
      while (Date.now() < end) {
        const started = performance.now();
        const a = await ask().catch((e: Error) => ({ status: 0, ms: performance.now() - started, body: { error: { code: e.message } } }) as Answer);
        if (a.status !== 200) healthErrors.push(`${label} ${a.status} ${a.body.error?.code ?? ''}`);
        times.push(a.ms);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await Promise.all([
      ...Array.from({ length: CLIENTS }, (_, c) => client(c)),
      probe(health, () => call('/api/health', undefined, { method: 'GET' }), 'health'),
      probe(pulls, () => call('/api/sync/pull', { cursor: null, wantChallenges: 0 }, { cookie: phone.cookie }), 'pull'),
    ]);
    const rssPeak = peakRssMb(server.pid);
    const sorted = health.filter(Number.isFinite).sort((a, b) => a - b);
    const pullSorted = pulls.filter(Number.isFinite).sort((a, b) => a - b);
    const unexpected = answers.filter((a) => ![200, 401, 429, 503].includes(a.status));
    const p99 = percentile(sorted, 0.99);
    const max = sorted.at(-1) ?? NaN;
    const busy = answers.filter((a) => a.status === 503);
    const withRetryAfter = busy.every((a) => typeof a.body.error?.details?.retryAfter === 'number');
    return [
      { figure: `${answers.length} sign-in/activation requests in ${FLOOD_MS / 1000} s from ${CLIENTS} clients: ${tally(answers)}; ${failures.length} failed without an answer`, held: unexpected.length === 0 && failures.length === 0 && withRetryAfter },
      {
        figure: `/api/health during the flood: ${sorted.length} probes, p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms (target p99 ≤ 200 ms); errors ${healthErrors.length}`,
        // Fewer than half the probes a quick server answers in the time: it stalled.
        held: p99 <= 200 && healthErrors.length === 0 && sorted.length >= FLOOD_MS / 200,
      },
      { figure: `a signed-in phone's pull during the flood: ${pullSorted.length} probes, p50 ${percentile(pullSorted, 0.5).toFixed(1)} ms, p99 ${percentile(pullSorted, 0.99).toFixed(1)} ms, max ${(pullSorted.at(-1) ?? NaN).toFixed(1)} ms (target p99 ≤ 1 s)`, held: percentile(pullSorted, 0.99) <= 1000 },
      { figure: `server memory: peak RSS ${rssPeak} MB (${rssBefore} MB before the flood; 2 hashes × 128 MiB at most)`, held: rssPeak - rssBefore <= 400 },
    ];
  },
};

export const reactivationByWorker: AttackScenario = {
  name: 'sign-in-reactivation',
  attack: 'a community worker issues a new activation code for a retiree who already has a PIN (a PIN reset that would sign the retiree out everywhere)',
  async run(ctx) {
    const { call, count } = await signInServer(ctx);
    const who = DEMO.retireeOpen;
    const phone = await call('/api/auth/sign-in/retiree', { idNumber: who.idNumber, pin: who.pin, deviceId: 'zhang-own-phone-0001' });
    const worker = await call('/api/auth/sign-in', { ...DEMO.worker, deviceId: 'worker-phone-00001' });
    const retireeId = await count('SELECT id AS n FROM retirees WHERE id_number = ?', [who.idNumber]);
    const byWorker = await call(`/api/retirees/${retireeId}/activation-codes`, {}, { cookie: worker.cookie });
    const codes = await count('SELECT count(*) AS n FROM activation_codes WHERE retiree_id = ?', [retireeId]);
    const stillIn = await call('/api/me', undefined, { cookie: phone.cookie, method: 'GET' });

    const office = await call('/api/auth/sign-in', { ...DEMO.admin });
    const byOffice = await call(`/api/retirees/${retireeId}/activation-codes`, {}, { cookie: office.cookie });
    const used = byOffice.status === 201 ? await call('/api/auth/activate', { idNumber: who.idNumber, code: byOffice.body.code, pin: '502718' }) : null;
    const told = await call('/api/me', undefined, { cookie: phone.cookie, method: 'GET' });
    const audited = await count("SELECT count(*) AS n FROM audit_log WHERE event IN ('reactivation_refused', 'reactivation_code_issued', 'reactivated')");
    return [
      { figure: `worker asks for a code for an active account: ${byWorker.status} ${byWorker.body.error?.code ?? ''}; codes issued ${codes}; the retiree's phone still signed in: ${stillIn.status === 200}`, held: byWorker.status === 403 && byWorker.body.error?.code === 'reactivation_needs_office' && codes === 0 && stillIn.status === 200 },
      { figure: `the office may: ${byOffice.status}, used ${used?.status}; the retiree's phone then hears ${told.status} ${String(told.body.error?.details?.sessionEnded ?? '')}; audit entries ${audited} (refused, issued, reactivated)`, held: byOffice.status === 201 && told.body.error?.details?.sessionEnded === 'pin_reset' && audited === 3 },
    ];
  },
};

export const signInScenarios = [signInBruteForce, signInActivationCodes, signInHashFlood, reactivationByWorker];
