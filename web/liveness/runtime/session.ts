// One liveness check on the main thread: grabs camera frames as ImageBitmaps and transfers them to
// the Worker (one in flight, newest frame first: the model never queues stale frames), relays the
// engine's events and state to the UI, speaks prompt changes, records the read-digits audio, and
// resolves with the result, the JPEG key frames and the audio clip.
//
//   const runtime = await loadLivenessRuntime();              // once per page, reused
//   const camera = await openCamera('front');                 // CameraError → runtimeMessage()
//   await attachCamera(camera, videoEl);                      // preview; mirror with CSS if camera.mirrorPreview
//   const session = await createLivenessSession({ runtime, camera, video: videoEl,
//     sequence: challenge.sequence, challengeId: challenge.id ?? undefined,
//     speaker, onUpdate: ({ state }) => render(state) });
//   const { result, keyFrames, audio } = await session.done; // session.cancel() for the cancel button
import type { ChallengeSequence, LivenessResult } from '../../../shared/liveness.ts';
import type { AbortReason, ChallengeEvent, ChallengeState, PersonSwap } from '../challenge.ts';
import type { PromptId } from '../prompts.ts';
import { openAudioCapture, type AudioCapture, type AudioStatus } from './audio.ts';
import type { CameraHandle } from './camera.ts';
import { loadLivenessRuntime, type LivenessRuntime } from './engine.ts';
import { KEYFRAME_SIZE } from './evidence.ts';
import type { FromWorker, KeyFrameOut, RuntimeInfo } from './protocol.ts';
import { checkedSequence } from './sequence.ts';
import { silentSpeaker, type Speaker } from './speech.ts';
import { analyseVoice, NO_MICROPHONE, type MouthSample } from '../voice/analyse.ts';
import { decodeClip } from './voice-decode.ts';

export interface LivenessSessionOptions {
  /** Defaults to loadLivenessRuntime() (the page's single runtime). */
  runtime?: LivenessRuntime;
  camera: CameraHandle;
  /** A <video> playing camera.stream (see attachCamera); usually the visible preview. */
  video: HTMLVideoElement;
  /**
   * From the server challenge (`beginCheck().sequence`) or `localSequence()` offline. Production
   * builds refuse a sequence that is not generateSequence(seed) (see sequence.ts).
   */
  sequence: ChallengeSequence;
  challengeId?: string;
  speaker?: Speaker;
  /** Record the read-digits answer when the sequence has read_digits (default true). */
  microphone?: boolean;
  /**
   * A microphone the caller opened already (openAudioCapture), e.g. together with the camera so
   * both start at once; the session closes it. Otherwise the session opens one when it needs it.
   */
  audioCapture?: AudioCapture;
  /** Every analysed frame: the engine's state and the frame's events. */
  onUpdate?(update: { state: ChallengeState; events: ChallengeEvent[] }): void;
  /** Longest side of the frames given to the model (larger camera frames are scaled down, never cropped). */
  maxSide?: number;
  keyFrameSize?: number;
  /** Test builds only (ignored in production): end as timed_out after this long instead of 120 s. */
  testTotalTimeoutMs?: number;
  /** No total time (the phone's own check): only the person, the camera or the engine ends it (decision 076). */
  untimed?: boolean;
  /** The person's swaps from an earlier run of this challenge, asked so from the start (after a pause). */
  swaps?: PersonSwap[];
}

export interface KeyFrameInfo {
  tMs: number;
  score: number;
  width: number;
  height: number;
  quality: number;
  bytes: number;
}

export interface TimelineEntry {
  atMs: number;
  type: ChallengeEvent['type'];
  promptId?: PromptId;
  action?: string | null;
  detail?: string;
}

export interface SessionStats {
  /** Reported by the code that ran the model: true when it ran in a WorkerGlobalScope. */
  inWorker: boolean;
  delegate: RuntimeInfo['delegate'];
  requestedDelegate: RuntimeInfo['requested'];
  gpuNote: string | null;
  /** Frames analysed, and per second of check time. */
  frames: number;
  fps: number;
  /** Camera frames that arrived while the model was busy (skipped, not queued). */
  skippedFrames: number;
  inferMs: { median: number; p95: number; max: number };
  /** Whole per-frame Worker time (pixels + inference + engine + crops). */
  workMs: { median: number; p95: number; max: number };
  /** Main-thread time to grab and post one frame. */
  grabMs: { median: number; p95: number; max: number };
  /** From createLivenessSession() to the first analysed frame. */
  firstResultMs: number;
  /** performance.now() capture time of the first analysed frame: the zero of the result's times. */
  firstFrameAt: number;
  /** Worker load time when this session had to wait for it; 0 when the runtime was already loaded. */
  runtimeWaitMs: number;
  runtimeLoadMs: number;
  frameSize: { width: number; height: number } | null;
  audio: AudioStatus;
  /** performance.now() when the kept read-digits recording began; null without one. */
  audioStartedAt: number | null;
  /** jawOpen of every analysed frame (performance.now() times), for the voice check and the harness. */
  mouthTrack: MouthSample[];
  timeline: TimelineEntry[];
  blockedRequests: string[];
}

export interface LivenessOutcome {
  /** The compact, schema-valid result to store and sync. */
  result: LivenessResult;
  /** 0-3 JPEG face crops (2-3 in any check that saw the face for a few seconds), each ≤ 20 KB. */
  keyFrames: Blob[];
  keyFrameInfo: KeyFrameInfo[];
  /** The read-digits answer (webm/ogg Opus, or mp4 on Safari) when recorded. */
  audio?: Blob;
  audioDurationMs?: number;
  stats: SessionStats;
}

export interface LivenessSession {
  readonly sequence: ChallengeSequence;
  /** The latest engine state (null before the first frame). */
  state(): ChallengeState | null;
  /** Resolves when the check ends in any verdict (cancel → abandoned). Rejects only if the engine dies. */
  readonly done: Promise<LivenessOutcome>;
  /** Cancel button: ends the check as abandoned(user_cancelled). */
  cancel(): void;
  /** Ends the check for another reason (abandoned / failed). */
  abort(reason: AbortReason): void;
  /** The person asks for another action at the current step ("换一个动作"); the next update shows it. */
  swap(): void;
}

let nextSessionId = 1;
/**
 * The recording goes on this long after the read-digits step passed (unless the check ends first):
 * the mouth rule passes on the third open-close, often mid-way through the last digit.
 */
const DIGITS_TAIL_MS = 1500;
/** No camera frame for this long (track still "live") ends the check as abandoned(camera_unavailable). */
const CAMERA_STALL_MS = 10_000;

const round2 = (x: number) => Math.round(x * 100) / 100;
function summary(xs: number[]): { median: number; p95: number; max: number } {
  if (!xs.length) return { median: 0, p95: 0, max: 0 };
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] as number;
  return { median: round2(at(0.5)), p95: round2(at(0.95)), max: round2(s[s.length - 1] as number) };
}

export async function createLivenessSession(opts: LivenessSessionOptions): Promise<LivenessSession> {
  const createdAt = performance.now();
  const sequence = checkedSequence(opts.sequence);
  const runtimeWasLoaded = opts.runtime !== undefined;
  const runtime = opts.runtime ?? (await loadLivenessRuntime());
  const runtimeWaitMs = runtimeWasLoaded ? 0 : Math.round(performance.now() - createdAt);
  if (runtime.busy) throw new Error('a liveness check is already running');
  runtime.busy = true;

  const speaker = opts.speaker ?? silentSpeaker;
  const needsAudio = sequence.actions.includes('read_digits') && opts.microphone !== false;
  let audio: AudioCapture | null = null;
  if (needsAudio) audio = opts.audioCapture ?? (await openAudioCapture());
  else opts.audioCapture?.close();

  const sessionId = nextSessionId++;
  const video = opts.video;
  const maxSide = opts.maxSide ?? 640;
  let state: ChallengeState | null = null;
  let stopped = false;
  let inFlight = false;
  let frameSerial = 0;
  let grabbedSerial = 0;
  let sent = 0;
  let lastT = 0;
  let firstResultAt = 0;
  let firstFrameT = 0;
  let lastFrameT = 0;
  let frames = 0;
  let frameSize: { width: number; height: number } | null = null;
  let lastSpoken = '';
  let lastProgressAt = performance.now();
  const inferMs: number[] = [];
  const workMs: number[] = [];
  const grabMs: number[] = [];
  const timeline: TimelineEntry[] = [];
  const mouthTrack: MouthSample[] = [];
  let digitsTail: ReturnType<typeof setTimeout> | undefined;
  let digitsPassedAt: number | null = null;

  let resolveDone!: (o: LivenessOutcome) => void;
  let rejectDone!: (e: Error) => void;
  const done = new Promise<LivenessOutcome>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });

  function speakOnce(id: PromptId, force = false) {
    const key = `${id}|${sequence.digits ?? ''}`;
    if (!force && key === lastSpoken) return;
    lastSpoken = key;
    speaker.speak(id, sequence.digits !== undefined ? { digits: sequence.digits } : {});
  }

  function handleEvents(events: ChallengeEvent[]) {
    for (const e of events) {
      if (e.type !== 'keyframe' && timeline.length < 400) {
        const entry: TimelineEntry = { atMs: e.atMs, type: e.type };
        if ('promptId' in e && e.promptId) entry.promptId = e.promptId;
        if ('action' in e) entry.action = e.action;
        if (e.type === 'quality') entry.detail = e.state;
        if (e.type === 'restarted') entry.detail = e.reason;
        if (e.type === 'verdict') entry.detail = `${e.verdict}${e.reason ? `:${e.reason}` : ''}`;
        timeline.push(entry);
      }
      if (e.type === 'prompt' && e.action === 'read_digits') audio?.start();
      // The person asked for another action instead of reading: no recording is kept of it.
      if (e.type === 'swapped' && e.from === 'read_digits') {
        audio?.close();
        audio = null;
      }
      if (e.type === 'step_passed' && e.action === 'read_digits') {
        digitsPassedAt = performance.now();
        digitsTail = setTimeout(() => void audio?.stop(), DIGITS_TAIL_MS);
      }
      if (e.type === 'reprompt') speakOnce(e.promptId, true);
      if (e.type === 'verdict') speakOnce(`verdict.${e.verdict}`, true);
    }
  }

  // --- frame pump ------------------------------------------------------------------------------
  const hasRvfc = typeof video.requestVideoFrameCallback === 'function';
  let timer: ReturnType<typeof setInterval> | undefined;
  const onVideoFrame = () => {
    if (stopped) return;
    frameSerial++;
    pump();
    video.requestVideoFrameCallback(onVideoFrame);
  };

  function pump() {
    if (stopped || inFlight || frameSerial === grabbedSerial) return;
    const vw = video.videoWidth;
    const vh = video.videoHeight;
    if (!vw || !vh) return;
    grabbedSerial = frameSerial;
    inFlight = true;
    const scale = Math.min(1, maxSide / Math.max(vw, vh));
    const width = Math.round(vw * scale);
    const height = Math.round(vh * scale);
    frameSize = { width, height };
    const g0 = performance.now();
    const tMs = Math.max(g0, lastT + 0.01);
    lastT = tMs;
    const bitmapP = scale < 1 ? createImageBitmap(video, { resizeWidth: width, resizeHeight: height, resizeQuality: 'medium' }) : createImageBitmap(video);
    bitmapP.then(
      (bitmap) => {
        if (stopped) {
          bitmap.close();
          return;
        }
        runtime.send({ type: 'frame', sessionId, bitmap, tMs }, [bitmap]);
        lastSentAt = performance.now();
        sent++;
        grabMs.push(performance.now() - g0);
      },
      () => {
        inFlight = false; // the video had no frame yet; try the next one
      },
    );
  }

  // --- worker messages ---------------------------------------------------------------------------
  const unlisten = runtime.listen((msg: FromWorker) => {
    if ('sessionId' in msg && msg.sessionId !== sessionId) return;
    switch (msg.type) {
      case 'frame': {
        if (msg.analysed) {
          inFlight = false;
          frames++;
          if (!firstResultAt) {
            firstResultAt = performance.now();
            firstFrameT = msg.tMs;
          }
          lastFrameT = msg.tMs;
          if (mouthTrack.length < 10_000) mouthTrack.push({ tMs: msg.tMs, jaw: msg.mouth });
          inferMs.push(msg.inferMs);
          workMs.push(msg.workMs);
          lastProgressAt = performance.now();
        }
        state = msg.state;
        handleEvents(msg.events);
        if (state.phase !== 'done') speakOnce(state.displayPromptId);
        opts.onUpdate?.({ state, events: msg.events });
        if (state.phase !== 'done') pump();
        break;
      }
      case 'done':
        void finish(msg.result, msg.keyFrames, msg.blockedRequests, msg.gpuNote);
        break;
      case 'error':
        console.warn(`StillHere liveness worker: ${msg.message}`);
        if (msg.during === 'start') {
          cleanup();
          rejectDone(new Error(`the check could not start: ${msg.message}`));
        }
        break;
    }
  });

  const onVisibility = () => {
    if (document.visibilityState === 'hidden') abort('app_backgrounded');
  };
  document.addEventListener('visibilitychange', onVisibility);
  const offCameraEnded = opts.camera.onEnded(() => abort('camera_unavailable'));

  // Time in the engine comes from frames, so two stalls must be caught here: a Worker that stops
  // answering (crashed, out of memory) and a camera that stops delivering frames while its track
  // still looks live. Neither may leave the person waiting.
  let lastSentAt = performance.now();
  const watchdog = setInterval(() => {
    if (stopped) return;
    const now = performance.now();
    if (inFlight && now - lastProgressAt > 15_000) {
      cleanup();
      rejectDone(new Error('the liveness engine stopped responding'));
    } else if (!inFlight && now - lastSentAt > CAMERA_STALL_MS) {
      lastSentAt = now; // one abort is enough
      abort('camera_unavailable');
    }
  }, 1000);

  function abort(reason: AbortReason) {
    if (stopped) return;
    runtime.send({ type: 'abort', sessionId, reason, tMs: Math.max(lastFrameT, lastT) });
  }

  function cleanup() {
    if (stopped) return;
    stopped = true;
    clearInterval(watchdog);
    clearInterval(timer);
    unlisten();
    offCameraEnded();
    document.removeEventListener('visibilitychange', onVisibility);
    runtime.busy = false;
  }

  async function finish(result: LivenessResult, kfs: KeyFrameOut[], blockedRequests: string[], gpuNote: string | null) {
    cleanup();
    clearTimeout(digitsTail);
    // The check may end on the step itself (read_digits last): the last digit is still being said.
    const tailLeft = audio && digitsPassedAt !== null ? digitsPassedAt + DIGITS_TAIL_MS - performance.now() : 0;
    if (tailLeft > 0) await new Promise((r) => setTimeout(r, tailLeft));
    await audio?.stop();
    const clip = audio?.clip() ?? null;
    audio?.close();
    if (result.steps.some((st) => st.action === 'read_digits')) {
      // Whether the digits were heard, and in step with the mouth: a claim the server re-draws
      // from these numbers and that sends doubtful checks to the office (decision 080).
      const decoded = clip ? await decodeClip(clip.blob) : null;
      result = { ...result, voice: decoded ? analyseVoice({ ...decoded, startMs: clip!.startedAt }, mouthTrack) : NO_MICROPHONE };
    }
    const durationS = frames > 1 ? (lastFrameT - firstFrameT) / 1000 : 0;
    const stats: SessionStats = {
      inWorker: runtime.inWorker,
      delegate: runtime.delegateNow(),
      requestedDelegate: runtime.requested,
      gpuNote,
      frames,
      fps: durationS > 0 ? round2((frames - 1) / durationS) : 0,
      skippedFrames: Math.max(0, frameSerial - sent),
      inferMs: summary(inferMs),
      workMs: summary(workMs),
      grabMs: summary(grabMs),
      firstResultMs: firstResultAt ? Math.round(firstResultAt - createdAt) : -1,
      firstFrameAt: firstFrameT,
      runtimeWaitMs,
      runtimeLoadMs: Math.round(runtime.readyAt - runtime.loadStartedAt),
      frameSize,
      audio: audio ? audio.status : 'not_needed',
      audioStartedAt: clip?.startedAt ?? null,
      mouthTrack,
      timeline,
      blockedRequests,
    };
    const outcome: LivenessOutcome = {
      result,
      keyFrames: kfs.map((k) => k.blob),
      keyFrameInfo: kfs.map((k) => ({ tMs: k.tMs, score: k.score, width: k.width, height: k.height, quality: k.quality, bytes: k.blob.size })),
      stats,
    };
    if (clip) {
      outcome.audio = clip.blob;
      outcome.audioDurationMs = clip.durationMs;
    }
    resolveDone(outcome);
  }

  const startMsg = { type: 'start' as const, sessionId, sequence, keyFrameSize: opts.keyFrameSize ?? KEYFRAME_SIZE };
  runtime.send({
    ...startMsg,
    ...(opts.challengeId !== undefined ? { challengeId: opts.challengeId } : {}),
    ...(__TEST_BUILD__ && opts.testTotalTimeoutMs !== undefined ? { testTotalTimeoutMs: opts.testTotalTimeoutMs } : {}),
    ...(opts.untimed ? { untimed: true } : {}),
    ...(opts.swaps?.length ? { swaps: opts.swaps } : {}),
  });
  if (hasRvfc) video.requestVideoFrameCallback(onVideoFrame);
  else {
    // No requestVideoFrameCallback: poll at the camera's usual 30 fps.
    timer = setInterval(() => {
      frameSerial++;
      pump();
    }, 33);
  }

  return {
    sequence,
    state: () => state,
    done,
    cancel: () => abort('user_cancelled'),
    abort,
    swap: () => {
      if (!stopped) runtime.send({ type: 'swap', sessionId });
    },
  };
}

/** The evidence in the shape web/data's recordAttempt() takes (frames as bytes, audio with its type). */
export async function attemptEvidence(outcome: LivenessOutcome): Promise<{ frames: Uint8Array[]; audio: { data: Uint8Array; type: string; durationMs: number } | null }> {
  const frames = await Promise.all(outcome.keyFrames.map(async (b) => new Uint8Array(await b.arrayBuffer())));
  const audio = outcome.audio && outcome.audioDurationMs !== undefined ? { data: new Uint8Array(await outcome.audio.arrayBuffer()), type: outcome.audio.type, durationMs: outcome.audioDurationMs } : null;
  return { frames, audio };
}
