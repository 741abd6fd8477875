// `npm run bench -- liveness --lowend [--throttle 4] [--clips a,b] [--seconds 40]` (issue 18 §3):
// every fixture clip runs the sequence it performs (and, for clips that perform nothing, a blink
// and a turn) once at full speed and once with Chromium's CPU slowed down --throttle times (CDP
// Emulation.setCPUThrottlingRate on the page, a low-end phone), and prints the analysed frames per
// second and the verdict of each. The verdicts must not change with the frame rate.
import { openHarnessBrowser, type HarnessReport } from '../../scripts/harness/liveness-run.ts';
import { videoFixture } from '../../scripts/harness/shared-data.ts';
import { CLIP_ACTIONS, type ClipName } from '../../scripts/harness/trace-fixtures.ts';

export interface LowEndRow {
  clip: string;
  steps: string;
  full: { verdict: string; fps: number };
  throttled: { verdict: string; fps: number };
  same: boolean;
}

function stepsFor(clip: string): string {
  const does = CLIP_ACTIONS[clip as ClipName];
  if (!does || does === 'unasserted' || does.length === 0) return 'blink,turn_left';
  // The harness takes 1-3 distinct steps; the clip's own actions in the README's order.
  return does.slice(0, 3).join(',');
}

const summary = (r: HarnessReport) => {
  const c = r.checks[0];
  return c ? { verdict: c.verdict, fps: c.inference.fps } : { verdict: `error ${r.error?.kind ?? r.status}`, fps: 0 };
};

export async function lowEndSection(serverUrl: string, clips: readonly string[], throttle: number, seconds: number): Promise<LowEndRow[]> {
  const rows: LowEndRow[] = [];
  console.log(`low-end phone: each clip's sequence at full speed and with the CPU slowed ${throttle}× (CDP), ${seconds} s limit each`);
  for (const clip of clips) {
    const steps = stepsFor(clip);
    const h = await openHarnessBrowser(serverUrl, videoFixture(`${clip}.mjpeg`));
    try {
      const q = { steps, timeoutMs: seconds * 1000, mic: false, ...(steps.includes('read_digits') ? { digits: '3729' } : {}) };
      const full = summary(await h.run(q));
      const throttled = summary(await h.run({ ...q, cpuThrottle: throttle }));
      const row = { clip, steps, full, throttled, same: full.verdict === throttled.verdict };
      rows.push(row);
      console.log(`${clip.padEnd(30)} ${steps.padEnd(32)} 1×: ${full.verdict.padEnd(9)} ${full.fps.toFixed(1).padStart(5)} fps   ${throttle}×: ${throttled.verdict.padEnd(9)} ${throttled.fps.toFixed(1).padStart(5)} fps   ${row.same ? 'same verdict' : 'VERDICT CHANGED'}`);
    } finally {
      await h.close();
    }
  }
  const changed = rows.filter((r) => !r.same);
  console.log(`low-end: ${rows.length} clips, ${changed.length} verdicts changed${changed.length ? ` (${changed.map((r) => r.clip).join(', ')})` : ''}; fps median 1× ${median(rows.map((r) => r.full.fps)).toFixed(1)}, ${throttle}× ${median(rows.map((r) => r.throttled.fps)).toFixed(1)}`);
  return rows;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : 0;
}
