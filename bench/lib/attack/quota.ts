// Issue 15's storage finding: one retiree session stored 149 MB in 20 s through POST /api/sync/push.
// Here one signed-in retiree phone pushes attempts with three 19 KB key frames each (as large as a
// push may be) for 20 s, on 16 connections, as fast as the server answers; then another retiree's
// phone pushes one ordinary check. Held: the first stored no more than its daily quota (decision
// 052; QUOTA_RETIREE, 30 records / 3 MB by default), the rest was answered quota_exceeded, and the
// other retiree was not affected.
import { join } from 'node:path';
import { DEFAULT_PUSH_QUOTA } from '../../../server/config.ts';
import type { PushResponse } from '../../../shared/sync.ts';
import { loopbackClient } from '../loopback-client.ts';
import { attemptBody, seedPhones, tokensFor, withDb } from '../sync-setup.ts';
import type { AttackScenario } from './scenario.ts';

const SECONDS = 20;
const SOCKETS = 16;
const MB = 1024 * 1024;

export const quota: AttackScenario = {
  name: 'quota',
  attack: `one retiree session pushes 57 KB attempts as fast as it can for ${SECONDS} s (the finding: 149 MB stored in 20 s)`,
  async run(ctx) {
    const dbPath = join(ctx.dir, 'stillhere.sqlite');
    const [attacker, neighbour] = await seedPhones(dbPath, 2);
    const server = await ctx.startServer({ MATCH_THREADS: '0' });
    const client = loopbackClient(server.url, SOCKETS);
    const limit = DEFAULT_PUSH_QUOTA.retiree;

    const answers = new Map<string, number>();
    const count = (key: string) => answers.set(key, (answers.get(key) ?? 0) + 1);
    let seq = 0;
    let pushes = 0;
    const until = performance.now() + SECONDS * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: SOCKETS }, async () => {
        while (performance.now() < until) {
          // No challenge token: the attacker does not care whether it certifies, only what is stored.
          const { body } = attemptBody({ seq: ++seq, retireeId: attacker!.retireeId, grant: null, frames: 3, frameBytes: 19_000 });
          const res = await client.post('/api/sync/push', body, attacker!.cookie);
          pushes++;
          if (res.status !== 200) {
            count(`HTTP ${res.status}`);
            continue;
          }
          for (const r of (JSON.parse(res.body) as PushResponse).results) count(r.status === 'rejected' ? r.reason : r.status);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    // The neighbour's ordinary check, on their own phone, right after the flood.
    const [grant] = await tokensFor(dbPath, neighbour!, 1);
    const own = await client.post('/api/sync/push', attemptBody({ seq: 1, retireeId: neighbour!.retireeId, grant: grant!, frames: 2, frameBytes: 12_000 }).body, neighbour!.cookie);
    const ownAnswer = own.status === 200 ? (JSON.parse(own.body) as PushResponse).results[0] : null;
    client.close();

    const stored = await withDb(dbPath, (db) =>
      db.get<{ records: number; bytes: number; evidence: number }>(
        `SELECT count(*) AS records, coalesce(sum(blob_bytes + length(result)), 0) AS bytes, coalesce(sum(blob_bytes), 0) AS evidence FROM attempts WHERE user_id = ?`,
        [attacker!.userId],
      ),
    );
    const { records, bytes, evidence } = stored!;
    const tally = [...answers].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
    return [
      {
        figure: `${pushes} pushes in ${seconds.toFixed(1)} s (${tally}): ${(bytes / MB).toFixed(2)} MB stored (${(evidence / MB).toFixed(2)} MB of key frames) in ${records} attempts; the day's quota is ${limit.records} records / ${(limit.bytes / MB).toFixed(0)} MB`,
        held: records <= limit.records && bytes <= limit.bytes && (answers.get('quota_exceeded') ?? 0) > 0,
      },
      {
        figure: `another retiree's check on their own phone right after: ${ownAnswer ? (ownAnswer.status === 'rejected' ? `rejected ${ownAnswer.reason}` : ownAnswer.status) : `HTTP ${own.status}`}`,
        held: ownAnswer?.status === 'accepted',
      },
    ];
  },
};
