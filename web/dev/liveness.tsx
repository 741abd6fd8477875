// Test-only page (built only by `vite build --mode test`): runs liveness checks with the REAL
// runtime (module Worker, MediaPipe from our origin, camera) and a caller-chosen sequence, and
// publishes the outcome on window.__liveness and in #liveness-report for Playwright, the CLI and
// the benchmark. Deliberately thin: everything it does goes through web/liveness/runtime.
//
//   /dev/liveness.html?steps=turn_left,blink&camera=front|rear&digits=1234
//     &delegate=auto|CPU|GPU  &timeoutMs=30000 (shorter total time, test builds only)
//     &checks=2 (run several checks on one runtime)  &runMs=8000 (cancel each check after this)
//     &untilCameraMs=8000 (end the check as timed_out when the camera has played this long: the
//      CLI's --once, so a looping fake camera never gives a verdict from its second pass)
//     &mic=0  &lang=en  &dispose=1 (close the runtime at the end)
import { createSignal, For, Show } from 'solid-js';
import { render } from 'solid-js/web';
import { promptText, type Lang } from '../liveness/prompts.ts';
import {
  attachCamera,
  CameraError,
  createLivenessSession,
  createRecordingSpeaker,
  loadLivenessRuntime,
  openCamera,
  runtimeLoadCount,
  RuntimeLoadError,
  runtimeMessage,
  openAudioCapture,
  type AudioCapture,
  type CameraMode,
  type LivenessOutcome,
} from '../liveness/runtime/index.ts';
import { fixedSequence, parseSteps } from '../liveness/runtime/sequence.ts';
import type { DelegatePreference } from '../liveness/runtime/protocol.ts';
import type { ChallengeState } from '../liveness/challenge.ts';
import type { CheckReport, HarnessReport, KeyFrameReport } from './liveness-report.ts';
import './liveness.css';

const q = new URLSearchParams(location.search);
const lang: Lang = q.get('lang') === 'en' ? 'en' : 'zh-CN';
const mode: CameraMode = q.get('camera') === 'rear' ? 'rear' : 'front';
const delegate = (['auto', 'CPU', 'GPU'].includes(q.get('delegate') ?? '') ? q.get('delegate') : 'auto') as DelegatePreference;
const checks = Math.max(1, Math.min(5, Number(q.get('checks') ?? 1) || 1));
const runMs = Number(q.get('runMs') ?? 0) || 0;
const timeoutMs = Number(q.get('timeoutMs') ?? 0) || undefined;
const untilCameraMs = Number(q.get('untilCameraMs') ?? 0) || undefined;

const report: HarnessReport = {
  status: 'loading',
  camera: null,
  runtime: null,
  firstResultSincePageMs: null,
  startToFirstResultMs: null,
  checks: [],
  longTasks: { count: 0, totalMs: 0, maxMs: 0, duringChecks: 0, durations: [] },
  blockedRequests: [],
};
(window as unknown as { __liveness: HarnessReport }).__liveness = report;

let checksStartedAt = Infinity;
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const lt = report.longTasks;
      lt.count++;
      lt.totalMs = Math.round(lt.totalMs + e.duration);
      lt.maxMs = Math.max(lt.maxMs, Math.round(e.duration));
      if (e.startTime >= checksStartedAt) lt.duringChecks++;
      if (lt.durations.length < 100) lt.durations.push(Math.round(e.duration));
    }
  }).observe({ type: 'longtask', buffered: true });
} catch {
  // longtask entries are Chromium-only
}

const [state, setState] = createSignal<ChallengeState | null>(null);
const [status, setStatus] = createSignal<HarnessReport['status']>('loading');
const [errorText, setErrorText] = createSignal('');
const [json, setJson] = createSignal('');
const [summaries, setSummaries] = createSignal<string[]>([]);
let video!: HTMLVideoElement;

function publish(next: HarnessReport['status']) {
  report.status = next;
  setStatus(next);
  setSummaries(report.checks.map((c) => `${c.verdict}${c.reason ? ` (${c.reason})` : ''}: ${c.steps.map((x) => `${x.action} ${x.passed ? '✓' : '✗'}`).join(', ')}`));
  setJson(JSON.stringify(report, null, 1));
}

function fail(kind: string, message: string, shown: string) {
  report.error = { kind, message };
  setErrorText(shown);
  publish('error');
}

async function describeKeyFrame(blob: Blob, info: LivenessOutcome['keyFrameInfo'][number]): Promise<KeyFrameReport> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const n = bytes.length;
  const jpegMagic = n > 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff && bytes[n - 2] === 0xff && bytes[n - 1] === 0xd9;
  let decoded: KeyFrameReport['decoded'] = null;
  try {
    const bmp = await createImageBitmap(blob);
    decoded = { width: bmp.width, height: bmp.height };
    bmp.close();
  } catch {
    decoded = null;
  }
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return { bytes: n, width: info.width, height: info.height, quality: info.quality, score: info.score, jpegMagic, decoded, base64: btoa(binary) };
}

let cameraRequestedAt = 0;

/** The engine counts its total time from the first analysed frame, a frame or two after the session starts. */
const FIRST_FRAME_MARGIN_MS = 250;

/** The shorter of timeoutMs and what is left of untilCameraMs (ending a little early rather than after a loop). */
function totalTimeoutMs(): number | undefined {
  const left = untilCameraMs !== undefined ? Math.max(1000, Math.round(untilCameraMs - (performance.now() - cameraRequestedAt) - FIRST_FRAME_MARGIN_MS)) : undefined;
  const limits = [timeoutMs, left].filter((x): x is number => x !== undefined);
  return limits.length ? Math.min(...limits) : undefined;
}
const joinMessage = (m: { title: string; action: string }) => (lang === 'zh-CN' ? `${m.title}。${m.action}` : `${m.title}. ${m.action}`);

async function toReport(o: LivenessOutcome, spoken: string[]): Promise<CheckReport> {
  const r = o.result;
  const passedAt = new Map<string, number>();
  for (const e of o.stats.timeline) if (e.type === 'step_passed' && e.action) passedAt.set(e.action, e.atMs);
  const s = o.stats;
  const seq: CheckReport['sequence'] = { actions: r.steps.map((x) => x.action), seed: r.seed };
  if (r.digits !== undefined) seq.digits = r.digits;
  return {
    verdict: r.verdict,
    reason: r.reason,
    sequence: seq,
    steps: r.steps.map((x) => {
      const at = passedAt.get(x.action);
      return { ...x, passedAtMs: at ?? null, passedAtCameraMs: at === undefined ? null : Math.round(s.firstFrameAt - cameraRequestedAt + at) };
    }),
    durationMs: r.durationMs,
    baselineMs: r.baselineMs,
    restarts: r.restarts.length,
    inference: {
      ...r.inference,
      inWorker: s.inWorker,
      requestedDelegate: s.requestedDelegate,
      gpuNote: s.gpuNote,
      fps: s.fps,
      maxMs: s.inferMs.max,
      workMedianMs: s.workMs.median,
      workP95Ms: s.workMs.p95,
      grabMedianMs: s.grabMs.median,
      grabP95Ms: s.grabMs.p95,
      skippedFrames: s.skippedFrames,
      frameSize: s.frameSize,
    },
    firstResultMs: s.firstResultMs,
    cameraEndMs: Math.round(s.firstFrameAt - cameraRequestedAt + r.durationMs),
    keyFrames: await Promise.all(o.keyFrames.map((b, i) => describeKeyFrame(b, o.keyFrameInfo[i]!))),
    audio: s.audio === 'not_needed' ? null : { status: s.audio, bytes: o.audio?.size ?? 0, type: o.audio?.type ?? '', durationMs: o.audioDurationMs ?? 0, startCameraMs: s.audioStartedAt === null ? null : Math.round(s.audioStartedAt - cameraRequestedAt) },
    mouthTrack: s.mouthTrack.map((m) => ({ cameraMs: Math.round(m.tMs - cameraRequestedAt), jaw: m.jaw === null ? null : Math.round(m.jaw * 1000) / 1000 })),
    spoken,
    timeline: s.timeline,
    result: r,
  };
}

async function main() {
  let steps;
  try {
    steps = parseSteps(q.get('steps') ?? '');
  } catch (err) {
    fail('usage', (err as Error).message, (err as Error).message);
    return;
  }
  const sequence = fixedSequence(steps, q.get('digits') ?? undefined);

  const loadStart = performance.now();
  const failGpu = q.get('failGpu');
  const runtimeP = loadLivenessRuntime({ delegate, ...(failGpu === 'init' || failGpu === 'detect' ? { testFailGpu: failGpu } : {}) });
  runtimeP.catch(() => undefined);
  let camera;
  const wantsMic = sequence.actions.includes('read_digits') && q.get('mic') !== '0';
  let micP: Promise<AudioCapture> | null = null;
  let mic: AudioCapture | undefined;
  try {
    // --once: the clip must start when the check can start, or a slow model load would already
    // have looped it (the fake camera starts its file when the camera opens).
    if (untilCameraMs !== undefined) await runtimeP.catch(() => undefined);
    cameraRequestedAt = performance.now();
    // The microphone opens with the camera, as the app may do, so Chromium's fake devices start
    // their files close together (not to within ±200 ms: e2e/voice.e2e.test.ts).
    if (wantsMic) micP = openAudioCapture();
    camera = await openCamera(mode);
    mic = micP ? await micP : undefined;
    await attachCamera(camera, video);
  } catch (err) {
    const code = err instanceof CameraError ? err.code : 'unknown';
    const m = runtimeMessage(`camera.${code}`, lang);
    fail(`camera.${code}`, (err as Error).message, joinMessage(m));
    return;
  }
  const settings = camera.settings();
  report.camera = { mode, width: settings.width ?? video.videoWidth, height: settings.height ?? video.videoHeight, facingMode: settings.facingMode ?? null };

  let runtime;
  try {
    runtime = await runtimeP;
  } catch (err) {
    const kind = err instanceof RuntimeLoadError && err.kind === 'unsupported' ? 'engine.unsupported' : 'engine.load';
    const m = runtimeMessage(kind, lang);
    fail(kind, (err as Error).message, joinMessage(m));
    return;
  }
  report.runtime = {
    inWorker: runtime.inWorker,
    delegate: runtime.delegate,
    requested: runtime.requested,
    gpuNote: runtime.gpuNote,
    loadMs: Math.round(runtime.readyAt - runtime.loadStartedAt),
    initMs: runtime.initMs,
    loadCount: runtimeLoadCount(),
  };
  publish('running');
  checksStartedAt = performance.now();

  for (let i = 0; i < checks; i++) {
    const speaker = createRecordingSpeaker();
    let first = true;
    try {
      const session = await createLivenessSession({
        runtime,
        camera,
        video,
        sequence,
        speaker,
        microphone: q.get('mic') !== '0',
        ...(i === 0 && mic ? { audioCapture: mic } : {}),
        ...(totalTimeoutMs() !== undefined ? { testTotalTimeoutMs: totalTimeoutMs() } : {}),
        onUpdate: ({ state: st }) => {
          if (first) {
            first = false;
            if (report.startToFirstResultMs === null) {
              report.startToFirstResultMs = Math.round(performance.now() - loadStart);
              report.firstResultSincePageMs = Math.round(performance.now());
            }
          }
          setState(st);
        },
      });
      const timer = runMs > 0 ? setTimeout(() => session.cancel(), runMs) : undefined;
      // --once, backstop: on a machine so loaded that the first frame came late, the engine's own
      // time limit would run past the clip's end; the camera's clip has ended, so end it there.
      const clipEnd = untilCameraMs !== undefined ? setTimeout(() => session.abort('camera_unavailable'), Math.max(0, untilCameraMs - 100 - (performance.now() - cameraRequestedAt))) : undefined;
      const outcome = await session.done;
      clearTimeout(timer);
      clearTimeout(clipEnd);
      report.checks.push(await toReport(outcome, speaker.spoken.map((s) => s.id)));
      report.blockedRequests = outcome.stats.blockedRequests;
      report.runtime.loadCount = runtimeLoadCount();
      publish('running');
    } catch (err) {
      fail('engine', (err as Error).message, (err as Error).message);
      camera.stop();
      return;
    }
  }
  camera.stop();
  if (q.get('dispose') === '1') report.blockedRequests = await runtime.dispose();
  publish('done');
}

render(
  () => (
    <main class="screen" data-testid="liveness-harness" data-status={status()}>
      <h1>Liveness harness</h1>
      <video ref={video} class={mode === 'front' ? 'lh-preview mirrored' : 'lh-preview'} muted playsinline autoplay />
      <p class="lh-prompt" data-testid="prompt">
        {state() ? promptText(state()!.displayPromptId, lang, { digits: state()!.digits ?? '' }) : '…'}
      </p>
      <Show when={state()}>{(st) => <progress max="1" value={st().progress} />}</Show>
      <Show when={errorText()}>
        <p class="error" role="alert">
          {errorText()}
        </p>
      </Show>
      <ul>
        <For each={summaries()}>{(line) => <li>{line}</li>}</For>
      </ul>
      <pre id="liveness-report" class="lh-outcome" data-status={status()}>
        {json()}
      </pre>
    </main>
  ),
  document.getElementById('app')!,
);
void main();
