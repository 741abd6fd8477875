// Push-to-decision delay of the server's face match under load (issue 14, decision 050): the real
// server in its own process with its face threads, retirees that each hold a reference photo,
// passed checks carrying two real phone-like key frames of that person, pushed in an open loop at a
// fixed rate. Measures the push latency while the match runs (matching must not slow the push), and
// for every attempt the delay from its arrival to its decision (attempts.matched_at − received_at,
// both on the server's clock).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { loadFaceModel } from '../../server/face/face-model.ts';
import { frameAt, keyframeFromClip } from '../../server/face/test-keyframes.ts';
import { addReference } from '../../server/store/reference-faces.ts';
import { syntheticResult } from '../../shared/sync-fixtures.ts';
import { uuidv7 } from '../../shared/uuid7.ts';
import { loopbackClient } from './loopback-client.ts';
import { cpuSecondsOf, startBenchServer } from './server.ts';
import { seedPhones, withDb, type Body } from './sync-setup.ts';
import { issueChallenges } from '../../server/sync/tokens.ts';

export interface MatchLoadResult {
  rate: number;
  attempts: number;
  threads: number;
  pushP50: number;
  pushP99: number;
  decided: number;
  outcomes: Record<string, number>;
  delayP50: number;
  delayP95: number;
  delayMax: number;
  /** Attempts decided per second while the queue was never empty. */
  drainRate: number;
  /** The server process's CPU (all threads: pushes, database, face threads) per decided check, in ms. */
  serverCpuMsPerCheck: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

function multipart(json: string, frames: Uint8Array[]): Body {
  const boundary = `----stillhere${uuidv7().replace(/-/g, '')}`;
  const parts: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="batch"\r\n\r\n${json}\r\n`)];
  frames.forEach((f, i) => parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="p${i}"; filename="p${i}"\r\nContent-Type: image/jpeg\r\n\r\n`), Buffer.from(f), Buffer.from('\r\n')));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { data: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function measureMatchLoad({ rate, seconds, threads }: { rate: number; seconds: number; threads: number }): Promise<MatchLoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'stillhere-bench-match-'));
  const dbPath = join(dir, 'stillhere.sqlite');
  const attempts = Math.round(rate * seconds);
  try {
    // One retiree (and phone) per attempt, each with the same person's office photo as reference.
    const phones = await seedPhones(dbPath, attempts);
    const model = await loadFaceModel();
    const photo = frameAt('turn_left_right_woman_hijab', 0.3);
    const reading = await model.describe(photo, 'photo');
    const frames = [await keyframeFromClip('nod_up_down_woman_hijab', 0.3, model), await keyframeFromClip('nod_up_down_woman_hijab', 3.5, model)];
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const now = Date.now();
    const bodies = await withDb(dbPath, (db) =>
      db.transaction(async () => {
        const out: { cookie: string; body: Body }[] = [];
        for (const p of phones) {
          await addReference(db, { retireeId: p.retireeId, source: 'office_photo', status: 'active', descriptor: reading.descriptor!, photo, photoType: 'image/jpeg', sha256: sha(photo), width: 640, height: 480, addedBy: null, at: now });
          const [grant] = await issueChallenges(db, p.userId, p.deviceId, 1, now);
          const json = JSON.stringify({
            items: [{
              id: uuidv7(), seq: 1, retireeId: p.retireeId, method: 'self', challengeToken: grant!.token, deviceTime: now, result: syntheticResult(grant!),
              blobs: frames.map((f, i) => ({ part: `p${i}`, kind: 'frame', type: 'image/jpeg', bytes: f.length, sha256: sha(f) })),
            }],
          });
          out.push({ cookie: p.cookie, body: multipart(json, frames) });
        }
        return out;
      }),
    );

    const server = await startBenchServer(dir, { MATCH_THREADS: String(threads) });
    const client = loopbackClient(server.url, 64);
    const latencies: number[] = [];
    const outcomes: Record<string, number> = {};
    let serverCpu = 0;
    try {
      // Let the face threads load their model first: a server that has been up a while has.
      await new Promise((r) => setTimeout(r, 8_000));
      const cpuBefore = cpuSecondsOf(server.pid);
      const start = performance.now();
      const inflight: Promise<void>[] = [];
      for (let i = 0; i < bodies.length; i++) {
        const scheduled = start + (i / rate) * 1000;
        const wait = scheduled - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const b = bodies[i]!;
        inflight.push(
          client.post('/api/sync/push', b.body, b.cookie).then((res) => {
            latencies.push(performance.now() - scheduled);
            const kind = /"kind":"(\w+)"/.exec(res.body)?.[1] ?? `http_${res.status}`;
            outcomes[`push:${kind}`] = (outcomes[`push:${kind}`] ?? 0) + 1;
          }),
        );
      }
      await Promise.all(inflight);
      // Wait for the queue to empty (or give up after 10 minutes).
      const deadline = Date.now() + 600_000;
      while (Date.now() < deadline) {
        const left = await withDb(dbPath, (db) => db.get<{ n: number }>('SELECT count(*) AS n FROM match_jobs'));
        if (left!.n === 0) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      serverCpu = cpuSecondsOf(server.pid) - cpuBefore;
    } finally {
      client.close();
      await server.stop();
    }
    const rows = await withDb(dbPath, (db) => db.all<{ outcome: string; received_at: number; matched_at: number | null }>('SELECT outcome, received_at, matched_at FROM attempts'));
    const delays = rows.filter((r) => r.matched_at !== null).map((r) => r.matched_at! - r.received_at).sort((a, b) => a - b);
    for (const r of rows) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const first = Math.min(...rows.map((r) => r.received_at));
    const last = Math.max(...rows.map((r) => r.matched_at ?? 0));
    latencies.sort((a, b) => a - b);
    return {
      rate,
      attempts,
      threads,
      pushP50: pct(latencies, 50),
      pushP99: pct(latencies, 99),
      decided: delays.length,
      outcomes,
      delayP50: pct(delays, 50),
      delayP95: pct(delays, 95),
      delayMax: delays.at(-1) ?? NaN,
      drainRate: delays.length / ((last - first) / 1000),
      serverCpuMsPerCheck: (serverCpu * 1000) / Math.max(1, delays.length),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
