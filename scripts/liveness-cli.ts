// `npm run liveness -- --video PATH.mjpeg --steps turn_left,blink [--camera front|rear] [--audio PATH.wav] [--json]`
//
// Runs ONE liveness check on a video file: builds the test build if it is stale, starts the real
// server on a free port, launches headless Chromium with the file as its camera, opens the
// liveness harness (a test-build-only page) with that fixed sequence, and prints the verdict,
// per-step timings and inference stats. Exit 0 passed, 1 failed / timed out / abandoned,
// 2 usage or runtime error. Works on any .mjpeg or .y4m (Chromium's fake camera reads only those).
// The fake camera loops its file: the CLI says how often it looped by the verdict, and --once
// ends the check when the clip ends, so no verdict comes from the seam between two passes.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ACTION_IDS, type ActionId } from '../shared/liveness.ts';
import { ROOT } from './build.ts';
import { clipLength, loopsBy } from './lib/clip-length.ts';
import { PROMPTS } from '../web/liveness/prompts.ts';
import { VOICE_PARAMS, type VoiceOutcome } from '../shared/voice-check.ts';
import type { CheckReport, HarnessReport } from '../web/dev/liveness-report.ts';

export const USAGE = `usage: npm run liveness -- --video PATH.mjpeg|PATH.y4m --steps STEP[,STEP…] [options]

  --video PATH      the camera: an MJPEG (.mjpeg) or Y4M (.y4m) file; it loops
  --steps LIST      1-3 of ${ACTION_IDS.join(', ')}, in order
  --camera MODE     front (self mode, default) or rear (assist mode)
  --digits NNNN     the 4 digits for read_digits (default: random)
  --audio PATH.wav  the microphone: a WAV file (Chromium's fake microphone; it loops); the
                    read_digits answer is judged for syllables and a mouth in step with the voice
  --timeout SEC     end as timed_out after SEC seconds instead of 120 (test builds only)
  --once            end the check (timed_out) when the clip ends instead of letting the camera loop it
  --delegate D      auto (default), CPU or GPU
  --json            print one JSON object (verdict, reason, steps, inference, …) on stdout
  -h, --help        this text

exit status: 0 passed, 1 failed / timed out / abandoned, 2 usage or runtime error
(the spoof-risk and voice lines, and --json's spoofRisk and voice, never change it: a flagged
check, or digits not heard, that passed exits 0)`;

export const CONVERT_HINT = `Chromium's fake camera reads only .mjpeg and .y4m files. Convert with ffmpeg, e.g.:
  ffmpeg -i INPUT.mp4 -vf fps=30 -q:v 3 OUTPUT.mjpeg     (MJPEG always plays at 30 fps: re-time to 30 so real time is kept)
  ffmpeg -i INPUT.mp4 -pix_fmt yuv420p OUTPUT.y4m        (raw, ~7 MB per second at 640x480; plays at its own frame rate)`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliOptions {
  video: string;
  steps: ActionId[];
  camera: 'front' | 'rear';
  digits?: string;
  timeoutMs?: number;
  delegate: 'auto' | 'CPU' | 'GPU';
  json: boolean;
  /** End the check when the clip ends (no verdict from a second pass). */
  once?: true;
  /** A WAV file as the microphone (absolute path). */
  audio?: string;
}

/** Parses and checks the arguments; throws UsageError with a message for the person. `help` → null. */
export function parseArgs(argv: readonly string[]): CliOptions | null {
  const raw: Record<string, string | true> = {};
  const known = new Set(['video', 'steps', 'camera', 'digits', 'audio', 'timeout', 'delegate', 'json', 'once', 'help']);
  const flags = new Set(['json', 'once', 'help']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-h') {
      raw.help = true;
      continue;
    }
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new UsageError(`unexpected argument "${a}"`);
    const name = m[1] as string;
    if (!known.has(name)) throw new UsageError(`unknown option --${name}`);
    if (flags.has(name)) {
      raw[name] = true;
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    raw[name] = value;
  }
  if (raw.help) return null;
  if (typeof raw.video !== 'string') throw new UsageError('--video is required');
  if (typeof raw.steps !== 'string') throw new UsageError('--steps is required');

  const video = resolve(raw.video);
  const ext = extname(video).toLowerCase();
  if (ext !== '.mjpeg' && ext !== '.y4m') throw new UsageError(`${raw.video}: unsupported file type "${ext || '(none)'}".\n${CONVERT_HINT}`);
  if (!existsSync(video)) throw new UsageError(`${raw.video}: no such file`);
  if (!statSync(video).isFile() || statSync(video).size === 0) throw new UsageError(`${raw.video}: not a non-empty file`);

  const names = raw.steps
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length < 1 || names.length > 3) throw new UsageError(`--steps takes 1 to 3 steps, got ${names.length}`);
  for (const n of names) if (!(ACTION_IDS as readonly string[]).includes(n)) throw new UsageError(`unknown step "${n}"; steps are ${ACTION_IDS.join(', ')}`);
  if (new Set(names).size !== names.length) throw new UsageError('--steps: each step may appear once');

  const camera = raw.camera ?? 'front';
  if (camera !== 'front' && camera !== 'rear') throw new UsageError(`--camera must be front or rear, not "${String(camera)}"`);
  const delegate = raw.delegate ?? 'auto';
  if (delegate !== 'auto' && delegate !== 'CPU' && delegate !== 'GPU') throw new UsageError(`--delegate must be auto, CPU or GPU`);

  const opts: CliOptions = { video, steps: names as ActionId[], camera, delegate, json: raw.json === true };
  if (raw.once === true) opts.once = true;
  if (raw.digits !== undefined) {
    if (typeof raw.digits !== 'string' || !/^\d{4}$/.test(raw.digits)) throw new UsageError('--digits must be 4 digits');
    if (!names.includes('read_digits')) throw new UsageError('--digits is only for the read_digits step');
    opts.digits = raw.digits;
  }
  if (raw.audio !== undefined) {
    const audio = resolve(String(raw.audio));
    if (extname(audio).toLowerCase() !== '.wav') throw new UsageError(`--audio takes a .wav file (Chromium's fake microphone reads only WAV), not "${String(raw.audio)}"`);
    if (!existsSync(audio) || !statSync(audio).isFile()) throw new UsageError(`${String(raw.audio)}: no such file`);
    if (!names.includes('read_digits')) throw new UsageError('--audio is only for the read_digits step');
    opts.audio = audio;
  }
  if (raw.timeout !== undefined) {
    const s = Number(raw.timeout);
    if (!Number.isFinite(s) || s < 5 || s > 600) throw new UsageError('--timeout must be a number of seconds from 5 to 600');
    opts.timeoutMs = Math.round(s * 1000);
  }
  return opts;
}

export interface CliJson {
  verdict: CheckReport['verdict'];
  reason: CheckReport['reason'];
  advice: string | null;
  video: string;
  camera: 'front' | 'rear';
  /** One pass of the clip, ms, and the passes the camera had completed by the verdict (0: it never looped). */
  clipMs: number;
  looped: number;
  /** --once: the check ended when the clip did. */
  once: boolean;
  sequence: CheckReport['sequence'];
  durationMs: number;
  baselineMs: number;
  restarts: number;
  steps: CheckReport['steps'];
  inference: CheckReport['inference'];
  runtime: HarnessReport['runtime'];
  keyFrames: { bytes: number; width: number; height: number; quality: number }[];
  audio: CheckReport['audio'];
  result: CheckReport['result'];
  /** How much the clip looks like a replayed screen or a print (issue 18 §5); null from an engine without the meter. */
  spoofRisk: { score: number; threshold: number; flagged: boolean } | null;
  /** read_digits: whether the answer was heard in step with the mouth (issue 18 §4, decision 079); null otherwise. */
  voice: NonNullable<CheckReport['result']['voice']> | null;
}

export function toJson(opts: CliOptions, report: HarnessReport, check: CheckReport, clipMs: number): CliJson {
  return {
    verdict: check.verdict,
    reason: check.reason,
    advice: check.reason ? PROMPTS[`advice.${check.reason}`].en : null,
    video: opts.video,
    camera: opts.camera,
    clipMs,
    looped: loopsBy(check.cameraEndMs, clipMs),
    once: opts.once === true,
    sequence: check.sequence,
    durationMs: check.durationMs,
    baselineMs: check.baselineMs,
    restarts: check.restarts,
    steps: check.steps,
    inference: check.inference,
    runtime: report.runtime,
    keyFrames: check.keyFrames.map(({ bytes, width, height, quality }) => ({ bytes, width, height, quality })),
    audio: check.audio,
    result: check.result,
    spoofRisk: check.result.spoofRisk ? { score: check.result.spoofRisk.score, threshold: check.result.spoofRisk.threshold, flagged: check.result.spoofRisk.flagged } : null,
    voice: check.result.voice ?? null,
  };
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** How often the camera looped the clip, and what that means for the verdict, in one line. */
export function loopLine(opts: CliOptions, c: CheckReport, clipMs: number): string {
  const looped = loopsBy(c.cameraEndMs, clipMs);
  const passes = looped === 0 ? 'the clip never looped' : `the camera looped the clip ${looped} time${looped === 1 ? '' : 's'}`;
  const note = opts.once
    ? c.verdict === 'timed_out' || c.reason === 'camera_unavailable'
      ? '; --once: the check ended with the clip'
      : ''
    : looped > 0
      ? '; a step passed after a loop may come from the seam between the clip\'s end and its start (--once stops at the end)'
      : '';
  return `  camera: clip ${sec(clipMs)}, ${passes}${note}`;
}

export function formatText(opts: CliOptions, report: HarnessReport, c: CheckReport, clipMs: number): string {
  const unit = (a: string) => (a === 'turn_left' || a === 'turn_right' || a === 'look_up' ? '°' : '');
  const lines = [
    `Liveness check: ${c.verdict.toUpperCase().replace('_', ' ')}${c.reason ? ` (${c.reason})` : ''}`,
    `  video ${opts.video}, ${opts.camera} camera, steps ${c.sequence.actions.join(' → ')}${c.sequence.digits ? ` (digits ${c.sequence.digits})` : ''}`,
    loopLine(opts, c, clipMs),
    `  baseline (look straight) ready after ${sec(c.baselineMs)}${c.restarts ? `, ${c.restarts} restart(s)` : ''}`,
  ];
  c.steps.forEach((s, i) => {
    const peak = `peak ${s.peak}${unit(s.action)}${s.count !== undefined ? `, count ${s.count}` : ''}`;
    const pass = s.passedAtCameraMs !== null && loopsBy(s.passedAtCameraMs, clipMs) > 0 ? `, clip pass ${loopsBy(s.passedAtCameraMs, clipMs) + 1}` : '';
    const swap = s.replaces ? ` (asked: ${s.replaces}; no usable blink)` : '';
    lines.push(`  ${i + 1}. ${s.action.padEnd(11)} ${s.passed ? `passed ${sec(s.durationMs)} after its prompt (at ${sec(s.passedAtMs ?? 0)}${pass})` : `not passed (${sec(s.durationMs)} waited)`}, ${peak}${swap}`);
  });
  const inf = c.inference;
  lines.push(
    `  total ${sec(c.durationMs)}`,
    `  inference: ${inf.frames} frames, ${inf.fps} fps, median ${inf.medianMs} ms, p95 ${inf.p95Ms} ms, max ${inf.maxMs} ms; ${inf.delegate} delegate, ${inf.inWorker ? 'in a Worker' : 'NOT in a Worker'}${inf.frameSize ? `, ${inf.frameSize.width}x${inf.frameSize.height}` : ''}`,
    `  runtime load ${report.runtime ? sec(report.runtime.loadMs) : '?'}; key frames: ${c.keyFrames.map((k) => `${(k.bytes / 1024).toFixed(1)} KB`).join(', ') || 'none'}${c.audio ? `; audio: ${c.audio.status}${c.audio.bytes ? ` ${(c.audio.bytes / 1024).toFixed(1)} KB` : ''}` : ''}`,
  );
  if (c.reason) lines.push(`  advice: ${PROMPTS[`advice.${c.reason}`].en}`);
  lines.push(spoofLine(c.result.spoofRisk));
  if (c.result.voice) lines.push(voiceLine(c.result.voice));
  return lines.join('\n');
}

/** The spoof-risk verdict in one line; it never changes the exit status (that is the actions' verdict). */
export function spoofLine(risk: CheckReport['result']['spoofRisk']): string {
  if (!risk) return '  spoof risk: not measured';
  const i = risk.inputs;
  const n = (x: number | null, d = 3) => (x === null ? '–' : x.toFixed(d));
  return `  spoof risk: ${risk.score.toFixed(2)} (threshold ${risk.threshold.toFixed(2)}) — ${risk.flagged ? 'FLAGGED: the office would review this check as "spoof risk"' : 'not flagged'}; texture ${n(i.texture)}, bezel ${n(i.bezel, 1)}, planarity ${n(i.planarity)}, size jumps ${i.sizeJumps}, ${i.frames} frames`;
}

const VOICE_WORDS: Record<VoiceOutcome, string> = {
  heard: 'heard, in step with the mouth',
  not_heard: 'NOT HEARD: the office would review this check as "digits not heard"',
  out_of_step: 'OUT OF STEP: the office would review this check as "voice and mouth not in step"',
  no_microphone: 'no microphone: the office would review this check as "digits not heard"',
};

/** The read-digits voice outcome in one line; like spoof risk, it never changes the exit status. */
export function voiceLine(voice: NonNullable<CheckReport['result']['voice']>): string {
  const n = (x: number | null, d: number) => (x === null ? '–' : x.toFixed(d));
  return `  voice: ${VOICE_WORDS[voice.outcome]}; ${voice.syllables ?? '–'} syllables (need ${VOICE_PARAMS.minSyllables}), mouth-to-voice ${n(voice.sync, 2)} (need ${VOICE_PARAMS.minSync}) at ${voice.lagMs ?? '–'} ms, floor ${n(voice.floorDb, 1)} dB, peak ${n(voice.peakDb, 1)} dB, ${sec(voice.windowMs)} recorded`;
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const fail = (message: string, kind: 'usage' | 'runtime'): number => {
    process.stderr.write(`liveness: ${message}\n${kind === 'usage' ? `\n${USAGE}\n` : ''}`);
    if (json) process.stdout.write(`${JSON.stringify({ verdict: null, error: { kind, message } })}\n`);
    return 2;
  };
  let opts: CliOptions | null;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message, 'usage');
    throw err;
  }
  if (!opts) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let clipMs: number;
  try {
    clipMs = clipLength(opts.video).ms;
  } catch (err) {
    return fail(`${opts.video}: ${(err as Error).message}`, 'usage');
  }

  // Everything but the result goes to stderr, so `--json` output is exactly one JSON object. The
  // build runs in a child process whose stdout is our stderr: Vite's bundler prints progress
  // straight to file descriptor 1.
  const toStderr = (s: string) => process.stderr.write(`${s}\n`);
  const built = await new Promise<number | null>((done) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/build.ts', '--test'], { cwd: ROOT, stdio: ['ignore', process.stderr, 'inherit'] });
    child.on('exit', (code) => done(code));
    child.on('error', () => done(null));
  });
  if (built !== 0) return fail('could not build the test build (see the messages above)', 'runtime');

  const { startServer } = await import('./harness/server.ts');
  const { openHarnessBrowser } = await import('./harness/liveness-run.ts');
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  let browser: Awaited<ReturnType<typeof openHarnessBrowser>> | null = null;
  try {
    if (!json) toStderr(`Running the check on ${opts.video} …`);
    server = await startServer();
    browser = await openHarnessBrowser(server.url, opts.video, opts.audio ? [`--use-file-for-fake-audio-capture=${opts.audio}`] : []);
    const report = await browser.run({
      steps: opts.steps.join(','),
      camera: opts.camera,
      delegate: opts.delegate,
      ...(opts.digits ? { digits: opts.digits } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.once ? { untilCameraMs: clipMs } : {}),
    });
    if (report.status === 'error' || !report.checks[0]) {
      const e = report.error;
      const hint = e?.kind.startsWith('camera.') ? ` (is ${opts.video} a valid ${extname(opts.video)} file? ${CONVERT_HINT.split('\n')[0]})` : '';
      return fail(`the check could not run: ${e ? `${e.kind}: ${e.message}` : 'no result'}${hint}`, 'runtime');
    }
    const check = report.checks[0];
    if (json) process.stdout.write(`${JSON.stringify(toJson(opts, report, check, clipMs))}\n`);
    else process.stdout.write(`${formatText(opts, report, check, clipMs)}\n`);
    return check.verdict === 'passed' ? 0 : 1;
  } catch (err) {
    return fail((err as Error).message, 'runtime');
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
