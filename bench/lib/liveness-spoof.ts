// The spoof section of `npm run bench -- liveness` (issue 18 §5): every fixture clip through the real
// engine in headless Chromium for a few seconds, its spoof-risk score on the phone and as the server
// computes it again (key frames included), and the error rates: APCER (spoof clips not flagged, of
// all spoof clips) and BPCER (genuine clips flagged, of all genuine clips). Clips named spoof_* are
// the attacks. `--spoof-only` runs just this section.
import { openHarnessBrowser, type CheckReport } from '../../scripts/harness/liveness-run.ts';
import { videoFixture } from '../../scripts/harness/shared-data.ts';
import { spoofCheck } from '../../server/sync/spoof-check.ts';

export interface SpoofRow {
  clip: string;
  attack: boolean;
  frames: number;
  texture: number | null;
  bezel: number | null;
  planarity: number | null;
  sizeJumps: number;
  phoneScore: number;
  keyFrameTexture: number | null;
  serverScore: number;
  flagged: boolean;
}

/** A check with a sequence of every kind of action, so the clip's own turns and nods are measured. */
const STEPS = 'turn_left,blink,look_up';

export async function spoofSection(serverUrl: string, clips: readonly string[], seconds: number): Promise<SpoofRow[]> {
  const rows: SpoofRow[] = [];
  console.log(`\nspoof risk: ${clips.length} clips, one check of ${seconds} s each (steps ${STEPS}; the score does not depend on them)`);
  for (const clip of clips) {
    // A fixture's name, or a path to any .mjpeg/.y4m (a clip made for the occasion, never committed).
    const h = await openHarnessBrowser(serverUrl, clip.includes('/') ? clip : videoFixture(`${clip}.mjpeg`));
    try {
      const report = await h.run({ steps: STEPS, runMs: seconds * 1000, mic: false });
      const c: CheckReport | undefined = report.checks[0];
      const risk = c?.result.spoofRisk;
      if (!c || !risk) throw new Error(`${clip}: no spoof risk in the result (${report.status} ${JSON.stringify(report.error ?? {})})`);
      const server = spoofCheck(c.result, c.keyFrames.map((k) => new Uint8Array(Buffer.from(k.base64, 'base64'))));
      const i = risk.inputs;
      const row: SpoofRow = {
        clip,
        attack: /(^|\/)spoof_[^/]*$/.test(clip),
        frames: i.frames,
        texture: i.texture,
        bezel: i.bezel,
        planarity: i.planarity,
        sizeJumps: i.sizeJumps,
        phoneScore: risk.score,
        keyFrameTexture: server.keyFrameTexture,
        serverScore: server.score,
        flagged: server.flagged,
      };
      rows.push(row);
      const n = (x: number | null, d = 3) => (x === null ? '   –  ' : x.toFixed(d));
      console.log(
        `${clip.padEnd(30)} ${row.attack ? 'attack ' : 'genuine'} ${String(row.frames).padStart(4)} frames  texture ${n(row.texture)} bezel ${n(row.bezel, 1).padStart(5)} planarity ${n(row.planarity)} jumps ${row.sizeJumps}  phone ${row.phoneScore.toFixed(2)}  key-frame texture ${n(row.keyFrameTexture)}  server ${row.serverScore.toFixed(2)}  ${row.flagged ? 'FLAGGED' : ''}`,
      );
    } finally {
      await h.close();
    }
  }
  const attacks = rows.filter((r) => r.attack);
  const genuine = rows.filter((r) => !r.attack);
  const pct = (a: number, b: number) => (b ? `${a}/${b} = ${((100 * a) / b).toFixed(0)}%` : 'n/a');
  const missed = attacks.filter((r) => !r.flagged).length;
  const falseFlags = genuine.filter((r) => r.flagged).length;
  console.log(`spoof risk: APCER (attacks not flagged) ${pct(missed, attacks.length)}; BPCER (genuine flagged) ${pct(falseFlags, genuine.length)}`);
  console.log(`  goal: every attack flagged — ${missed === 0 ? 'met' : 'NOT met'}; at most 1 in 10 genuine flagged — ${falseFlags * 10 <= genuine.length ? 'met' : 'NOT met'}`);
  return rows;
}
