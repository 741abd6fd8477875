// One face check, from the files on the phone to the saved attempt, for every screen that runs one:
// the elder screen (web/components/FaceCheck.tsx: a retiree on their own phone, or a family member
// holding it) and the worker's outdoor screen (web/worker/CertifyScreen.tsx). The screens are views;
// this owns the order and every fallback (decisions 038 and 062):
//
//   assets   wait until the liveness files are on the phone (a retry of the download carries on)
//   camera   open the camera and show it; the engine loads meanwhile (once the files are there)
//   ready    'manual' start only (the worker): preview live, engine loaded, waiting for start()
//   starting take the next challenge (a cached server token or a local seed), start the session
//   running  the check; cancel() ends it as the person's own stop; swap() asks another action
//   paused   pause(), or the page hidden (a call, the screen locked, another app): the check and the
//            camera stopped, nothing saved; resume() (or the page shown again) runs the same
//            challenge from "look straight", with the person's swaps (decision 077)
//   saving   the evidence (built here, nowhere else) and the attempt, durably on the phone
//   done     outcome() holds the saved check
//   cancelled 'auto' only: the person stopped (onCancel has been called)
//   problem  problem() says what stopped it: the camera, the engine, a full phone, a failed save
//
// A check the person stops is not an attempt (decision 038): nothing is saved; 'auto' calls
// onCancel, 'manual' goes back to the preview. Nothing ends a check on a timer (decision 076): after
// timing.helpAfterMs on one step `waiting()` says the screen should show what the check waits for. Evidence the phone refuses is dropped and the result
// alone is saved rather than losing the check. App updates are held while anything is under way.
import { createSignal, getOwner, onCleanup, type Accessor } from 'solid-js';
import type { LivenessResult } from '../../shared/liveness.ts';
import {
  beginCheck,
  NoSignatureKeyError,
  recordAttempt,
  StorageFullError,
  type CheckChallenge,
  type NewAttempt,
} from '../data/index.ts';
import type { ChallengeState, PersonSwap } from '../liveness/challenge.ts';
import { LIVENESS_PARAMS } from '../liveness/params.ts';
import {
  attachCamera,
  attemptEvidence,
  CameraError,
  createLivenessSession,
  loadLivenessRuntime,
  openCamera,
  RuntimeLoadError,
  type CameraHandle,
  type CameraMode,
  type LivenessOutcome,
  type LivenessRuntime,
  type LivenessSession,
  type LivenessSessionOptions,
  type RuntimeMessageId,
  type Speaker,
} from '../liveness/runtime/index.ts';
import { holdUpdates, livenessAssets, prepareLivenessAssets, type LivenessAssetsState } from '../pwa/index.ts';

export type FaceCheckPhase = 'assets' | 'camera' | 'ready' | 'starting' | 'running' | 'paused' | 'saving' | 'done' | 'cancelled' | 'problem';

/** Who paused: the person (until they tap 继续) or the page going away (resumed when it is back). */
export type PausedBy = 'person' | 'away';

/** Whether the page is in sight: document.visibilityState by default, a stand-in in unit tests. */
export interface PageVisibility {
  hidden(): boolean;
  onChange(listener: () => void): () => void;
}

const documentVisibility: PageVisibility = {
  hidden: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
  onChange(listener) {
    if (typeof document === 'undefined') return () => undefined;
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  },
};

/** The runtime's camera and engine messages, a full phone, or a save that failed for another reason. */
export type FaceCheckProblem = { id: RuntimeMessageId } | { id: 'storage' } | { id: 'save'; reason: string };

export interface CheckOutcome {
  result: LivenessResult;
  /** The attempt's id in the phone's outbox. */
  attemptId: string;
  /** The phone refused the pictures or the recording: the result alone was saved. */
  evidenceDropped: boolean;
  /** An in-person enrolment was asked for on a passed check and could not be sealed: why. */
  enrolmentNotSealed: 'noFrame' | 'noKey' | null;
}

type Evidence = Awaited<ReturnType<typeof attemptEvidence>>;

/** Everything the controller reaches outside itself: the real pieces by default, stand-ins in unit tests. */
export interface FaceCheckDeps {
  assets: Accessor<LivenessAssetsState>;
  prepareAssets(): void;
  openCamera(mode: CameraMode): Promise<CameraHandle>;
  attachCamera(camera: CameraHandle, video: HTMLVideoElement): Promise<void>;
  loadRuntime(): Promise<LivenessRuntime>;
  createSession(opts: LivenessSessionOptions): Promise<LivenessSession>;
  evidence(outcome: LivenessOutcome): Promise<Evidence>;
  beginCheck(userId: number): Promise<CheckChallenge>;
  recordAttempt(input: Omit<NewAttempt, 'midWrite'>): Promise<string>;
  holdUpdates(reason: string): () => void;
  visibility: PageVisibility;
  /** The clock a resumed check's token expiry is read against. */
  now(): number;
  /** How often the assets wait looks again. */
  pollMs: number;
}

const realDeps = (): FaceCheckDeps => ({
  assets: livenessAssets(),
  prepareAssets: prepareLivenessAssets,
  openCamera,
  attachCamera,
  loadRuntime: () => loadLivenessRuntime(),
  createSession: createLivenessSession,
  evidence: attemptEvidence,
  beginCheck,
  recordAttempt,
  holdUpdates,
  visibility: documentVisibility,
  now: () => Date.now(),
  pollMs: 250,
});

export interface FaceCheckOptions {
  userId: number;
  retireeId: number;
  method: NewAttempt['method'];
  /** The camera to open first; the worker may switch before starting. */
  camera: CameraMode;
  /** 'auto': the check starts once everything is ready (elder screens); 'manual': start() starts it (worker). */
  start: 'auto' | 'manual';
  /** The <video> that shows the camera (a ref, there by the time begin() runs). */
  video(): HTMLVideoElement | undefined;
  /** Says the check's prompts (the app voice for the retiree). */
  speaker: Speaker;
  /** 'auto' only: a check the person stopped, or cancel() before it started. */
  onCancel?(): void;
  /** A check saved on the phone. */
  onDone?(outcome: CheckOutcome): void;
  deps?: Partial<FaceCheckDeps>;
}

export interface FaceCheck {
  phase: Accessor<FaceCheckPhase>;
  /** The engine's state while the check runs (null before its first frame). */
  state: Accessor<ChallengeState | null>;
  /** One step (or "look straight") has been asked for timing.helpAfterMs: show what the check waits for, 换一个动作 and 暂停. */
  waiting: Accessor<boolean>;
  /** Phase 'paused': by the person or by the page going away. */
  pausedBy: Accessor<PausedBy | null>;
  problem: Accessor<FaceCheckProblem | null>;
  /** The engine: loading once the files are there, ready, or error (problem() says which). */
  engine: Accessor<'idle' | 'loading' | 'ready' | 'error'>;
  camera: Accessor<CameraMode>;
  /** The last saved check (phase 'done'). */
  outcome: Accessor<CheckOutcome | null>;
  assets: Accessor<LivenessAssetsState>;
  /** Starts: waits for the files, opens the camera; with 'auto' the check follows. Call once, on mount. */
  begin(): void;
  /** 'manual': runs the check from the preview; `enrolmentPassword` seals a passed check as an in-person enrolment. */
  start(opts?: { enrolmentPassword?: string }): void;
  /** The person stops: the check ends and nothing is saved. */
  cancel(): void;
  /** The person pauses ("暂停"): the check and the camera stop, nothing is saved. */
  pause(): void;
  /** "继续": the same challenge (if its token is still good, else a fresh one) from "look straight". */
  resume(): void;
  /** "换一个动作": the current step asks another action the challenge rules allow (state().canSwap). */
  swap(): void;
  /** After a problem, or (manual) after a saved check: from the start again. */
  retry(): void;
  /** Another camera (only before a check starts). */
  switchCamera(mode: CameraMode): void;
  /** Stops everything (also on the owner's cleanup). */
  dispose(): void;
}

/** Phases in which app updates wait (a reload would lose the person's place or the check). */
const BUSY: ReadonlySet<FaceCheckPhase> = new Set(['assets', 'camera', 'starting', 'running', 'paused', 'saving']);

/** A paused check: what the resumed one asks again. The enrolment password stays in memory only, as while it ran. */
interface Held {
  challenge: CheckChallenge;
  swaps: PersonSwap[];
  password: string | null;
}

export function createFaceCheck(opts: FaceCheckOptions): FaceCheck {
  const deps: FaceCheckDeps = { ...realDeps(), ...opts.deps };
  const [phase, setPhase] = createSignal<FaceCheckPhase>('assets');
  const [state, setState] = createSignal<ChallengeState | null>(null);
  const [problem, setProblem] = createSignal<FaceCheckProblem | null>(null);
  const [engine, setEngine] = createSignal<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const [camera, setCameraMode] = createSignal<CameraMode>(opts.camera);
  const [outcome, setOutcome] = createSignal<CheckOutcome | null>(null);
  const [pausedBy, setPausedBy] = createSignal<PausedBy | null>(null);

  let handle: CameraHandle | null = null;
  let session: LivenessSession | null = null;
  let runtime: Promise<LivenessRuntime> | null = null;
  /** Each begin/retry/switch/dispose starts a new run; the continuations of an older one stop. */
  let run = 0;
  let cancelAsked = false;
  /** Set when the running session is being stopped for a pause, not by the person's stop. */
  let pauseAsked: PausedBy | null = null;
  let held: Held | null = null;
  let disposed = false;
  let release: (() => void) | null = null;

  function enter(next: FaceCheckPhase) {
    setPhase(next);
    if (BUSY.has(next)) release ??= deps.holdUpdates('face check');
    else {
      release?.();
      release = null;
    }
  }

  function stopCamera() {
    handle?.stop();
    handle = null;
  }

  function fail(p: FaceCheckProblem) {
    stopCamera();
    setProblem(p);
    enter('problem');
  }

  const cameraProblem = (err: unknown): FaceCheckProblem => ({ id: `camera.${err instanceof CameraError ? err.code : 'unknown'}` });
  const engineProblem = (err: unknown): FaceCheckProblem => ({ id: err instanceof RuntimeLoadError && err.kind === 'unsupported' ? 'engine.unsupported' : 'engine.load' });

  /** The engine, loaded once per controller run (the runtime itself is one per page and retries a failed load). */
  function loadEngine(): Promise<LivenessRuntime> {
    if (!runtime) {
      setEngine('loading');
      runtime = deps.loadRuntime();
      runtime.then(
        () => setEngine('ready'),
        () => {
          setEngine('error');
          runtime = null;
        },
      );
    }
    return runtime;
  }

  async function waitForAssets(my: number): Promise<boolean> {
    deps.prepareAssets();
    // A download that needs a person (a full phone) shows as such; its retry carries on from here.
    while (my === run && deps.assets().state !== 'ready') await new Promise((r) => setTimeout(r, deps.pollMs));
    return my === run;
  }

  async function prepare(): Promise<void> {
    const my = ++run;
    stopCamera();
    setProblem(null);
    setState(null);
    cancelAsked = false;
    pauseAsked = null;
    held = null;
    setPausedBy(null);
    enter('assets');
    if (!(await waitForAssets(my))) return;
    enter('camera');
    const engineP = loadEngine();
    engineP.catch(() => undefined);
    let opened: CameraHandle;
    try {
      opened = await deps.openCamera(camera());
    } catch (err) {
      if (my === run) fail(cameraProblem(err));
      return;
    }
    if (my !== run) return opened.stop();
    handle = opened;
    try {
      const video = opts.video();
      if (!video) throw new CameraError('unknown', 'no preview element');
      await deps.attachCamera(opened, video);
    } catch (err) {
      if (my === run) fail(cameraProblem(err));
      return;
    }
    if (my !== run) return;
    try {
      await engineP;
    } catch (err) {
      if (my === run) fail(engineProblem(err));
      return;
    }
    if (my !== run) return;
    if (opts.start === 'auto') await check(my, null);
    else enter('ready');
  }

  async function check(my: number, enrolmentPassword: string | null, again: Held | null = null): Promise<void> {
    let password = enrolmentPassword;
    try {
      enter('starting');
      setState(null);
      setOutcome(null);
      cancelAsked = false;
      let challenge: CheckChallenge;
      let swaps: PersonSwap[] = [];
      let outcomeP: Promise<LivenessOutcome>;
      try {
        const rt = await loadEngine();
        // A resumed check asks the same challenge while its token is good; past it, a fresh one (the
        // person asked for nothing new, so nothing is said about it).
        const keep = again && (again.challenge.expiresAt === undefined || again.challenge.expiresAt > deps.now());
        challenge = keep ? again.challenge : await deps.beginCheck(opts.userId);
        if (keep) swaps = again.swaps;
        if (my !== run) return;
        if (!handle) throw new CameraError('unknown', 'camera not open');
        session = await deps.createSession({
          runtime: rt,
          camera: handle,
          video: opts.video()!,
          sequence: challenge.sequence,
          ...(challenge.id ? { challengeId: challenge.id } : {}),
          speaker: opts.speaker,
          untimed: true,
          ...(swaps.length ? { swaps } : {}),
          onUpdate: ({ state: st }) => {
            if (my === run) setState(st);
          },
        });
        outcomeP = session.done;
      } catch (err) {
        if (my === run) fail(err instanceof CameraError ? cameraProblem(err) : engineProblem(err));
        return;
      }
      if (my !== run) return session.cancel();
      // Cancel or pause was asked while the session was starting.
      if (cancelAsked || pauseAsked) session.cancel();
      enter('running');
      let done: LivenessOutcome;
      try {
        done = await outcomeP;
      } catch {
        if (my === run) fail({ id: 'engine.load' });
        return;
      } finally {
        session = null;
      }
      if (my !== run) return;
      const why = pauseReason(done.result);
      if (why) return paused(why, { challenge, swaps: state()?.swaps ?? swaps, password });
      if (done.result.verdict === 'abandoned' && done.result.reason === 'user_cancelled') return stopped();
      stopCamera();
      enter('saving');
      const sign = password;
      password = null;
      let saved: CheckOutcome;
      try {
        saved = await save(done, challenge, sign);
      } catch (err) {
        if (my === run) fail(err instanceof StorageFullError ? { id: 'storage' } : { id: 'save', reason: err instanceof Error ? err.message : String(err) });
        return;
      }
      // Saved all the same when the screen went away meanwhile; nobody is left to tell.
      if (my !== run) return;
      setOutcome(saved);
      enter('done');
      opts.onDone?.(saved);
    } finally {
      password = null;
    }
  }

  /**
   * Whether a session that ended is a pause: asked by the person or the page going away, or ended
   * by the runtime because the page was hidden (its own app_backgrounded) or the camera was taken
   * while it was (a phone call). None of these is an attempt (decision 077).
   */
  function pauseReason(result: LivenessResult): PausedBy | null {
    if (result.verdict !== 'abandoned') return null;
    if (pauseAsked && result.reason === 'user_cancelled') return pauseAsked;
    if (result.reason === 'app_backgrounded' || (result.reason === 'camera_unavailable' && (pauseAsked || deps.visibility.hidden()))) return pauseAsked ?? 'away';
    return null;
  }

  function paused(by: PausedBy, keep: Held) {
    pauseAsked = null;
    stopCamera();
    opts.speaker.cancel();
    held = keep;
    setState(null);
    setPausedBy(by);
    enter('paused');
    // Shown again while the session was ending: carry on at once.
    if (by === 'away' && !deps.visibility.hidden()) resume();
  }

  /** From a pause: the camera again, then the same challenge from "look straight". */
  async function resume(): Promise<void> {
    if (phase() !== 'paused' || !held) return;
    const again = held;
    held = null;
    setPausedBy(null);
    const my = ++run;
    enter('camera');
    let opened: CameraHandle;
    try {
      opened = await deps.openCamera(camera());
      if (my !== run) return opened.stop();
      handle = opened;
      const video = opts.video();
      if (!video) throw new CameraError('unknown', 'no preview element');
      await deps.attachCamera(opened, video);
    } catch (err) {
      if (my === run) fail(cameraProblem(err));
      return;
    }
    if (my !== run) return;
    await check(my, again.password, again);
  }

  function pause(by: PausedBy) {
    const p = phase();
    if (p === 'running' && session) {
      pauseAsked = by;
      session.cancel();
    } else if (p === 'starting') pauseAsked = by;
  }

  /** The person stopped the check: not an attempt (decision 038). */
  function stopped() {
    setState(null);
    if (opts.start === 'auto') {
      stopCamera();
      opts.speaker.cancel();
      ++run;
      enter('cancelled');
      opts.onCancel?.();
    } else if (handle) enter('ready');
    else void prepare();
  }

  /**
   * Saves the check: with its evidence (built here, the one place), sealed as an enrolment when
   * asked and possible; without the signature when the phone has no key yet; with the result
   * alone when the phone refuses the evidence. Only a full phone (StorageFullError) loses it.
   */
  async function save(done: LivenessOutcome, challenge: CheckChallenge, password: string | null): Promise<CheckOutcome> {
    const base: Omit<NewAttempt, 'midWrite'> = { userId: opts.userId, retireeId: opts.retireeId, method: opts.method, challenge, result: done.result };
    let evidence: Evidence | null = null;
    try {
      evidence = await deps.evidence(done);
    } catch {
      evidence = null;
    }
    const passed = done.result.verdict === 'passed';
    let enrolmentNotSealed: CheckOutcome['enrolmentNotSealed'] = null;
    // Only a passed check with a key frame is sealed; a check that did not pass seals nothing.
    let sign: string | null = null;
    if (password && passed) {
      if (evidence?.frames.length) sign = password;
      else enrolmentNotSealed = 'noFrame';
    }
    const full = evidence ? { ...base, frames: evidence.frames, audio: evidence.audio } : null;
    if (full) {
      if (sign) {
        try {
          const attemptId = await deps.recordAttempt({ ...full, enrolmentPassword: sign });
          return { result: done.result, attemptId, evidenceDropped: false, enrolmentNotSealed };
        } catch (err) {
          if (err instanceof StorageFullError) throw err;
          // Never lose the check for the signature: it is then an ordinary one.
          enrolmentNotSealed = err instanceof NoSignatureKeyError ? 'noKey' : 'noFrame';
        } finally {
          sign = null;
        }
      }
      try {
        const attemptId = await deps.recordAttempt(full);
        return { result: done.result, attemptId, evidenceDropped: false, enrolmentNotSealed };
      } catch (err) {
        if (err instanceof StorageFullError) throw err;
        // Evidence the phone (and the server) would refuse: keep the result alone.
      }
    }
    const attemptId = await deps.recordAttempt(base);
    return { result: done.result, attemptId, evidenceDropped: true, enrolmentNotSealed };
  }

  // A call, the screen locking or another app: the check pauses, and carries on when the page is back.
  const offVisibility = deps.visibility.onChange(() => {
    if (deps.visibility.hidden()) pause('away');
    else if (phase() === 'paused' && pausedBy() === 'away') void resume();
  });

  const waiting = () => {
    const st = state();
    return phase() === 'running' && st !== null && st.phase !== 'done' && st.stepElapsedMs >= LIVENESS_PARAMS.timing.helpAfterMs;
  };

  function dispose() {
    if (disposed) return;
    disposed = true;
    offVisibility();
    held = null;
    ++run;
    session?.cancel();
    session = null;
    stopCamera();
    opts.speaker.cancel();
    release?.();
    release = null;
  }
  if (getOwner()) onCleanup(dispose);

  return {
    phase,
    state,
    waiting,
    pausedBy,
    problem,
    engine,
    camera,
    outcome,
    assets: deps.assets,
    begin: () => void prepare(),
    start(o = {}) {
      if (phase() !== 'ready') return;
      void check(run, o.enrolmentPassword ?? null);
    },
    pause: () => pause('person'),
    resume: () => void resume(),
    swap() {
      if (phase() === 'running' && state()?.canSwap) session?.swap();
    },
    cancel() {
      const p = phase();
      if (p === 'paused') {
        // Stopped from the pause: the check already ended, nothing was saved.
        held = null;
        setPausedBy(null);
        return stopped();
      }
      pauseAsked = null;
      if (p === 'running' && session) return session.cancel();
      if (p === 'starting') {
        cancelAsked = true;
        return;
      }
      if (p === 'saving') return;
      if (opts.start === 'auto') {
        ++run;
        stopCamera();
        opts.speaker.cancel();
        enter('cancelled');
        opts.onCancel?.();
      }
    },
    retry: () => void prepare(),
    switchCamera(mode) {
      if (phase() === 'starting' || phase() === 'running' || phase() === 'saving') return;
      setCameraMode(mode);
      void prepare();
    },
    dispose,
  };
}
