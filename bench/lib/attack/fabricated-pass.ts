// The critical finding of issue 15: a made-up "passed" result certified. Here a retiree session (a
// stolen PIN on a device id the attacker picks), the family member and the community worker each
// push what the attack pushed — no key frames, "0 frames analysed in 0 ms" — and then the better
// forgeries: made-up timings with pictures attached, and plausible timings with pictures that show
// no face. The server with its face threads decides; none of it may certify.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DEMO } from '../../../server/seed/demo.ts';
import { syntheticJpeg, syntheticResult } from '../../../shared/sync-fixtures.ts';
import type { ChallengeGrant, PushResponse } from '../../../shared/sync.ts';
import type { LivenessResult } from '../../../shared/liveness.ts';
import { uuidv7 } from '../../../shared/uuid7.ts';
import { withDb } from '../sync-setup.ts';
import type { AttackScenario } from './scenario.ts';

interface Session {
  who: string;
  cookie: string;
  method: 'self' | 'family' | 'worker';
}

type Forgery = 'no frames, 0 ms' | 'pictures, 0 ms' | 'plausible, no face';

function forge(kind: Forgery, grant: ChallengeGrant): { result: LivenessResult; frames: Uint8Array[] } {
  const result = syntheticResult(grant);
  if (kind === 'plausible, no face') return { result, frames: [syntheticJpeg(256, 256, 9000, 1), syntheticJpeg(256, 256, 9000, 2)] };
  result.durationMs = result.baselineMs = 0;
  result.steps = result.steps.map((s) => ({ ...s, durationMs: 0 }));
  result.inference = { frames: 0, medianMs: 0, p95Ms: 0, delegate: 'CPU' };
  return { result, frames: kind === 'no frames, 0 ms' ? [] : [syntheticJpeg(256, 256, 9000, 3), syntheticJpeg(256, 256, 9000, 4)] };
}

export const fabricatedPass: AttackScenario = {
  name: 'fabricated-pass',
  attack: 'retiree (stolen PIN, any device id), family and worker sessions push made-up "passed" results',
  async run(ctx) {
    const server = await ctx.startServer({ MATCH_THREADS: '1', SEED_DEMO: '1' });
    const dbPath = join(ctx.dir, 'stillhere.sqlite');
    const origin = server.url;
    const post = async (path: string, cookie: string, body: string | FormData, json = true) => {
      const res = await fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { Origin: origin, Cookie: cookie, ...(json ? { 'Content-Type': 'application/json' } : {}) },
        body,
      });
      return { status: res.status, cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), body: (await res.json()) as unknown };
    };
    const device = () => `attacker-${randomBytes(6).toString('hex')}`;
    const sessions: Session[] = [
      { who: 'retiree', method: 'self', cookie: (await post('/api/auth/sign-in/retiree', '', JSON.stringify({ idNumber: DEMO.retireeOpen.idNumber, pin: DEMO.retireeOpen.pin, deviceId: device() }))).cookie },
      { who: 'family', method: 'family', cookie: (await post('/api/auth/sign-in', '', JSON.stringify({ ...DEMO.family, deviceId: device() }))).cookie },
      { who: 'worker', method: 'worker', cookie: (await post('/api/auth/sign-in', '', JSON.stringify({ ...DEMO.worker, deviceId: device() }))).cookie },
    ];
    const retireeId = await withDb(dbPath, async (db) => (await db.get<{ id: number }>('SELECT id FROM retirees WHERE id_number = ?', [DEMO.retireeOpen.idNumber]))!.id);

    const pushed: { who: string; forgery: Forgery; id: string; answer: string }[] = [];
    let seq = 0;
    for (const s of sessions) {
      for (const forgery of ['no frames, 0 ms', 'pictures, 0 ms', 'plausible, no face'] as const) {
        const grants = (await post('/api/sync/challenges', s.cookie, JSON.stringify({ count: 1 }))).body as { challenges: ChallengeGrant[] };
        const grant = grants.challenges[0]!;
        const { result, frames } = forge(forgery, grant);
        const id = uuidv7();
        const item = {
          id,
          seq: ++seq,
          retireeId,
          method: s.method,
          challengeToken: grant.token,
          deviceTime: Date.now(),
          result,
          blobs: frames.map((f, i) => ({ part: `p${i}`, kind: 'frame', type: 'image/jpeg', bytes: f.length, sha256: createHash('sha256').update(f).digest('hex') })),
        };
        const form = new FormData();
        form.set('batch', JSON.stringify({ items: [item] }));
        frames.forEach((f, i) => form.set(`p${i}`, new Blob([f as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), `p${i}`));
        const res = await post('/api/sync/push', s.cookie, form, false);
        const r = (res.body as PushResponse).results?.[0];
        pushed.push({ who: s.who, forgery, id, answer: r && r.status !== 'rejected' ? JSON.stringify(r.outcome) : `HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 120)}` });
      }
    }

    // The ones the push stored as `verifying` are decided by the face match: wait for it (≤ 60 s).
    const outcomes = await withDb(dbPath, async (db) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const rows = await db.all<{ id: string; outcome: string; review_reason: string | null }>(
          `SELECT id, outcome, review_reason FROM attempts WHERE id IN (${pushed.map(() => '?').join(',')})`,
          pushed.map((p) => p.id),
        );
        if (rows.every((r) => r.outcome !== 'verifying') || Date.now() > deadline) return new Map(rows.map((r) => [r.id, r]));
        await new Promise((r) => setTimeout(r, 500));
      }
    });
    const certified = await withDb(dbPath, async (db) =>
      (await db.get<{ n: number }>(`SELECT count(*) AS n FROM certifications WHERE status = 'approved' AND evidence_ref IN (${pushed.map(() => '?').join(',')})`, pushed.map((p) => p.id)))!.n,
    );
    const lines = pushed.map((p) => {
      const o = outcomes.get(p.id);
      return `${p.who.padEnd(7)} ${p.forgery.padEnd(19)} push ${p.answer}; decided ${o ? `${o.outcome}${o.review_reason ? ` (${o.review_reason})` : ''}` : 'not stored'}`;
    });
    const stillVerifying = [...outcomes.values()].filter((o) => o.outcome === 'verifying').length;
    return [
      ...lines.map((figure) => ({ figure, held: !/decided certified/.test(figure) })),
      { figure: `${pushed.length} fabricated passes from 3 roles: ${certified} certified, ${stillVerifying} still undecided after 60 s`, held: certified === 0 && stillVerifying === 0 },
    ];
  },
};
